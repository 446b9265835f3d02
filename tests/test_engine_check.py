"""The engine cross-check: a decision is returned only when the chosen engine fired exactly
the rules the evaluation says fired (docs/engines.md).

Proved in use, not only in a unit: a decision made with ``engine="durable"`` opens exactly one
durable_rules session, and a rule book whose evaluator has been made to disagree with the
Rete network (one rule's compiled form changed, the rule files untouched) gets
``EngineDisagreementError`` from the public facade instead of a decision. Each outcome is
also rebuilt from the fired rules the engine reports, under the combination policy as
docs/rules.md states it (written out here), so a decision rests on what its engine fired.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from builders import application, event, registrant
from lnunemp_rules import (
    EngineDisagreementError,
    assess_deregistration,
    assess_registration,
    available_engines,
)
from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.decide.registration import application_facts
from lnunemp_rules.decide.review import registrant_facts
from lnunemp_rules.engines.evaluation import (
    Evaluation,
    Subject,
    compile_rules,
    evaluate,
    fired_keys,
    plan_for,
)
from lnunemp_rules.engines.select import check_engine, compare_fired
from lnunemp_rules.inputs.models import Registrant, RegistrationApplication
from lnunemp_rules.inputs.validation import validate_input
from lnunemp_rules.rulebook.book import RuleBook, load_rule_book, read_rule_book
from lnunemp_rules.rulebook.rules import Comparison, Rule

needs_durable = pytest.mark.skipif(
    "durable" not in available_engines(), reason="durable_rules not here"
)
AS_OF = dt.date(2026, 11, 28)


def _evaluation() -> tuple[list[Subject], Evaluation]:
    book = load_rule_book()
    [record] = generate_records("registration", 1, seed=3, bad_share=0.0)
    subject = application_facts(validate_input(RegistrationApplication, record), book).subject
    return [subject], evaluate(plan_for(book, "registration"), [subject])


def test_the_engines_available_are_those_that_import_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """durable where durable_rules imports, columnar where pyarrow does; python always."""
    from lnunemp_rules.engines import columnar, durable

    expected = ("python", "durable") if durable.durable_available() else ("python",)
    if columnar.columnar_available():
        expected += ("columnar",)
    assert available_engines() == expected
    monkeypatch.setattr(durable, "durable_available", lambda: False)
    monkeypatch.setattr(columnar, "columnar_available", lambda: False)
    assert available_engines() == ("python",)


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
@needs_durable
def test_durable_rules_agrees_with_the_evaluation() -> None:
    """durable_rules, asked about the same subjects, fires the rules the evaluation fired."""
    subjects, evaluation = _evaluation()
    check_engine(load_rule_book(), "registration", subjects, evaluation)


# ---- the durable engine is consulted by every decision that names it ----------------------


@pytest.mark.durable
@needs_durable
def test_each_durable_decision_opens_one_durable_session_and_a_python_one_none() -> None:
    """Counted by durable_rules' own sessions: one per registration or review decided with
    engine="durable", none with the default engine."""
    from lnunemp_rules.engines.durable import sessions_opened

    app = application()
    person = registrant(event("contact", dt.date(2026, 3, 1)))
    start = sessions_opened()
    assess_registration(app)
    assess_deregistration(person, as_of=AS_OF, engine="python")
    assert sessions_opened() == start
    assess_registration(app, engine="durable")
    assert sessions_opened() == start + 1
    for _n in range(3):
        assess_deregistration(person, as_of=AS_OF, engine="durable")
    assert sessions_opened() == start + 4


@pytest.mark.durable
@needs_durable
def test_a_changed_rule_book_is_decided_by_durable_rules_with_its_own_rules(
    tmp_path: Path,
) -> None:
    """A copy of the rules folder whose working age is 17 instead of 16 (a new digest, so
    durable_rules registers its rules anew): a 16-year-old is refused by both engines under
    that book, and eligible under the shipped one."""
    import shutil
    import uuid

    from lnunemp_rules.rulebook.folder import rules_dir

    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    base = folder / "registration" / "base.yaml"
    text = base.read_text(encoding="utf-8")
    old = '{fact: age_years, op: "<", value: 16}'
    assert old in text
    # A comment unique to this run gives a digest durable_rules has not seen in this process
    # (a ruleset is registered once per digest), so its rules are registered here.
    changed_text = text.replace(old, old.replace("16", "17")) + f"# run {uuid.uuid4()}\n"
    base.write_text(changed_text, encoding="utf-8")
    changed = read_rule_book(folder)
    assert changed.digest != load_rule_book().digest
    sixteen = application(birth=dt.date(2010, 5, 10), on=dt.date(2026, 9, 30))
    assert assess_registration(sixteen, engine="durable").outcome == "eligible"
    for engine in ("python", "durable"):
        decision = assess_registration(sixteen, engine=engine, rule_book=changed)
        assert decision.outcome == "ineligible"
        assert [r.rule_id for r in decision.reasons] == ["bar.under-working-age"]


def _book_whose_evaluator_changes(
    ruleset: str, rule_id: str, change: Callable[[Rule], Rule]
) -> RuleBook:
    """A fresh rule book (same files, so the same rules for durable_rules) whose compiled
    evaluation reads ``rule_id`` changed: the evaluator and the Rete network now disagree."""
    book = read_rule_book(load_rule_book().directory)
    rules = [change(r) if r.id == rule_id else r for r in book.rules_for(ruleset)]
    assert any(r.id == rule_id for r in rules), rule_id
    plan_for(book, ruleset).update(compile_rules(rules))
    return book


def _always(rule: Rule) -> Rule:
    return dataclasses.replace(rule, when=())


def _never(rule: Rule) -> Rule:
    # Every application and every registrant has this fact (facts.yaml), so "absent" is false.
    fact = "voluntary" if rule.subject == "application" else "as_of"
    return dataclasses.replace(rule, when=(*rule.when, Comparison(fact, "absent")))


@pytest.mark.durable
@needs_durable
def test_an_evaluator_firing_a_rule_durable_does_not_fire_gets_no_decision() -> None:
    """bar.employed made to fire for everyone in the evaluator only: the default engine
    returns the evaluator's (wrong) ineligible decision; engine="durable" refuses, naming the
    rule that only the evaluator fired."""
    book = _book_whose_evaluator_changes("registration", "bar.employed", _always)
    app = application()
    assert assess_registration(app, rule_book=load_rule_book()).outcome == "eligible"
    assert assess_registration(app, rule_book=book).outcome == "ineligible"
    with pytest.raises(EngineDisagreementError, match=r"only by the evaluator \[\('bar\.employ"):
        assess_registration(app, rule_book=book, engine="durable")
    with pytest.raises(EngineDisagreementError, match=r"^engine durable disagrees"):
        assess_registration(app, rule_book=book, engine="durable")


@pytest.mark.durable
@needs_durable
def test_an_evaluator_missing_a_rule_durable_fires_gets_no_decision() -> None:
    """category.resignation made never to fire in the evaluator only: the default engine
    returns needs_review (no category), engine="durable" refuses, naming the rule."""
    book = _book_whose_evaluator_changes("registration", "category.resignation", _never)
    app = application()
    assert assess_registration(app, rule_book=book).outcome == "needs_review"
    with pytest.raises(EngineDisagreementError, match=r"engine \[\('category\.resignation', 0"):
        assess_registration(app, rule_book=book, engine="durable")


@pytest.mark.durable
@needs_durable
def test_a_review_whose_evaluator_misses_the_contact_lapse_gets_no_durable_decision() -> None:
    """A registrant with no contact for more than 6 months: the evaluator made blind to
    4.5(13) keeps them registered; engine="durable" refuses instead."""
    book = _book_whose_evaluator_changes("review", "trigger.contact-lapse", _never)
    person = registrant(registered=dt.date(2026, 1, 15))
    assert assess_deregistration(person, as_of=AS_OF).outcome == "deregister"
    assert assess_deregistration(person, as_of=AS_OF, rule_book=book).outcome == (
        "remain_registered"
    )
    with pytest.raises(EngineDisagreementError, match=r"trigger\.contact-lapse"):
        assess_deregistration(person, as_of=AS_OF, rule_book=book, engine="durable")


# ---- the outcome follows from the rules the engine fired ----------------------------------


def _fired_by(engine: str, book: RuleBook, ruleset: str, subjects: list[Subject],
              decision_fired: Iterable[tuple[str, int]]) -> frozenset[tuple[str, int]]:  # fmt: skip
    if engine == "durable":
        from lnunemp_rules.engines.durable import DurableEngine

        return DurableEngine().fired(f"{ruleset}_{book.digest[:16]}", book.rules_for(ruleset),
                                     subjects)  # fmt: skip
    return frozenset(decision_fired)


def _registration_policy(effects: list[str]) -> str:
    """docs/rules.md, "How outcomes combine", for registration."""
    if "bar" in effects:
        return "ineligible"
    if "incomplete" in effects:
        return "incomplete"
    if "review" in effects:
        return "needs_review"
    if "category" in effects:
        return "eligible"
    return "needs_review"


def test_each_registration_outcome_is_the_documented_policy_on_the_engines_fired_rules(
    engine: str,
) -> None:
    """For 400 generated applications: outcome from the fired effects (bar, incomplete,
    review, category, else needs_review), missing facts from the fired incomplete and review
    rules unless ineligible, and 4.1.4 in the basis exactly when incomplete."""
    book = load_rule_book()
    rules = {r.id: r for r in book.rules_for("registration")}
    seen = set()
    for record in generate_records("registration", 400, seed=41, bad_share=0.0):
        decision = assess_registration(record, engine=engine)
        subject = application_facts(validate_input(RegistrationApplication, record), book).subject
        fired = _fired_by(engine, book, "registration", [subject],
                          fired_keys(decision._results.fired))  # fmt: skip
        effects = [rules[rule_id].effect for rule_id, _ in fired]
        outcome = _registration_policy(effects)
        assert decision.outcome == outcome, (sorted(fired), decision.outcome)
        missing: set[str] = set()
        if outcome != "ineligible":
            for rule_id, _ in fired:
                if rules[rule_id].effect in ("incomplete", "review"):
                    missing.update(rules[rule_id].missing)
        assert set(decision.missing_facts) == missing
        assert [c.id for c in decision.basis] == (["4.1.4"] if outcome == "incomplete" else [])
        seen.add(outcome)
    assert seen == {"eligible", "ineligible", "incomplete", "needs_review"}


def test_each_review_outcome_is_the_documented_policy_on_the_engines_fired_rules(
    engine: str,
) -> None:
    """For 400 generated registrants: any trigger deregisters from the earliest trigger date
    (the date fact each trigger names), else a review rule asks staff, else they stay."""
    book = load_rule_book()
    rules = {r.id: r for r in book.rules_for("review")}
    seen = set()
    for record in generate_records("review", 400, seed=41, bad_share=0.0):
        decision = assess_deregistration(record, as_of=AS_OF, engine=engine)
        subjects = registrant_facts(validate_input(Registrant, record), AS_OF, book).subjects
        fired = _fired_by(engine, book, "review", subjects, fired_keys(decision._results.fired))
        facts: dict[int, Any] = {s.index: s.facts for s in subjects}
        trigger_dates = [
            dt.date.fromordinal(facts[index][rules[rule_id].effective_date])  # type: ignore[index]
            for rule_id, index in fired
            if rules[rule_id].effect == "trigger"
        ]
        if trigger_dates:
            expected: tuple[str, dt.date | None] = ("deregister", min(trigger_dates))
        elif any(rules[rule_id].effect == "review" for rule_id, _ in fired):
            expected = ("needs_review", None)
        else:
            expected = ("remain_registered", None)
        assert (decision.outcome, decision.effective_date) == expected, sorted(fired)
        seen.add(decision.outcome)
    assert seen == {"deregister", "needs_review", "remain_registered"}


def test_an_unknown_engine_is_refused_listing_the_engines() -> None:
    """engine="rete" is an InputError on ``engine`` naming every engine."""
    from lnunemp_rules.errors import InputError

    with pytest.raises(InputError) as caught:
        assess_registration(application(), engine="rete")
    assert (caught.value.field, caught.value.message) == (
        "engine", "'rete' is not an engine; accepted: python, durable, columnar",
    )  # fmt: skip


def test_one_decision_on_the_columnar_engine_is_evaluated_over_arrow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """engine="columnar" for a single decision evaluates its rules with the columnar engine
    (a partition of one), not with the per-record function under the columnar name."""
    pytest.importorskip("pyarrow")
    from lnunemp_rules.engines import columnar

    partitions: list[int] = []
    real = columnar.evaluate_many

    def counted(book: Any, ruleset: str, records: Any) -> Any:
        partitions.append(len(records))
        return real(book, ruleset, records)

    monkeypatch.setattr(columnar, "evaluate_many", counted)
    decision = assess_registration(application(), engine="columnar")
    assert partitions == [1] and decision.meta.engine == "columnar"
    python = assess_registration(application(), engine="python")
    assert partitions == [1]  # the python engine does not use it
    assert decision.outcome == python.outcome and decision.reasons == python.reasons
