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
from .wording import Lang, format_date

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
    ``basis`` names the articles applied (ids of rules/clauses.yaml). :meth:`sentences` gives
    the derivation in Chinese or English; ``steps`` is the English one.
    """

    start: dt.date
    months: int
    unextended: dt.date
    date: dt.date
    extension: tuple[DayStep, ...]
    basis: tuple[str, ...]
    sources: tuple[str, ...]
    sources_zh: tuple[str, ...] = ()
    anchor: Art202Anchor = "start_day"
    art203_applied: bool = True
    #: The last day is a plain weekend day that the reading "only statutory holidays are
    #: 法定休假日" (art203_weekends_are_rest_days: false) does not extend over.
    plain_weekend_kept: bool = False

    @property
    def steps(self) -> tuple[str, ...]:
        """The derivation in English, one sentence per step."""
        return self.sentences("en")

    def sentences(self, lang: Lang) -> tuple[str, ...]:
        """The derivation, one sentence per step: art. 201, art. 202, art. 203, the end."""
        words = _PERIOD_WORDS[lang]
        anchor = words["anchor." + self.anchor]
        out = [
            words["start"].format(months=self.months, start=format_date(self.start, lang)),
            words["art202"].format(anchor=anchor, day=format_date(self.unextended, lang)),
        ]
        if not self.art203_applied:
            out.append(words["art203.off"])
        elif self.date == self.unextended:
            key = "art203.weekend" if self.plain_weekend_kept else "art203.none"
            out.append(words[key].format(day=format_date(self.unextended, lang)))
        else:
            passed = words["list"].join(
                words["rest"].format(
                    day=format_date(s.date, lang), why=s.reason_zh if lang == "zh" else s.reason
                )
                for s in self.extension
            )
            out.append(words["art203"].format(rest=passed, end=format_date(self.date, lang)))
        out.append(words["end"].format(end=format_date(self.date, lang)))
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form, with the derivation."""
        return {
            "start": self.start.isoformat(),
            "months": self.months,
            "unextended": self.unextended.isoformat(),
            "date": self.date.isoformat(),
            "extension": [s.to_dict() for s in self.extension],
            "steps": list(self.steps),
            "steps_zh": list(self.sentences("zh")),
            "basis": list(self.basis),
            "sources": list(self.sources),
            "sources_zh": list(self.sources_zh),
        }

    def explain(self, lang: Lang = "en") -> str:
        """The derivation as text."""
        return "\n".join(self.sentences(lang))


# The derivation of a period, per language: 民法典 arts. 201-203.
_PERIOD_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "start": "期间自{start}起算{months}个月，开始的当日不计入（《中华人民共和国民法典》"
        "第二百零一条）。",
        "art202": "到期月的对应日为期间的最后一日，没有对应日的为月末日"
        "（第二百零二条；对应{anchor}）：{day}。",
        "anchor.start_day": "开始的当日",
        "anchor.first_counted_day": "开始的次日",
        "art203.off": "按约定不适用第二百零三条的顺延。",
        "art203.none": "{day}不是法定休假日，不顺延（第二百零三条）。",
        "art203.weekend": "{day}为周末，按所采读法（仅节假日为法定休假日）不属于法定休假日，"
        "不顺延（第二百零三条）。",
        "art203": "{rest}为休假日，期间顺延至休假日结束的次日，即{end}（第二百零三条）。",
        "rest": "{day}（{why}）",
        "list": "、",
        "end": "期间的最后一日：{end}。",
    },
    "en": {
        "start": "A period of {months} months from {start}; the start day is not counted "
        "(Civil Code art. 201).",
        "art202": "It ends on the corresponding day of the final month, or on that month's last "
        "day (art. 202; the day corresponding to {anchor}): {day}.",
        "anchor.start_day": "the start day",
        "anchor.first_counted_day": "the day after the start day",
        "art203.off": "The art. 203 extension is not applied (conventions).",
        "art203.none": "{day} is not a rest day: no extension (art. 203).",
        "art203.weekend": "{day} is a plain weekend day, not a statutory rest day (法定休假日) "
        "under the reading in force (only holidays are): no extension (art. 203).",
        "art203": "Rest days: {rest}; the period ends on the day after them, {end} (art. 203).",
        "rest": "{day} ({why})",
        "list": ", ",
        "end": "Last day of the period: {end}.",
    },
}


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
    basis = ["civil-code-art201", "civil-code-art202"]
    end: dt.date = unextended
    extension: tuple[DayStep, ...] = ()
    sources: tuple[str, ...] = ()
    sources_zh: tuple[str, ...] = ()
    plain_weekend_kept = False
    if c.art203_extension:
        cal = calendar
        basis.append("civil-code-art203")
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
            else:
                plain_weekend_kept = True
        sources = cal.sources_for(day_before, end)
        sources_zh = cal.sources_for(day_before, end, lang="zh")
    return PeriodEnd(
        day, months, unextended, end, extension, tuple(basis), sources, sources_zh,
        c.art202_anchor, c.art203_extension, plain_weekend_kept,
    )  # fmt: skip


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
