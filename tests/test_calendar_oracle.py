"""Cross-check of every day 2004-2026 against the independent chinese-calendar package, and of
working-day counting (add, between, the 4.2.2 online deadline) against counting written here
over that package's days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lnunemp_rules import (
    add_working_days,
    covered_years,
    is_working_day,
    processing_deadline,
    working_days_between,
)

chinese_calendar = pytest.importorskip("chinese_calendar")


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def test_every_day_2004_to_2026_agrees_with_chinese_calendar_but_2005_12_31() -> None:
    """The only disagreement is 2005-12-31, a working Saturday under the 2006 notice."""
    disagreements = [
        day
        for day in _days(dt.date(2004, 1, 1), dt.date(2026, 12, 31))
        if is_working_day(day) != chinese_calendar.is_workday(day)
    ]
    assert disagreements == [dt.date(2005, 12, 31)]
    assert is_working_day(dt.date(2005, 12, 31))  # 国办发明电〔2005〕35号


def test_every_covered_day_matches_the_holidays_package() -> None:
    """The precomputed calendar answers as holidays.China does for every covered year."""
    import holidays

    years = sorted(covered_years())
    china = holidays.country_holidays("CN", years=years)
    days = _days(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))
    assert [d for d in days if is_working_day(d) != china.is_working_day(d)] == []


# The one day chinese-calendar gets wrong (above): a working Saturday under the 2006 notice.
_ORACLE_FIXES = {dt.date(2005, 12, 31): True}
_DAY = dt.timedelta(days=1)
# chinese-calendar covers 2004-2026; a date late in 2026 leaves room for 15 working days.
_days_2004_2026 = st.dates(dt.date(2004, 1, 1), dt.date(2026, 11, 30))


def _works(day: dt.date) -> bool:
    return _ORACLE_FIXES.get(day, chinese_calendar.is_workday(day))


def _nth_working_day_after(day: dt.date, n: int) -> dt.date:
    """Step one day at a time; the start day is not counted (民法典 art. 201)."""
    found, current = 0, day
    while found < n:
        current += _DAY
        found += _works(current)
    return current


def _count_in(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]."""
    return sum(_works(start + _DAY * i) for i in range(1, (end - start).days + 1))


@given(_days_2004_2026, st.integers(0, 15))
@example(dt.date(2026, 9, 30), 3)  # docs: the 3rd working day after 2026-09-30 is 10-10
@example(dt.date(2005, 12, 29), 2)  # through the working Saturday 2005-12-31
def test_add_working_days_counts_like_chinese_calendar(day: dt.date, n: int) -> None:
    """The n-th working day after d is the one found by stepping over chinese-calendar's days."""
    assert add_working_days(day, n) == _nth_working_day_after(day, n)


@given(_days_2004_2026, st.integers(-40, 40))
@example(dt.date(2026, 9, 30), 10)
def test_working_days_between_counts_like_chinese_calendar(day: dt.date, offset: int) -> None:
    """Working days between a and b count (a, b], negated when b is before a."""
    other = day + _DAY * offset
    expected = _count_in(day, other) if offset >= 0 else -_count_in(other, day)
    assert working_days_between(day, other) == expected


@given(_days_2004_2026)
def test_online_deadline_is_the_third_chinese_calendar_working_day(day: dt.date) -> None:
    """4.2.2 online: the deadline is the 3rd working day after the submission day, and the
    derivation numbers exactly the working days it passes."""
    deadline = processing_deadline(day, "online")
    assert deadline.date == _nth_working_day_after(day, 3)
    assert [s.date for s in deadline.steps if s.working] == [
        d for d in (day + _DAY * i for i in range(1, (deadline.date - day).days + 1)) if _works(d)
    ]
