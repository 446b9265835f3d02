"""The strict field types of the input models (docs/api.md, "Strict inputs").

Pydantic's strict mode takes a boolean for a boolean and an int for a whole number. What JSON
cannot carry is read from one spelling only: a date from ``YYYY-MM-DD``, a moment from RFC 3339
with its offset -- the two relaxations of strict mode, which takes only ``date`` and
``datetime`` objects from Python.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from .idnumber import EARLIEST_BIRTH_DATE

__all__ = ["MAX_DATE", "MIN_DATE", "Day", "Instant", "Money", "RegionCode", "Tier", "whole_number"]

# Dates outside this window are treated as data errors, not facts.
MIN_DATE = EARLIEST_BIRTH_DATE
MAX_DATE = dt.date(2100, 12, 31)

_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})"
)


def _date_from_text(value: object) -> object:
    if isinstance(value, str):
        if not _DATE_TEXT.fullmatch(value):
            raise PydanticCustomError("date_format", "expected a date written YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "date_value", "not a real calendar date; accepted: YYYY-MM-DD"
            ) from None
    return value  # strict validation refuses anything but a date (a datetime too)


def _instant_from_text(value: object) -> object:
    if isinstance(value, str):
        if not _INSTANT_TEXT.fullmatch(value):
            raise PydanticCustomError(
                "datetime_format",
                "expected a date and time with its offset, YYYY-MM-DDThh:mm[:ss]+hh:mm (or Z)",
            )
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "datetime_value", "not a real date and time; accepted: "
                "YYYY-MM-DDThh:mm[:ss]+hh:mm (or Z)"
            ) from None  # fmt: skip
    return value


def whole_number(value: object) -> object:
    """``value`` if it is an int (not a bool); for a choice of numbers such as Literal[50, 55]."""
    # Strict mode still takes 50.0 for Literal[50, 55]: a choice of numbers is whole numbers.
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("int_type", "expected a whole number")
    return value


#: A calendar date: a ``datetime.date`` (not a datetime) or the text ``YYYY-MM-DD``.
Day = Annotated[dt.date, BeforeValidator(_date_from_text)]
#: A moment: a ``datetime.datetime`` or RFC 3339 text with an offset.
Instant = Annotated[dt.datetime, BeforeValidator(_instant_from_text)]
RegionCode = Annotated[
    str,
    Field(
        pattern=r"^[1-9][0-9]{5}$",
        description="6-digit administrative region code (GB/T 2260); Liaoning codes start with 21.",
        examples=["210102"],
    ),
]
Money = Annotated[
    float,
    Field(
        ge=0,
        le=100_000_000,
        allow_inf_nan=False,
        description="Yuan per month, at most 2 decimals (fen).",
    ),
]
Tier = Annotated[
    int,
    Field(
        ge=1,
        le=9,
        description=(
            "Minimum-wage tier (档) of the person's county, as set by the province; the "
            "county-to-tier mapping is not published in the sources, so the caller supplies it."
        ),
    ),
]
