"""The engine cross-check: a decision is returned only when the chosen engine fired exactly
the rules the evaluation says fired (docs/engines.md)."""

from __future__ import annotations

import pytest

from lnunemp_rules import EngineDisagreementError, available_engines
from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.decide.registration import application_facts
from lnunemp_rules.engines.evaluation import Evaluation, evaluate, fired_keys, plan_for
from lnunemp_rules.engines.select import check_engine, compare_fired
from lnunemp_rules.inputs.models import RegistrationApplication
from lnunemp_rules.inputs.validation import validate_input
from lnunemp_rules.rulebook.book import load_rule_book


def _evaluation() -> tuple[list[object], Evaluation]:
    book = load_rule_book()
    [record] = generate_records("registration", 1, seed=3, bad_share=0.0)
    subject = application_facts(validate_input(RegistrationApplication, record), book).subject
    return [subject], evaluate(plan_for(book, "registration"), [subject])


def test_an_engine_that_agrees_passes_and_one_that_does_not_raises() -> None:
    """The same fired rules pass; one missing or one more raises, naming which."""
    _, evaluation = _evaluation()
    evaluated = fired_keys(evaluation.fired)
    assert evaluated
    compare_fired(evaluation, evaluated, "stand-in")
    with pytest.raises(EngineDisagreementError, match="only by the evaluator"):
        compare_fired(evaluation, frozenset(sorted(evaluated)[1:]), "stand-in")
    with pytest.raises(EngineDisagreementError, match="fired only by the engine"):
        compare_fired(evaluation, evaluated | {("category.graduate", 99)}, "stand-in")


@pytest.mark.durable
@pytest.mark.skipif("durable" not in available_engines(), reason="durable_rules not here")
def test_durable_rules_agrees_with_the_evaluation() -> None:
    """durable_rules, asked about the same subjects, fires the rules the evaluation fired."""
    subjects, evaluation = _evaluation()
    check_engine(load_rule_book(), "registration", subjects, evaluation)  # type: ignore[arg-type]
