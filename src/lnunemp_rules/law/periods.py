"""Legal periods in months and ages in full years, under named conventions.

The only place in the project where months and ages are counted. The two open readings of the
Civil Code (which day art. 202 anchors on; whether art. 203 extends a period over plain
weekends) and the age convention are named in ``rules/parameters/periods.yaml`` with their
legal basis; every function here takes them as ``conventions`` (a rule book's
``period_conventions``), and the working-day calendar as ``calendar``.

References:
    * 民法典 art. 201: the day a period starts is not counted.
    * 民法典 art. 202: a month period ends on the corresponding day of the final month, or on
      that month's last day if it has none.
    * 民法典 art. 203: a last day that is a statutory rest day moves to the day after the rest.
    * 民法典 art. 1259: "超过" excludes the number itself.
    * 法释〔2006〕1号 art. 2: 周岁 is counted from the day after the birthday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import InputError
from .calendar import DayStep, WorkingDayCalendar, as_day

__all__ = [
    "PeriodConventions",
    "PeriodEnd",
    "add_months",
    "age_in_full_years",
    "date_age_reached",
    "legal_period_end",
    "more_than_months_elapsed",
    "shift_months",
]

Art202Anchor = Literal["start_day", "first_counted_day"]
AgeReachedOn = Literal["day_after_birthday", "birthday"]


@dataclass(frozen=True)
class PeriodConventions:
    """The conventions for counting periods, ages and processing deadlines.

    Read from rules/parameters/periods.yaml by the rule book; ``basis`` maps each name to its
    legal citation, which derivations quote.
    """

    art202_anchor: Art202Anchor
    art203_extension: bool
    art203_weekends_are_rest_days: bool
    age_reached_on: AgeReachedOn
    online_processing_working_days: int
    offline_processing: Literal["same day"]
    basis: dict[str, str]


# Days in each month of a common year; February of a leap year has 29.
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_leap(year: int) -> bool:
    """The Gregorian rule, as ``calendar.isleap`` (that module is not otherwise imported)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def shift_months(d: dt.date, months: int) -> dt.date:
    """``d`` + ``months`` calendar months, clamped to the month's last day (art. 202).

    The same date as ``d + dateutil.relativedelta(months=months)`` (proved over a wide range
    in tests/test_perf_equivalence.py), without its per-call object; ValueError past 9999.
    """
    index = d.month - 1 + months
    year = d.year + index // 12
    month = index % 12 + 1
    day = d.day
    if day > 28:
        last = _MONTH_DAYS[month - 1]
        if month == 2 and _is_leap(year):
            last = 29
        day = min(day, last)
    return dt.date(year, month, day)


def _months(months: object) -> int:
    if type(months) is not int or months < 0:
        raise InputError("months", f"expected a whole number of months >= 0, got {months!r}")
    return months


def add_months(d: dt.date, months: int, *, conventions: PeriodConventions) -> dt.date:
    """The last day of a ``months``-month period starting on ``d`` (民法典 arts. 201-202).

    The corresponding day of the final month, or its last day if it has none (Aug 31 + 6
    months = Feb 28/29). Under ``art202_anchor: first_counted_day`` the corresponding day is
    that of ``d`` + 1 day. Added in one step from the anchor, so it never drifts. No art. 203.
    """
    anchor = as_day(d, "d")
    if conventions.art202_anchor == "first_counted_day":
        anchor += dt.timedelta(days=1)
    return shift_months(anchor, _months(months))


@dataclass(frozen=True)
class PeriodEnd:
    """The last day of a legal period in months, with its derivation.

    ``unextended`` is the art. 202 day; ``date`` is after the art. 203 extension if the
    convention applies it and that day is a rest day. ``extension`` lists the rest days passed.
    """

    start: dt.date
    months: int
    unextended: dt.date
    date: dt.date
    extension: tuple[DayStep, ...]
    steps: tuple[str, ...]
    basis: tuple[str, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form, with the derivation."""
        return {
            "start": self.start.isoformat(),
            "months": self.months,
            "unextended": self.unextended.isoformat(),
            "date": self.date.isoformat(),
            "extension": [s.to_dict() for s in self.extension],
            "steps": list(self.steps),
            "basis": list(self.basis),
            "sources": list(self.sources),
        }

    def explain(self) -> str:
        """The derivation as text."""
        return "\n".join(self.steps)


def legal_period_end(
    start: dt.date,
    months: int,
    *,
    conventions: PeriodConventions,
    calendar: WorkingDayCalendar,
) -> PeriodEnd:
    """The last day of a ``months``-month period that starts on ``start`` (民法典 arts. 201-203).

    Art. 202 gives the corresponding day (:func:`add_months`); with ``art203_extension`` a
    last day that is a rest day moves to the day after the rest ends. Rest days are the
    non-working days of the official schedule; without ``art203_weekends_are_rest_days`` only
    a run of non-working days containing a statutory holiday counts. Needs the schedule of the
    year(s) involved (CalendarCoverageError otherwise).
    """
    c = conventions
    day = as_day(start, "start")
    unextended = add_months(day, months, conventions=c)
    anchor = (
        "the day after the start day" if c.art202_anchor == "first_counted_day" else "the start day"
    )
    steps = [
        f"Period of {months} months starting {day.isoformat()}; the start day is not counted "
        f"(民法典 art. 201).",
        f"Art. 202 ({c.basis['art202_anchor']}): the day of the final month corresponding to "
        f"{anchor}, or that month's last day: {unextended.isoformat()}.",
    ]
    basis = ["民法典 art. 201", c.basis["art202_anchor"]]
    end: dt.date = unextended
    extension: tuple[DayStep, ...] = ()
    sources: tuple[str, ...] = ()
    if not c.art203_extension:
        steps.append("Art. 203 extension not applied (convention art203_extension: false).")
    else:
        cal = calendar
        basis.append(c.basis["art203_extension"])
        day_before = unextended - dt.timedelta(days=1)
        if not cal.is_working_day(unextended):
            after_rest = cal.next_working_day_on_or_after(unextended)
            run_start = unextended
            while not cal.is_working_day(run_start - dt.timedelta(days=1)):
                run_start -= dt.timedelta(days=1)
            whole_rest = cal.day_steps(run_start - dt.timedelta(days=1), after_rest)[:-1]
            # Without weekends as rest days, only a run holding a statutory holiday extends.
            if c.art203_weekends_are_rest_days or any(cal.holiday_name(s.date) for s in whole_rest):
                end = after_rest
                extension = cal.day_steps(day_before, end - dt.timedelta(days=1))
        sources = cal.sources_for(day_before, end)
        if end == unextended:
            steps.append(f"Art. 203: {unextended.isoformat()} is not a rest day; no extension.")
        else:
            passed = ", ".join(f"{s.date.isoformat()} ({s.reason})" for s in extension)
            steps.append(
                f"Art. 203 ({c.basis['art203_extension']}): {passed} are rest days; the period "
                f"ends on the next day, {end.isoformat()}."
            )
    steps.append(f"Last day of the period: {end.isoformat()}.")
    return PeriodEnd(day, months, unextended, end, extension, tuple(steps), tuple(basis), sources)


def more_than_months_elapsed(
    start: dt.date,
    months: int,
    on: dt.date,
    *,
    conventions: PeriodConventions,
    calendar: WorkingDayCalendar,
) -> bool:
    """Whether "超过{months}个月" holds on ``on``: strictly after the period's last day.

    民法典 art. 1259: "超过" excludes the number itself, so on the last day (after any art. 203
    extension) it is still False. Standard 4.5(13) uses this with 6 months.
    """
    c = conventions
    day = as_day(on, "on")
    if day <= add_months(start, months, conventions=c):
        return False  # art. 203 only moves the end later: no schedule needed
    return day > legal_period_end(start, months, conventions=c, calendar=calendar).date


def date_age_reached(birth: dt.date, years: int, *, conventions: PeriodConventions) -> dt.date:
    """The first day on which someone born on ``birth`` has reached ``years`` full years.

    ``day_after_birthday`` (default; 法释〔2006〕1号 art. 2, 民法典 arts. 201-202): the day
    after the ``years``-th birthday. ``birthday``: the birthday itself. A 29 February birthday
    falls on 28 February in common years (art. 202's month-end rule).
    """
    c = conventions
    born = as_day(birth, "birth")
    if type(years) is not int or years < 0:
        raise InputError("years", f"expected a whole number of years >= 0, got {years!r}")
    birthday = shift_months(born, 12 * years)
    return birthday + dt.timedelta(days=1) if c.age_reached_on == "day_after_birthday" else birthday


def age_in_full_years(birth: dt.date, on: dt.date, *, conventions: PeriodConventions) -> int:
    """Full years (周岁) reached by ``on`` by someone born on ``birth``, under the convention.

    See :func:`date_age_reached`; 标准 4.1.2(1) "年满16周岁" holds when this is >= 16.
    """
    c = conventions
    born, day = as_day(birth, "birth"), as_day(on, "on")
    if day < born:
        raise InputError("on", "the date is before the date of birth (date masked)")
    # date_age_reached(born, years) > day, compared as (month, day) within day's year: the
    # birthday in that year is born's month and day, except 29 February in a common year,
    # which art. 202's month-end rule makes 28 February (shift_months does the same).
    month, birthday = born.month, born.day
    if month == 2 and birthday == 29 and not _is_leap(day.year):
        birthday = 28
    later = (month, birthday) >= (day.month, day.day)
    if c.age_reached_on != "day_after_birthday":
        later = (month, birthday) > (day.month, day.day)
    years = day.year - born.year - later
    return max(years, 0)
