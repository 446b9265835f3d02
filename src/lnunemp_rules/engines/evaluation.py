"""The evaluation of the rules: one pass gives each condition's truth and each rule's verdict.

The rules of one subject kind (the application; the registrant; an event) are compiled once
per rule book into one Python function, ``facts -> (fired flag per rule, truth per
condition)``. That function is the only implementation of the rule language: the decision
reads which rules fired from it, and the trace (docs/engines.md) reads each condition's truth
from the same call; the trace's actual values are the facts themselves. Every condition is
evaluated, fired or not, so the trace shows them all.

Why generated code rather than a loop over the condition objects: measured by
``benchmarks/bench_evaluator.py`` (same facts, same results), the generated function takes
2.3 us per application (39 rules, 50 conditions) and 0.55 us per review subject, a walk over the
rule objects 18.5 us and 5.6 us: 8-10x. A registration decision costs about 28 us in all, so
the walk would make every decision ~60% slower (docs/performance.md, "one evaluator").
The generated source uses only fixed operator symbols, names it makes itself and constants
passed by reference, never text from the rule files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any, Final

from ..rulebook.book import RuleBook
from ..rulebook.memos import Memo
from ..rulebook.rules import AnyOf, Comparison, Condition, Rule

__all__ = [
    "CompiledRules",
    "ConditionResult",
    "Evaluation",
    "RuleResult",
    "Subject",
    "actual_values",
    "compile_rules",
    "evaluate",
    "fired_keys",
    "plan_for",
]

Facts = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Subject:
    """One thing the rules are tested against: the application, the registrant or one event."""

    kind: str
    index: int
    facts: Facts


@dataclass(frozen=True, slots=True)
class ConditionResult:
    """A condition with the actual value(s) it compared and whether it held."""

    condition: Condition
    actual: Any
    holds: bool


_SYMBOL: Final[Mapping[str, str]] = {
    "==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
}  # fmt: skip
_Compiled = Callable[[Facts], tuple[tuple[bool, ...], tuple[bool, ...]]]


class _Compiler:
    """Writes the function of one subject kind's rules (see the module docstring).

    A comparison with an absent fact is false, except ``absent``; a comparison between two
    facts needs both. Each fact is read once.
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

    def compile(self, rules: Sequence[Rule]) -> _Compiled:
        truths: list[str] = []
        flags: list[str] = []
        for rule in rules:
            names = []
            for condition in rule.when:
                names.append(f"h{len(truths)}")
                truths.append(f"    {names[-1]} = {self.condition(condition)}\n")
            flags.append(" and ".join(names) if names else "True")
        reads = "".join(f"    {v} = get({self._const(fact)})\n" for fact, v in self.facts.items())
        source = (
            "def evaluate(facts):\n    get = facts.get\n"
            + reads
            + "".join(truths)
            + "    return ("
            + "".join(f"{flag}, " for flag in flags)
            + "), ("
            + "".join(f"h{i}, " for i in range(len(truths)))
            + ")\n"
        )
        exec(compile(source, "<lnunemp_rules compiled rules>", "exec"), self.namespace)
        function: _Compiled = self.namespace["evaluate"]
        return function


@dataclass(frozen=True, slots=True)
class CompiledRules:
    """The rules of one subject kind, in file order, and their compiled function."""

    rules: tuple[Rule, ...]
    #: Per rule, the slice of the condition truths that belongs to it.
    spans: tuple[tuple[int, int], ...]
    evaluate: _Compiled
    #: ``zip(rules, spans)``, made once: an evaluation pairs them for every subject.
    rule_spans: tuple[tuple[Rule, tuple[int, int]], ...]


def compile_rules(rules: Sequence[Rule]) -> dict[str, CompiledRules]:
    """The compiled rules per subject kind."""
    kinds: dict[str, list[Rule]] = {}
    for rule in rules:
        kinds.setdefault(rule.subject, []).append(rule)
    plan: dict[str, CompiledRules] = {}
    for kind, group in kinds.items():
        spans, start = [], 0
        for rule in group:
            spans.append((start, start + len(rule.when)))
            start += len(rule.when)
        plan[kind] = CompiledRules(tuple(group), tuple(spans), _Compiler().compile(group),
                                   tuple(zip(group, spans, strict=True)))  # fmt: skip
    return plan


# A rule book's rulesets, compiled on first use: the compiled form of the book's own rules.
_PLANS: Memo[str, dict[str, CompiledRules]] = Memo("compiled rules", 8)


def plan_for(book: RuleBook, ruleset: str) -> dict[str, CompiledRules]:
    """The compiled rules of ``ruleset`` in ``book``, compiled once per book."""
    plans = book.memo(_PLANS)
    found = plans.get(ruleset)
    if found is None:
        found = plans[ruleset] = compile_rules(book.rules_for(ruleset))
    return found


class RuleResult:
    """One rule evaluated against one subject, fired or not, with each condition's result.

    ``conditions`` pairs each condition with its truth from the evaluation and the actual
    values it compared (read from the subject's facts) when first read: a sweep that never
    reads the trace does not pay for it.
    """

    __slots__ = ("_conditions", "_truths", "fired", "rule", "subject")

    def __init__(self, rule: Rule, subject: Subject, fired: bool, truths: Sequence[bool]) -> None:
        self.rule = rule
        self.subject = subject
        self.fired = fired
        self._truths = truths
        self._conditions: tuple[ConditionResult, ...] | None = None

    @property
    def conditions(self) -> tuple[ConditionResult, ...]:
        """Every condition of the rule with its actual value(s) and whether it held."""
        found = self._conditions
        if found is None:
            facts = self.subject.facts
            found = tuple(
                ConditionResult(c, actual_values(c, facts), holds)
                for c, holds in zip(self.rule.when, self._truths, strict=True)
            )
            self._conditions = found
        return found

    @property
    def truths(self) -> Sequence[bool]:
        """Whether each condition of the rule held, in order (without the actual values that
        :attr:`conditions` pairs them with)."""
        return self._truths

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


def actual_values(condition: Condition, facts: Facts) -> Any:
    """The fact values a condition compared, as the trace shows them."""
    if isinstance(condition, AnyOf):
        return {option.fact: facts.get(option.fact) for option in condition.options}
    if condition.ref is not None:
        return {condition.fact: facts.get(condition.fact), condition.ref: facts.get(condition.ref)}
    return facts.get(condition.fact)


# Per subject in order: its kind's compiled rules, the subject, the fired flag of each rule
# and the truth of each condition.
_Row = tuple[CompiledRules, Subject, tuple[bool, ...], Sequence[bool]]


class Evaluation:
    """Every rule evaluated against every subject of its kind, from one call per subject.

    A decision needs only which rules fired (:meth:`fired_rules`); the ``RuleResult`` objects
    are built when first read: ``fired`` (the fired ones) and ``all`` (every rule and subject,
    the trace).
    """

    __slots__ = ("_all", "_fired", "rows")

    def __init__(self, rows: tuple[_Row, ...]) -> None:
        self.rows = rows
        self._fired: tuple[RuleResult, ...] | None = None
        self._all: tuple[RuleResult, ...] | None = None

    def fired_rules(self) -> Iterator[tuple[Rule, Subject]]:
        """(rule, subject) of every rule that fired, in evaluation order, without results."""
        for compiled, subject, flags, _ in self.rows:
            for rule in compress(compiled.rules, flags):
                yield rule, subject

    def _results(self, only_fired: bool) -> Iterator[RuleResult]:
        for compiled, subject, flags, truths in self.rows:
            if only_fired:  # most rules do not fire: compress skips them in C
                if any(flags):
                    for rule, (start, end) in compress(compiled.rule_spans, flags):
                        yield RuleResult(rule, subject, True, truths[start:end])
                continue
            for rule, (start, end), fired in zip(compiled.rules, compiled.spans, flags,
                                                 strict=True):  # fmt: skip
                yield RuleResult(rule, subject, fired, truths[start:end])

    @property
    def fired(self) -> tuple[RuleResult, ...]:
        """The results of the rules that fired, in evaluation order."""
        found = self._fired
        if found is None:
            found = self._fired = tuple(self._results(only_fired=True))
        return found

    @property
    def all(self) -> tuple[RuleResult, ...]:
        """Every rule against every subject of its kind, fired or not, in evaluation order."""
        found = self._all
        if found is None:
            found = self._all = tuple(self._results(only_fired=False))
        return found


def evaluate(plan: Mapping[str, CompiledRules], subjects: Sequence[Subject]) -> Evaluation:
    """Evaluate every compiled rule against every subject of its kind."""
    rows: list[_Row] = []
    for subject in subjects:
        compiled = plan.get(subject.kind)
        if compiled is not None:
            flags, truths = compiled.evaluate(subject.facts)
            rows.append((compiled, subject, flags, truths))
    return Evaluation(tuple(rows))


def fired_keys(results: Sequence[RuleResult]) -> frozenset[tuple[str, int]]:
    """(rule id, subject index) of every rule that fired."""
    return frozenset([(r.rule.id, r.subject.index) for r in results if r.fired])
