"""Working days on the official State Council schedule, and the 4.2.2 processing deadline.

The only place in the project where working days are counted. The calendar is built from one
:class:`YearSchedule` per year (the rule book assembles them from ``holidays.China`` and the
operator files in ``rules/calendar``, :mod:`lnunemp_rules.rulebook.calendar_files`). A question
touching any other year raises :class:`~lnunemp_rules.errors.CalendarCoverageError`: a guessed
schedule has no make-up working days (调休) and would give wrong deadlines.

References:
    * 标准 4.2.2: 线上 "应在3个工作日内办结"; 线下 "应即时办结".
    * 民法典 art. 201: the day a period starts is not counted.
    * 民法典 art. 1259: "以内" includes the number itself.
    * 行政许可法 art. 82: deadlines in working days exclude statutory holidays.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal
from zoneinfo import ZoneInfo

from ..errors import CalendarCoverageError, InputError
from .wording import WEEKDAYS, WEEKDAYS_ZH, Lang, format_date

__all__ = [
    "WEEKDAYS",
    "WEEKDAYS_ZH",
    "Channel",
    "DayStep",
    "Deadline",
    "WorkingDayCalendar",
    "YearSchedule",
    "as_day",
    "step_status",
    "submission_sentence",
]

Channel = Literal["online", "offline"]
_CHANNELS = ("online", "offline")
# The legal basis of a deadline, as ids of rules/clauses.yaml (decisions name them in words).
_ONLINE_BASIS = ("4.2.2", "civil-code-art201", "civil-code-art1259",
                 "administrative-licensing-law-art82")  # fmt: skip
_OFFLINE_BASIS = ("4.2.2",)


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: its days off and make-up working days, and its source."""

    year: int
    source: str
    source_zh: str
    holidays: dict[dt.date, tuple[str, str]]  # day off -> (English name, Chinese name)
    make_up_days: dict[dt.date, int]  # make-up working day -> year of the notice ordering it


def as_day(value: object, field_name: str) -> dt.date:
    """A date, or a timezone-aware datetime converted to Asia/Shanghai (the 4.2.2 office day)."""
    if type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InputError(
                field_name,
                f"naive datetime {value.isoformat()} is ambiguous; pass a datetime.date or a "
                "timezone-aware datetime.datetime (it is converted to Asia/Shanghai)",
            )
        return value.astimezone(ZoneInfo("Asia/Shanghai")).date()
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    raise InputError(
        field_name,
        f"expected a datetime.date or a timezone-aware datetime.datetime, "
        f"got {type(value).__name__}",
    )


@dataclass(frozen=True)
class DayStep:
    """One calendar day of a derivation and why it is or is not a working day.

    ``working_day_number`` is n for the n-th working day counted (民法典 art. 201: counting
    starts the day after the start day), else None.
    """

    date: dt.date
    working: bool
    reason: str
    reason_zh: str
    working_day_number: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return {
            "date": self.date.isoformat(),
            "weekday": WEEKDAYS[self.date.weekday()],
            "working": self.working,
            "reason": self.reason,
            "reason_zh": self.reason_zh,
            "working_day_number": self.working_day_number,
        }


@dataclass(frozen=True)
class Deadline:
    """When an application must be completed under standard 4.2.2, with its derivation.

    Online: the ``working_days``-th working day after the submission day (民法典 art. 201: the
    submission day is not counted; art. 1259: "3个工作日内" includes day 3; 行政许可法 art. 82:
    statutory holidays are not working days). Offline: the submission day (即时办结).
    """

    submitted: dt.date
    date: dt.date
    channel: Channel
    working_days: int
    calendar: WorkingDayCalendar | None = field(default=None, repr=False, compare=False)

    @cached_property
    def steps(self) -> tuple[DayStep, ...]:
        """Every day after the submission day up to the deadline, and why it counts or not."""
        if self.calendar is None or self.channel == "offline":
            return ()
        return self.calendar.day_steps(self.submitted, self.date)

    @cached_property
    def sources(self) -> tuple[str, ...]:
        """The schedule source of each year the derivation relies on."""
        if self.calendar is None or self.channel == "offline":
            return ()
        return self.calendar.sources_for(self.submitted, self.date)

    @cached_property
    def sources_zh(self) -> tuple[str, ...]:
        """:attr:`sources` in Chinese."""
        if self.calendar is None or self.channel == "offline":
            return ()
        return self.calendar.sources_for(self.submitted, self.date, lang="zh")

    @property
    def basis(self) -> tuple[str, ...]:
        """Legal basis of the computation: ids of rules/clauses.yaml."""
        return _ONLINE_BASIS if self.channel == "online" else _OFFLINE_BASIS

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form, with the derivation."""
        return {
            "submitted": self.submitted.isoformat(),
            "channel": self.channel,
            "working_days": self.working_days,
            "date": self.date.isoformat(),
            "steps": [s.to_dict() for s in self.steps],
            "sources": list(self.sources),
            "sources_zh": list(self.sources_zh),
            "basis": list(self.basis),
        }

    def explain(self, lang: Lang = "en") -> str:
        """The derivation as text an auditor can re-check, in English or Chinese."""
        if lang not in ("en", "zh"):
            raise InputError("lang", f"unknown language {lang!r}; accepted: 'en', 'zh'")
        wd = WEEKDAYS_ZH if lang == "zh" else WEEKDAYS
        day = f"{format_date(self.submitted, lang)}（{wd[self.submitted.weekday()]}）"
        if lang == "en":
            day = f"{self.submitted.isoformat()} ({wd[self.submitted.weekday()]})"
        lines = [submission_sentence(self.channel, day, self.working_days, lang)]
        if self.channel == "offline":
            return lines[0]
        for s in self.steps:
            reason = s.reason_zh if lang == "zh" else s.reason
            status = step_status(s.working_day_number, lang)
            shown = format_date(s.date, lang)
            colon = "：" if lang == "zh" else ": "
            lines.append(f"  {shown} {wd[s.date.weekday()]}  {status}{colon}{reason}")
        end = f"{format_date(self.date, lang)} ({wd[self.date.weekday()]})"
        if lang == "zh":
            lines.append(f"办结期限：{format_date(self.date, lang)}（{wd[self.date.weekday()]}）。")
            lines.append("日历来源：" + "；".join(self.sources_zh))
        else:
            lines.append(f"Deadline: {end}.")
            lines.append("Schedule source: " + "; ".join(self.sources))
        return "\n".join(lines)


def submission_sentence(channel: str, submitted: str, working_days: int, lang: Lang) -> str:
    """The 4.2.2 sentence for an application submitted on ``submitted`` (as it is to be shown),
    shared by :meth:`Deadline.explain` and the explanations of decisions."""
    zh = lang == "zh"
    if channel == "offline":
        return (
            f"线下申请于{submitted}提交，应即时办结（标准4.2.2），办结期限为当日。"
            if zh
            else f"Offline application submitted on {submitted}: completed on the spot "
            "(standard 4.2.2); the deadline is the same day."
        )
    n = working_days
    return (
        f"线上申请于{submitted}提交，应在{n}个工作日内办结（标准4.2.2）。提交当日不计入"
        f"（《中华人民共和国民法典》第二百零一条），第{n}个工作日当日计入"
        f"（第一千二百五十九条：“以内”包括本数）；法定节假日不计为工作日"
        f"（《中华人民共和国行政许可法》第八十二条）。"
        if zh
        else f"Online application submitted on {submitted}: to be completed within {n} working "
        f"days (standard 4.2.2). The submission day is not counted (Civil Code art. 201); "
        f"working day {n} is included (Civil Code art. 1259); statutory holidays are not "
        f"working days (Administrative Licensing Law art. 82)."
    )


def step_status(working_day_number: int | None, lang: Lang) -> str:
    """How a day of the derivation counts: the n-th working day, or a rest day."""
    if working_day_number is None:
        return "休息日" if lang == "zh" else "rest day"
    return (
        f"第{working_day_number}个工作日" if lang == "zh" else f"working day {working_day_number}"
    )


class WorkingDayCalendar:
    """The working days of every year with an official schedule, precomputed once.

    ``schedules`` holds one :class:`YearSchedule` per year with an official schedule;
    ``online_working_days`` is the 4.2.2 online limit (rules/parameters/periods.yaml), for which
    the deadline of every covered day is precomputed on first use.
    """

    def __init__(self, schedules: Mapping[int, YearSchedule], *, online_working_days: int) -> None:
        if not schedules:
            raise ValueError("a working-day calendar needs at least one year's schedule")
        self._schedules = dict(schedules)
        self.years: frozenset[int] = frozenset(schedules)
        self._online_n = online_working_days
        self._first_year, self._last_year = min(schedules), max(schedules)
        self._first = dt.date(self._first_year, 1, 1).toordinal()
        span = dt.date(self._last_year, 12, 31).toordinal() - self._first + 1
        # Per day since 1 Jan of the first year: 0 no official schedule, 1 working, 2 rest.
        status = bytearray(span)
        for year, schedule in schedules.items():
            day = dt.date(year, 1, 1)
            while day.year == year:
                weekend = day.weekday() >= 5
                working = day in schedule.make_up_days if weekend else day not in schedule.holidays
                status[day.toordinal() - self._first] = 1 if working else 2
                day += dt.timedelta(days=1)
        self._status = bytes(status)
        self._working = [self._first + i for i, s in enumerate(status) if s == 1]
        self._online: list[Deadline | None] | None = None

    def _check(self, day: dt.date) -> int:
        i = day.toordinal() - self._first
        if 0 <= i < len(self._status) and self._status[i]:
            return i
        raise CalendarCoverageError(day.year)

    def _check_years(self, first: int, last: int) -> None:
        for year in range(first, last + 1):
            if year not in self.years:
                raise CalendarCoverageError(year)

    def schedule(self, year: int) -> YearSchedule:
        """The official schedule of ``year`` and its source (CalendarCoverageError if none)."""
        if year not in self._schedules:
            raise CalendarCoverageError(year)
        return self._schedules[year]

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day under the official schedule (行政许可法 art. 82)."""
        return self._status[self._check(as_day(d, "d"))] == 1

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``d``; ``d`` itself is not counted (民法典 art. 201).

        ``n=0`` returns ``d``. Raises CalendarCoverageError for a day in a year without schedule.
        """
        day = as_day(d, "d")
        if type(n) is not int or n < 0:
            raise InputError("n", f"expected a whole number of working days >= 0, got {n!r}")
        self._check(day)
        if n == 0:
            return day
        k = bisect_right(self._working, day.toordinal()) + n - 1
        if k >= len(self._working):
            self._check_years(day.year, self._last_year + 1)
        target = dt.date.fromordinal(self._working[k])
        if target.year != day.year:
            self._check_years(day.year, target.year)
        return target

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in ``(a, b]``: ``a`` is not counted (民法典 art. 201), ``b`` is (art. 1259).

        Negative when ``b`` is before ``a``: ``-working_days_between(b, a)``.
        """
        start, end = as_day(a, "a"), as_day(b, "b")
        if end < start:
            return -self.working_days_between(end, start)
        self._check(start)
        self._check(end)
        self._check_years(start.year, end.year)
        w = self._working
        return bisect_right(w, end.toordinal()) - bisect_right(w, start.toordinal())

    def next_working_day_on_or_after(self, d: dt.date) -> dt.date:
        """The first working day on or after ``d`` (used by 民法典 art. 203 extension)."""
        day = as_day(d, "d")
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def holiday_name(self, d: dt.date) -> str | None:
        """The English name of the statutory holiday or substituted day off on ``d``, if any."""
        day = as_day(d, "d")
        self._check(day)
        names = self._schedules[day.year].holidays.get(day)
        return names[0] if names else None

    def processing_deadline(
        self,
        submitted: dt.date | dt.datetime,
        channel: Channel,
        *,
        working_days: int | None = None,
    ) -> Deadline:
        """The standard 4.2.2 deadline for an application submitted on ``submitted``.

        ``"online"``: the ``working_days``-th working day after the submission day (民法典
        arts. 201, 1259; default: the calendar's ``online_working_days``). ``"offline"``: the
        same day (即时办结). ``submitted`` is a date or a timezone-aware datetime (converted to
        Asia/Shanghai).
        """
        day = submitted if type(submitted) is dt.date else as_day(submitted, "submitted")
        if channel == "online":
            if working_days is None or working_days == self._online_n:
                table = self._online or self._build_online_table()
                i = day.toordinal() - self._first
                if 0 <= i < len(table):
                    hit = table[i]
                    if hit is not None:
                        return hit
                n = self._online_n
            else:
                n = working_days
            # Off the table (or another number of days): computed, or CalendarCoverageError.
            return Deadline(day, self.add_working_days(day, n), "online", n, self)
        if channel == "offline":
            return Deadline(day, day, "offline", 0)
        raise InputError("channel", f"unknown channel {channel!r}; accepted: 'online', 'offline'")

    def _build_online_table(self) -> list[Deadline | None]:
        """Precompute the online deadline of every covered day: a deadline is then a lookup."""
        n = self._online_n
        table: list[Deadline | None] = [None] * len(self._status)
        w = self._working
        for i, s in enumerate(self._status):
            k = bisect_right(w, self._first + i) + n - 1
            if s and k < len(w):
                day, end = dt.date.fromordinal(self._first + i), dt.date.fromordinal(w[k])
                if all(y in self.years for y in range(day.year, end.year + 1)):
                    table[i] = Deadline(day, end, "online", n, self)
        self._online = table
        return table

    def day_steps(self, after: dt.date, through: dt.date) -> tuple[DayStep, ...]:
        """Each day in ``(after, through]`` with its status and reason."""
        steps, count = [], 0
        day = after + dt.timedelta(days=1)
        while day <= through:
            working = self.is_working_day(day)
            count += working
            schedule = self._schedules[day.year]
            if day in schedule.make_up_days:
                notice = self._schedules[schedule.make_up_days[day]]
                why = f"make-up working day, per {notice.source}"
                why_zh = f"调休上班日，依据{notice.source_zh}"
            elif day in schedule.holidays:
                why, why_zh = schedule.holidays[day]
            elif day.weekday() >= 5:
                why, why_zh = "weekend", "周末"
            else:
                why, why_zh = "Monday to Friday, not a holiday", "周一至周五，非节假日"
            steps.append(DayStep(day, working, why, why_zh, count if working else None))
            day += dt.timedelta(days=1)
        return tuple(steps)

    def sources_for(self, first: dt.date, last: dt.date, *, lang: Lang = "en") -> tuple[str, ...]:
        """The schedule source of each year from ``first`` to ``last`` and of each notice cited."""
        years = set(range(first.year, last.year + 1))
        for year in range(first.year, last.year + 1):
            years.update(
                notice
                for day, notice in self._schedules[year].make_up_days.items()
                if first < day <= last
            )
        schedules = [self._schedules[y] for y in sorted(years)]
        return tuple(s.source_zh if lang == "zh" else s.source for s in schedules)
