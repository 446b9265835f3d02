"""Working days, coverage and the standard 4.2.2 processing deadline."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lnunemp_rules import (
    add_working_days,
    covered_years,
    is_working_day,
    load_rule_book,
    processing_deadline,
    working_days_between,
)
from lnunemp_rules.errors import CalendarCoverageError, InputError, RuleFileError
from lnunemp_rules.law.calendar import WorkingDayCalendar
from lnunemp_rules.rulebook.calendar_files import lint_calendar_files, load_calendar
from lnunemp_rules.rulebook.folder import rules_dir

D = dt.date

# Every weekend make-up working day (调休) in the State Council notices for 2024-2026.
MAKE_UP_DAYS = {
    2024: [D(2024, 2, 4), D(2024, 2, 18), D(2024, 4, 7), D(2024, 4, 28), D(2024, 5, 11),
           D(2024, 9, 14), D(2024, 9, 29), D(2024, 10, 12)],
    2025: [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)],
    2026: [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20),
           D(2026, 10, 10)],
}  # fmt: skip

# Every holiday block (first and last day off, inclusive) in the same notices.
HOLIDAY_BLOCKS = [
    (D(2023, 12, 30), D(2024, 1, 1)), (D(2024, 2, 10), D(2024, 2, 17)),
    (D(2024, 4, 4), D(2024, 4, 6)), (D(2024, 5, 1), D(2024, 5, 5)),
    (D(2024, 6, 8), D(2024, 6, 10)), (D(2024, 9, 15), D(2024, 9, 17)),
    (D(2024, 10, 1), D(2024, 10, 7)),
    (D(2025, 1, 1), D(2025, 1, 1)), (D(2025, 1, 28), D(2025, 2, 4)),
    (D(2025, 4, 4), D(2025, 4, 6)), (D(2025, 5, 1), D(2025, 5, 5)),
    (D(2025, 5, 31), D(2025, 6, 2)), (D(2025, 10, 1), D(2025, 10, 8)),
    (D(2026, 1, 1), D(2026, 1, 3)), (D(2026, 2, 15), D(2026, 2, 23)),
    (D(2026, 4, 4), D(2026, 4, 6)), (D(2026, 5, 1), D(2026, 5, 5)),
    (D(2026, 6, 19), D(2026, 6, 21)), (D(2026, 9, 25), D(2026, 9, 27)),
    (D(2026, 10, 1), D(2026, 10, 7)),
]  # fmt: skip

# (submitted, online deadline): the reference file's example, then boundaries around rest.
DEADLINES = [
    (D(2026, 9, 30), D(2026, 10, 10)),  # calendar-and-periods.md: the 3rd is 2026-10-10
    (D(2026, 10, 3), D(2026, 10, 10)),  # submitted on a holiday
    (D(2026, 10, 7), D(2026, 10, 10)),  # last day off: 10-08, 10-09, make-up Sat 10-10
    (D(2026, 10, 8), D(2026, 10, 12)),  # 10-09, 10-10 (Sat, make-up), 10-12
    (D(2026, 2, 13), D(2026, 2, 25)),  # make-up Sat 02-14 counts, then the Spring Festival
    (D(2026, 12, 28), D(2026, 12, 31)),  # ends inside the last covered year
    (D(2005, 12, 29), D(2006, 1, 4)),  # 2005-12-31 worked under the 2006 notice
    (D(2024, 2, 9), D(2024, 2, 20)),  # 02-18 (Sun, make-up), 02-19, 02-20
]


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.mark.parametrize("day", [d for days in MAKE_UP_DAYS.values() for d in days], ids=str)
def test_official_make_up_weekend_day_is_a_working_day(day: dt.date) -> None:
    """A Saturday or Sunday the State Council made a working day (调休) is one."""
    assert day.weekday() >= 5
    assert is_working_day(day)


@pytest.mark.parametrize("year", sorted(MAKE_UP_DAYS))
def test_no_other_weekend_day_of_the_year_is_a_working_day(year: int) -> None:
    """The make-up days of the notice are the only working Saturdays and Sundays of its year."""
    weekends = [d for d in _days(D(year, 1, 1), D(year, 12, 31)) if d.weekday() >= 5]
    assert [d for d in weekends if is_working_day(d)] == MAKE_UP_DAYS[year]


@pytest.mark.parametrize(("first", "last"), HOLIDAY_BLOCKS, ids=lambda d: str(d))
def test_holiday_block_is_off_and_the_days_around_it_are_working(
    first: dt.date, last: dt.date
) -> None:
    """Every day of an official holiday block is off; the day before and the day after work."""
    assert not any(is_working_day(d) for d in _days(first, last))
    assert is_working_day(first - dt.timedelta(days=1))
    assert is_working_day(last + dt.timedelta(days=1))


def test_reference_examples_of_2026() -> None:
    """The 2026 days listed in the reference file have the status it states."""
    assert is_working_day(D(2026, 2, 14)) and is_working_day(D(2026, 2, 28))
    assert not any(is_working_day(d) for d in _days(D(2026, 2, 15), D(2026, 2, 23)))
    assert is_working_day(D(2026, 9, 20)) and is_working_day(D(2026, 10, 10))
    assert not any(is_working_day(d) for d in _days(D(2026, 10, 1), D(2026, 10, 7)))
    assert is_working_day(D(2026, 1, 4)) and is_working_day(D(2026, 5, 9))
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


@pytest.mark.parametrize(("submitted", "expected"), DEADLINES, ids=lambda d: str(d))
def test_online_deadline_is_the_third_working_day_after_submission(
    submitted: dt.date, expected: dt.date
) -> None:
    """Online, the deadline is the 3rd working day after the (uncounted) submission day."""
    deadline = processing_deadline(submitted, "online")
    assert deadline.date == expected
    assert deadline.submitted == submitted
    assert [s.working_day_number for s in deadline.steps if s.working] == [1, 2, 3]
    assert deadline.steps[-1].date == expected


def test_offline_deadline_is_the_submission_day() -> None:
    """Offline, the application is completed on the day it is submitted (即时办结)."""
    deadline = processing_deadline(D(2026, 10, 3), "offline")
    assert deadline.date == D(2026, 10, 3)
    assert deadline.basis == ("4.2.2",)
    assert "即时办结" in deadline.explain("zh") and "on the spot" in deadline.explain()


def test_deadline_derivation_names_each_day_and_the_schedule_source() -> None:
    """The derivation gives every day passed over, why, and the year's schedule source."""
    deadline = processing_deadline(D(2026, 9, 30), "online")
    reasons = {s.date: s.reason for s in deadline.steps}
    assert reasons[D(2026, 10, 1)] == "National Day"
    assert reasons[D(2026, 10, 4)] == "weekend"
    assert reasons[D(2026, 10, 10)].startswith("make-up working day, per holidays ")
    assert "State Council notice for 2026" in deadline.sources[0]
    assert deadline.basis == (
        "4.2.2",
        "civil-code-art201",
        "civil-code-art1259",
        "administrative-licensing-law-art82",
    )
    data = deadline.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["date"] == "2026-10-10" and len(data["steps"]) == 10
    assert "2026-10-10 Sat  working day 3" in deadline.explain()
    assert "国庆节" in deadline.explain("zh")


def test_deadline_cites_the_notice_of_the_next_year_for_its_make_up_day() -> None:
    """A December make-up day ordered by the next year's notice cites that notice."""
    deadline = processing_deadline(D(2005, 12, 29), "online")
    assert "notice for 2006" in deadline.steps[1].reason
    assert len(deadline.sources) == 2


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (dt.datetime(2026, 9, 30, 15, 59, tzinfo=dt.UTC), D(2026, 10, 10)),  # 23:59 Shanghai
        (dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC), D(2026, 10, 10)),  # 00:00 on 10-01
        (dt.datetime(2026, 10, 7, 16, 0, tzinfo=dt.UTC), D(2026, 10, 12)),  # 00:00 on 10-08
    ],
    ids=str,
)
def test_aware_datetime_is_taken_on_the_shanghai_calendar_day(
    submitted: dt.datetime, expected: dt.date
) -> None:
    """A timezone-aware submission time counts on its Asia/Shanghai date."""
    assert processing_deadline(submitted, "online").date == expected


def test_submission_day_of_an_aware_datetime_is_the_shanghai_date() -> None:
    """A submission at 00:30 Shanghai time is dated that day even if UTC is the day before."""
    deadline = processing_deadline(dt.datetime(2026, 10, 7, 16, 30, tzinfo=dt.UTC), "offline")
    assert deadline.submitted == D(2026, 10, 8)


@pytest.mark.parametrize(
    ("submitted", "channel", "field"),
    [
        (dt.datetime(2026, 9, 30, 10, 0), "online", "submitted"),
        ("2026-09-30", "online", "submitted"),
        (None, "offline", "submitted"),
        (D(2026, 9, 30), "post", "channel"),
        (D(2026, 9, 30), "Online", "channel"),
    ],
)
def test_bad_submission_or_channel_is_refused_naming_the_field(
    submitted: object, channel: str, field: str
) -> None:
    """A naive datetime, a non-date or an unknown channel raises InputError for that field."""
    with pytest.raises(InputError) as caught:
        processing_deadline(submitted, channel)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert "accepted" in caught.value.message or "timezone-aware" in caught.value.message


@pytest.mark.parametrize("n", [-1, 1.0, True])
def test_working_day_count_must_be_a_whole_number_from_zero(n: object) -> None:
    """A negative, fractional or boolean number of working days is refused."""
    with pytest.raises(InputError):
        add_working_days(D(2026, 3, 2), n)  # type: ignore[arg-type]


def test_covered_years_are_the_official_schedules_of_the_holidays_package() -> None:
    """Only years whose official notice is in holidays' ChinaStaticHolidays are covered."""
    from holidays.countries.china import ChinaStaticHolidays

    assert covered_years() == frozenset(ChinaStaticHolidays.special_public_holidays)
    assert 2026 in covered_years() and 2027 not in covered_years()


@pytest.mark.parametrize(
    ("question", "year"),
    [
        (lambda: is_working_day(D(2027, 1, 4)), 2027),
        (lambda: is_working_day(D(2000, 6, 1)), 2000),
        (lambda: add_working_days(D(2026, 12, 30), 3), 2027),
        (lambda: add_working_days(D(2027, 3, 1), 1), 2027),
        (lambda: working_days_between(D(2026, 12, 1), D(2027, 1, 5)), 2027),
        (lambda: processing_deadline(D(2026, 12, 29), "online"), 2027),
        (lambda: processing_deadline(D(2027, 2, 1), "online"), 2027),
    ],
)
def test_a_year_without_official_schedule_is_refused_naming_it(
    question: Callable[[], object], year: int
) -> None:
    """Any question touching a year without a known schedule raises CalendarCoverageError."""
    with pytest.raises(CalendarCoverageError) as caught:
        question()
    assert caught.value.year == year
    assert f"rules/calendar/{year}.yaml" in str(caught.value)


def test_the_holidays_package_guess_for_2027_is_not_used() -> None:
    """holidays answers for 2027 from a guess, but this module refuses."""
    import holidays

    assert holidays.country_holidays("CN", years=2027).is_working_day(D(2027, 1, 4))
    with pytest.raises(CalendarCoverageError):
        is_working_day(D(2027, 1, 4))


def test_offline_deadline_needs_no_schedule() -> None:
    """Offline completion is the same day whatever the year, so no schedule is consulted."""
    assert processing_deadline(D(2027, 2, 1), "offline").date == D(2027, 2, 1)


def test_working_days_between_counts_the_end_but_not_the_start() -> None:
    """Working days between a and b count (a, b]: b is counted, a is not."""
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between(D(2026, 9, 29), D(2026, 9, 30)) == 1
    assert working_days_between(D(2026, 9, 30), D(2026, 9, 30)) == 0
    assert working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3


# ---- properties (counting against an independent calendar: tests/test_calendar_oracle.py) --

covered_days = st.dates(D(2001, 1, 1), D(2026, 11, 30))


@given(covered_days, covered_days)
def test_deadlines_are_monotonic_in_the_submission_date(a: dt.date, b: dt.date) -> None:
    """A later submission never has an earlier deadline."""
    first, second = sorted((a, b))
    assert processing_deadline(first, "online").date <= processing_deadline(second, "online").date


# ---- operator files ------------------------------------------------------------------------

NOTICE_2099 = """\
    year: 2099
    notice:
      number: 国办发明电〔2098〕99号
      issued: 2098-11-20
      title: 国务院办公厅关于2099年部分节假日安排的通知
      source: https://example.invalid/made-up-notice-2099
    holidays:
      - date: 2099-01-01
        name: New Year's Day
        name_zh: 元旦
      - from: 2099-10-01
        to: 2099-10-07
        name: National Day
        name_zh: 国庆节
    make_up_working_days:
      - date: 2099-09-26
      - date: 2099-10-10
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_an_operator_file_adds_its_year_and_is_cited(tmp_path: Path) -> None:
    """A valid file for a made-up year makes that year answerable and cites its notice."""
    _write(tmp_path, "2099.yaml", NOTICE_2099)
    calendar = load_calendar(rules_dir(), online_working_days=3, extra_overrides=tmp_path)
    assert 2099 in calendar.years and 2098 not in calendar.years
    assert calendar.is_working_day(D(2099, 9, 26))  # a Saturday made a working day
    assert not calendar.is_working_day(D(2099, 10, 5))
    deadline = calendar.processing_deadline(D(2099, 9, 30), "online")
    assert deadline.date == D(2099, 10, 10)  # 10-08 Thu, 10-09 Fri, 10-10 Sat (make-up)
    assert deadline.steps[-1].reason.startswith("make-up working day, per 国办发明电〔2098〕99号")
    assert deadline.sources == (
        "国办发明电〔2098〕99号 of 2098-11-20 '国务院办公厅关于2099年部分节假日安排的通知' "
        "(https://example.invalid/made-up-notice-2099), 2099.yaml",
    )
    assert "国办发明电〔2098〕99号" in deadline.explain("zh")
    with pytest.raises(CalendarCoverageError) as caught:
        calendar.processing_deadline(D(2099, 12, 30), "online")
    assert caught.value.year == 2100
    with pytest.raises(CalendarCoverageError):
        calendar.add_working_days(D(2026, 12, 28), 5)  # runs into 2027, not on to 2099


BAD_FILES = [
    ("2099.yaml", NOTICE_2099.replace("2099-10-10", "2100-10-10"), 17, "is not in 2099"),
    ("2099.yaml", NOTICE_2099.replace("2099-09-26", "2099-10-03"), 16, "listed twice"),
    ("2099.yaml", NOTICE_2099.replace("2099-09-26", "2099-09-28"), 16, "is a weekday"),
    (
        "2099.yaml",
        NOTICE_2099.replace("      number: 国办发明电〔2098〕99号\n", ""),
        3,
        "notice.number",
    ),
    ("2099.yaml", NOTICE_2099.replace("issued: 2098-11-20", "issued: soon"), 4, "notice.issued"),
    ("2098.yaml", NOTICE_2099, 1, "named after"),
    ("2099.yaml", NOTICE_2099 + "    extra: 1\n", 18, "unknown key 'extra'"),
    ("2099.yaml", NOTICE_2099.replace("        name: New Year's Day\n", ""), 8, "needs a 'name'"),
    ("2099.yaml", "year: [2099\n", 2, "not valid YAML"),
]


@pytest.mark.parametrize(("name", "text", "line", "message"), BAD_FILES)
def test_an_invalid_operator_file_is_refused_with_its_line(
    tmp_path: Path, name: str, text: str, line: int | None, message: str
) -> None:
    """Each validation rule reports the file, the line and what is wrong."""
    _write(tmp_path, name, text)
    problems = lint_calendar_files(tmp_path)
    assert len(problems) == 1, problems
    assert problems[0].file.endswith(name) and message in problems[0].message
    if line is not None:
        assert problems[0].line == line
    with pytest.raises(RuleFileError) as caught:
        load_calendar(rules_dir(), online_working_days=3, extra_overrides=tmp_path)
    assert caught.value.problems == problems


def test_the_shipped_calendar_folder_lints_clean() -> None:
    """rules/calendar holds no invalid file (and no invented schedule)."""

    assert lint_calendar_files(rules_dir() / "calendar") == []
    assert not list((rules_dir() / "calendar").glob("*.yaml"))


def test_the_online_derivation_reads_day_by_day_in_english_and_chinese() -> None:
    """2026-09-30 online: each day of National Day week with why it is off, the three working
    days numbered (10-10 the make-up Saturday of the 2026 notice), the deadline and the source,
    in both languages."""
    deadline = processing_deadline(D(2026, 9, 30), "online")
    [source] = deadline.sources
    assert deadline.explain().splitlines() == [
        "Online application submitted on 2026-09-30 (Wed): to be completed within 3 working "
        "days (standard 4.2.2). The submission day is not counted (Civil Code art. 201); "
        "working day 3 is included (Civil Code art. 1259); statutory holidays are not working "
        "days (Administrative Licensing Law art. 82).",
        "  2026-10-01 Thu  rest day: National Day",
        "  2026-10-02 Fri  rest day: National Day",
        "  2026-10-03 Sat  rest day: National Day",
        "  2026-10-04 Sun  rest day: weekend",
        "  2026-10-05 Mon  rest day: National Day (observed)",
        "  2026-10-06 Tue  rest day: Day off (in exchange for 2026-09-20)",
        "  2026-10-07 Wed  rest day: Day off (in exchange for 2026-10-10)",
        "  2026-10-08 Thu  working day 1: Monday to Friday, not a holiday",
        "  2026-10-09 Fri  working day 2: Monday to Friday, not a holiday",
        f"  2026-10-10 Sat  working day 3: make-up working day, per {source}",
        "Deadline: 2026-10-10 (Sat).",
        f"Schedule source: {source}",
    ]
    [source_zh] = deadline.sources_zh
    zh = deadline.explain("zh").splitlines()
    assert zh[0] == (
        "线上申请于2026年9月30日（周三）提交，应在3个工作日内办结（标准4.2.2）。提交当日不计入"
        "（《中华人民共和国民法典》第二百零一条），第3个工作日当日计入（第一千二百五十九条："
        "“以内”包括本数）；法定节假日不计为工作日（《中华人民共和国行政许可法》第八十二条）。"
    )
    assert zh[1:5] == [
        "  2026年10月1日 周四  休息日：国庆节",
        "  2026年10月2日 周五  休息日：国庆节",
        "  2026年10月3日 周六  休息日：国庆节",
        "  2026年10月4日 周日  休息日：周末",
    ]
    assert zh[8:10] == [
        "  2026年10月8日 周四  第1个工作日：周一至周五，非节假日",
        "  2026年10月9日 周五  第2个工作日：周一至周五，非节假日",
    ]
    assert zh[10] == f"  2026年10月10日 周六  第3个工作日：调休上班日，依据{source_zh}"
    assert zh[11:] == ["办结期限：2026年10月10日（周六）。", f"日历来源：{source_zh}"]
    assert processing_deadline(D(2026, 10, 3), "offline").explain("zh") == (
        "线下申请于2026年10月3日（周六）提交，应即时办结（标准4.2.2），办结期限为当日。"
    )
    with pytest.raises(InputError) as caught:
        deadline.explain("fr")  # type: ignore[arg-type]
    assert caught.value.field == "lang"
    assert "accepted: 'en', 'zh'" in caught.value.message
    across = processing_deadline(D(2005, 12, 29), "online")  # 12-31 works by the 2006 notice
    assert len(across.sources) == 2
    assert across.explain().splitlines()[-1] == "Schedule source: " + "; ".join(across.sources)


def _calendar() -> WorkingDayCalendar:
    return load_rule_book().calendar


@pytest.mark.parametrize(
    ("question", "field"),
    [
        (lambda c: c.is_working_day("2026-10-01"), "d"),
        (lambda c: c.add_working_days("2026-10-01", 1), "d"),
        (lambda c: c.add_working_days(D(2026, 10, 1), -1), "n"),
        (lambda c: c.working_days_between("2026-09-30", D(2026, 10, 10)), "a"),
        (lambda c: c.working_days_between(D(2026, 9, 30), "2026-10-10"), "b"),
        (lambda c: c.holiday_name(dt.datetime(2026, 10, 1, 9, 0)), "d"),
        (lambda c: c.next_working_day_on_or_after(20261003), "d"),
    ],
    ids=["is_working_day", "add d", "add n", "between a", "between b", "holiday_name",
         "next_working_day"],
)  # fmt: skip
def test_each_calendar_question_names_its_bad_argument(
    question: Callable[[WorkingDayCalendar], object], field: str
) -> None:
    """A non-date (text, a number, a naive datetime) or a negative count is refused naming the
    argument and saying what is accepted."""
    with pytest.raises(InputError) as caught:
        question(_calendar())
    assert caught.value.field == field
    assert "expected a" in caught.value.message or "naive datetime" in caught.value.message


def test_holiday_names_and_the_next_working_day_around_national_day_2026() -> None:
    """A statutory holiday has its English name, a plain weekend day or working day none; the
    next working day on or after a working day is that day, after a rest day the next one."""
    calendar = _calendar()
    assert calendar.holiday_name(D(2026, 10, 1)) == "National Day"
    assert calendar.holiday_name(D(2026, 10, 4)) is None
    assert calendar.holiday_name(D(2026, 10, 8)) is None
    nxt = calendar.next_working_day_on_or_after
    assert nxt(D(2026, 10, 8)) == D(2026, 10, 8)
    assert nxt(D(2026, 10, 10)) == D(2026, 10, 10)  # a make-up Saturday works
    assert nxt(D(2026, 10, 3)) == D(2026, 10, 8)
    assert nxt(D(2026, 10, 11)) == D(2026, 10, 12)


def test_the_sources_of_a_derivation_are_its_years_and_the_notices_of_its_make_up_days() -> None:
    """2005-12-31 was a working Saturday ordered by the 2006 notice: a derivation through it
    cites both notices (the online deadline of 2005-12-28 is that very day), one that only
    starts on it cites 2005's alone, since the start day is not counted."""
    calendar = _calendar()
    deadline = processing_deadline(D(2005, 12, 28), "online")
    assert deadline.date == D(2005, 12, 31)
    assert [s.rsplit("notice for ", 1)[1] for s in deadline.sources] == ["2005)", "2006)"]
    only_start = calendar.sources_for(D(2005, 12, 31), D(2005, 12, 31))
    assert [s.rsplit("notice for ", 1)[1] for s in only_start] == ["2005)"]


def test_another_number_of_working_days_is_counted_not_looked_up() -> None:
    """5 working days from 2026-09-30 (not the 4.2.2 default of 3): 10-08, 10-09, 10-10
    (make-up Saturday), 10-12, 10-13; the derivation numbers all five."""
    deadline = _calendar().processing_deadline(D(2026, 9, 30), "online", working_days=5)
    assert (deadline.submitted, deadline.date, deadline.channel, deadline.working_days) == (
        D(2026, 9, 30), D(2026, 10, 13), "online", 5,
    )  # fmt: skip
    assert [s.working_day_number for s in deadline.steps if s.working] == [1, 2, 3, 4, 5]


def test_the_first_day_after_the_covered_years_is_refused_as_uncovered() -> None:
    """2027-01-01, one day past the last published schedule, raises CalendarCoverageError."""
    with pytest.raises(CalendarCoverageError) as caught:
        processing_deadline(D(2027, 1, 1), "online")
    assert caught.value.year == 2027


def test_a_calendar_needs_at_least_one_years_schedule() -> None:
    """No schedule at all is a programming error, refused with a ValueError saying so."""
    with pytest.raises(ValueError) as caught:
        WorkingDayCalendar({}, online_working_days=3)
    assert str(caught.value) == "a working-day calendar needs at least one year's schedule"
