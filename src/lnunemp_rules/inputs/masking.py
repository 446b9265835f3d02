"""Masking of personal data in explanations, logs and error messages (standard 4.3.1)."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["mask_free_text", "mask_id_number", "mask_name", "mask_text"]


def mask_id_number(value: object) -> str:
    """Keep the first 6 (address code) and last 1 characters of an ID number, mask the rest.

    The address code is kept because prefecture statistics (4.3.2) need it; the birth date
    and sequence digits identify the person and are hidden.
    """
    text = str(value)
    if len(text) <= 7:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 7) + text[-1]


def mask_name(value: object) -> str:
    """Keep the first character (family name) of a name."""
    text = str(value)
    if not text:
        return text
    return text[0] + "*" * max(len(text) - 1, 1)


def mask_text(value: object, limit: int = 40) -> str:
    """A short, safe rendering of an arbitrary rejected value for an error message."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


# In free text (a reason recorded by the service): an ID number (18 or 15 characters), a mobile
# number (11 digits from 13-19), a landline (area code and number), whatever separates them.
_ID_LIKE = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])")
_PHONE_LIKE = re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}[- ]?[0-9]{7,8})(?![0-9])")


def mask_free_text(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with ID-number-like and phone-like spans masked, and each of ``names`` (the
    person's own name, when the input gives it) masked wherever it stands.

    Free text cannot be searched for every personal detail; these are the ones a recorded
    reason is known to carry (docs/api.md, "Personal data").
    """
    masked = _ID_LIKE.sub(lambda m: mask_id_number(m.group()), text)
    masked = _PHONE_LIKE.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 3), masked)
    for name in sorted({n for n in names if n and n.strip()}, key=len, reverse=True):
        masked = masked.replace(name, mask_name(name))
    return masked
