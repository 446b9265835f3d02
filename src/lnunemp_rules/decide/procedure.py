"""A procedure of the standard, as one object: registration (4.1, 4.2) or the review (4.5, 5.5).

Each procedure knows its input model, how its facts are derived, its ruleset, how fired rules
combine into an outcome, its CSV columns and what a sweep or a receipt keeps of its decisions.
Code that handles both (sweeps, fixtures, receipts, the command line) asks the procedure
instead of testing a ``kind`` string.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from ..engines.evaluation import Evaluation, Subject
from ..engines.select import decide_rules
from ..inputs.shapes import field_kinds
from ..inputs.validation import validate_input
from ..rulebook.book import RuleBook
from .decision import DecisionBase, Match

__all__ = ["Prepared", "Procedure"]

InputT = TypeVar("InputT", bound=BaseModel)
DecisionT = TypeVar("DecisionT", bound=DecisionBase)


@dataclass(frozen=True, slots=True)
class Prepared(Generic[InputT]):
    """An input made ready for the rules: validated, with its facts derived (the part of a
    decision that comes before the rules are evaluated)."""

    model: InputT
    #: The date the decision is made on (a review's ``as_of``, an application's date).
    on: dt.date
    book: RuleBook
    #: The procedure's derived facts (ApplicationFacts, RegistrantFacts).
    derived: Any
    subjects: tuple[Subject, ...]


class Procedure(ABC, Generic[InputT, DecisionT]):
    """One procedure of the standard; :data:`lnunemp_rules.decide.PROCEDURES` holds both."""

    #: The name: the ruleset (its folder under rules/), the decision's ``kind``, the CLI word.
    name: ClassVar[str]
    #: The model of the input (an application, a registrant).
    input_model: type[InputT]
    #: The columns of its CSV form (docs/batch.md): dotted paths into the input model.
    csv_columns: ClassVar[tuple[str, ...]]
    #: The outcomes it can reach.
    outcomes: ClassVar[tuple[str, ...]]
    #: Whether a decision needs the date it is made on (a review), besides the input.
    needs_as_of: ClassVar[bool]
    #: The key of the input that holds the person's ID number and name.
    person_key: ClassVar[str]
    #: A required key only this procedure's input has: it tells the kind of a document.
    signature_key: ClassVar[str]
    #: The decision's date fields a fixture may expect (docs: tests/fixtures/README.md).
    date_fields: ClassVar[tuple[str, ...]]

    @cached_property
    def csv_kinds(self) -> Mapping[str, str]:
        """How a CSV cell of each column is read (docs/batch.md): ``bool`` (``true`` or
        ``false``), ``int``, ``number`` or ``text``."""
        return field_kinds(self.input_model, self.csv_columns)

    def validate(self, data: object) -> InputT:
        """``data`` (a model or a mapping) as the input model, or an InputError."""
        return validate_input(self.input_model, data)

    def decide(
        self,
        data: InputT | Mapping[str, Any],
        *,
        as_of: dt.date | str | None = None,
        engine: str | None = None,
        rule_book: RuleBook | None = None,
    ) -> DecisionT:
        """The decision on ``data`` (``as_of``: the date a review is made on)."""
        prepared = self.prepare(data, as_of=as_of, rule_book=rule_book)
        results, engine_name = decide_rules(prepared.book, self.name, prepared.subjects, engine)
        return self.conclude(prepared, results, engine_name)

    def decide_prepared(self, prepared: Sequence[Prepared[InputT]]) -> list[DecisionT]:
        """The decisions on many prepared inputs of one rule book, the rules evaluated over
        all of them at once by the columnar engine (docs/batch.md)."""
        if not prepared:
            return []
        from ..engines.columnar import evaluate_many

        book = prepared[0].book
        if any(p.book is not book for p in prepared):
            raise ValueError("decide_prepared: every input must be prepared with one rule book")
        evaluations = evaluate_many(book, self.name, [p.subjects for p in prepared])
        return [self.conclude(p, e, "columnar") for p, e in zip(prepared, evaluations,
                                                                strict=True)]  # fmt: skip

    @abstractmethod
    def prepare(
        self,
        data: InputT | Mapping[str, Any],
        *,
        as_of: dt.date | str | None = None,
        rule_book: RuleBook | None = None,
    ) -> Prepared[InputT]:
        """``data`` validated and its facts derived, or an InputError."""

    @abstractmethod
    def conclude(self, prepared: Prepared[InputT], results: Evaluation, engine: str) -> DecisionT:
        """The decision, from the prepared input and the evaluation of the rules against it
        (the procedure's combination policy)."""

    @abstractmethod
    def grounds(self, decision: DecisionT) -> tuple[Match, ...]:
        """The matches the outcome rests on: the 4.1.2 categories, or the 4.5 triggers."""

    @abstractmethod
    def matches(self, decision: DecisionT) -> tuple[Match, ...]:
        """Everything the decision matched: the grounds and the 4.2.1 notices."""

    @abstractmethod
    def region(self, model: InputT) -> str | None:
        """The residence region code of the input, for statistics by prefecture (4.3.2)."""

    @abstractmethod
    def summary(self, decision: DecisionT) -> dict[str, Any]:
        """The dates a sweep's compact line keeps of a decision (docs/batch.md)."""

    @abstractmethod
    def receipt_result(self, decision: DecisionT) -> dict[str, Any]:
        """What a receipt records of a decision's result, besides outcome and citations."""

    def __repr__(self) -> str:
        return f"<procedure {self.name}>"
