"""Derived facts both procedures need: ages, the statutory retirement status, minimum wages.

Each derived fact is recorded as a :class:`~.decision.Derivation` (value, how it was computed,
sources), which the decision's trace and explanation show. Derivations are immutable and many
applicants share one (an age on a date, a birth month's retirement date): a rule book
remembers those whose computation a benchmark shows to pay (docs/performance.md, "memories").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import MinimumWageNotInForceError
from ..law.minimum_wage import highest_amount_on, lowest_amount_on, minimum_wage_on
from ..law.retirement import statutory_retirement
from ..rulebook.book import RuleBook
from ..rulebook.memos import Memo, remember
from .decision import Derivation

__all__ = ["age_derivation", "minimum_wage_for", "retirement_derivation"]

_AGE_SOURCES = ("spc-2006-1-art2", "civil-code-art201", "civil-code-art202")


def age_derivation(on: dt.date, age: int) -> Derivation:
    """How an applicant's age in full years on ``on`` was counted (the birth date stays out:
    it is personal data)."""
    how = (
        f"full years from the birth date in the ID number to {on.isoformat()}, counted "
        "under the age convention of rules/parameters/periods.yaml"
    )
    return Derivation("age_years", age, how, _AGE_SOURCES)


@dataclass(frozen=True, slots=True)
class _RetirementView:
    """One birth month's (or, under the "anniversary" convention, birth day's) first retired
    days per women's group in question, and its derivation per status, built on first use."""

    retired_from: tuple[dt.date, ...]
    derivations: dict[str, Derivation]


# Per rule book: (birth year, month, day or 0, sex, group) -> the view. A register has a few
# thousand birth months. Saves 54% of a registration decision: the retirement computation for
# all but the first applicant of a birth month (benchmarks/bench_memories.py).
_RETIREMENT: Memo[tuple[int, int, int, str, int | None], _RetirementView] = Memo(
    "retirement by birth month", 20_000
)


def retirement_derivation(
    book: RuleBook, birth: dt.date, sex: str, group: int | None, on: dt.date
) -> Derivation:
    """Whether ``on`` is past the statutory retirement age (the 2024 NPC Standing Committee
    decision), per women's group when the group is not given.

    The status only compares ``on`` with the first retired day(s), and the text depends on the
    birth month (the day too under "anniversary") and the status alone.
    """
    memo = book.memo(_RETIREMENT)
    day = birth.day if book.retirement_by_birth_day else 0
    key = (birth.year, birth.month, day, sex, group)
    view = memo.get(key)
    if view is None:
        names = _retirement_groups(sex, group)
        retired = tuple(
            statutory_retirement(book.retirement, birth, name).retired_from for name in names
        )
        view = remember(memo, key, _RetirementView(retired, {}), _RETIREMENT.limit)
    first, *other = view.retired_from
    status = "reached" if on >= first else "below"
    if other and ("reached" if on >= other[0] else "below") != status:
        status = "unknown"
    found = view.derivations.get(status)
    if found is None:
        computed, how, sources = _retirement_status(book, birth, sex, group, on)
        found = view.derivations[status] = Derivation("retirement_status", computed, how, sources)
    return found


def _retirement_status(
    book: RuleBook, birth: dt.date, sex: str, group: int | None, on: dt.date
) -> tuple[str, str, tuple[str, ...]]:
    groups = _retirement_groups(sex, group)
    parts, statuses, sources = [], set(), set()
    for name in groups:
        info = statutory_retirement(book.retirement, birth, name)
        status = "reached" if on >= info.retired_from else "below"
        statuses.add(status)
        parts.append(f"{name}: {_SAID[status]}")
        sources.add(info.source)
    status = statuses.pop() if len(statuses) == 1 else "unknown"
    how = "; ".join(parts) + _HOW
    if status == "unknown":
        how += "; the two women's groups disagree on this date, so the group decides"
    return status, how, tuple(sorted(sources))


# What a masked decision may say of the retirement age (docs/api.md, "What a masked decision
# reveals"): whether it is reached on the decision's date, and by which rule; not the age in
# months, the delay or the date it is reached, which give away the birth year and month.
_SAID = {
    "reached": "the statutory retirement age is reached on the application date",
    "below": "the statutory retirement age is not reached on the application date",
}
_HOW = (
    " (the age and the month it is reached follow from the birth month in the ID number under "
    "rules/parameters/retirement_age.yaml; they are personal data and not shown)"
)


def _retirement_groups(sex: str, group: int | None) -> tuple[str, ...]:
    if sex == "male":
        return ("male",)
    if group is not None:
        return (f"female_{group}",)
    return ("female_50", "female_55")


def minimum_wage_for(
    book: RuleBook,
    day: dt.date,
    income: float,
    tier: int | None,
    amount: float | None,
    field_name: str,
) -> tuple[float | None, str, tuple[str, ...]]:
    """The minimum wage to compare an income with (4.5(3)), or None when it cannot be known.

    Tier (or amount) come from the caller: the county-to-tier mapping is not published. Without
    either, an income at or above the highest tier is not below any tier's minimum wage, and an
    income below the lowest tier is below all of them; in between, the answer depends on the
    tier and is left undecided.
    """
    if amount is not None:
        return amount, f"given by the caller ({field_name}.minimum_wage_amount)", ()
    table = book.minimum_wages
    try:
        if tier is not None:
            wage = minimum_wage_on(table, day, tier, field=f"{field_name}.minimum_wage_tier")
            return float(wage.amount), wage.derivation, (wage.source,)
        high, low = highest_amount_on(table, day), lowest_amount_on(table, day)
    except MinimumWageNotInForceError as exc:
        return None, f"no minimum wage on file for {day.isoformat()}: {exc}", ()
    if income >= high.amount:
        return (
            float(high.amount),
            f"tier not given; income {income:g} is not below the highest tier: {high.derivation}",
            (high.source,),
        )
    if income < low.amount:
        return (
            float(low.amount),
            f"tier not given; income {income:g} is below the lowest tier: {low.derivation}",
            (low.source,),
        )
    return (
        None,
        f"tier not given and income {income:g} lies between the lowest ({low.amount}) and "
        f"highest ({high.amount}) tiers in force on {day.isoformat()}: the tier decides",
        (high.source,),
    )
