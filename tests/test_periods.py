"""Legal periods in months (民法典 arts. 201-203, 1259) and ages in full years."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from lnunemp_rules import (
    add_months,
    age_in_full_years,
    date_age_reached,
    legal_period_end,
    load_rule_book,
    more_than_months_elapsed,
)
from lnunemp_rules.errors import CalendarCoverageError, InputError, RuleFileError
from lnunemp_rules.law.periods import PeriodConventions
from lnunemp_rules.rulebook.parameters import load_period_conventions

D = dt.date
DEFAULT = load_rule_book().period_conventions
MINORITY_202 = dataclasses.replace(DEFAULT, art202_anchor="first_counted_day")
NO_203 = dataclasses.replace(DEFAULT, art203_extension=False)
HOLIDAYS_ONLY_203 = dataclasses.replace(DEFAULT, art203_weekends_are_rest_days=False)
ON_BIRTHDAY = dataclasses.replace(DEFAULT, age_reached_on="birthday")


def test_default_conventions_are_the_common_reading_and_extend_periods() -> None:
    """By default art. 202 anchors on the start day, art. 203 applies, weekends are rest days."""
    assert DEFAULT.art202_anchor == "start_day"
    assert DEFAULT.art203_extension and DEFAULT.art203_weekends_are_rest_days
    assert DEFAULT.age_reached_on == "day_after_birthday"
    assert DEFAULT.online_processing_working_days == 3
    assert DEFAULT.basis["online_processing_working_days"] == "标准 4.2.2"
    assert DEFAULT.basis["offline_processing"] == "标准 4.2.2 即时办结"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 15), 6, D(2026, 7, 15)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # no 31 Feb: the month's last day
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
        (D(2026, 3, 31), 6, D(2026, 9, 30)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 1, 31), 6, D(2026, 7, 31)),  # one step from the anchor: no drift to the 28th
        (D(2026, 5, 10), 0, D(2026, 5, 10)),
    ],
    ids=str,
)
def test_month_period_ends_on_the_corresponding_day_or_month_end(
    start: dt.date, months: int, expected: dt.date
) -> None:
    """Art. 202: the corresponding day of the final month, else that month's last day."""
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [(D(2026, 1, 15), D(2026, 7, 16)), (D(2025, 8, 30), D(2026, 2, 28))],
    ids=str,
)
def test_minority_reading_anchors_on_the_first_counted_day(
    start: dt.date, expected: dt.date
) -> None:
    """Under first_counted_day the corresponding day is that of the day after the start."""
    assert add_months(start, 6, conventions=MINORITY_202) == expected


@given(st.dates(D(1950, 1, 1), D(2100, 12, 31)), st.integers(0, 240))
def test_month_addition_never_drifts(start: dt.date, months: int) -> None:
    """Adding m months lands m calendar months on, on the same day or the month's last day."""
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == min(start.day, calendar.monthrange(end.year, end.month)[1])


def test_period_ending_in_a_holiday_block_is_extended_past_it() -> None:
    """Art. 203: a last day inside the National Day block moves to the first day after it."""
    end = legal_period_end(D(2026, 4, 3), 6)
    assert (end.unextended, end.date) == (D(2026, 10, 3), D(2026, 10, 8))
    assert [s.date for s in end.extension] == [D(2026, 10, d) for d in range(3, 8)]
    assert "civil-code-art203" in end.basis
    assert "notice for 2026" in end.sources[0]
    data = end.to_dict()
    assert json.loads(json.dumps(data)) == data and data["date"] == "2026-10-08"
    assert "2026-10-08" in end.explain()


@pytest.mark.parametrize(
    ("conventions", "expected"),
    [(DEFAULT, D(2026, 7, 20)), (HOLIDAYS_ONLY_203, D(2026, 7, 18)), (NO_203, D(2026, 7, 18))],
    ids=["weekends-rest", "holidays-only", "no-extension"],
)
def test_period_ending_on_a_plain_saturday_follows_the_weekend_convention(
    conventions: PeriodConventions, expected: dt.date
) -> None:
    """A plain weekend extends the period only if weekends count as rest days."""
    assert legal_period_end(D(2026, 1, 18), 6, conventions=conventions).date == expected


def test_holiday_block_extends_even_when_only_statutory_holidays_count() -> None:
    """Without weekends as rest days, a holiday block (its weekend included) still extends."""
    end = legal_period_end(D(2026, 4, 4), 6, conventions=HOLIDAYS_ONLY_203)  # ends Sun 10-04
    assert end.date == D(2026, 10, 8)


def test_period_ending_on_a_make_up_working_day_is_not_extended() -> None:
    """A Saturday made a working day (调休) is not a rest day."""
    end = legal_period_end(D(2026, 4, 10), 6)
    assert end.date == end.unextended == D(2026, 10, 10)
    assert end.extension == ()


@pytest.mark.parametrize(
    ("start", "on", "expected"),
    [
        (D(2026, 1, 15), D(2026, 7, 15), False),  # the last day itself: not "超过"
        (D(2026, 1, 15), D(2026, 7, 16), True),
        (D(2026, 4, 3), D(2026, 10, 8), False),  # extended last day (art. 203)
        (D(2026, 4, 3), D(2026, 10, 9), True),
        (D(2026, 7, 3), D(2027, 1, 3), False),  # no schedule needed before the 202 day
    ],
    ids=str,
)
def test_more_than_six_months_holds_strictly_after_the_last_day(
    start: dt.date, on: dt.date, expected: bool
) -> None:
    """Art. 1259: "超过6个月" excludes the last day of the period and holds from the next."""
    assert more_than_months_elapsed(start, 6, on) is expected


def test_more_than_months_without_extension_holds_the_day_after_the_202_day() -> None:
    """With art. 203 switched off, the day after the corresponding day is already beyond."""
    assert more_than_months_elapsed(D(2026, 4, 3), 6, D(2026, 10, 4), conventions=NO_203)


def test_extension_into_a_year_without_schedule_is_refused() -> None:
    """Art. 203 needing a day of 2027 raises CalendarCoverageError naming 2027."""
    with pytest.raises(CalendarCoverageError) as caught:
        more_than_months_elapsed(D(2026, 7, 3), 6, D(2027, 1, 4))
    assert caught.value.year == 2027
    with pytest.raises(CalendarCoverageError):
        legal_period_end(D(2026, 7, 3), 6)


@pytest.mark.parametrize(
    ("conventions", "on", "age"),
    [
        (DEFAULT, D(2026, 5, 10), 15),  # 15 years 364 days... on the birthday: not yet
        (DEFAULT, D(2026, 5, 11), 16),
        (ON_BIRTHDAY, D(2026, 5, 9), 15),
        (ON_BIRTHDAY, D(2026, 5, 10), 16),
    ],
    ids=str,
)
def test_sixteen_full_years_are_reached_per_the_age_convention(
    conventions: PeriodConventions, on: dt.date, age: int
) -> None:
    """Born 2010-05-10: 已满16周岁 from 2026-05-11 by default, from the birthday otherwise."""
    assert age_in_full_years(D(2010, 5, 10), on, conventions=conventions) == age


@pytest.mark.parametrize(
    ("conventions", "years", "reached"),
    [
        (DEFAULT, 17, D(2021, 3, 1)),
        (ON_BIRTHDAY, 17, D(2021, 2, 28)),
        (DEFAULT, 16, D(2020, 3, 1)),  # leap year: the birthday is 2020-02-29
        (ON_BIRTHDAY, 16, D(2020, 2, 29)),
    ],
    ids=str,
)
def test_29_february_births_reach_an_age_by_the_month_end_rule(
    conventions: PeriodConventions, years: int, reached: dt.date
) -> None:
    """A 29 February birthday is 28 February in a common year (art. 202 month-end rule)."""
    birth = D(2004, 2, 29)
    assert date_age_reached(birth, years, conventions=conventions) == reached
    assert age_in_full_years(birth, reached, conventions=conventions) == years
    before = reached - dt.timedelta(days=1)
    assert age_in_full_years(birth, before, conventions=conventions) == years - 1


@given(
    st.dates(D(1940, 1, 1), D(2030, 12, 31)),
    st.integers(1, 80),
    st.sampled_from([DEFAULT, ON_BIRTHDAY]),
)
def test_age_changes_exactly_on_the_date_it_is_reached(
    birth: dt.date, years: int, conventions: PeriodConventions
) -> None:
    """On the day an age is reached it is counted; on the day before, one year less. The day
    is the birthday (29 February falls back to 28 February, 民法典 art. 202's month-end rule,
    as relativedelta does), plus one day under the default convention (法释〔2006〕1号 第二条)."""
    birthday = birth + relativedelta(years=years)
    after = conventions.age_reached_on == "day_after_birthday"
    reached = birthday + dt.timedelta(days=1 if after else 0)
    assert date_age_reached(birth, years, conventions=conventions) == reached
    assert age_in_full_years(birth, reached, conventions=conventions) == years
    before = reached - dt.timedelta(days=1)
    assert age_in_full_years(birth, before, conventions=conventions) == years - 1


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: add_months(D(2026, 1, 1), -1), "months"),
        (lambda: add_months("2026-01-01", 6), "d"),  # type: ignore[arg-type]
        (lambda: age_in_full_years(D(2010, 5, 10), D(2009, 1, 1)), "on"),
        (lambda: date_age_reached(D(2010, 5, 10), -1), "years"),
        (lambda: more_than_months_elapsed(D(2026, 1, 1), 6, dt.datetime(2026, 8, 1)), "on"),
    ],
)
def test_bad_period_or_age_input_is_refused_naming_the_field(
    call: Callable[[], object], field: str
) -> None:
    """Negative counts, non-dates, naive datetimes and a date before birth raise InputError."""
    with pytest.raises(InputError) as caught:
        call()
    assert caught.value.field == field


def test_age_error_does_not_reveal_the_date_of_birth() -> None:
    """The message for a date before birth does not echo the birth date."""
    with pytest.raises(InputError) as caught:
        age_in_full_years(D(2010, 5, 10), D(2009, 1, 1))
    assert "2010" not in str(caught.value)


def test_an_invalid_conventions_file_is_refused_with_its_line(tmp_path: Path) -> None:
    """An unknown value, a missing basis and an unknown key are each reported with a line."""
    shipped = Path(__file__).resolve().parents[1] / "rules" / "parameters" / "periods.yaml"
    text = shipped.read_text(encoding="utf-8")
    text = text.replace("  value: start_day", "  value: anchor_day", 1)
    text = text.replace("  basis: 标准 4.2.2\n", "", 1) + "\nmystery:\n  value: 1\n"
    path = tmp_path / "periods.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_period_conventions(path)
    messages = sorted((p.line, p.message.split(":")[0]) for p in caught.value.problems)
    value_line = text.splitlines().index("  value: anchor_day") + 1
    assert messages == [
        (value_line, "art202_anchor"),
        (
            text.splitlines().index("online_processing_working_days:") + 2,
            "online_processing_working_days",
        ),
        (text.splitlines().index("mystery:") + 1, "unknown convention 'mystery'"),
    ]


def test_a_period_end_says_every_step_and_each_rest_day_it_passed() -> None:
    """6 months from 2026-04-03: art. 201 (start day not counted), art. 202 (2026-10-03),
    art. 203 over the five rest days 10-03 to 10-07 (names from the 2026 notice), last day
    2026-10-08; as JSON and as text."""
    end = legal_period_end(D(2026, 4, 3), 6)
    [source] = end.sources
    data = end.to_dict()
    rest = [
        ("2026-10-03", "Sat", "National Day", "国庆节"),
        ("2026-10-04", "Sun", "weekend", "周末"),
        ("2026-10-05", "Mon", "National Day (observed)", "国庆节（补假）"),
        ("2026-10-06", "Tue", "Day off (in exchange for 2026-09-20)",
         "调休休息日（与2026年9月20日调换）"),
        ("2026-10-07", "Wed", "Day off (in exchange for 2026-10-10)",
         "调休休息日（与2026年10月10日调换）"),
    ]  # fmt: skip
    steps = [
        "A period of 6 months from 2026-04-03; the start day is not counted (Civil Code art. 201).",
        "It ends on the corresponding day of the final month, or on that month's last day "
        "(art. 202; the day corresponding to the start day): 2026-10-03.",
        "Rest days: 2026-10-03 (National Day), 2026-10-04 (weekend), 2026-10-05 (National Day "
        "(observed)), 2026-10-06 (Day off (in exchange for 2026-09-20)), 2026-10-07 (Day off "
        "(in exchange for 2026-10-10)); the period ends on the day after them, 2026-10-08 "
        "(art. 203).",
        "Last day of the period: 2026-10-08.",
    ]
    assert data.pop("sources_zh") == list(end.sources_zh)
    assert data.pop("steps_zh")[-1] == "期间的最后一日：2026年10月8日。"
    assert data == {
        "start": "2026-04-03",
        "months": 6,
        "unextended": "2026-10-03",
        "date": "2026-10-08",
        "extension": [
            {"date": day, "weekday": weekday, "working": False, "reason": reason,
             "reason_zh": reason_zh, "working_day_number": None}
            for day, weekday, reason, reason_zh in rest
        ],
        "steps": steps,
        "basis": ["civil-code-art201", "civil-code-art202", "civil-code-art203"],
        "sources": [source],
    }  # fmt: skip
    assert end.explain() == "\n".join(steps)


@pytest.mark.parametrize(
    ("start", "unextended", "expected"),
    [
        (D(2025, 12, 21), D(2026, 6, 21), D(2026, 6, 22)),  # Sun; Dragon Boat was Fri 06-19
        (D(2025, 12, 20), D(2026, 6, 20), D(2026, 6, 22)),  # Sat in the same block
        (D(2025, 10, 4), D(2026, 4, 4), D(2026, 4, 7)),  # Sat; Qingming comes on Sun 04-05
        (D(2026, 1, 18), D(2026, 7, 18), D(2026, 7, 18)),  # a plain Saturday: no extension
        # A plain weekend after a working Friday, New Year's Day (Thu 01-01) before it: the
        # holiday's block ended with the working day, so no extension.
        (D(2003, 7, 4), D(2004, 1, 4), D(2004, 1, 4)),
        # Sat 2010-04-03 opens a block whose only holiday is its last day, Qingming (Mon 04-05).
        (D(2009, 10, 3), D(2010, 4, 3), D(2010, 4, 6)),
    ],
    ids=str,
)
def test_under_holidays_only_a_weekend_day_in_a_holiday_block_extends_the_period(
    start: dt.date, unextended: dt.date, expected: dt.date
) -> None:
    """When only statutory holidays count (art203_weekends_are_rest_days: false), a period
    ending on a weekend day is extended if that day belongs to a block of rest days holding a
    statutory holiday, before it or after it; a plain weekend is not extended."""
    end = legal_period_end(start, 6, conventions=HOLIDAYS_ONLY_203)
    assert (end.unextended, end.date) == (unextended, expected)
    # The day kept is said to be a weekend outside the reading, never "not a rest day".
    kept = expected == unextended
    assert ("plain weekend day" in end.sentences("en")[2]) == kept
    assert ("为周末" in end.sentences("zh")[2]) == kept
    assert "is not a rest day" not in end.explain()


def test_each_convention_is_named_in_the_derivation() -> None:
    """The art. 202 anchor (the day after the start day under the minority reading) and a
    switched-off art. 203 are said in the steps; with no extension nothing is passed over."""
    minority = legal_period_end(D(2026, 1, 15), 6, conventions=MINORITY_202)
    assert minority.steps[1] == (
        "It ends on the corresponding day of the final month, or on that month's last day "
        "(art. 202; the day corresponding to the day after the start day): 2026-07-16."
    )
    off = legal_period_end(D(2026, 4, 3), 6, conventions=NO_203)
    assert off.date == D(2026, 10, 3)
    assert off.steps[2] == "The art. 203 extension is not applied (conventions)."
    assert (off.to_dict()["extension"], off.to_dict()["sources"]) == ([], [])


def test_a_bad_start_or_month_count_is_refused_saying_what_is_accepted() -> None:
    """A start that is not a date names ``start``; a negative count names ``months``."""
    with pytest.raises(InputError) as start:
        legal_period_end("2026-01-15", 6)  # type: ignore[arg-type]
    assert start.value.field == "start"
    with pytest.raises(InputError) as months:
        add_months(D(2026, 1, 1), -1)
    assert months.value.message == "expected a whole number of months >= 0, got -1"
