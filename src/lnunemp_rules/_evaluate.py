"""Condition evaluation shared by both engines, and the pure-Python engine.

The pure-Python engine decides which rules fire by evaluating every condition of every rule
against every subject; it also records each condition's actual and required values, which is
the trace both engines report (docs/engines.md).
"""

from __future__ import annotations

import operator
import threading
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


class RuleResult:
    """One rule evaluated against one subject.

    ``conditions`` (each condition's actual value and whether it held, for the trace) is
    computed on first use from the rule and the subject's facts, which are immutable: a sweep
    that never reads the trace does not pay for it, and the values are the same either way.
    """

    __slots__ = ("_conditions", "fired", "rule", "subject")

    rule: Rule
    subject: Subject
    fired: bool
    _conditions: tuple[ConditionResult, ...] | None

    def __init__(
        self,
        rule: Rule,
        subject: Subject,
        fired: bool,
        conditions: tuple[ConditionResult, ...] | None = None,
    ) -> None:
        self.rule = rule
        self.subject = subject
        self.fired = fired
        self._conditions = conditions

    @property
    def conditions(self) -> tuple[ConditionResult, ...]:
        """Every condition of the rule with its actual value(s) and whether it held."""
        found = self._conditions
        if found is None:
            facts = self.subject.facts
            found = tuple(evaluate_condition(c, facts) for c in self.rule.when)
            self._conditions = found
        return found

    @property
    def key(self) -> tuple[str, int]:
        return (self.rule.id, self.subject.index)

    def _fields(self) -> tuple[Rule, Subject, bool, tuple[ConditionResult, ...]]:
        return (self.rule, self.subject, self.fired, self.conditions)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RuleResult):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"RuleResult(rule={self.rule!r}, subject={self.subject!r}, fired={self.fired!r}, "
            f"conditions={self.conditions!r})"
        )


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


Predicate = Callable[[Facts], bool]


def _compile_comparison(c: Comparison) -> Predicate:
    """A function equal to ``comparison_holds(c, facts)`` with the dispatch done once."""
    fact, op, value, ref = c.fact, c.op, c.value, c.ref
    if op == "present":
        return lambda facts: facts.get(fact) is not None
    if op == "absent":
        return lambda facts: facts.get(fact) is None
    if ref is not None:
        compare = _COMPARE[op]

        def holds_ref(facts: Facts) -> bool:
            actual = facts.get(fact)
            if actual is None:
                return False
            other = facts.get(ref)
            return other is not None and compare(actual, other)

        return holds_ref
    if op == "in":
        return lambda facts: (a := facts.get(fact)) is not None and bool(a in value)
    if op == "not in":
        return lambda facts: (a := facts.get(fact)) is not None and a not in value
    if op == "==":
        return lambda facts: (a := facts.get(fact)) is not None and a == value
    compare_value = _COMPARE[op]
    return lambda facts: (a := facts.get(fact)) is not None and compare_value(a, value)


def _compile_condition(condition: Condition) -> Predicate:
    if isinstance(condition, AnyOf):
        options = tuple(_compile_comparison(o) for o in condition.options)
        return lambda facts: any(option(facts) for option in options)
    return _compile_comparison(condition)


def _compile_rule(rule: Rule) -> Predicate:
    """Whether every condition of the rule holds (all conditions are pure functions of facts)."""
    tests = tuple(_compile_condition(c) for c in rule.when)
    if not tests:
        return lambda facts: True
    if len(tests) == 1:
        return tests[0]
    return lambda facts: all(test(facts) for test in tests)


# Compiled rules per rule sequence, keyed by id() with the sequence kept alive beside it so the
# id cannot be reused. Rule books are loaded once per process, so this stays small.
_Plan = dict[str, tuple[tuple[Rule, Predicate], ...]]
_plans: dict[int, tuple[Sequence[Rule], _Plan]] = {}
_plans_lock = threading.Lock()


def _plan(rules: Sequence[Rule]) -> _Plan:
    entry = _plans.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    plan: dict[str, list[tuple[Rule, Predicate]]] = {}
    for rule in rules:
        plan.setdefault(rule.subject, []).append((rule, _compile_rule(rule)))
    compiled = {kind: tuple(pairs) for kind, pairs in plan.items()}
    if isinstance(rules, tuple):  # only immutable sequences are cached
        with _plans_lock:
            if len(_plans) > 64:
                _plans.clear()
            _plans[id(rules)] = (rules, compiled)
    return compiled


def evaluate_rules(rules: Sequence[Rule], subjects: Sequence[Subject]) -> list[RuleResult]:
    """Evaluate every rule against every subject of its kind, keeping every condition's values.

    Conditions are not short-circuited in the trace: an auditor sees each one, fired or not
    (:attr:`RuleResult.conditions`, computed when first read).
    """
    plan = _plan(rules)
    results: list[RuleResult] = []
    append = results.append
    for subject in subjects:
        facts = subject.facts
        for rule, holds in plan.get(subject.kind, ()):
            append(RuleResult(rule, subject, holds(facts)))
    return results


def fired_keys(results: Sequence[RuleResult]) -> frozenset[tuple[str, int]]:
    """(rule id, subject index) of every rule that fired."""
    return frozenset(r.key for r in results if r.fired)
