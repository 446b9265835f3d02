"""Where the working-day schedule of each year comes from, and the calendar built from them.

Two sources, both cited in every derivation: the official State Council schedules carried by
``holidays.China`` (the keys of ``ChinaStaticHolidays.special_public_holidays``), and one
operator file per year in ``rules/calendar/<year>.yaml`` (rules/calendar/README.md), read and
validated here (:func:`parse_calendar_text`) and written here (:func:`dump_calendar_file`):
one format, one reader. A file replaces the package's data for its year, and may also set days
of the December before it (the 2019 notice made 2018-12-29 a working day and 2018-12-31 a day
off), which then change that year's schedule; no other year is guessed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, RuleFileError
from ..law.calendar import WorkingDayCalendar, YearSchedule
from ..law.wording import format_date
from .yamlfile import line_of, load_yaml, parse_yaml

__all__ = [
    "CalendarFile",
    "DayRun",
    "NoticeCitation",
    "YearCoverage",
    "calendar_coverage",
    "dump_calendar_file",
    "holidays_package_schedules",
    "lint_calendar_files",
    "load_calendar",
    "parse_calendar_text",
    "read_calendar_folder",
]


def load_calendar(
    rules: Path, *, online_working_days: int, extra_overrides: Path | None = None
) -> WorkingDayCalendar:
    """The working-day calendar of a rules folder: the official schedules of ``holidays`` and
    the folder's ``calendar/<year>.yaml`` files, and those of ``extra_overrides`` (which win;
    for tests or an operator's early copy). Raises RuleFileError for a bad file."""
    schedules, _ = _assemble(rules, extra_overrides)
    return WorkingDayCalendar(schedules, online_working_days=online_working_days)


@dataclass(frozen=True)
class YearCoverage:
    """One covered year: where its schedule comes from and what it holds."""

    year: int
    origin: str  # the operator file, or "holidays <version>"
    source: str  # as cited in derivations
    days_off: int
    make_up_working_days: int


def calendar_coverage(rules: Path, extra_overrides: Path | None = None) -> list[YearCoverage]:
    """Every year the calendar of ``rules`` covers, in order, with its origin."""
    schedules, origins = _assemble(rules, extra_overrides)
    return [
        YearCoverage(year, origins[year], s.source, len(s.holidays), len(s.make_up_days))
        for year, s in sorted(schedules.items())
    ]


def _assemble(
    rules: Path, extra_overrides: Path | None
) -> tuple[dict[int, YearSchedule], dict[int, str]]:
    folders = [rules / "calendar"]
    if extra_overrides is not None:
        folders.append(Path(extra_overrides))
    problems: list[Problem] = []
    files: dict[int, tuple[Path, CalendarFile]] = {}
    for folder in folders:
        for path, found in read_calendar_folder(folder, problems):
            files[found.year] = (path, found)
    if problems:
        raise RuleFileError(problems)
    schedules = holidays_package_schedules(exclude=frozenset(files))
    origins = {year: schedules[year].source.split(" ChinaStaticHolidays")[0] for year in schedules}
    for year, (path, found) in files.items():
        schedules[year] = found.schedule(path.name)
        origins[year] = str(path)
    for year, (_, found) in sorted(files.items()):
        previous = schedules.get(year - 1)
        if previous is not None:
            schedules[year - 1] = found.change_previous_december(previous)
    return schedules, origins


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
            source_zh=f"国务院办公厅关于{year}年部分节假日安排的通知（节假日数据包第{version}版收录）",
            holidays={d: _names(en[d], zh[d]) for d in en if d.year == year},
            make_up_days={d: notice_of.get(d, year) for d in en.weekend_workdays if d.year == year},
        )
    return schedules


_SUBSTITUTED_EN = re.compile(r"^Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)$")
_SUBSTITUTED_ZH = re.compile(r"^休息日（由 (\d{4}-\d\d-\d\d) 调休）$")


def _names(en: str, zh: str) -> tuple[str, str]:
    """A day off's names, with the package's US-order date of a substituted day (09/20/2026)
    in ISO form in English and written in Chinese in Chinese."""
    found = _SUBSTITUTED_EN.match(en)
    if found is not None:
        month, day, year = found.groups()
        en = f"Day off (in exchange for {year}-{month}-{day})"
    found = _SUBSTITUTED_ZH.match(zh)
    if found is not None:
        zh = f"调休休息日（与{format_date(found.group(1), 'zh')}调换）"
    return en, zh


# ---- operator files: rules/calendar/<year>.yaml ------------------------------------------


@dataclass(frozen=True)
class NoticeCitation:
    """A State Council notice as a file cites it; ``text_sha256`` is the digest of the text
    it was converted from (``calendar from-notice``), absent from a file written by hand."""

    number: str
    issued: dt.date
    title: str
    source: str
    text_sha256: str | None = None


@dataclass(frozen=True)
class DayRun:
    """An entry of a file: one day or a run of days, the festival it belongs to and, when the
    file was converted from a notice, the notice's item it comes from (``quote``)."""

    start: dt.date
    end: dt.date
    name: str = ""
    name_zh: str = ""
    quote: str | None = None

    def days(self) -> list[dt.date]:
        """Every day from ``start`` to ``end`` inclusive."""
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class CalendarFile:
    """The content of one ``rules/calendar/<year>.yaml``, validated."""

    year: int
    notice: NoticeCitation
    holidays: tuple[DayRun, ...]
    make_up_working_days: tuple[DayRun, ...]
    amendments: tuple[NoticeCitation, ...] = ()

    def days_off(self) -> dict[dt.date, tuple[str, str]]:
        """Every day off (of the year and of the December before) with its names."""
        return {d: (r.name, r.name_zh or r.name) for r in self.holidays for d in r.days()}

    def working_days(self) -> set[dt.date]:
        """Every weekend day made a working day (of the year and of the December before)."""
        return {d for r in self.make_up_working_days for d in r.days()}

    def schedule(self, file_name: str) -> YearSchedule:
        """The schedule of the file's own year, citing its notice (and amendments)."""
        n = self.notice
        source = f"{n.number} of {n.issued} '{n.title}' ({n.source}), {file_name}"
        source_zh = f"{n.number}（{format_date(n.issued, 'zh')}）《{n.title}》"
        for a in self.amendments:
            source += f"; amended by {a.number} of {a.issued} '{a.title}' ({a.source})"
            source_zh += f"，经{a.number}（{format_date(a.issued, 'zh')}）《{a.title}》调整"
        return YearSchedule(
            year=self.year,
            source=source,
            source_zh=source_zh,
            holidays={d: v for d, v in self.days_off().items() if d.year == self.year},
            make_up_days={d: self.year for d in self.working_days() if d.year == self.year},
        )

    def change_previous_december(self, previous: YearSchedule) -> YearSchedule:
        """``previous`` (the year before) with the days this notice sets in its December: the
        later notice wins, and its make-up days cite it."""
        off = dict(previous.holidays)
        working = dict(previous.make_up_days)
        for day, names in self.days_off().items():
            if day.year == previous.year:
                off[day] = names
                working.pop(day, None)
        for day in self.working_days():
            if day.year == previous.year:
                working[day] = self.year
                off.pop(day, None)
        return dataclasses.replace(previous, holidays=off, make_up_days=working)


_NOTICE_FIELDS = ("number", "issued", "title", "source")
_NOTICE_KEYS = (*_NOTICE_FIELDS, "text_sha256")
_TOP_FIELDS = ("year", "notice", "amendments", "holidays", "make_up_working_days")
_ENTRY_KEYS = ("date", "from", "to", "name", "name_zh", "quote")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def read_calendar_folder(folder: Path, problems: list[Problem]) -> list[tuple[Path, CalendarFile]]:
    """Every valid ``<year>.yaml`` of ``folder``; the problems of the others into ``problems``."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.yaml")):
        mine: list[Problem] = []
        try:
            doc = load_yaml(path)
        except RuleFileError as exc:
            problems.extend(exc.problems)
            continue
        content = _validate(doc, path.stem, str(path), mine)
        problems.extend(mine)
        if content is not None and not mine:
            found.append((path, content))
    return found


def parse_calendar_text(text: str, name: str, problems: list[Problem]) -> CalendarFile | None:
    """Read the text of a file named ``name`` (``<year>.yaml``) as the library reads it."""
    try:
        doc = parse_yaml(text, name)
    except RuleFileError as exc:
        problems.extend(exc.problems)
        return None
    mine: list[Problem] = []
    content = _validate(doc, Path(name).stem, name, mine)
    problems.extend(mine)
    return content if not mine else None


def lint_calendar_files(directory: Path) -> list[Problem]:
    """Every problem in the ``<year>.yaml`` schedule files of ``directory`` (empty if none).

    A file must cite the State Council notice (文号, issue date, title, source), and list the
    year's holidays and make-up working days; all dates in that year or the December before,
    no day both off and working, make-up days on a Saturday or Sunday.
    """
    problems: list[Problem] = []
    read_calendar_folder(Path(directory), problems)
    return problems


def _validate(doc: Any, stem: str, name: str, problems: list[Problem]) -> CalendarFile | None:
    def bad(line: int | None, message: str) -> None:
        problems.append(Problem(name, line, message))

    if not isinstance(doc, dict):
        bad(1, "expected a mapping with keys " + ", ".join(_TOP_FIELDS))
        return None
    for key in doc:
        if key not in _TOP_FIELDS:
            bad(line_of(doc, key), f"unknown key {key!r}; accepted: {', '.join(_TOP_FIELDS)}")
    year = doc.get("year")
    if type(year) is not int or stem != str(year):
        bad(line_of(doc, "year"), f"'year' must be the year the file is named after ({stem})")
        return None

    def citation(value: Any, where: str, line: int | None) -> NoticeCitation | None:
        if not isinstance(value, dict):
            bad(line or 1, f"'{where}' must give " + ", ".join(_NOTICE_FIELDS))
            return None
        for key in value:
            if key not in _NOTICE_KEYS:
                bad(line_of(value, key), f"unknown key {where}.{key}; accepted: "
                    + ", ".join(_NOTICE_KEYS))  # fmt: skip
        ok = True
        for key in _NOTICE_FIELDS:
            v = value.get(key)
            if not (type(v) is dt.date if key == "issued" else isinstance(v, str) and v.strip()):
                what = "a date (YYYY-MM-DD)" if key == "issued" else "a non-empty text"
                bad(line_of(value, key), f"{where}.{key} must be {what}")
                ok = False
        digest = value.get("text_sha256")
        if digest is not None and not (isinstance(digest, str) and _SHA256.match(digest)):
            bad(line_of(value, "text_sha256"), f"{where}.text_sha256 must be 64 hex digits")
            ok = False
        if not ok:
            return None
        return NoticeCitation(
            number=value["number"],
            issued=value["issued"],
            title=value["title"],
            source=value["source"],
            text_sha256=digest,
        )

    notice = citation(doc.get("notice"), "notice", line_of(doc, "notice"))
    amendments = doc.get("amendments", [])
    if not isinstance(amendments, list):
        bad(line_of(doc, "amendments"), "'amendments' must be a list of notices")
        amendments = []
    cited = [citation(a, f"amendments[{i}]", line_of(a)) for i, a in enumerate(amendments)]

    def run(section: str, entry: Any, index: int) -> DayRun | None:
        where = line_of(entry) or line_of(doc, section)
        if not isinstance(entry, dict):
            bad(where, f"{section}[{index}] must be a mapping")
            return None
        for key in entry:
            if key not in _ENTRY_KEYS:
                bad(line_of(entry, key), f"{section}[{index}]: unknown key {key!r}; accepted: "
                    + ", ".join(_ENTRY_KEYS))  # fmt: skip
        if section == "holidays" and not (isinstance(entry.get("name"), str) and entry["name"]):
            bad(where, f"holidays[{index}] needs a 'name'")
        start, end = entry.get("from"), entry.get("to")
        if "date" in entry:
            start = end = entry["date"]
        if type(start) is not dt.date or type(end) is not dt.date or end < start:
            bad(where, f"{section}[{index}] needs 'date', or 'from' and 'to' (YYYY-MM-DD)")
            return None
        texts = {k: entry.get(k) for k in ("name", "name_zh", "quote")}
        for key, value in texts.items():
            if value is not None and not isinstance(value, str):
                bad(line_of(entry, key), f"{section}[{index}].{key} must be a text")
                return None
        found = DayRun(start, end, texts["name"] or "", texts["name_zh"] or "", texts["quote"])
        for day in found.days():
            if not (day.year == year or (day.year == year - 1 and day.month == 12)):
                bad(where, f"{section}[{index}]: {day} is not in {year} or December {year - 1}")
                return None
        return found

    listed: set[dt.date] = set()
    sections: dict[str, list[DayRun]] = {"holidays": [], "make_up_working_days": []}
    for section, runs in sections.items():
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
            found = run(section, entry, index)
            if found is None:
                continue
            runs.append(found)
            for day in found.days():
                if day in listed:
                    bad(line_of(entry), f"{section}[{index}]: {day} is listed twice")
                elif section == "make_up_working_days" and day.weekday() < 5:
                    bad(line_of(entry), f"{section}[{index}]: {day} is a weekday, not a weekend")
                listed.add(day)
    if notice is None or None in cited:
        return None
    return CalendarFile(
        year=year,
        notice=notice,
        holidays=tuple(sections["holidays"]),
        make_up_working_days=tuple(sections["make_up_working_days"]),
        amendments=tuple(c for c in cited if c is not None),
    )


def dump_calendar_file(content: CalendarFile, *, header: str = "") -> str:
    """The YAML text of ``content``, in the format :func:`parse_calendar_text` reads back to
    the same :class:`CalendarFile`. ``header`` lines are written first as comments."""

    def text(value: str) -> str:
        # A JSON string is a YAML string once YAML's own non-printables and line breaks
        # (\x7f, \x85, \u2028, ...) are escaped too: YAML would refuse or fold them.
        return "".join(
            c if _printable(c) else _escape(c) for c in json.dumps(value, ensure_ascii=False)
        )

    def citation(n: NoticeCitation, indent: str) -> list[str]:
        lines = [
            f"{indent}number: {text(n.number)}",
            f"{indent}issued: {n.issued.isoformat()}",
            f"{indent}title: {text(n.title)}",
            f"{indent}source: {text(n.source)}",
        ]
        if n.text_sha256:
            lines.append(f"{indent}text_sha256: {n.text_sha256}")
        return lines

    def runs(section: str, entries: tuple[DayRun, ...]) -> list[str]:
        lines = [f"{section}:" + (" []" if not entries else "")]
        for r in entries:
            if r.start == r.end:
                lines.append(f"  - date: {r.start.isoformat()}")
            else:
                lines += [f"  - from: {r.start.isoformat()}", f"    to: {r.end.isoformat()}"]
            for key in ("name", "name_zh", "quote"):
                value = getattr(r, key)
                if value:
                    lines.append(f"    {key}: {text(value)}")
        return lines

    comment = "".join(c if _printable(c) or c == "\n" else _escape(c) for c in header)
    out = [f"# {line}".rstrip() for line in comment.split("\n")] if header else []
    out += [f"year: {content.year}", "notice:", *citation(content.notice, "  ")]
    if content.amendments:
        out.append("amendments:")
        for a in content.amendments:
            first, *rest = citation(a, "    ")
            out += ["  - " + first.strip(), *rest]
    out += runs("holidays", content.holidays)
    out += runs("make_up_working_days", content.make_up_working_days)
    return "\n".join(out) + "\n"


def _printable(c: str) -> bool:
    """Whether YAML takes ``c`` as it is inside a quoted string (YAML 1.1 printable, no break)."""
    o = ord(c)
    return (
        0x20 <= o <= 0x7E
        or (0xA0 <= o <= 0xD7FF and o not in (0x2028, 0x2029))
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
        or o >= 0x10000
    )


def _escape(c: str) -> str:
    return f"\\u{ord(c):04x}"
