"""Cache equivalence, not correctness: remembered results and fast paths give exactly what
the plain computation gives.

These tests compare the library with itself on purpose: a rule book's memories (verdicts per
fired pattern, retirement views per birth month, contact lapses per day, citations) and the
decision's fast constructor must change nothing. They say nothing about whether the plain
computation is right; that is shown beside them against hand-computed values and
independent oracles: the analysts' fixtures (tests/fixtures, outcomes and dates stated by
hand), the golden snapshots, tests/test_engine_check.py (each outcome rebuilt from the fired
rules under the documented policy), tests/test_oracles.py (relativedelta, GB 11643-1999,
the rule language) and tests/test_calendar_oracle.py (chinese-calendar).
"""

from __future__ import annotations

import datetime as dt

from lnunemp_rules import assess_deregistration, assess_registration, load_rule_book
from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.decide.decision import RegistrationDecision
from lnunemp_rules.rulebook.book import RuleBook, read_rule_book


def _emptied(book: RuleBook) -> RuleBook:
    book._memos.clear()
    return book


def test_cache_equivalence_decisions_from_remembered_results_equal_recomputed_ones() -> None:
    """A decision made from a rule book's remembered verdicts, retirement views, contact
    lapses and citations equals, in every field of its JSON and both explanations, one made
    by a book whose memories were emptied just before."""
    on = dt.date(2026, 11, 28)
    warm = load_rule_book()
    cold = read_rule_book(warm.directory)
    applications = list(generate_records("registration", 300, seed=23, bad_share=0.0))
    registrants = list(generate_records("review", 300, seed=23, bad_share=0.0))
    for record in applications:  # fill the memories
        assess_registration(record, rule_book=warm)
    for record in registrants:
        assess_deregistration(record, as_of=on, rule_book=warm)
    outcomes = set()
    for record in applications:
        remembered = assess_registration(record, rule_book=warm)
        fresh = assess_registration(record, rule_book=_emptied(cold))
        assert remembered.to_dict() == fresh.to_dict()
        assert remembered.explain("zh") == fresh.explain("zh")
        outcomes.add(remembered.outcome)
    for record in registrants:
        remembered_review = assess_deregistration(record, as_of=on, rule_book=warm)
        fresh_review = assess_deregistration(record, as_of=on, rule_book=_emptied(cold))
        assert remembered_review.to_dict() == fresh_review.to_dict()
        outcomes.add(remembered_review.outcome)
    assert outcomes >= {"eligible", "ineligible", "incomplete", "needs_review", "deregister",
                        "remain_registered"}  # fmt: skip
    assert warm._memos, "the memories were used"


def test_cache_equivalence_an_assembled_registration_decision_equals_the_constructed_one() -> None:
    """RegistrationDecision._assemble gives the object the dataclass constructor gives: equal,
    with the same attributes in the same order, the same JSON."""

    outcomes = set()
    for record in generate_records("registration", 300, seed=5, bad_share=0.0):
        assembled = assess_registration(record)
        constructed = RegistrationDecision(**vars(assembled))
        assert assembled == constructed
        assert list(vars(assembled).items()) == list(vars(constructed).items())
        assert assembled.to_json() == constructed.to_json()
        outcomes.add(assembled.outcome)
    assert len(outcomes) >= 3
