"""Working days on the official State Council schedule, and the 4.2.2 processing deadline.

The only place in the project where working days are counted. The schedule comes from
``holidays.China`` for the years whose official notice it carries
(``ChinaStaticHolidays.special_public_holidays``), plus one operator file per year in
``rules/calendar/<year>.yaml``. A question touching any other year raises
:class:`~lnunemp_rules._errors.CalendarCoverageError`: the package's guess for such a year has
no make-up working days (调休) and would give wrong deadlines.

References:
    * 标准 4.2.2: 线上 "应在3个工作日内办结"; 线下 "应即时办结".
    * 民法典 art. 201: the day a period starts is not counted.
    * 民法典 art. 1259: "以内" includes the number itself.
    * 行政许可法 art. 82: deadlines in working days exclude statutory holidays.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from . import _resources
from ._calendar_files import YearSchedule as _YearSchedule
from ._calendar_files import holidays_package_schedules as _holidays_package_schedules
from ._calendar_files import lint_calendar_files
from ._calendar_files import read_calendar_folder as _read_calendar_folder
from ._errors import CalendarCoverageError, InputError, Problem, RuleFileError

if TYPE_CHECKING:
    from ._periods import PeriodConventions

__all__ = [
    "Channel",
    "DayStep",
    "Deadline",
    "WorkingDayCalendar",
    "add_working_days",
    "covered_years",
    "is_working_day",
    "lint_calendar_files",
    "processing_deadline",
    "working_days_between",
]

Channel = Literal["online", "offline"]
_CHANNELS = ("online", "offline")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_ONLINE_BASIS = ("标准 4.2.2", "民法典 art. 201", "民法典 art. 1259", "行政许可法 art. 82")
_OFFLINE_BASIS = ("标准 4.2.2",)
_shanghai: ZoneInfo | None = None


def _as_date(value: object, field_name: str) -> dt.date:
    """A date, or a timezone-aware datetime converted to Asia/Shanghai (the 4.2.2 office day)."""
    global _shanghai
    if type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InputError(
                field_name,
                f"naive datetime {value.isoformat()} is ambiguous; pass a datetime.date or a "
                "timezone-aware datetime.datetime (it is converted to Asia/Shanghai)",
            )
        _shanghai = _shanghai or ZoneInfo("Asia/Shanghai")
        return value.astimezone(_shanghai).date()
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
            "weekday": _WEEKDAYS[self.date.weekday()],
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

    @property
    def basis(self) -> tuple[str, ...]:
        """Legal basis of the computation."""
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
            "basis": list(self.basis),
        }

    def explain(self, lang: Literal["en", "zh"] = "en") -> str:
        """The derivation as text an auditor can re-check, in English or Chinese."""
        zh = lang == "zh"
        if lang not in ("en", "zh"):
            raise InputError("lang", f"unknown language {lang!r}; accepted: 'en', 'zh'")
        wd = _WEEKDAYS_ZH if zh else _WEEKDAYS
        day = f"{self.submitted.isoformat()} ({wd[self.submitted.weekday()]})"
        if self.channel == "offline":
            return (
                f"线下申请于 {day} 提交，应即时办结（标准 4.2.2），办结期限为当日。"
                if zh
                else f"Offline application submitted on {day}: completed on the spot "
                "(即时办结, standard 4.2.2); the deadline is the same day."
            )
        n = self.working_days
        lines = [
            f"线上申请于 {day} 提交，应在{n}个工作日内办结（标准 4.2.2）。提交当日不计入"
            f"（民法典第二百零一条），第{n}个工作日计入（民法典第一千二百五十九条）。"
            if zh
            else f"Online application submitted on {day}: to be completed within {n} working "
            f"days (standard 4.2.2). The submission day is not counted (民法典 art. 201); "
            f"working day {n} is included (民法典 art. 1259).",
        ]
        for s in self.steps:
            if s.working_day_number is not None:
                status = (
                    f"第{s.working_day_number}个工作日"
                    if zh
                    else f"working day {s.working_day_number}"
                )
            else:
                status = "休息日" if zh else "rest day"
            reason = s.reason_zh if zh else s.reason
            lines.append(f"  {s.date.isoformat()} {wd[s.date.weekday()]}  {status}: {reason}")
        end = f"{self.date.isoformat()} ({wd[self.date.weekday()]})"
        lines.append(f"办结期限：{end}。" if zh else f"Deadline: {end}.")
        lines.append(("日历来源：" if zh else "Schedule source: ") + "; ".join(self.sources))
        return "\n".join(lines)


class WorkingDayCalendar:
    """The working days of every year with an official schedule, precomputed once.

    Built from ``holidays.China`` for the years it carries the State Council notice for, and
    from ``<rules>/calendar/<year>.yaml`` (plus ``extra_overrides``, which wins, for tests or an
    operator's early copy). A file replaces the package's data for its year.
    """

    def __init__(self, extra_overrides: Path | None = None, *, rules: Path | None = None) -> None:
        self._rules = rules or _resources.rules_dir()
        folders = [self._rules / "calendar"]
        if extra_overrides is not None:
            folders.append(Path(extra_overrides))
        problems: list[Problem] = []
        overrides: dict[int, _YearSchedule] = {}
        for folder in folders:
            for schedule in _read_calendar_folder(folder, problems):
                overrides[schedule.year] = schedule
        if problems:
            raise RuleFileError(problems)
        schedules = _holidays_package_schedules(exclude=frozenset(overrides))
        schedules.update(overrides)
        self._schedules = schedules
        self.years: frozenset[int] = frozenset(schedules)
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
        self._online_n = -1

    def _check(self, day: dt.date) -> int:
        i = day.toordinal() - self._first
        if 0 <= i < len(self._status) and self._status[i]:
            return i
        raise CalendarCoverageError(day.year)

    def _check_years(self, first: int, last: int) -> None:
        for year in range(first, last + 1):
            if year not in self.years:
                raise CalendarCoverageError(year)

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day under the official schedule (行政许可法 art. 82)."""
        return self._status[self._check(_as_date(d, "d"))] == 1

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``d``; ``d`` itself is not counted (民法典 art. 201).

        ``n=0`` returns ``d``. Raises CalendarCoverageError for a day in a year without schedule.
        """
        day = _as_date(d, "d")
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
        start, end = _as_date(a, "a"), _as_date(b, "b")
        if end < start:
            return -self.working_days_between(end, start)
        self._check(start)
        self._check(end)
        self._check_years(start.year, end.year)
        w = self._working
        return bisect_right(w, end.toordinal()) - bisect_right(w, start.toordinal())

    def next_working_day_on_or_after(self, d: dt.date) -> dt.date:
        """The first working day on or after ``d`` (used by 民法典 art. 203 extension)."""
        day = _as_date(d, "d")
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def holiday_name(self, d: dt.date) -> str | None:
        """The English name of the statutory holiday or substituted day off on ``d``, if any."""
        day = _as_date(d, "d")
        self._check(day)
        names = self._schedules[day.year].holidays.get(day)
        return names[0] if names else None

    def processing_deadline(
        self,
        submitted: dt.date | dt.datetime,
        channel: Channel,
        *,
        conventions: PeriodConventions | None = None,
    ) -> Deadline:
        """The standard 4.2.2 deadline; see :func:`processing_deadline`."""
        day = submitted if type(submitted) is dt.date else _as_date(submitted, "submitted")
        if channel == "online":
            if conventions is None:
                table = self._online or self._build_online_table()
                i = day.toordinal() - self._first
                if 0 <= i < len(table):
                    hit = table[i]
                    if hit is not None:
                        return hit
                n = self._online_n
            else:
                n = conventions.online_processing_working_days
            # Off the table (or other conventions): computed, or CalendarCoverageError.
            return Deadline(day, self.add_working_days(day, n), "online", n, self)
        if channel == "offline":
            return Deadline(day, day, "offline", 0)
        raise InputError("channel", f"unknown channel {channel!r}; accepted: 'online', 'offline'")

    def _build_online_table(self) -> list[Deadline | None]:
        """Precompute the online deadline of every covered day: a deadline is then a lookup."""
        from ._periods import load_period_conventions  # _periods imports this module

        path = self._rules / "parameters" / "periods.yaml"
        n = load_period_conventions(path).online_processing_working_days
        table: list[Deadline | None] = [None] * len(self._status)
        w = self._working
        for i, s in enumerate(self._status):
            k = bisect_right(w, self._first + i) + n - 1
            if s and k < len(w):
                day, end = dt.date.fromordinal(self._first + i), dt.date.fromordinal(w[k])
                if all(y in self.years for y in range(day.year, end.year + 1)):
                    table[i] = Deadline(day, end, "online", n, self)
        self._online, self._online_n = table, n
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
                why = f"make-up working day (调休) per {notice.source}"
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

    def sources_for(self, first: dt.date, last: dt.date) -> tuple[str, ...]:
        """The schedule source of each year from ``first`` to ``last`` and of each notice cited."""
        years = set(range(first.year, last.year + 1))
        for year in range(first.year, last.year + 1):
            years.update(
                notice
                for day, notice in self._schedules[year].make_up_days.items()
                if first < day <= last
            )
        return tuple(self._schedules[y].source for y in sorted(years))


# ---- module functions on the default calendar ----------------------------------------------

_default: WorkingDayCalendar | None = None


def _default_calendar() -> WorkingDayCalendar:
    global _default
    if _default is None:
        _default = WorkingDayCalendar()
    return _default


def covered_years() -> frozenset[int]:
    """The years with an official State Council schedule (holidays package or rules file)."""
    return _default_calendar().years


def is_working_day(d: dt.date) -> bool:
    """Whether ``d`` is a working day: Mon-Fri except statutory holidays and days off, plus
    make-up Saturdays and Sundays (调休), per the year's State Council notice."""
    return _default_calendar().is_working_day(d)


def add_working_days(d: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``d``, ``d`` not counted (民法典 art. 201)."""
    return _default_calendar().add_working_days(d, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in ``(a, b]``: ``a`` not counted (民法典 art. 201), ``b`` is (art. 1259)."""
    return _default_calendar().working_days_between(a, b)


def processing_deadline(
    submitted: dt.date | dt.datetime,
    channel: Channel,
    *,
    conventions: PeriodConventions | None = None,
) -> Deadline:
    """The standard 4.2.2 deadline for an application submitted on ``submitted``.

    ``"online"``: the 3rd working day after the submission day (民法典 arts. 201, 1259; the
    number comes from rules/parameters/periods.yaml). ``"offline"``: the same day (即时办结).
    ``submitted`` is a date or a timezone-aware datetime (converted to Asia/Shanghai).
    """
    return (_default or _default_calendar()).processing_deadline(
        submitted, channel, conventions=conventions
    )
