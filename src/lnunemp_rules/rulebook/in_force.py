"""The calendar and period functions of the public API, on the rules in force.

Each is the function of :mod:`lnunemp_rules.law` of the same name, given the working-day
calendar and conventions of the rule book in use (``load_rule_book()``, the folder of
``LNUNEMP_RULES_DIR`` or the packaged one) unless the caller passes others.
"""

from __future__ import annotations

import datetime as dt

from ..law import periods
from ..law.calendar import Channel, Deadline, WorkingDayCalendar
from ..law.periods import PeriodConventions, PeriodEnd
from .book import load_rule_book

__all__ = [
    "add_months",
    "add_working_days",
    "age_in_full_years",
    "covered_years",
    "date_age_reached",
    "is_working_day",
    "legal_period_end",
    "more_than_months_elapsed",
    "processing_deadline",
    "working_days_between",
]


def _calendar() -> WorkingDayCalendar:
    return load_rule_book().calendar


def _conventions(given: PeriodConventions | None) -> PeriodConventions:
    return given if given is not None else load_rule_book().period_conventions


def covered_years() -> frozenset[int]:
    """The years with an official State Council schedule (holidays package or rules file)."""
    return _calendar().years


def is_working_day(d: dt.date) -> bool:
    """Whether ``d`` is a working day: Mon-Fri except statutory holidays and days off, plus
    make-up Saturdays and Sundays (调休), per the year's State Council notice."""
    return _calendar().is_working_day(d)


def add_working_days(d: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``d``, ``d`` not counted (民法典 art. 201)."""
    return _calendar().add_working_days(d, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in ``(a, b]``: ``a`` not counted (民法典 art. 201), ``b`` is (art. 1259)."""
    return _calendar().working_days_between(a, b)


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
    n = conventions.online_processing_working_days if conventions is not None else None
    return _calendar().processing_deadline(submitted, channel, working_days=n)


def add_months(d: dt.date, months: int, *, conventions: PeriodConventions | None = None) -> dt.date:
    """The last day of a ``months``-month period starting on ``d`` (民法典 arts. 201-202);
    see :func:`lnunemp_rules.law.periods.add_months`."""
    return periods.add_months(d, months, conventions=_conventions(conventions))


def legal_period_end(
    start: dt.date,
    months: int,
    *,
    conventions: PeriodConventions | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> PeriodEnd:
    """The last day of a ``months``-month period that starts on ``start`` (民法典 arts.
    201-203); see :func:`lnunemp_rules.law.periods.legal_period_end`."""
    return periods.legal_period_end(
        start, months, conventions=_conventions(conventions), calendar=calendar or _calendar()
    )


def more_than_months_elapsed(
    start: dt.date,
    months: int,
    on: dt.date,
    *,
    conventions: PeriodConventions | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> bool:
    """Whether "超过{months}个月" holds on ``on`` (民法典 art. 1259); see
    :func:`lnunemp_rules.law.periods.more_than_months_elapsed`."""
    chosen = _conventions(conventions)
    return periods.more_than_months_elapsed(
        start, months, on, conventions=chosen, calendar=calendar or _calendar()
    )


def date_age_reached(
    birth: dt.date, years: int, *, conventions: PeriodConventions | None = None
) -> dt.date:
    """The first day on which someone born on ``birth`` has reached ``years`` full years; see
    :func:`lnunemp_rules.law.periods.date_age_reached`."""
    return periods.date_age_reached(birth, years, conventions=_conventions(conventions))


def age_in_full_years(
    birth: dt.date, on: dt.date, *, conventions: PeriodConventions | None = None
) -> int:
    """Full years (周岁) reached by ``on`` by someone born on ``birth``; see
    :func:`lnunemp_rules.law.periods.age_in_full_years`."""
    return periods.age_in_full_years(birth, on, conventions=_conventions(conventions))
