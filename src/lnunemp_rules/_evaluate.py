"""Condition evaluation shared by both engines, and the pure-Python engine.

The pure-Python engine decides which rules fire by evaluating every condition of every rule
against every subject; it also records each condition's actual and required values, which is
the trace both engines report (docs/engines.md).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ._ruleset import AnyOf, Comparison, Condition, Rule

__all__ = [
    "ConditionResult",
    "RuleResult",
    "Subject",
    "evaluate_rules",
    "fired_keys",
]

Facts = Mapping[str, Any]
_COMPARE: Final[Mapping[str, Callable[[Any, Any], bool]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True, slots=True)
class Subject:
    """One thing the rules are tested against: the application, the registrant or one event."""

    kind: str
    index: int
    facts: Facts


@dataclass(frozen=True, slots=True)
class ConditionResult:
    """A condition with its required value, the actual value(s) and whether it held."""

    condition: Condition
    actual: Any
    holds: bool


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule evaluated against one subject."""

    rule: Rule
    subject: Subject
    fired: bool
    conditions: tuple[ConditionResult, ...]

    @property
    def key(self) -> tuple[str, int]:
        return (self.rule.id, self.subject.index)


def comparison_holds(c: Comparison, facts: Facts) -> bool:
    """Whether one comparison holds. Every comparison with an absent fact is false."""
    actual = facts.get(c.fact)
    if c.op == "present":
        return actual is not None
    if c.op == "absent":
        return actual is None
    if actual is None:
        return False
    if c.ref is not None:
        other = facts.get(c.ref)
        return other is not None and _COMPARE[c.op](actual, other)
    if c.op == "in":
        return bool(actual in c.value)
    if c.op == "not in":
        return actual not in c.value
    return _COMPARE[c.op](actual, c.value)


def _actual(c: Comparison, facts: Facts) -> Any:
    if c.ref is not None:
        return {c.fact: facts.get(c.fact), c.ref: facts.get(c.ref)}
    return facts.get(c.fact)


def evaluate_condition(condition: Condition, facts: Facts) -> ConditionResult:
    if isinstance(condition, AnyOf):
        holds = False
        actual: dict[str, Any] = {}
        for option in condition.options:
            holds = comparison_holds(option, facts) or holds
            actual[option.fact] = facts.get(option.fact)
        return ConditionResult(condition, actual, holds)
    return ConditionResult(condition, _actual(condition, facts), comparison_holds(condition, facts))


def evaluate_rules(rules: Sequence[Rule], subjects: Sequence[Subject]) -> list[RuleResult]:
    """Evaluate every rule against every subject of its kind, keeping every condition's values.

    Conditions are not short-circuited: an auditor sees each one, fired or not.
    """
    results: list[RuleResult] = []
    for subject in subjects:
        for rule in rules:
            if rule.subject != subject.kind:
                continue
            conditions = tuple(evaluate_condition(c, subject.facts) for c in rule.when)
            fired = all(c.holds for c in conditions)
            results.append(RuleResult(rule, subject, fired, conditions))
    return results


def fired_keys(results: Sequence[RuleResult]) -> frozenset[tuple[str, int]]:
    """(rule id, subject index) of every rule that fired."""
    return frozenset(r.key for r in results if r.fired)
