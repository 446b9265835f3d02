"""Cross-check of every day 2004-2026 against the independent chinese-calendar package."""

from __future__ import annotations

import datetime as dt

import pytest

from lnunemp_rules import covered_years, is_working_day

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
