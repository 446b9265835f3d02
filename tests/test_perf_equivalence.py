"""The performance rewrites give exactly what the straightforward code gave (issue 5, item 3).

Month and year arithmetic is checked against ``dateutil.relativedelta`` (民法典 art. 202's
month-end rule) over 1900-9999, Feb 29 and month ends included; the ID-number check sum
against the GB 11643-1999 formula; memoised retirement ages against a fresh computation;
the evaluation that builds results for fired rules only against the full evaluation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from dateutil.relativedelta import relativedelta
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lnunemp_rules import _retirement
from lnunemp_rules._evaluate import evaluate_fired, evaluate_rules
from lnunemp_rules._facts import registration_facts, review_facts
from lnunemp_rules._generate import generate_records
from lnunemp_rules._idnumber import _WEIGHTS, id_check_character
from lnunemp_rules._inputs import validate_input
from lnunemp_rules._models import Registrant, RegistrationApplication
from lnunemp_rules._periods import (
    PeriodConventions,
    add_months,
    age_in_full_years,
    date_age_reached,
    load_period_conventions,
)
from lnunemp_rules._retirement import RetiredFromConvention, RetirementGroup
from lnunemp_rules._rulebook import RuleBook, load_rule_book

_DEFAULT = load_period_conventions()
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


@settings(max_examples=3000, deadline=None)
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


@settings(max_examples=3000, deadline=None)
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


@settings(max_examples=2000, deadline=None)
@given(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    _any_date.filter(lambda d: d.year <= 2100),
    st.sampled_from(_CONVENTIONS),
)
def test_age_in_full_years_counts_like_relativedelta(
    birth: dt.date, on: dt.date, conventions: PeriodConventions
) -> None:
    """Full years equal the largest n whose relativedelta birthday (by convention) is <= on."""
    if on < birth:
        return
    c = conventions
    after = c.age_reached_on == "day_after_birthday"
    n = on.year - birth.year
    while n > 0:
        reached = birth + relativedelta(years=n) + dt.timedelta(days=1 if after else 0)
        if reached <= on:
            break
        n -= 1
    assert age_in_full_years(birth, on, conventions=c) == n


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_character_matches_the_formula(first17: str) -> None:
    """The check character is ISO 7064 MOD 11-2 of the digits, as GB 11643-1999 defines it."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    assert id_check_character(first17) == "10X98765432"[total % 11]


@settings(max_examples=1500, deadline=None)
@given(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.sampled_from(_retirement.RETIREMENT_GROUPS),
    st.sampled_from(["first_day_of_month_after_retirement_month", "anniversary"]),
)
def test_memoised_retirement_equals_a_fresh_computation(
    birth: dt.date, group: RetirementGroup, convention: RetiredFromConvention
) -> None:
    """A remembered retirement age is equal, field by field, to one computed afresh."""
    params = _retirement.load_retirement_parameters()
    first = _retirement.statutory_retirement(birth, group, convention=convention)
    again = _retirement.statutory_retirement(birth, group, convention=convention)
    fresh = _retirement._compute(params, birth, group, convention)
    assert first == fresh and again == fresh
    assert first.to_dict() == fresh.to_dict()


def test_fired_only_evaluation_equals_the_full_one() -> None:
    """Results built for fired rules, and the trace built later, equal the full evaluation."""
    book = load_rule_book()
    on = dt.date(2026, 11, 28)
    cases = [
        (book.rules_for("registration"),
         registration_facts(validate_input(RegistrationApplication, r), book).subjects)
        for r in generate_records("registration", 400, seed=11, bad_share=0.0)
    ] + [
        (book.rules_for("review"), review_facts(validate_input(Registrant, r), on, book).subjects)
        for r in generate_records("review", 400, seed=11, bad_share=0.0)
    ]  # fmt: skip
    fired_somewhere = 0
    for rules, subjects in cases:
        full = evaluate_rules(rules, subjects)
        lazy = evaluate_fired(rules, subjects)
        assert lazy.fired == tuple(r for r in full if r.fired)
        assert lazy.all == tuple(full)
        fired_somewhere += bool(lazy.fired)
    assert fired_somewhere > len(cases) // 2


def test_remembered_contact_lapse_equals_a_fresh_computation() -> None:
    """A contact lapse remembered per rule book and day equals one computed afresh (4.5(13))."""
    from lnunemp_rules._facts import _compute_contact_lapse, _contact_lapse

    book = load_rule_book()
    first = dt.date(2023, 1, 1).toordinal()
    days = [dt.date.fromordinal(first + n) for n in range(0, 1460, 3)]
    for day in days + days:  # the second pass reads what the first remembered
        assert _contact_lapse(book, day) == _compute_contact_lapse(book, day)
    assert {bool(_contact_lapse(book, d).warnings) for d in days} == {True, False}


def test_fast_decision_constructor_equals_the_dataclass_init() -> None:
    """A decision built without __init__ equals, field by field and in order, the __init__ one."""
    from lnunemp_rules import assess_registration
    from lnunemp_rules._decision import RegistrationDecision

    outcomes = set()
    for record in generate_records("registration", 300, seed=5, bad_share=0.0):
        fast = assess_registration(record)
        slow = RegistrationDecision(**vars(fast))
        assert fast == slow
        assert list(vars(fast).items()) == list(vars(slow).items())
        assert fast.to_json() == slow.to_json()
        outcomes.add(fast.outcome)
    assert len(outcomes) >= 3


def test_retirement_text_remembered_equals_a_fresh_one() -> None:
    """The retirement derivation's text kept per RetirementAge equals a freshly built one."""
    from lnunemp_rules import _facts

    book = load_rule_book()
    on = dt.date(2026, 11, 28)
    births = [dt.date(1955, 1, 1) + dt.timedelta(days=37 * n) for n in range(600)]
    for birth in births + births:  # the second pass reads what the first remembered
        for sex, group in (("male", None), ("female", None), ("female", 50), ("female", 55)):
            if birth.day == 1:  # now and then from an empty memory
                _facts._PART_TEXT.clear()
            remembered = _facts._retirement_status(book, birth, sex, group, on)
            names = ["male"] if sex == "male" else (
                [f"female_{group}"] if group else ["female_50", "female_55"]
            )  # fmt: skip
            infos = [_retirement.statutory_retirement(birth, n, path=book.retirement_path)
                     for n in names]  # fmt: skip
            parts = "; ".join(
                f"{n}: statutory retirement age {i.age_years}y{i.age_months}m "
                f"(delay {i.delay_months} months), past it from {i.retired_from.isoformat()}"
                for n, i in zip(names, infos, strict=True)
            )
            assert remembered[1].startswith(parts)
            assert remembered[2] == tuple(sorted({i.source for i in infos}))


def _fresh_registration_decision(record: dict[str, object], book: RuleBook) -> dict[str, object]:
    """The decision with every per-pattern and per-birth-month memory emptied first."""
    from lnunemp_rules import _assess, _facts
    from lnunemp_rules import assess_registration as assess

    _assess._VERDICTS.of(book.clauses).clear()
    _facts._RETIREMENT_VIEWS.clear()
    return assess(record, rule_book=book).to_dict()


def test_remembered_verdicts_and_retirement_views_equal_fresh_decisions() -> None:
    """A decision built from a verdict remembered per fired pattern, and from a retirement
    view remembered per birth month, equals one computed from empty memories."""
    from lnunemp_rules import _assess
    from lnunemp_rules import assess_registration as assess

    book = load_rule_book()
    records = list(generate_records("registration", 600, seed=23, bad_share=0.0))
    fresh = [_fresh_registration_decision(record, book) for record in records]
    for record in records:  # fill the memories
        assess(record)
    outcomes = set()
    for record, expected in zip(records, fresh, strict=True):
        remembered = assess(record).to_dict()
        assert remembered == expected
        outcomes.add(remembered["outcome"])
    assert outcomes >= {"eligible", "ineligible", "incomplete", "needs_review"}
    assert _assess._VERDICTS.of(book.clauses)  # the memory was used


@settings(max_examples=600, deadline=None)
@given(
    st.dates(dt.date(1940, 1, 1), dt.date(2010, 12, 31)),
    st.dates(dt.date(2000, 1, 1), dt.date(2045, 12, 31)),
    st.sampled_from([("male", None), ("female", None), ("female", 50), ("female", 55)]),
)
def test_retirement_derivation_equals_the_status_computed_afresh(
    birth: dt.date, on: dt.date, person: tuple[str, int | None]
) -> None:
    """The shared retirement derivation (per birth month) equals the one built from
    _retirement_status on that date, whatever was remembered before."""
    from lnunemp_rules import _facts

    book = load_rule_book()
    sex, group = person
    remembered = _facts._retirement_derivation(book, birth, sex, group, on)
    expected = _facts.Derivation(
        "retirement_status", *_facts._retirement_status(book, birth, sex, group, on)
    )
    assert remembered == expected


def test_retirement_views_follow_the_anniversary_convention(tmp_path: Path) -> None:
    """Under the "anniversary" convention the first retired day depends on the birth day: two
    men born in the same month are told apart (the view is kept per day, not per month)."""
    import shutil

    from lnunemp_rules import _facts
    from lnunemp_rules._resources import rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    table = rules / "parameters" / "retirement_age.yaml"
    text = table.read_text(encoding="utf-8")
    old = "default: first_day_of_month_after_retirement_month"
    assert old in text
    table.write_text(text.replace(old, "default: anniversary"), encoding="utf-8")
    book = load_rule_book(rules)
    assert book.retirement_by_birth_day and not load_rule_book().retirement_by_birth_day
    # 60y2m for men born in May 1965 (人社部发〔2024〕94号 table): anniversary 2025-07-20 / -30.
    on = dt.date(2025, 7, 25)
    early = _facts._retirement_derivation(book, dt.date(1965, 5, 20), "male", None, on)
    late = _facts._retirement_derivation(book, dt.date(1965, 5, 30), "male", None, on)
    assert (early.value, late.value) == ("reached", "below")
    for birth in (dt.date(1965, 5, 20), dt.date(1965, 5, 30)):
        expected = _facts._retirement_status(book, birth, "male", None, on)
        assert _facts._retirement_derivation(book, birth, "male", None, on) == _facts.Derivation(
            "retirement_status", *expected
        )


def test_remembered_minimum_wages_equal_fresh_ones_and_follow_a_reloaded_table(
    tmp_path: Path,
) -> None:
    """minimum_wage_on remembers results per table object: equal to a fresh computation, and
    a table read again after a change (as the mutation check does) is not answered from the
    old one."""
    import shutil

    from lnunemp_rules import _minimum_wage as mw
    from lnunemp_rules._resources import rules_dir

    days = [dt.date(2021, 11, 1) + dt.timedelta(days=23 * n) for n in range(80)]
    for day in days + days:
        for tier in mw.tiers_on(day):
            assert mw.minimum_wage_on(day, tier) == mw._minimum_wage_on(day, tier, "tier", None)
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    path = folder / "parameters" / "minimum_wage.yaml"
    day = dt.date(2026, 11, 28)
    before = mw.minimum_wage_on(day, 1, path=path)
    text = path.read_text(encoding="utf-8")
    old = f"{{1: {before.amount:g},"
    assert text.count(old) == 1
    new = f"{{1: {before.amount + 7:g},"
    path.write_text(text.replace(old, new), encoding="utf-8")
    mw.load_minimum_wage_parameters.cache_clear()
    after = mw.minimum_wage_on(day, 1, path=path)
    assert after.amount == before.amount + 7
