"""Engine selection and cross-check. Both engines read the same rule files and must agree.

The default is the pure-Python evaluation (:mod:`.evaluate`): it runs on every supported Python
and was measured faster than durable_rules on the same rules (docs/engines.md).
``engine="durable"`` also asks the Rete engine which rules fire, and the evaluation is checked
against it: a disagreement raises instead of returning a decision. ``engine="columnar"``
evaluates the same compiled rules as Arrow columns (:mod:`.columnar`); for one decision that is
a partition of one, for a sweep a whole chunk at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ..errors import EngineDisagreementError, InputError
from ..rulebook.book import RuleBook
from .evaluation import Evaluation, Subject, evaluate, fired_keys, plan_for

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "available_engines",
    "check_engine",
    "compare_fired",
    "decide_rules",
]

ENGINES: Final = ("python", "durable", "columnar")
DEFAULT_ENGINE: Final = "python"


def _engine_name(name: str | None) -> str:
    chosen = DEFAULT_ENGINE if name is None else name
    if chosen not in ENGINES:
        raise InputError("engine", f"{chosen!r} is not an engine; accepted: {', '.join(ENGINES)}")
    return chosen


def available_engines() -> tuple[str, ...]:
    """The engines that run here."""
    from .columnar import columnar_available
    from .durable import durable_available

    return tuple(
        name
        for name, runs in zip(
            ENGINES, (True, durable_available(), columnar_available()), strict=True
        )
        if runs
    )


def decide_rules(
    book: RuleBook, ruleset: str, subjects: Sequence[Subject], engine: str | None
) -> tuple[Evaluation, str]:
    """The evaluation of ``ruleset`` for ``subjects`` and the name of the engine that decided.

    Under ``engine="durable"`` the Rete engine's fired rules are checked against the evaluation
    (:func:`check_engine`), so the evaluation is what the chosen engine decided.
    """
    name = _engine_name(engine)
    if name == "columnar":
        from .columnar import evaluate_many

        return evaluate_many(book, ruleset, (subjects,))[0], name
    results = evaluate(plan_for(book, ruleset), subjects)
    if name == "durable":
        check_engine(book, ruleset, subjects, results)
    return results, name


def check_engine(
    book: RuleBook, ruleset: str, subjects: Sequence[Subject], evaluation: Evaluation
) -> None:
    """Raise :class:`EngineDisagreementError` unless durable_rules fires exactly the rules the
    ``evaluation`` says fired."""
    from .durable import DurableEngine

    engine = DurableEngine()
    rules = book.rules_for(ruleset)
    fired = engine.fired(f"{ruleset}_{book.digest[:16]}", rules, subjects)
    compare_fired(evaluation, fired, engine.name)


def compare_fired(
    evaluation: Evaluation, fired: frozenset[tuple[str, int]], engine_name: str
) -> None:
    """Raise :class:`EngineDisagreementError` unless ``fired`` (rule id, subject index) are
    exactly the rules the ``evaluation`` says fired."""
    evaluated = fired_keys(evaluation.fired)
    if fired != evaluated:
        only_engine = sorted(fired - evaluated)
        only_eval = sorted(evaluated - fired)
        raise EngineDisagreementError(
            f"engine {engine_name} disagrees with the rule evaluation: fired only by the "
            f"engine {only_engine}, only by the evaluator {only_eval}"
        )
