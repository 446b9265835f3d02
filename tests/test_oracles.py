"""Hand-written arithmetic and remembered results checked against independent oracles.

Month and year arithmetic against ``dateutil.relativedelta`` (民法典 art. 202's month-end
rule) over 1900-9999, Feb 29 and month ends included; the ID-number check character against
the GB 11643-1999 formula written out here; each condition's truth in the trace against a
reference reading of the rule language written here; a retirement date under the
"anniversary" convention against the 2024 decision's table read by hand. (Remembered results
against recomputed ones: tests/test_cache_equivalence.py.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lnunemp_rules import assess_deregistration, assess_registration, load_rule_book
from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.decide.derivations import retirement_derivation
from lnunemp_rules.inputs.idnumber import id_check_character
from lnunemp_rules.law.periods import (
    PeriodConventions,
    add_months,
    age_in_full_years,
    date_age_reached,
)
from lnunemp_rules.rulebook.book import RuleBook, read_rule_book
from lnunemp_rules.rulebook.folder import rules_dir
from lnunemp_rules.rulebook.rules import AnyOf, Comparison


def _examples(n: int) -> int:
    """n examples; a tenth under code mutation testing (mutmut sets MUTANT_UNDER_TEST), where
    each of ~2,400 mutants may run this test: the explicit @example cases always run."""
    return n // 10 if "MUTANT_UNDER_TEST" in os.environ else n


_DEFAULT = load_rule_book().period_conventions
_CONVENTIONS = [
    dataclasses.replace(_DEFAULT, art202_anchor=anchor, age_reached_on=reached)
    for anchor in ("start_day", "first_counted_day")
    for reached in ("day_after_birthday", "birthday")
]
_dates = st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31))
# Month ends and 29 February are where clamping happens: drawn often on purpose.
_month_ends = st.builds(
    lambda year, month: (
        (dt.date(year, month % 12 + 1, 1) - dt.timedelta(days=1))
        if month < 12
        else dt.date(year, 12, 31)
    ),
    st.integers(1900, 9998),
    st.integers(1, 12),
)
_leap_days = st.sampled_from([y for y in range(1904, 2400, 4) if y % 100 or y % 400 == 0]).map(
    lambda year: dt.date(year, 2, 29)
)
_any_date = st.one_of(_dates, _month_ends, _leap_days)


def _outcome(call: Callable[[], object]) -> object:
    try:
        return call()
    except (ValueError, OverflowError) as exc:
        return (type(exc), str(exc))


@settings(max_examples=_examples(3000), deadline=None)
@given(_any_date, st.integers(0, 1200), st.sampled_from(_CONVENTIONS))
@example(dt.date(2024, 8, 31), 6, _CONVENTIONS[0])
@example(dt.date(2023, 8, 28), 6, _CONVENTIONS[2])
@example(dt.date(9999, 12, 31), 1, _CONVENTIONS[0])
def test_add_months_equals_relativedelta(
    day: dt.date, months: int, conventions: PeriodConventions
) -> None:
    """add_months gives relativedelta's date (or the same error) under both art. 202 anchors."""
    c = conventions
    anchor_shift = dt.timedelta(days=1 if c.art202_anchor == "first_counted_day" else 0)

    def expected() -> object:
        return day + anchor_shift + relativedelta(months=months)

    got = _outcome(lambda: add_months(day, months, conventions=c))
    assert got == _outcome(expected)


@settings(max_examples=_examples(3000), deadline=None)
@given(_any_date, st.integers(0, 8100), st.sampled_from(_CONVENTIONS))
@example(dt.date(2000, 2, 29), 1, _CONVENTIONS[0])
@example(dt.date(2000, 2, 29), 4, _CONVENTIONS[1])
@example(dt.date(1999, 12, 31), 8000, _CONVENTIONS[0])
@example(dt.date(1999, 12, 31), 8001, _CONVENTIONS[0])
def test_date_age_reached_equals_relativedelta(
    birth: dt.date, years: int, conventions: PeriodConventions
) -> None:
    """date_age_reached gives relativedelta's birthday (+1 day by convention), Feb 29 included."""
    c = conventions
    after = c.age_reached_on == "day_after_birthday"

    def expected() -> object:
        birthday = birth + relativedelta(years=years)
        return birthday + dt.timedelta(days=1) if after else birthday

    got = _outcome(lambda: date_age_reached(birth, years, conventions=c))
    assert got == _outcome(expected)


_until_2100 = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.builds(  # month ends
        lambda year, month: dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1),
        st.integers(1900, 2100),
        st.integers(1, 12),
    ),
    st.sampled_from([y for y in range(1904, 2100, 4) if y % 100 or y % 400 == 0]).map(
        lambda year: dt.date(year, 2, 29)
    ),
)


@st.composite
def _birth_and_day(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    """A birth date and a day on or after it: any later day, or a birthday of the person give
    or take one day (where full years change), Feb 29 and month ends drawn often."""
    birth = draw(_until_2100)
    if draw(st.booleans()):
        years = draw(st.integers(0, 2100 - birth.year))
        day = birth + relativedelta(years=years) + dt.timedelta(days=draw(st.integers(-1, 1)))
        return birth, max(day, birth)
    return birth, draw(st.dates(birth, dt.date(2100, 12, 31)))


@settings(max_examples=_examples(2000), deadline=None)
@given(_birth_and_day(), st.sampled_from(_CONVENTIONS))
@example((dt.date(2004, 2, 29), dt.date(2005, 2, 28)), _CONVENTIONS[0])
@example((dt.date(2004, 2, 29), dt.date(2005, 3, 1)), _CONVENTIONS[0])
def test_age_in_full_years_counts_like_relativedelta(
    birth_and_day: tuple[dt.date, dt.date], conventions: PeriodConventions
) -> None:
    """Full years equal the largest n whose relativedelta birthday (by convention) is <= on.

    Every example asserts (no example is drawn and thrown away): ``on`` is drawn on or after
    the birth date."""
    birth, on = birth_and_day
    c = conventions
    after = c.age_reached_on == "day_after_birthday"
    n = on.year - birth.year
    while n > 0:
        reached = birth + relativedelta(years=n) + dt.timedelta(days=1 if after else 0)
        if reached <= on:
            break
        n -= 1
    assert age_in_full_years(birth, on, conventions=c) == n


# GB 11643-1999: the weight of digit i (1..17, from the left) is 2**(18 - i) mod 11.
_GB_WEIGHTS = [2 ** (18 - i) % 11 for i in range(1, 18)]


@settings(max_examples=_examples(3000), deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_character_matches_the_formula(first17: str) -> None:
    """The check character is ISO 7064 MOD 11-2 of the digits, as GB 11643-1999 defines it."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _GB_WEIGHTS, strict=True))
    assert id_check_character(first17) == "10X98765432"[total % 11]


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}  # fmt: skip


def _reference(c: Comparison, facts: dict[str, Any]) -> bool:
    """docs/rules.md's reading: ``present``/``absent`` test the fact; every other comparison
    with an absent fact (or an absent ``ref``) is false."""
    actual = facts.get(c.fact)
    if c.op in ("present", "absent"):
        return (actual is not None) == (c.op == "present")
    other = facts.get(c.ref) if c.ref is not None else c.value
    if actual is None or other is None:
        return False
    return _OPS[c.op](actual, other)


def test_each_conditions_truth_and_each_rules_verdict_follow_the_rule_language() -> None:
    """In the trace of 300 applications and 300 registrants, each condition's truth is the
    reference reading of it on the subject's facts, and a rule fired exactly when all its
    conditions held."""
    on = dt.date(2026, 11, 28)
    decisions = [
        *(assess_registration(r) for r in generate_records("registration", 300, seed=11,
                                                            bad_share=0.0)),
        *(assess_deregistration(r, as_of=on) for r in generate_records("review", 300, seed=11,
                                                                        bad_share=0.0)),
    ]  # fmt: skip
    checked = fired = 0
    for decision in decisions:
        for result in decision._results.all:
            facts = dict(result.subject.facts)
            for c in result.conditions:
                options = c.condition.options if isinstance(c.condition, AnyOf) else None
                expected = (
                    any(_reference(o, facts) for o in options)
                    if options is not None
                    else _reference(c.condition, facts)  # type: ignore[arg-type]
                )
                assert c.holds == expected, (result.rule.id, c.condition)
                checked += 1
            assert result.fired == all(c.holds for c in result.conditions), result.rule.id
            fired += result.fired
    assert checked > 10_000 and fired > 1_000


def _emptied(book: RuleBook) -> RuleBook:
    book._memos.clear()
    return book


def test_retirement_views_follow_the_anniversary_convention(tmp_path: Path) -> None:
    """Under the "anniversary" convention the first retired day depends on the birth day: two
    men born in the same month are told apart (the view is kept per day, not per month)."""
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    table = rules / "parameters" / "retirement_age.yaml"
    text = table.read_text(encoding="utf-8")
    old = "default: first_day_of_month_after_retirement_month"
    assert old in text
    table.write_text(text.replace(old, "default: anniversary"), encoding="utf-8")
    book = load_rule_book(rules)
    assert book.retirement_by_birth_day and not load_rule_book().retirement_by_birth_day
    # 60y2m for men born in May 1965 (the 2024 decision's table): anniversary 2025-07-20 / -30.
    on = dt.date(2025, 7, 25)
    early = retirement_derivation(book, dt.date(1965, 5, 20), "male", None, on)
    late = retirement_derivation(book, dt.date(1965, 5, 30), "male", None, on)
    assert (early.value, late.value) == ("reached", "below")
    for birth in (dt.date(1965, 5, 20), dt.date(1965, 5, 30)):
        remembered = retirement_derivation(book, birth, "male", None, on)
        assert remembered == retirement_derivation(_emptied(read_rule_book(rules)), birth,
                                                   "male", None, on)  # fmt: skip
