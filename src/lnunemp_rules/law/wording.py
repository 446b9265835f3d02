"""How dates, weekdays and numbers are written in Chinese and English explanations.

Chinese dates as 2026年9月30日, English dates in ISO form (2026-09-30); numbers with thousands
separators and at most the decimals they have.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

__all__ = ["WEEKDAYS", "WEEKDAYS_ZH", "Lang", "format_date", "format_number", "weekday"]

Lang = Literal["zh", "en"]

#: Weekday names by ``date.weekday()``: as the JSON form gives them, and in Chinese.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def format_date(day: dt.date | str, lang: Lang) -> str:
    """``2026年9月30日`` in Chinese, ``2026-09-30`` in English (ISO strings are accepted)."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def weekday(day: dt.date | str, lang: Lang) -> str:
    """The weekday of ``day``: 周三 or Wed."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return (WEEKDAYS_ZH if lang == "zh" else WEEKDAYS)[day.weekday()]


def format_number(value: float | int) -> str:
    """2229.0 -> ``2,229``; 2229.5 -> ``2,229.5`` (the same in both languages)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"
