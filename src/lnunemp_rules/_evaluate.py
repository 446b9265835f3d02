"""Condition evaluation shared by both engines, and the pure-Python engine.

The pure-Python engine decides which rules fire by evaluating every condition of every rule
against every subject; it also records each condition's actual and required values, which is
the trace both engines report (docs/engines.md).
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any, Final

from ._memo import remember
from ._ruleset import AnyOf, Comparison, Condition, Rule

__all__ = [
    "ConditionResult",
    "Evaluation",
    "RuleResult",
    "Subject",
    "evaluate_fired",
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


# Python operators for the comparison ops; the generated code below uses only these symbols,
# names it makes itself, and constants passed by reference (never text from the rule files).
_SYMBOL: Final[Mapping[str, str]] = {
    "==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
}  # fmt: skip
FiredFlags = Callable[[Facts], tuple[bool, ...]]


class _Compiler:
    """Turns the rules of one subject kind into one function: facts -> fired flag per rule.

    Each comparison becomes the expression ``comparison_holds`` evaluates (an absent fact makes
    every comparison but ``absent`` false), each fact is read once, and a rule fires when all
    its conditions hold. Conditions are pure functions of the facts, so evaluating them in
    one expression gives the same flags as evaluating them one by one.
    """

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self.facts: dict[str, str] = {}

    def _const(self, value: Any) -> str:
        name = f"c{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def _fact(self, fact: str) -> str:
        if fact not in self.facts:
            self.facts[fact] = f"v{len(self.facts)}"
        return self.facts[fact]

    def comparison(self, c: Comparison) -> str:
        v = self._fact(c.fact)
        if c.op == "present":
            return f"({v} is not None)"
        if c.op == "absent":
            return f"({v} is None)"
        if c.ref is not None:
            w = self._fact(c.ref)
            return f"({v} is not None and {w} is not None and {v} {_SYMBOL[c.op]} {w})"
        k = self._const(c.value)
        if c.op == "in":
            return f"({v} is not None and {v} in {k})"
        if c.op == "not in":
            return f"({v} is not None and {v} not in {k})"
        return f"({v} is not None and {v} {_SYMBOL[c.op]} {k})"

    def condition(self, condition: Condition) -> str:
        if isinstance(condition, AnyOf):
            return "(" + " or ".join(self.comparison(o) for o in condition.options) + ")"
        return self.comparison(condition)

    def rule(self, rule: Rule) -> str:
        if not rule.when:
            return "True"
        return "(True if " + " and ".join(self.condition(c) for c in rule.when) + " else False)"

    def compile(self, rules: Sequence[Rule]) -> FiredFlags:
        flags = [self.rule(rule) for rule in rules]
        reads = "".join(f"    {v} = get({self._const(fact)})\n" for fact, v in self.facts.items())
        source = (
            "def fired_flags(facts):\n    get = facts.get\n"
            + reads
            + "    return ("
            + "".join(f"{flag}, " for flag in flags)
            + ")\n"
        )
        exec(compile(source, "<lnunemp_rules compiled rules>", "exec"), self.namespace)
        function: FiredFlags = self.namespace["fired_flags"]
        return function


# Compiled rules per rule sequence, keyed by id() with the sequence kept alive beside it so the
# id cannot be reused. Rule books are loaded once per process, so this stays small.
_Plan = dict[str, tuple[tuple[Rule, ...], FiredFlags]]
_plans: dict[int, tuple[Sequence[Rule], _Plan]] = {}
_plans_lock = threading.Lock()


def _plan(rules: Sequence[Rule]) -> _Plan:
    entry = _plans.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    kinds: dict[str, list[Rule]] = {}
    for rule in rules:
        kinds.setdefault(rule.subject, []).append(rule)
    compiled = {kind: (tuple(group), _Compiler().compile(group)) for kind, group in kinds.items()}
    if isinstance(rules, tuple):  # only immutable sequences are cached
        with _plans_lock:
            remember(_plans, id(rules), (rules, compiled), 64)
    return compiled


def evaluate_rules(rules: Sequence[Rule], subjects: Sequence[Subject]) -> list[RuleResult]:
    """Evaluate every rule against every subject of its kind, keeping every condition's values.

    Conditions are not short-circuited in the trace: an auditor sees each one, fired or not
    (:attr:`RuleResult.conditions`, computed when first read).
    """
    plan = _plan(rules)
    results: list[RuleResult] = []
    for subject in subjects:
        entry = plan.get(subject.kind)
        if entry is not None:
            group, fired_flags = entry
            results.extend(map(RuleResult, group, repeat(subject), fired_flags(subject.facts)))
    return results


_Row = tuple[tuple[Rule, ...], Subject, tuple[bool, ...]]


class Evaluation:
    """Every rule evaluated against every subject, kept as fired flags; results on demand.

    ``rows`` holds, per subject in order, its kind's rules (file order), the subject and one
    fired flag per rule. A decision needs only which rules fired (``fired_rules``); the
    ``RuleResult`` objects are built when first read: ``fired`` (the fired ones) and ``all``
    (every rule and subject, for the trace, docs/engines.md), which equals
    ``evaluate_rules(rules, subjects)`` result for result and reuses the fired results.
    """

    __slots__ = ("_all", "_fired", "rows")

    rows: tuple[_Row, ...]
    _fired: tuple[RuleResult, ...] | None
    _all: tuple[RuleResult, ...] | None

    def __init__(self, rows: tuple[_Row, ...]) -> None:
        self.rows = rows
        self._fired = None
        self._all = None

    def fired_rules(self) -> Iterator[tuple[Rule, Subject]]:
        """(rule, subject) of every rule that fired, in evaluation order, without results."""
        for group, subject, flags in self.rows:
            for rule in compress(group, flags):
                yield rule, subject

    @property
    def fired(self) -> tuple[RuleResult, ...]:
        """The results of the rules that fired, in evaluation order."""
        found = self._fired
        if found is None:
            found = self._fired = tuple(
                RuleResult(rule, subject, True) for rule, subject in self.fired_rules()
            )
        return found

    @property
    def all(self) -> tuple[RuleResult, ...]:
        """Every rule against every subject of its kind, fired or not, in evaluation order."""
        found = self._all
        if found is None:
            fired = iter(self.fired)
            found = tuple(
                next(fired) if flag else RuleResult(rule, subject, False)
                for group, subject, flags in self.rows
                for rule, flag in zip(group, flags, strict=True)
            )
            self._all = found
        return found


def evaluate_fired(rules: Sequence[Rule], subjects: Sequence[Subject]) -> Evaluation:
    """The same evaluation as :func:`evaluate_rules`, keeping only the fired flags.

    The results are built when :attr:`Evaluation.fired` or :attr:`Evaluation.all` is read: a
    sweep that never reads the trace does not pay for them (about 40 per decision).
    """
    plan = _plan(rules)
    rows: list[_Row] = []
    for subject in subjects:
        entry = plan.get(subject.kind)
        if entry is not None:
            group, fired_flags = entry
            rows.append((group, subject, fired_flags(subject.facts)))
    return Evaluation(tuple(rows))


def fired_keys(results: Sequence[RuleResult]) -> frozenset[tuple[str, int]]:
    """(rule id, subject index) of every rule that fired."""
    # r.key spelt out: a list comprehension without a property call per result.
    return frozenset([(r.rule.id, r.subject.index) for r in results if r.fired])
