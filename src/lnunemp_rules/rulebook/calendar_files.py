"""Where the working-day schedule of each year comes from, and the calendar built from them.

Two sources, both cited in every derivation: the official State Council schedules carried by
``holidays.China`` (the keys of ``ChinaStaticHolidays.special_public_holidays``), and one
operator file per year in ``rules/calendar/<year>.yaml`` (docs/calendar.md), validated here:
all dates in that year, no day both off and working, make-up working days on a weekend, the
notice's number, date, title and source present. A file replaces the package's data for its
year; no other year is guessed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..errors import Problem, RuleFileError
from ..law.calendar import WorkingDayCalendar, YearSchedule
from .yamlfile import line_of, load_yaml

__all__ = [
    "holidays_package_schedules",
    "lint_calendar_files",
    "load_calendar",
    "read_calendar_folder",
]


def load_calendar(
    rules: Path, *, online_working_days: int, extra_overrides: Path | None = None
) -> WorkingDayCalendar:
    """The working-day calendar of a rules folder: the official schedules of ``holidays`` and
    the folder's ``calendar/<year>.yaml`` files, and those of ``extra_overrides`` (which win;
    for tests or an operator's early copy). Raises RuleFileError for a bad file."""
    folders = [rules / "calendar"]
    if extra_overrides is not None:
        folders.append(Path(extra_overrides))
    problems: list[Problem] = []
    overrides: dict[int, YearSchedule] = {}
    for folder in folders:
        for schedule in read_calendar_folder(folder, problems):
            overrides[schedule.year] = schedule
    if problems:
        raise RuleFileError(problems)
    schedules = holidays_package_schedules(exclude=frozenset(overrides))
    schedules.update(overrides)
    return WorkingDayCalendar(schedules, online_working_days=online_working_days)


def holidays_package_schedules(exclude: frozenset[int]) -> dict[int, YearSchedule]:
    from holidays import country_holidays
    from holidays.countries.china import ChinaStaticHolidays
    from holidays.version import __version__ as version

    official = sorted(set(ChinaStaticHolidays.special_public_holidays) - exclude)
    en = country_holidays("CN", years=official, language="en_US")
    zh = country_holidays("CN", years=official, language="zh_CN")
    # Which notice ordered each make-up day: entries (month, day, from_month, from_day[, year])
    # under key Y say that day off (month, day) was worked on (from_month, from_day).
    notice_of: dict[dt.date, int] = {}
    table: dict[int, Any] = ChinaStaticHolidays.special_public_holidays
    for year, entries in table.items():
        for entry in entries if isinstance(entries[0], tuple) else (entries,):
            if len(entry) in (4, 5) and all(isinstance(x, int) for x in entry):
                notice_of[dt.date(entry[4] if len(entry) == 5 else year, entry[2], entry[3])] = year
    schedules = {}
    for year in official:
        schedules[year] = YearSchedule(
            year=year,
            source=f"holidays {version} ChinaStaticHolidays (State Council notice for {year})",
            source_zh=f"holidays {version} ChinaStaticHolidays（国务院办公厅{year}年节假日通知）",
            holidays={d: (en[d], zh[d]) for d in en if d.year == year},
            make_up_days={d: notice_of.get(d, year) for d in en.weekend_workdays if d.year == year},
        )
    return schedules


# ---- operator files: rules/calendar/<year>.yaml ------------------------------------------

_NOTICE_FIELDS = ("number", "issued", "title", "source")
_TOP_FIELDS = ("year", "notice", "holidays", "make_up_working_days")


def read_calendar_folder(folder: Path, problems: list[Problem]) -> list[YearSchedule]:
    if not folder.is_dir():
        return []
    schedules = []
    for path in sorted(folder.glob("*.yaml")):
        found: list[Problem] = []
        schedule = _read_calendar_file(path, found)
        problems.extend(found)
        if schedule is not None and not found:
            schedules.append(schedule)
    return schedules


def lint_calendar_files(directory: Path) -> list[Problem]:
    """Every problem in the ``<year>.yaml`` schedule files of ``directory`` (empty if none).

    A file must cite the State Council notice (文号, issue date, title, source), and list the
    year's holidays and make-up working days; all dates in that year, no day both off and
    working, make-up days on a Saturday or Sunday.
    """
    problems: list[Problem] = []
    read_calendar_folder(Path(directory), problems)
    return problems


def _read_calendar_file(path: Path, problems: list[Problem]) -> YearSchedule | None:
    name = str(path)

    def bad(line: int | None, message: str) -> None:
        problems.append(Problem(name, line, message))

    try:
        doc = load_yaml(path)
    except RuleFileError as exc:
        problems.extend(exc.problems)
        return None
    if not isinstance(doc, dict):
        bad(1, "expected a mapping with keys " + ", ".join(_TOP_FIELDS))
        return None
    for key in doc:
        if key not in _TOP_FIELDS:
            bad(line_of(doc, key), f"unknown key {key!r}; accepted: {', '.join(_TOP_FIELDS)}")
    year = doc.get("year")
    if type(year) is not int or path.stem != str(year):
        bad(line_of(doc, "year"), f"'year' must be the year the file is named after ({path.stem})")
        return None
    notice = doc.get("notice")
    if not isinstance(notice, dict):
        bad(line_of(doc, "notice") or 1, "'notice' must give " + ", ".join(_NOTICE_FIELDS))
        notice = {}
    for key in _NOTICE_FIELDS:
        value = notice.get(key)
        ok = type(value) is dt.date if key == "issued" else isinstance(value, str) and value.strip()
        if notice and not ok:
            what = "a date (YYYY-MM-DD)" if key == "issued" else "a non-empty text"
            bad(line_of(notice, key), f"notice.{key} must be {what}")

    def dates(section: str, entry: Any, index: int) -> list[dt.date]:
        where = line_of(entry) or line_of(doc, section)
        if not isinstance(entry, dict):
            bad(where, f"{section}[{index}] must be a mapping")
            return []
        if section == "holidays" and not (isinstance(entry.get("name"), str) and entry["name"]):
            bad(where, f"holidays[{index}] needs a 'name'")
        start, end = entry.get("from"), entry.get("to")
        if "date" in entry:
            start = end = entry["date"]
        if type(start) is not dt.date or type(end) is not dt.date or end < start:
            bad(where, f"{section}[{index}] needs 'date', or 'from' and 'to' (YYYY-MM-DD)")
            return []
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        for day in days:
            if day.year != year:
                bad(where, f"{section}[{index}]: {day} is not in {year}")
        return days

    off: dict[dt.date, tuple[str, str]] = {}
    working: dict[dt.date, int] = {}
    for section in ("holidays", "make_up_working_days"):
        entries = doc.get(section)
        if not isinstance(entries, list):
            bad(line_of(doc, section) or 1, f"'{section}' must be a list")
            continue
        if section == "holidays" and not entries:
            # Every official schedule of 2001-2026 gives 16 to 25 days off: an empty list is a
            # file not yet filled in, not a year without holidays.
            bad(line_of(doc, section) or 1, "'holidays' is empty; list the days off of the "
                "notice")  # fmt: skip
            continue
        for index, entry in enumerate(entries):
            for day in dates(section, entry, index):
                if day in off or day in working:
                    bad(line_of(entry), f"{section}[{index}]: {day} is listed twice")
                elif section == "holidays":
                    label = str(entry.get("name", ""))
                    off[day] = (label, str(entry.get("name_zh") or label))
                elif day.weekday() < 5:
                    bad(line_of(entry), f"{section}[{index}]: {day} is a weekday, not a weekend")
                else:
                    working[day] = year
    cite = f"{notice.get('number')} of {notice.get('issued')}"
    return YearSchedule(
        year=year,
        source=f"{cite} '{notice.get('title')}' ({notice.get('source')}), {path.name}",
        source_zh=f"{notice.get('number')}（{notice.get('issued')}）《{notice.get('title')}》",
        holidays=off,
        make_up_days=working,
    )
