"""Resident ID numbers (GB 11643-1999): validation, derived facts and masking."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lnunemp_rules.errors import InputError
from lnunemp_rules.inputs.idnumber import (
    id_check_character,
    make_id_number,
    normalize_id_number,
    parse_id_number,
)

# Valid samples of GB 11643-1999 numbers (address code, birth date, sequence, check character);
# each is checked below against the check-character formula written out here as the oracle.
SAMPLE_BEIJING = "11010519491231002X"
SAMPLE_KUNMING = "53010219200508011X"

# GB 11643-1999, written out here as the oracle: 6-digit address code, birth date YYYYMMDD,
# 3-digit sequence (odd for men, even for women), then the ISO 7064 MOD 11-2 check character:
# the weight of digit i (1..17 from the left) is 2**(18 - i) mod 11.
_WEIGHTS = [2 ** (18 - i) % 11 for i in range(1, 18)]


def _check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def _gb11643(address: str, birth: dt.date, sequence: int) -> str:
    first17 = f"{address}{birth:%Y%m%d}{sequence:03d}"
    return first17 + _check_character(first17)


@pytest.mark.parametrize("sample", [SAMPLE_BEIJING, SAMPLE_KUNMING])
def test_the_samples_carry_the_check_character_of_the_formula(sample: str) -> None:
    """The samples are valid by the written-out formula, not only by the code under test."""
    assert _check_character(sample[:17]) == sample[17]


def test_first_published_sample_parses() -> None:
    """11010519491231002X is a woman born 1949-12-31 registered under address code 110105."""
    info = parse_id_number(SAMPLE_BEIJING)
    assert info.address_code == "110105"
    assert info.province_code == "11"
    assert info.prefecture_code == "1101"
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "female"
    assert info.masked == "110105***********X"


def test_second_published_sample_parses() -> None:
    """53010219200508011X is a man born 1920-05-08 registered under address code 530102."""
    info = parse_id_number(SAMPLE_KUNMING)
    assert info.address_code == "530102"
    assert info.birth_date == dt.date(1920, 5, 8)
    assert info.sex == "male"


def test_lowercase_x_is_accepted_and_normalised() -> None:
    """A lowercase x check character is accepted and normalised to X."""
    assert parse_id_number(SAMPLE_BEIJING.lower()).birth_date == dt.date(1949, 12, 31)
    assert normalize_id_number(SAMPLE_BEIJING.lower()) == SAMPLE_BEIJING


def test_surrounding_spaces_are_ignored() -> None:
    """Spaces around a pasted number do not make it invalid."""
    assert normalize_id_number(f"  {SAMPLE_KUNMING}\n") == SAMPLE_KUNMING


def test_wrong_check_character_is_rejected_with_field_and_masked_number() -> None:
    """A number whose 18th character does not match is rejected, naming the field."""
    bad = SAMPLE_BEIJING[:17] + "1"
    with pytest.raises(InputError) as info:
        parse_id_number(bad)
    assert info.value.field == "applicant.id_number"
    assert "check character" in info.value.message
    assert bad not in str(info.value)
    assert "110105" in str(info.value)


@pytest.mark.parametrize("value", ["1101051949123100", "11010519491231002X1", ""])
def test_wrong_length_is_rejected_saying_what_is_accepted(value: str) -> None:
    """Numbers that are not 18 characters long are rejected and the message says 18 are needed."""
    with pytest.raises(InputError, match="18-character"):
        parse_id_number(value, field="registrant.id_number")


def test_old_15_digit_numbers_are_rejected_asking_for_18_characters() -> None:
    """A 15-digit pre-1999 number is rejected with a message that 18 characters are accepted."""
    old = "110105491231002"
    with pytest.raises(InputError) as info:
        parse_id_number(old)
    message = str(info.value)
    assert "15-digit" in message
    assert "18-character" in message
    assert old not in message


@pytest.mark.parametrize("birth", ["19490231", "19491301", "19490000", "20230229"])
def test_impossible_birth_date_is_rejected(birth: str) -> None:
    """A birth date that is not a real calendar day (Feb 31, month 13, 2023-02-29) is rejected."""
    first17 = f"110105{birth}002"
    value = first17 + _check_character(first17)
    with pytest.raises(InputError, match="not a real birth date") as info:
        parse_id_number(value)
    assert value not in str(info.value)


def test_leap_day_birth_date_is_accepted() -> None:
    """2000-02-29 is a real birth date."""
    value = make_id_number("210102", dt.date(2000, 2, 29), 12)
    assert parse_id_number(value).birth_date == dt.date(2000, 2, 29)


def test_future_birth_date_is_rejected_only_when_today_is_given() -> None:
    """A birth date after `today` is rejected; without `today` the clock is never consulted."""
    value = make_id_number("210102", dt.date(2030, 1, 2), 11)
    assert parse_id_number(value).birth_date == dt.date(2030, 1, 2)
    assert parse_id_number(value, today=dt.date(2030, 1, 2)).birth_date == dt.date(2030, 1, 2)
    with pytest.raises(InputError, match="after 2030-01-01"):
        parse_id_number(value, today=dt.date(2030, 1, 1))


@pytest.mark.parametrize(
    "value",
    ["11010519491231002Y", "1101051949123100２X", "11010519491231 02X", "A1010519491231002X"],
)
def test_characters_outside_digits_and_x_are_rejected(value: str) -> None:
    """Letters other than a final X, full-width digits and inner spaces are rejected."""
    with pytest.raises(InputError, match="not allowed"):
        parse_id_number(value)


def test_non_text_is_rejected() -> None:
    """An integer (which would lose a leading zero or the X) is rejected as not text."""
    with pytest.raises(InputError, match="expected text"):
        parse_id_number(110105194912310020)


def test_abolished_address_code_is_not_rejected() -> None:
    """The address code is never checked against a list: old, abolished codes stay valid."""
    value = make_id_number("219999", dt.date(1970, 1, 1), 1)
    info = parse_id_number(value)
    assert info.province_code == "21"
    assert info.prefecture_code == "2199"


def test_liaoning_number_has_province_21_and_prefecture_code() -> None:
    """A number registered in 沈阳 has province code 21 and prefecture code 2101."""
    info = parse_id_number(make_id_number("210102", dt.date(1980, 6, 15), 124))
    assert (info.province_code, info.prefecture_code, info.sex) == ("21", "2101", "female")


def test_make_id_number_reproduces_the_published_samples() -> None:
    """make_id_number computes the same check character as the published samples."""
    assert make_id_number("110105", dt.date(1949, 12, 31), 2) == SAMPLE_BEIJING
    assert make_id_number("530102", dt.date(1920, 5, 8), 11) == SAMPLE_KUNMING


@pytest.mark.parametrize(("address", "sequence"), [("21010", 1), ("21010a", 1), ("210102", 1000)])
def test_make_id_number_rejects_bad_parts(address: str, sequence: int) -> None:
    """make_id_number refuses an address code that is not 6 digits or a sequence above 999."""
    with pytest.raises(InputError):
        make_id_number(address, dt.date(1980, 1, 1), sequence)


_addresses = st.from_regex(r"\A[0-9]{6}\Z")
_births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
_sequences = st.integers(min_value=0, max_value=999)


@given(address=_addresses, birth=_births, sequence=_sequences)
def test_a_number_written_by_the_standard_parses_to_its_parts(
    address: str, birth: dt.date, sequence: int
) -> None:
    """A number composed by the GB 11643-1999 layout and check formula (written in this test)
    parses to its address code, birth date and the sex its sequence's parity gives."""
    info = parse_id_number(_gb11643(address, birth, sequence))
    assert info.address_code == address
    assert info.birth_date == birth
    assert info.sex == ("male" if sequence % 2 else "female")


@given(address=_addresses, birth=_births, sequence=_sequences)
def test_make_id_number_writes_what_the_standard_writes(
    address: str, birth: dt.date, sequence: int
) -> None:
    """make_id_number (used by fixtures and builders) gives the number the standard's layout
    and check formula give."""
    assert make_id_number(address, birth, sequence) == _gb11643(address, birth, sequence)


@given(
    address=_addresses,
    birth=_births,
    sequence=_sequences,
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_a_single_changed_digit_is_always_caught(
    address: str, birth: dt.date, sequence: int, position: int, delta: int
) -> None:
    """Changing any one of the first 17 digits makes the number invalid, never silently valid."""
    value = _gb11643(address, birth, sequence)
    changed = value[:position] + str((int(value[position]) + delta) % 10) + value[position + 1 :]
    with pytest.raises(InputError) as info:
        parse_id_number(changed)
    assert changed not in str(info.value)


def test_normalize_names_the_applicants_field_by_default_and_checks_today() -> None:
    """normalize_id_number reports on ``applicant.id_number`` unless told another field, and
    refuses a birth date after ``today`` when given one."""
    with pytest.raises(InputError) as bad:
        normalize_id_number(SAMPLE_BEIJING[:17] + "Y")
    assert bad.value.field == "applicant.id_number"
    future = _gb11643("110105", dt.date(2030, 1, 2), 11)
    assert normalize_id_number(future) == future
    with pytest.raises(InputError, match="after 2030-01-01") as late:
        normalize_id_number(future, today=dt.date(2030, 1, 1))
    assert late.value.field == "applicant.id_number"


def test_a_validated_number_pickles_with_what_it_says() -> None:
    """A model's ID number crosses to a batch worker (pickle) as the number and its parsed
    birth date and sex, not as bare text that would have to be parsed again."""
    import pickle

    from lnunemp_rules.inputs.models import RegistrationApplication, id_info

    app = RegistrationApplication.model_validate(
        {"applicant": {"id_number": SAMPLE_BEIJING.lower()}, "voluntary": True,
         "application_date": "2026-11-02", "channel": "offline"}
    )  # fmt: skip
    number = app.applicant.id_number
    copied = pickle.loads(pickle.dumps(number))
    assert copied == SAMPLE_BEIJING and type(copied) is type(number)
    assert copied.info == number.info == id_info(SAMPLE_BEIJING)  # carried, not re-parsed
    assert copied.info.birth_date == dt.date(1949, 12, 31)


@pytest.mark.parametrize(
    ("address", "sequence", "field", "message"),
    [
        ("21010", 1, "address_code", "'21010': accepted is a 6-digit address code"),
        ("2101０2", 1, "address_code", "'2101０2': accepted is a 6-digit address code"),
        ("210102", 1000, "sequence", "1000: accepted is an integer from 0 to 999"),
        ("210102", True, "sequence", "True: accepted is an integer from 0 to 999"),
    ],
)
def test_make_id_number_names_the_bad_part_and_what_is_accepted(
    address: str, sequence: object, field: str, message: str
) -> None:
    """A bad address code or sequence (a boolean is not a number) is refused by name."""
    with pytest.raises(InputError) as caught:
        make_id_number(address, dt.date(1980, 1, 1), sequence)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.message) == (field, message)


@pytest.mark.parametrize(
    "first17", ["1101051949123100", "１１０１０５１９４９１２３１００２", "11010519491231a02"]
)
def test_the_check_character_needs_exactly_17_ascii_digits(first17: str) -> None:
    """16 digits, 17 full-width digits or a letter: ValueError saying what is needed."""
    with pytest.raises(ValueError) as caught:
        id_check_character(first17)
    assert str(caught.value) == "the check character is computed from exactly 17 ASCII digits"


_ACCEPTED = (
    "accepted is an 18-character resident ID number (GB 11643-1999): 17 digits followed by a "
    "digit or X"
)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (110105194912310020, f"expected text, got int; {_ACCEPTED}"),
        ("1101051949123100", f"the text given has 16 characters; {_ACCEPTED}."),
        ("110105491231002", f"the text given has 15 characters; {_ACCEPTED}. 15-digit numbers "
                            "issued before GB 11643-1999 are not accepted: give the 18-character "
                            "number."),
        ("11010519491231002Y", "the text given contains characters that are not allowed; "
                               f"{_ACCEPTED}"),
        ("11010519490231002X", "110105***********X: characters 7-14 are not a real birth date "
                               f"(YYYYMMDD); {_ACCEPTED} with a real birth date"),
        ("110105203001020117", "110105***********7: the birth date it contains is after "
                               "2030-01-01"),
    ],
)  # fmt: skip
def test_each_refusal_names_the_field_and_shows_the_number_masked(
    value: object, message: str
) -> None:
    """Every refusal names the field given, says what is wrong and what is accepted; text that
    is not shaped as an ID number is not shown at all (it may be a phone number or a name), a
    well-shaped number only masked (address code and last character); a 16-character number is
    not told about the 15-digit numbers of before 1999."""
    with pytest.raises(InputError) as caught:
        parse_id_number(value, field="person.id_number", today=dt.date(2030, 1, 1))
    assert (caught.value.field, caught.value.message) == ("person.id_number", message)
