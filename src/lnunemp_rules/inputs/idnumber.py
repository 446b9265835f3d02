"""Resident identity numbers (公民身份号码) as defined by GB 11643-1999.

Layout: 6-digit address code (GB/T 2260 county of registration), 8-digit birth date
YYYYMMDD, 3-digit sequence (odd = male, even = female), 1 check character (ISO 7064
MOD 11-2: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; r = sum mod 11; character for
r = 0..10 is ``1 0 X 9 8 7 6 5 4 3 2``).

An ID number is personal data (standard 4.3.1: 保护劳动者个人隐私): every error message shows
it masked by :func:`lnunemp_rules.inputs.masking.mask_id_number`.

References:
    - GB 11643-1999 公民身份号码 (registry id ``gb-11643-1999``), sections 4-7 (structure,
      address code, birth date code, sequence code, check character) and its annex (ISO 7064
      MOD 11-2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..errors import InputError
from .masking import mask_id_number

__all__ = [
    "EARLIEST_BIRTH_DATE",
    "IdNumberInfo",
    "ParsedIdNumber",
    "id_check_character",
    "make_id_number",
    "normalize_id_number",
    "parse_id_number",
]

# GB 11643-1999: weight of digit i (1..17) is 2**(18-i) mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
_ASCII_OFFSET = 48 * sum(_WEIGHTS)
#: No ID number of a living applicant or registrant carries an earlier birth date (a birth
#: year 0001 or 1850 is a typing error); the latest is the day the number is used on
#: (docs/api.md, "Strict inputs").
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
_ACCEPTED = "an 18-character resident ID number (GB 11643-1999): 17 digits followed by a digit or X"


@dataclass(frozen=True)
class IdNumberInfo:
    """What an 18-character ID number says about its holder.

    The number itself is not kept; ``masked`` is safe to show in explanations and logs.
    ``province_code`` / ``prefecture_code`` are the first 2 / 4 digits of the address code
    (``21`` is Liaoning, ``2101`` 沈阳). An abolished county code is still a valid address code.
    """

    address_code: str
    province_code: str
    prefecture_code: str
    birth_date: dt.date
    sex: Literal["male", "female"]
    masked: str


class ParsedIdNumber(str):
    """A validated, normalised ID number that carries what it says (``info``).

    The input models keep the number as this text, so a decision reads the birth date and sex
    parsed during validation without parsing again, and nothing but the caller's own model
    holds the number.
    """

    info: IdNumberInfo

    def __new__(cls, number: str, info: IdNumberInfo) -> ParsedIdNumber:
        self = super().__new__(cls, number)
        self.info = info
        return self

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled (a batch worker's record) as the parsed pair, not as a bare str.
        return (ParsedIdNumber, (str(self), self.info))


def id_check_character(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("the check character is computed from exactly 17 ASCII digits")
    return _CHECK_CHARACTERS[_weighted_sum(first17) % 11]


def _weighted_sum(first17: str) -> int:
    # sum(int(digit) * weight): the ASCII code of a digit is 48 + its value, so the 48s add
    # up to 48 * sum(_WEIGHTS), subtracted once.
    d = first17.encode("ascii")
    return (
        7 * d[0] + 9 * d[1] + 10 * d[2] + 5 * d[3] + 8 * d[4] + 4 * d[5] + 2 * d[6] + d[7]
        + 6 * d[8] + 3 * d[9] + 7 * d[10] + 9 * d[11] + 10 * d[12] + 5 * d[13] + 8 * d[14]
        + 4 * d[15] + 2 * d[16] - _ASCII_OFFSET
    )  # fmt: skip


def normalize_id_number(
    value: object, field: str = "applicant.id_number", *, today: dt.date | None = None
) -> str:
    """The validated number with a lowercase ``x`` upper-cased and surrounding spaces removed.

    Raises :class:`InputError` exactly as :func:`parse_id_number` does.
    """
    _, number = _validate(value, field, today)
    return number


def parse_id_number(
    value: object, field: str = "applicant.id_number", *, today: dt.date | None = None
) -> IdNumberInfo:
    """Validate an ID number and derive the address code, birth date and sex.

    Accepted: 18 characters, the first 17 ASCII digits, the last a digit or ``X`` (``x`` is
    accepted and normalised). The birth date must be a real calendar date, not before
    :data:`EARLIEST_BIRTH_DATE` and, when ``today`` is given, not after it; ``today`` defaults
    to None (no future check) so that no decision silently depends on the machine's clock.
    The check character must match. The address code is never checked against a list:
    abolished codes stay valid in old numbers.

    Raises :class:`InputError` naming ``field``, with the number masked.
    """
    birth_date, number = _validate(value, field, today)
    # The number is masked once here (an 18-character number: first 6 and last 1 kept, as
    # mask_id_number does); _validate masks it only for an error message.
    return IdNumberInfo(
        address_code=number[:6],
        province_code=number[:2],
        prefecture_code=number[:4],
        birth_date=birth_date,
        sex="male" if number[16] in "13579" else "female",
        masked=number[:6] + "***********" + number[17],
    )


def make_id_number(address_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid 18-character number (for synthetic data and tests).

    ``sequence`` is 0..999; odd gives a man, even a woman. The check character is computed.
    """
    if len(address_code) != 6 or not address_code.isascii() or not address_code.isdigit():
        raise InputError("address_code", f"{address_code!r}: accepted is a 6-digit address code")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence <= 999:
        raise InputError("sequence", f"{sequence!r}: accepted is an integer from 0 to 999")
    birth = f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}"
    first17 = f"{address_code}{birth}{sequence:03d}"
    return first17 + id_check_character(first17)


def _validate(value: object, field: str, today: dt.date | None) -> tuple[dt.date, str]:
    if not isinstance(value, str):
        raise InputError(
            field, f"expected text, got {type(value).__name__}; accepted is {_ACCEPTED}"
        )
    number = value.strip().upper()
    if len(number) != 18:
        old = (
            " 15-digit numbers issued before GB 11643-1999 are not accepted: give the"
            " 18-character number."
            if len(number) == 15
            else ""
        )
        # Not an ID number: nothing of it is shown (it may be a phone number or a name).
        raise InputError(
            field, f"the text given has {len(number)} characters; accepted is {_ACCEPTED}.{old}"
        )
    body, check = number[:17], number[17]
    if not (body.isascii() and body.isdigit()) or check not in "0123456789X":
        raise InputError(
            field,
            f"the text given contains characters that are not allowed; accepted is {_ACCEPTED}",
        )
    try:
        birth_date = dt.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        raise InputError(
            field,
            f"{mask_id_number(number)}: characters 7-14 are not a real birth date (YYYYMMDD); "
            f"accepted is {_ACCEPTED} with a real birth date",
        ) from None
    if birth_date < EARLIEST_BIRTH_DATE:
        raise InputError(
            field,
            f"{mask_id_number(number)}: the birth date it contains is before "
            f"{EARLIEST_BIRTH_DATE.isoformat()}; accepted is {_ACCEPTED} with a possible birth "
            "date",
        )
    if today is not None and birth_date > today:
        raise InputError(
            field,
            f"{mask_id_number(number)}: the birth date it contains is after {today.isoformat()}",
        )
    # body is 17 ASCII digits (checked above): id_check_character's own check is not repeated.
    if _CHECK_CHARACTERS[_weighted_sum(body) % 11] != check:
        raise InputError(
            field,
            f"{mask_id_number(number)}: the check character (18th) does not match the first "
            f"17 digits; check the number for a typing error",
        )
    return birth_date, number
