"""A read notice as an operator file (rules/calendar/<year>.yaml), and amendments applied to one.

:func:`calendar_file_from_notice` turns a year's notice (:mod:`.notice`) into the content of its
file: one holiday entry per run of days off of each item, one make-up entry per working day,
each quoting the item it comes from, and the notice's number, date, title, source and text
digest. :func:`amend_calendar_file` applies an adjustment (its days replace those of the
festival it names) or an extension (the festival's days off run on to the new last day, and
make-up days in between are cancelled) and cites it. Both refuse what they cannot do for
certain with :class:`~lnunemp_rules.errors.NoticeError`; neither guesses a day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..errors import InputError, NoticeError, Problem
from .calendar_files import CalendarFile, DayRun, NoticeCitation
from .notice import HOLIDAY_NAMES, NOTICE_NUMBER, Notice

__all__ = ["amend_calendar_file", "calendar_file_from_notice", "notice_citation"]


def notice_citation(notice: Notice, *, number: str | None, source: str) -> NoticeCitation:
    """How a file cites ``notice``: its 文号 from the text or ``number`` (which must agree),
    and ``source``, the address the text was read from."""
    given = None
    if number is not None:
        m = NOTICE_NUMBER.fullmatch("".join(number.split()))
        if m is None:
            raise InputError("--number", f"{number!r} is not a notice number such as "
                             "国办发明电〔2026〕12号")  # fmt: skip
        given = f"国办发明电〔{m[1]}〕{m[2]}号"
    if given and notice.number and given != notice.number:
        raise InputError("--number", f"{given} differs from the number in the text, "
                         f"{notice.number}")  # fmt: skip
    found = given or notice.number
    if found is None:
        raise InputError("--number", "the notice's number (文号) is not in the text; give it "
                         "with --number, as printed on the official page")  # fmt: skip
    if not isinstance(source, str) or not source.strip():
        raise InputError("--source", "give the address the notice was read from (--source URL)")
    return NoticeCitation(found, notice.issued, notice.title, source.strip(), notice.text_sha256)


def _runs(days: list[dt.date], name: str, name_zh: str, quote: str) -> list[DayRun]:
    """Consecutive days as runs."""
    runs: list[DayRun] = []
    for day in sorted(days):
        if runs and runs[-1].end + dt.timedelta(days=1) == day:
            runs[-1] = dataclasses.replace(runs[-1], end=day)
        else:
            runs.append(DayRun(day, day, name, name_zh, quote))
    return runs


def _entries(notice: Notice) -> tuple[list[DayRun], list[DayRun]]:
    off: list[DayRun] = []
    working: list[DayRun] = []
    for a in notice.arrangements:
        off += _runs(list(a.days_off), a.name, a.name_zh, a.text)
        working += [DayRun(d, d, a.name, a.name_zh, a.text) for d in a.make_up_days]
    return off, working


def calendar_file_from_notice(notice: Notice, *, number: str | None, source: str) -> CalendarFile:
    """The operator file of the year of ``notice`` (a year's notice, not an amendment)."""
    if notice.kind != "schedule":
        raise InputError("NOTICE", f"'{notice.title}' amends a schedule: convert the year's "
                         "notice first, then apply this one with 'calendar amend'")  # fmt: skip
    off, working = _entries(notice)
    return CalendarFile(
        year=notice.year,
        notice=notice_citation(notice, number=number, source=source),
        holidays=tuple(sorted(off, key=lambda r: r.start)),
        make_up_working_days=tuple(sorted(working, key=lambda r: r.start)),
    )


def amend_calendar_file(
    content: CalendarFile, notice: Notice, *, number: str | None, source: str, name: str
) -> CalendarFile:
    """``content`` with the adjustment or extension ``notice`` applied and cited. ``name``
    names the notice in problems."""

    def refuse(message: str) -> NoticeError:
        return NoticeError([Problem(name, None, message)])

    if notice.kind == "schedule":
        raise refuse(f"'{notice.title}' is a year's notice, not an adjustment or extension: "
                     "convert it with 'calendar from-notice'")  # fmt: skip
    if notice.year != content.year:
        raise refuse(f"the notice amends {notice.year}, the file is for {content.year}")
    festival = notice.festival
    assert festival is not None
    citation = notice_citation(notice, number=number, source=source)
    if citation.number in {content.notice.number, *(a.number for a in content.amendments)}:
        raise refuse(f"{citation.number} is already cited by the file")
    mine = [r for r in content.holidays if festival in r.name_zh.split("、")]
    if not mine:
        raise refuse(f"the file has no day off of {festival} to amend")
    combined = [r for r in mine if r.name_zh != festival]
    if combined:
        raise refuse(f"{festival} is combined with another festival ({combined[0].name_zh}) "
                     "in the file: amend the file by hand")  # fmt: skip
    holidays = [r for r in content.holidays if r not in mine]
    working = list(content.make_up_working_days)
    if notice.kind == "adjustment":
        working = [r for r in working if r.name_zh != festival]
        new_off, new_working = _entries(notice)
        holidays += new_off
        working += new_working
    else:
        extension = notice.extension
        assert extension is not None
        last = max(r.end for r in mine)
        if extension.until <= last:
            raise refuse(f"extends {festival} to {extension.until}, but its days off already "
                         f"run to {last}")  # fmt: skip
        added = [last + dt.timedelta(days=i) for i in range(1, (extension.until - last).days + 1)]
        taken = {d for r in holidays for d in r.days()} & set(added)
        if taken:
            raise refuse(f"the extension reaches {min(taken)}, a day off of another festival")
        holidays += mine + _runs(added, HOLIDAY_NAMES[festival], festival, extension.text)
        # The extension's days are days off: a make-up working day among them is cancelled.
        working = [r for r in working if not set(r.days()) & set(added)]
    taken_twice = _overlap(holidays + working)
    if taken_twice:
        raise refuse(f"after the amendment, {taken_twice} would be listed twice")
    return dataclasses.replace(
        content,
        holidays=tuple(sorted(holidays, key=lambda r: r.start)),
        make_up_working_days=tuple(sorted(working, key=lambda r: r.start)),
        amendments=(*content.amendments, citation),
    )


def _overlap(runs: list[DayRun]) -> dt.date | None:
    seen: set[dt.date] = set()
    for r in runs:
        for day in r.days():
            if day in seen:
                return day
            seen.add(day)
    return None
