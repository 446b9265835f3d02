"""``lnunemp-rules calendar``: the years of the working-day calendar, and a new one from its notice.

- ``calendar from-notice NOTICE.txt --year 2027 --source URL [--number N] [-o FILE]``: read the
  State Council notice as pasted and write ``rules/calendar/<year>.yaml``; refuses, quoting the
  sentence, anything it cannot read for certain (:mod:`lnunemp_rules.rulebook.notice`).
- ``calendar amend FILE.yaml NOTICE.txt --source URL [--number N] [-o FILE]``: apply a later
  adjustment or extension of that year's schedule to the file (in place by default).
- ``calendar show YEAR``: the year as a month grid, days off and make-up days marked, with the
  notices they come from, to compare with the official page before committing.
- ``calendar coverage``: every year known and where each comes from.

Exit codes: 0 done; 2 a notice, file or option refused (each problem on stderr).
"""

from __future__ import annotations

import argparse
import calendar as gregorian
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..errors import InputError, RuleFileError
from ..law.calendar import WEEKDAYS, YearSchedule
from ..rulebook.book import load_rule_book
from ..rulebook.calendar_files import (
    CalendarFile,
    calendar_coverage,
    dump_calendar_file,
    parse_calendar_text,
)
from ..rulebook.folder import rules_dir
from ..rulebook.notice import Notice, parse_notice
from ..rulebook.notice_file import amend_calendar_file, calendar_file_from_notice
from .io import write_output
from .options import add_json_option, add_rules_option, examples

__all__ = ["add_parser", "month_grid"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "calendar",
        help="the working-day calendar: years covered, one year as a grid, a year from its notice",
        description="The State Council holiday schedules the working-day calendar uses.",
        epilog=examples(
            "lnunemp-rules calendar coverage",
            "lnunemp-rules calendar show 2026",
            "lnunemp-rules calendar from-notice notice.txt --year 2027 --source URL -o 2027.yaml",
        ),
    )
    sub = parser.add_subparsers(dest="calendar_command", metavar="SUBCOMMAND", required=True)

    convert = sub.add_parser(
        "from-notice",
        help="write rules/calendar/<year>.yaml from the text of the year's notice",
        description=(
            "Read the text of 国务院办公厅关于<year>年部分节假日安排的通知 as pasted from the "
            "official page and write the operator file. Anything that cannot be read for "
            "certain is refused, quoting the sentence; nothing is written then."
        ),
    )
    convert.add_argument("notice", metavar="NOTICE", help="the notice's text (UTF-8), - for stdin")
    convert.add_argument("--year", type=int, required=True, help="the year the notice is for")
    _add_citation_options(convert)
    convert.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    convert.add_argument("--force", action="store_true", help="replace an existing FILE")
    convert.set_defaults(func=run_from_notice)

    amend = sub.add_parser(
        "amend",
        help="apply an adjustment or extension notice to a year's file",
        description=(
            "Apply a notice that adjusts one festival of a published year "
            "(国务院办公厅关于调整<year>年<节>假期安排的通知) or extends it "
            "(国务院办公厅关于延长<year>年<节>假期的通知) to that year's file, and cite it."
        ),
    )
    amend.add_argument("file", metavar="FILE", help="the year's file, rules/calendar/<year>.yaml")
    amend.add_argument("notice", metavar="NOTICE", help="the amending notice's text, - for stdin")
    _add_citation_options(amend)
    amend.add_argument("-o", "--output", metavar="OUT", help="write here (default: FILE itself)")
    amend.set_defaults(func=run_amend)

    show = sub.add_parser(
        "show",
        help="one year as a month grid with its days off, make-up days and notices",
        description="The year's schedule as the library will use it, to check by eye.",
    )
    show.add_argument("year", type=int, metavar="YEAR")
    add_rules_option(show, "whose calendar to show")
    add_json_option(show, "print the year as JSON")
    show.set_defaults(func=run_show)

    coverage = sub.add_parser(
        "coverage",
        help="every year the calendar knows and where each comes from",
        description="The years with an official schedule, and the source of each.",
    )
    add_rules_option(coverage, "whose calendar to list")
    add_json_option(coverage, "print the years as JSON")
    coverage.set_defaults(func=run_coverage)
    return parser


def _add_citation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        required=True,
        metavar="URL",
        help="where the text was read (the official page's address)",
    )
    parser.add_argument(
        "--number",
        metavar="文号",
        help="the notice number, e.g. 国办发明电〔2026〕12号, if the text lacks it",
    )


# ---- from-notice and amend -------------------------------------------------------------------


def _read_notice(path: str, year: int) -> Notice:
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise InputError("NOTICE", f"cannot read {path}: {exc.__class__.__name__}") from None
    except UnicodeDecodeError:
        raise InputError("NOTICE", f"{path} is not UTF-8 text; save the notice as UTF-8") from None
    return parse_notice(text, year, name="<stdin>" if path == "-" else path)


def _checked_text(content: CalendarFile, header: str) -> str:
    """The file's text, read back by the library's own reader: what is written is what loads."""
    text = dump_calendar_file(content, header=header)
    problems: list[Any] = []
    again = parse_calendar_text(text, f"{content.year}.yaml", problems)
    if problems:
        raise RuleFileError(problems)
    if again != content:
        raise RuntimeError("the written calendar file does not read back the same")
    return text


def _write(text: str, output: str | None, *, force: bool) -> None:
    if output is None or output == "-":
        write_output(text, None)
        return
    target = Path(output)
    if target.exists() and not force:
        raise InputError("--output", f"{output} exists; give --force to replace it")
    try:  # all or nothing: a reader never sees half a file
        fd, tmp = tempfile.mkstemp(dir=target.parent or Path("."), suffix=".yaml.tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError("--output", f"cannot write {output}: {exc.__class__.__name__}") from None


def _summary(notice: Notice, content: CalendarFile, output: str | None) -> str:
    off = content.days_off()
    lines = [
        f"Read '{notice.title}' of {notice.issued} ({len(notice.arrangements)} item(s) with "
        f"days; text sha256 {notice.text_sha256}).",
        f"{content.year}: {sum(d.year == content.year for d in off)} days off, "
        f"{sum(d.year == content.year for d in content.working_days())} make-up working days.",
    ]
    before = sorted(d for d in {*off, *content.working_days()} if d.year < content.year)
    if before:
        lines.append(
            f"Also sets {', '.join(map(str, before))} of {content.year - 1}: they change that "
            "year's schedule once the file is in."
        )
    lines += [f"Read as setting no day: «{note}»" for note in notice.notes]
    if output not in (None, "-"):
        lines.append(
            f"Wrote {output}. Next: lnunemp-rules calendar show {content.year} --rules <folder> "
            "(compare with the official page), then lnunemp-rules lint --rules <folder>."
        )
    return "\n".join(lines)


def run_from_notice(args: argparse.Namespace) -> int:
    notice = _read_notice(args.notice, args.year)
    content = calendar_file_from_notice(notice, number=args.number, source=args.source)
    header = (
        f"Converted by `lnunemp-rules calendar from-notice` from the text of the notice "
        f"(sha256 {notice.text_sha256}).\nBefore committing, compare "
        f"`lnunemp-rules calendar show {content.year}` with the official page."
    )
    text = _checked_text(content, header)
    _write(text, args.output, force=args.force)
    print(_summary(notice, content, args.output), file=sys.stderr)
    return 0


def run_amend(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        original = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("FILE", f"cannot read {path}: {exc.__class__.__name__}") from None
    problems: list[Any] = []
    content = parse_calendar_text(original, str(path), problems)
    if content is None:
        raise RuleFileError(problems)
    notice = _read_notice(args.notice, content.year)
    amended = amend_calendar_file(
        content, notice, number=args.number, source=args.source, name=args.notice
    )
    header = "\n".join(
        line[2:] for line in original.splitlines() if line.startswith("# ")
    ) + (f"\nAmended by `lnunemp-rules calendar amend` with {amended.amendments[-1].number} "
         f"(sha256 {notice.text_sha256}).")  # fmt: skip
    text = _checked_text(amended, header.strip())
    output = args.output or str(path)
    _write(text, output, force=True)
    print(_summary(notice, amended, output), file=sys.stderr)
    return 0


# ---- show and coverage -----------------------------------------------------------------------

_OFF, _WORK = "*", "+"


def month_grid(year: int, month: int, marks: dict[dt.date, str]) -> list[str]:
    """One month as 8 lines of 28 characters, Monday first, each day followed by its mark."""
    lines = [f"{gregorian.month_name[month]} {year}".center(28)]
    lines.append("".join(f"{w[:2]:>3} " for w in WEEKDAYS))
    weeks = gregorian.Calendar(firstweekday=0).monthdayscalendar(year, month)
    for week in weeks + [[0] * 7] * (6 - len(weeks)):
        cells = [f"{d:>3}{marks.get(dt.date(year, month, d), ' ')}" if d else "    " for d in week]
        lines.append("".join(cells))
    return lines


def _runs(schedule: YearSchedule) -> list[tuple[dt.date, dt.date, str, str]]:
    runs: list[tuple[dt.date, dt.date, str, str]] = []
    for day in sorted(schedule.holidays):
        en, zh = schedule.holidays[day]
        if runs and runs[-1][1] + dt.timedelta(days=1) == day and runs[-1][2:] == (en, zh):
            runs[-1] = (runs[-1][0], day, en, zh)
        else:
            runs.append((day, day, en, zh))
    return runs


def _day(d: dt.date) -> str:
    return f"{d.isoformat()} {WEEKDAYS[d.weekday()]}"


def run_show(args: argparse.Namespace) -> int:
    folder = (args.rules or rules_dir()).resolve()
    calendar = load_rule_book(folder).calendar
    year: int = args.year
    schedule = calendar.schedule(year)
    days = [dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    days = [d for d in days if d.year == year]
    working = sum(calendar.is_working_day(d) for d in days)
    make_up = sorted(schedule.make_up_days)
    cite = {n: calendar.schedule(n).source for n in set(schedule.make_up_days.values())}
    if args.json:
        out = {
            "year": year,
            "source": schedule.source,
            "days_off": [
                {"date": d.isoformat(), "weekday": WEEKDAYS[d.weekday()], "name": en, "name_zh": zh}
                for d, (en, zh) in sorted(schedule.holidays.items())
            ],
            "make_up_working_days": [
                {"date": d.isoformat(), "weekday": WEEKDAYS[d.weekday()],
                 "source": cite[schedule.make_up_days[d]]}
                for d in make_up
            ],
            "working_days": working,
        }  # fmt: skip
        write_output(json.dumps(out, ensure_ascii=False, indent=2), None)
        return 0
    marks = {d: _OFF for d in schedule.holidays} | {d: _WORK for d in make_up}
    lines = [
        f"{year}: {schedule.source}",
        f"  {_OFF} day off (holiday or exchanged rest day)   {_WORK} make-up working day "
        "(调休上班)   other Saturdays and Sundays are rest days",
        "",
    ]
    for first in range(1, 13, 3):
        grids = [month_grid(year, m, marks) for m in range(first, first + 3)]
        lines += ["   ".join(row).rstrip() for row in zip(*grids, strict=True)]
    lines.append("Days off:")
    for start, end, en, zh in _runs(schedule):
        span = _day(start) if start == end else f"{_day(start)} to {_day(end)}"
        n = (end - start).days + 1
        lines.append(f"  {span}  {en} / {zh}" + (f" ({n} days)" if n > 1 else ""))
    lines.append("Make-up working days:")
    for d in make_up:
        notice = schedule.make_up_days[d]
        lines.append(f"  {_day(d)}" + ("" if notice == year else f"  per {cite[notice]}"))
    if not make_up:
        lines.append("  none")
    lines.append(
        f"{len(schedule.holidays)} days off ({sum(d.weekday() < 5 for d in schedule.holidays)} "
        f"of them Monday to Friday), {len(make_up)} make-up working days, {working} working days."
    )
    write_output("\n".join(lines), None)
    return 0


def run_coverage(args: argparse.Namespace) -> int:
    folder = (args.rules or rules_dir()).resolve()
    years = calendar_coverage(folder)
    if args.json:
        out = [
            {"year": y.year, "origin": y.origin, "source": y.source, "days_off": y.days_off,
             "make_up_working_days": y.make_up_working_days}
            for y in years
        ]  # fmt: skip
        write_output(json.dumps({"years": out}, ensure_ascii=False, indent=2), None)
        return 0
    lines = [f"Years with an official schedule in {folder}:"]
    for y in years:
        lines.append(
            f"  {y.year}  {y.days_off:>2} days off  {y.make_up_working_days:>2} make-up days  "
            f"{y.source}"
        )
    nxt = max(y.year for y in years) + 1
    lines.append(
        f"Any other year is refused (CalendarCoverageError), never guessed. Next: when the "
        f"notice for {nxt} is published, lnunemp-rules calendar from-notice NOTICE.txt "
        f"--year {nxt} --source URL -o {folder / 'calendar' / f'{nxt}.yaml'} (docs/calendar.md)."
    )
    write_output("\n".join(lines), None)
    return 0
