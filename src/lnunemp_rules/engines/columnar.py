"""The columnar engine: the same compiled rules evaluated over a whole partition at once.

The subjects of many records (applications; registrants and their events) are laid out as
Arrow columns, one per fact the rules read, typed from the fact catalogue (rules/facts.yaml);
each condition of each rule becomes one vectorised comparison over its column(s), and each
rule's fired flag the conjunction of its conditions. The result is the same ``(fired flags,
condition truths)`` per subject that :mod:`.evaluation` gives, so the procedures combine it
into decisions unchanged (no rule and no combination policy is written twice), and the
differential test (tests/test_columnar.py) checks both against each other.

The rule language is the one of :mod:`..rulebook.rules`, read generically: a new fact or a
new rule needs no change here. The semantics are those of the compiled evaluator: a
comparison with an absent fact is false, except ``absent``; a comparison of two facts needs
both.

Why pyarrow compute (not polars): measured on 20,000 generated applications (29 facts, 50
conditions), building the columns from the facts took 2.0 us per record with pyarrow and
2.4-2.7 us with polars, the comparisons 0.2 us with either and reading the truths back
1.6 us with either; and Arrow is what Dask dataframes and Spark's ``mapInArrow`` hand over,
so a partition needs no conversion there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any, Final

from ..errors import InputError
from ..rulebook.book import RuleBook
from ..rulebook.facts import FactCatalogue
from ..rulebook.memos import Memo
from ..rulebook.rules import AnyOf, Comparison, Condition
from .evaluation import CompiledRules, Evaluation, Subject, plan_for

__all__ = ["columnar_available", "evaluate_many"]

_Table = Any  # a pyarrow.Table; pyarrow ships no type information


def _arrow() -> tuple[Any, Any]:
    """pyarrow and pyarrow.compute, or an InputError naming the extra that installs them."""
    try:
        import pyarrow
        import pyarrow.compute
    except ImportError as exc:  # pragma: no cover - the test extra installs pyarrow
        raise InputError(
            "engine", "'columnar' needs pyarrow; install lnunemp-rules[columnar]"
        ) from exc
    return pyarrow, pyarrow.compute


def columnar_available() -> bool:
    """Whether pyarrow imports here."""
    try:
        _arrow()
    except InputError:  # pragma: no cover
        return False
    return True


_TYPES: Final[Mapping[str, str]] = {
    "bool": "bool_", "int": "int64", "number": "float64", "date": "int64", "enum": "string",
}  # fmt: skip
_COMPARE: Final[Mapping[str, str]] = {
    "==": "equal", "!=": "not_equal", "<": "less", "<=": "less_equal", ">": "greater",
    ">=": "greater_equal",
}  # fmt: skip

_Vector = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True, slots=True)
class _ColumnProgram:
    """One subject kind's rules as vectorised comparisons over typed fact columns."""

    compiled: CompiledRules
    #: (fact name, Arrow type) of every fact the rules read, in first-read order.
    columns: tuple[tuple[str, Any], ...]
    #: One function per condition, in rule order: columns -> BooleanArray (no nulls).
    conditions: tuple[_Vector, ...]


class _Compiler:
    def __init__(self, catalogue: FactCatalogue, kind: str) -> None:
        self.pa, self.pc = _arrow()
        self.catalogue = catalogue
        self.kind = kind
        self.columns: dict[str, Any] = {}

    def _column(self, fact: str) -> Any:
        if fact not in self.columns:
            spec = self.catalogue.get(self.kind, fact)
            type_name = _TYPES[spec.type] if spec is not None else "string"
            self.columns[fact] = getattr(self.pa, type_name)()
        return self.columns[fact]

    def comparison(self, c: Comparison) -> _Vector:
        pc = self.pc
        fact, op = c.fact, c.op
        arrow_type = self._column(fact)
        if op == "present":
            return lambda cols: pc.is_valid(cols[fact])
        if op == "absent":
            return lambda cols: pc.is_null(cols[fact])
        if c.ref is not None:
            ref, name = c.ref, _COMPARE[op]
            self._column(ref)
            return lambda cols: pc.fill_null(getattr(pc, name)(cols[fact], cols[ref]), False)
        if op in ("in", "not in"):
            values = self.pa.array(list(c.value), type=arrow_type)
            negate = op == "not in"

            def member(cols: Mapping[str, Any]) -> Any:
                column = cols[fact]
                found = pc.is_in(column, value_set=values)
                if negate:
                    found = pc.invert(found)
                return pc.and_(pc.is_valid(column), found)

            return member
        scalar = self.pa.scalar(c.value, type=arrow_type)
        compare = getattr(pc, _COMPARE[op])
        return lambda cols: pc.fill_null(compare(cols[fact], scalar), False)

    def condition(self, condition: Condition) -> _Vector:
        if isinstance(condition, AnyOf):
            options = [self.comparison(o) for o in condition.options]
            pc = self.pc

            def any_of(cols: Mapping[str, Any]) -> Any:
                result = options[0](cols)
                for option in options[1:]:
                    result = pc.or_(result, option(cols))
                return result

            return any_of
        return self.comparison(condition)

    def compile(self, compiled: CompiledRules) -> _ColumnProgram:
        conditions = tuple(self.condition(c) for rule in compiled.rules for c in rule.when)
        return _ColumnProgram(compiled, tuple(self.columns.items()), conditions)


# Per rule book and ruleset: the column programs of its subject kinds.
_PROGRAMS: Memo[str, dict[str, _ColumnProgram]] = Memo("columnar programs", 8)


def _programs(book: RuleBook, ruleset: str) -> dict[str, _ColumnProgram]:
    memo = book.memo(_PROGRAMS)
    found = memo.get(ruleset)
    if found is None:
        found = memo[ruleset] = {
            kind: _Compiler(book.catalogue, kind).compile(compiled)
            for kind, compiled in plan_for(book, ruleset).items()
        }
    return found


def _evaluate_kind(
    program: _ColumnProgram, facts: Sequence[Mapping[str, Any]]
) -> list[tuple[tuple[bool, ...], tuple[bool, ...]]]:
    """(fired flags, condition truths) per subject, from one pass over the columns."""
    pa, pc = _arrow()
    cols = {
        name: pa.array([f.get(name) for f in facts], type=arrow_type)
        for name, arrow_type in program.columns
    }
    truths = [condition(cols) for condition in program.conditions]
    flags = []
    for start, end in program.compiled.spans:
        if start == end:
            flags.append([True] * len(facts))
            continue
        fired = truths[start]
        for truth in truths[start + 1 : end]:
            fired = pc.and_(fired, truth)
        flags.append(fired.to_pylist())
    truth_rows = (
        zip(*[t.to_pylist() for t in truths], strict=True) if truths else (() for _ in facts)
    )
    return list(zip(zip(*flags, strict=True), truth_rows, strict=True))


def evaluate_many(
    book: RuleBook, ruleset: str, records: Sequence[Sequence[Subject]]
) -> list[Evaluation]:
    """One :class:`Evaluation` per record (a record's subjects), each equal to what
    :func:`.evaluation.evaluate` gives for it, computed kind by kind over all records at once."""
    programs = _programs(book, ruleset)
    by_kind: dict[str, list[Subject]] = {}
    for subjects in records:
        for subject in subjects:
            if subject.kind in programs:
                by_kind.setdefault(subject.kind, []).append(subject)
    results = {
        kind: iter(_evaluate_kind(programs[kind], [s.facts for s in subjects]))
        for kind, subjects in by_kind.items()
    }
    evaluations = []
    for subjects in records:
        rows = []
        for subject in compress(subjects, (s.kind in programs for s in subjects)):
            flags, truths = next(results[subject.kind])
            rows.append((programs[subject.kind].compiled, subject, flags, truths))
        evaluations.append(Evaluation(tuple(rows)))
    return evaluations
