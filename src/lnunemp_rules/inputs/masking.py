"""Masking of personal data in explanations, logs and error messages (standard 4.3.1)."""

from __future__ import annotations

__all__ = ["mask_id_number", "mask_name", "mask_text"]


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
