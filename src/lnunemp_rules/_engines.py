"""Engine selection. Both engines read the same rule files and must decide identically.

The default is the pure-Python engine: it runs on every supported Python and was measured
faster than durable_rules on the same rules (docs/engines.md). ``engine="durable"`` selects the
Rete engine explicitly; it decides which rules fire, and the shared evaluator's view of the same
conditions is checked against it, so a disagreement raises instead of returning a decision.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Final, Protocol

from ._errors import LnunempError
from ._evaluate import Evaluation, Subject, fired_keys
from ._ruleset import Rule

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "Engine",
    "EngineDisagreementError",
    "available_engines",
    "get_engine",
]

ENGINES: Final = ("python", "durable")
DEFAULT_ENGINE: Final = "python"


class EngineDisagreementError(LnunempError, RuntimeError):
    """The durable_rules engine and the shared evaluator disagree: no decision is returned."""


class Engine(Protocol):
    name: str

    def fired(
        self, ruleset_key: str, rules: Sequence[Rule], subjects: Sequence[Subject]
    ) -> frozenset[tuple[str, int]]: ...


class PythonEngine:
    """Pure-Python evaluation of the rule files (every supported Python)."""

    name = "python"

    def fired(
        self, ruleset_key: str, rules: Sequence[Rule], subjects: Sequence[Subject]
    ) -> frozenset[tuple[str, int]]:
        from ._evaluate import evaluate_rules

        return fired_keys(evaluate_rules(rules, subjects))


_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def get_engine(name: str | None) -> Engine:
    """The engine called ``name`` (None: the default)."""
    chosen = DEFAULT_ENGINE if name is None else name
    found = _engines.get(chosen)  # engines are created once and never replaced
    if found is not None:
        return found
    if chosen not in ENGINES:
        from ._errors import InputError

        raise InputError("engine", f"{chosen!r} is not an engine; accepted: {', '.join(ENGINES)}")
    with _lock:
        engine = _engines.get(chosen)
        if engine is None:
            if chosen == "python":
                engine = PythonEngine()
            else:
                from ._durable_engine import DurableEngine

                engine = DurableEngine()
            _engines[chosen] = engine
        return engine


def available_engines() -> tuple[str, ...]:
    """The engines that run here."""
    from ._durable_engine import durable_available

    return ENGINES if durable_available() else ("python",)


def check_engine(
    engine: Engine,
    ruleset: str,
    digest: str,
    rules: Sequence[Rule],
    subjects: Sequence[Subject],
    evaluation: Evaluation,
) -> None:
    """Raise :class:`EngineDisagreementError` unless ``engine`` fires exactly the rules the
    shared ``evaluation`` says fired. The python engine is that evaluation: nothing to check,
    and nothing is built for it."""
    if engine.name == "python":
        return
    evaluated = fired_keys(evaluation.fired)
    fired = engine.fired(f"{ruleset}_{digest[:16]}", rules, subjects)
    if fired != evaluated:
        only_engine = sorted(fired - evaluated)
        only_eval = sorted(evaluated - fired)
        raise EngineDisagreementError(
            f"engine {engine.name} disagrees with the rule evaluation: fired only by the "
            f"engine {only_engine}, only by the evaluator {only_eval}"
        )
