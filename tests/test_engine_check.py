"""The engine cross-check: a decision is returned only when the chosen engine fired exactly
the rules the shared evaluation says fired (docs/engines.md)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from lnunemp_rules import EngineDisagreementError
from lnunemp_rules._engines import check_engine, get_engine
from lnunemp_rules._evaluate import Evaluation, Subject, evaluate_fired, fired_keys
from lnunemp_rules._facts import registration_facts
from lnunemp_rules._generate import generate_records
from lnunemp_rules._inputs import validate_input
from lnunemp_rules._models import RegistrationApplication
from lnunemp_rules._rulebook import load_rule_book
from lnunemp_rules._ruleset import Rule


class _Engine:
    """An engine that fires a fixed set of (rule id, subject index) keys."""

    def __init__(self, fired: frozenset[tuple[str, int]]) -> None:
        self.name = "stand-in"
        self._fired = fired
        self.calls = 0

    def fired(
        self, ruleset_key: str, rules: Sequence[Rule], subjects: Sequence[Subject]
    ) -> frozenset[tuple[str, int]]:
        self.calls += 1
        return self._fired


def _evaluation() -> tuple[tuple[Rule, ...], list[Subject], Evaluation]:
    book = load_rule_book()
    [record] = generate_records("registration", 1, seed=3, bad_share=0.0)
    subjects = registration_facts(validate_input(RegistrationApplication, record), book).subjects
    rules = book.rules_for("registration")
    return rules, subjects, evaluate_fired(rules, subjects)


def test_an_engine_that_agrees_passes_and_one_that_does_not_raises() -> None:
    rules, subjects, evaluation = _evaluation()
    book = load_rule_book()
    evaluated = fired_keys(evaluation.fired)
    assert evaluated
    agreeing = _Engine(evaluated)
    check_engine(agreeing, "registration", book.digest, rules, subjects, evaluation)
    assert agreeing.calls == 1
    missing_one = _Engine(frozenset(sorted(evaluated)[1:]))
    with pytest.raises(EngineDisagreementError, match="only by the evaluator"):
        check_engine(missing_one, "registration", book.digest, rules, subjects, evaluation)
    extra = _Engine(evaluated | {("category.graduate", 99)})
    with pytest.raises(EngineDisagreementError, match="fired only by the engine"):
        check_engine(extra, "registration", book.digest, rules, subjects, evaluation)


def test_the_python_engine_is_the_evaluation_and_is_not_asked_again() -> None:
    rules, subjects, evaluation = _evaluation()
    python = get_engine("python")
    check_engine(python, "registration", "0" * 64, rules, subjects, evaluation)
    assert evaluation._fired is None  # no results were built
