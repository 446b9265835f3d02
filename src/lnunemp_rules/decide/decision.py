"""Decisions: what was decided, on which clauses, from which facts, and how.

Decisions are plain frozen dataclasses (cheap to build in a sweep); ``to_dict()`` gives the
JSON form (``lnunemp-rules schema registration-decision`` its schema). ``explain()`` renders
text for an auditor with personal data masked.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields
from typing import Any, Literal, NamedTuple

from ..engines.evaluation import Evaluation, RuleResult, actual_values
from ..explain.document import Lang, Personal, build_document
from ..explain.formats import Format, render_text
from ..explain.formats import render as render_data
from ..law.calendar import Deadline
from ..rulebook.book import RuleBook
from ..rulebook.memos import Memo
from ..rulebook.rules import AnyOf, Comparison, Rule

__all__ = [
    "Citation",
    "Decision",
    "DecisionBase",
    "DecisionMeta",
    "DeregistrationDecision",
    "Derivation",
    "Match",
    "Reason",
    "RegistrationDecision",
    "TraceEntry",
    "View",
    "Warning",
]

#: How much of a decision its JSON form holds: ``full`` (everything, the default) or ``basic``
#: (no ``derivations`` and no ``trace``: what a caller acts on, without the evidence).
View = Literal["full", "basic"]
RegistrationOutcome = Literal["eligible", "ineligible", "needs_review", "incomplete"]
ReviewOutcome = Literal["deregister", "remain_registered", "needs_review"]


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


class Derivation(NamedTuple):
    """How one derived fact was obtained, in English (``how``) and Chinese (``how_zh``).

    ``sources`` and ``sources_zh`` are parallel: each is a clause or national-rule id of
    rules/clauses.yaml (the same in both, named in words by explanations) or a source's text.
    A named tuple rather than a frozen dataclass: a decision makes several, and a tuple is
    made in half the time (0.21 us against 0.45 us, docs/performance.md).
    """

    fact: str
    value: Any
    how: str
    sources: tuple[str, ...] = ()
    how_zh: str = ""
    sources_zh: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        return {"fact": self.fact, "value": value, "how": self.how, "how_zh": self.how_zh,
                "sources": list(self.sources),
                "sources_zh": list(self.sources_zh or self.sources)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Warning:
    """Something a reader must know that is not a reason of the outcome, in both languages."""

    code: str
    text_zh: str
    text_en: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text_zh": self.text_zh, "text_en": self.text_en}


@dataclass(frozen=True, slots=True)
class Citation:
    """A clause of the standard or a national rule, with its titles."""

    id: str
    title_zh: str
    title_en: str
    source: Literal["standard", "national"]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title_zh": self.title_zh, "title_en": self.title_en,
                "source": self.source}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Match:
    """A 4.1.2 category, a 4.5 trigger or a 4.2.1 notice that applies.

    ``events`` are the indexes (from 0, as in the input) of the events behind a trigger;
    ``recorded`` the reasons recorded with them, for 4.5(15) "其他", whose whole ground is that
    text (personal data in it masked, docs/api.md).
    """

    rule_id: str
    clause: Citation
    citations: tuple[Citation, ...]
    effective_date: dt.date | None = None
    events: tuple[int, ...] = ()
    recorded: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "clause": self.clause.to_dict(),
            "citations": [c.id for c in self.citations],
            "effective_date": _json_value(self.effective_date),
            "events": list(self.events),
            "recorded": list(self.recorded),
        }


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an outcome is negative or undecided, citing its clause."""

    rule_id: str
    effect: str
    clause: Citation
    citations: tuple[Citation, ...]
    text_zh: str
    text_en: str
    missing: tuple[str, ...] = ()
    events: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "effect": self.effect,
            "clause": self.clause.to_dict(),
            "citations": [c.id for c in self.citations],
            "text_zh": self.text_zh,
            "text_en": self.text_en,
            "missing": list(self.missing),
            "events": list(self.events),
        }


@dataclass(frozen=True, slots=True)
class TraceCondition:
    condition: str
    required: str
    actual: Any
    holds: bool

    def to_dict(self) -> dict[str, Any]:
        return {"condition": self.condition, "required": self.required,
                "actual": _json_value(self.actual), "holds": self.holds}  # fmt: skip


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One rule evaluated against one subject, fired or not."""

    rule_id: str
    clause: str
    effect: str
    subject: str
    fired: bool
    conditions: tuple[TraceCondition, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "clause": self.clause,
            "effect": self.effect,
            "subject": self.subject,
            "fired": self.fired,
            "conditions": [c.to_dict() for c in self.conditions],
        }


def _shown(comparison: Comparison, value: Any) -> Any:
    """A fact value as the trace shows it: a ``date`` fact (held as an ordinal) as a date."""
    if comparison.type == "date" and isinstance(value, int) and not isinstance(value, bool):
        return dt.date.fromordinal(value)
    return value


def _condition_texts(rule: Rule) -> tuple[tuple[str, str], ...]:
    """Per condition of a rule, what a trace says it is and what it requires: the same in
    every decision, so a rule book works them out once per rule (:data:`_TRACE_TEXTS`)."""
    texts: list[tuple[str, str]] = []
    for cond in rule.when:
        if isinstance(cond, AnyOf):
            texts.append((cond.describe(), "any"))
            continue
        required = cond.required()
        if cond.ref is None and cond.op not in ("present", "absent"):
            shown = _shown(cond, cond.value)
            if shown is not cond.value:
                required = f"{cond.op} {shown.isoformat()}"
        texts.append((cond.describe(), required))
    return tuple(texts)


# Per rule book: rule id -> its conditions' trace texts. A trace shows every rule of its
# ruleset, and their texts were built again for each decision. With this memory, and the
# actual values read without ConditionResult objects, a full to_dict() went from 650-663 to
# 445-458 us per registration and from 972-999 to 573-584 us per review (2,000 generated
# inputs of each, best of 3, old and new code alternating twice in one shell, load ~1).
_TRACE_TEXTS: Memo[str, tuple[tuple[str, str], ...]] = Memo("trace texts", 2_000)


def _trace_entry(result: RuleResult, book: RuleBook | None) -> TraceEntry:
    rule = result.rule
    if book is None:
        texts = _condition_texts(rule)
    else:
        texts = book.recall(_TRACE_TEXTS, rule.id, lambda: _condition_texts(rule))
    facts = result.subject.facts
    conditions: list[TraceCondition] = []
    for cond, (said, required), holds in zip(rule.when, texts, result.truths, strict=True):
        actual = actual_values(cond, facts)
        if isinstance(cond, AnyOf):
            actual = _json_value(actual)
        elif isinstance(actual, dict):
            actual = {k: _shown(cond, v) for k, v in actual.items()}
        else:
            actual = _shown(cond, actual)
        conditions.append(TraceCondition(said, required, actual, holds))
    subject = result.subject
    where = {"application": "application", "registrant": "registrant"}.get(
        subject.kind, f"events[{subject.index}]"
    )
    return TraceEntry(result.rule.id, result.rule.clause, result.rule.effect, where,
                      result.fired, tuple(conditions))  # fmt: skip


@dataclass(frozen=True, slots=True)
class DecisionMeta:
    """What an auditor needs to replay the decision."""

    library_version: str
    rules_version: str
    rules_digest: str
    engine: str
    as_of: dt.date
    subject_masked: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "library_version": self.library_version,
            "rules_version": self.rules_version,
            "rules_digest": self.rules_digest,
            "engine": self.engine,
            "as_of": self.as_of.isoformat(),
            "subject": self.subject_masked,
        }


@dataclass(frozen=True)
class DecisionBase:
    """What every decision has: outcome, reasons, missing facts, derivations, trace, meta."""

    outcome: str
    reasons: tuple[Reason, ...]
    missing_facts: tuple[str, ...]
    derivations: tuple[Derivation, ...]
    warnings: tuple[Warning, ...]
    meta: DecisionMeta
    _results: Evaluation = field(repr=False, compare=False)
    #: Clauses the outcome rests on beyond its matches and reasons: 4.1.4 for an incomplete
    #: application, 4.5 and 5.5 for a registrant who stays registered, and so on.
    basis: tuple[Citation, ...] = ()
    #: The rule book that made the decision: its words explain it (rules/glossary.yaml).
    _book: RuleBook | None = field(default=None, repr=False, compare=False)

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        """Every rule evaluated, fired or not, with each condition's actual and required value."""
        book = self._book
        return tuple(_trace_entry(r, book) for r in self._results.all)

    @property
    def citations(self) -> tuple[str, ...]:
        """Every clause and national rule the decision rests on, in order, without repeats."""
        seen: dict[str, None] = {}
        for group in self._cited():
            for c in group:
                seen.setdefault(c.id, None)
        return tuple(seen)

    def _cited(self) -> list[tuple[Citation, ...]]:
        return [*(r.citations for r in self.reasons), self.basis]

    def _base_dict(self, view: View) -> dict[str, Any]:
        if view not in ("full", "basic"):
            raise ValueError(f"view must be 'full' or 'basic', not {view!r}")
        data: dict[str, Any] = {
            "outcome": self.outcome,
            "reasons": [r.to_dict() for r in self.reasons],
            "missing_facts": list(self.missing_facts),
            "citations": list(self.citations),
        }
        # The trace is most of a full decision's cost (docs/performance.md, "Decisions over
        # HTTP"): the basic view never builds it.
        if view == "full":
            data["derivations"] = [d.to_dict() for d in self.derivations]
        data["warnings"] = [w.to_dict() for w in self.warnings]
        if view == "full":
            data["trace"] = [t.to_dict() for t in self.trace]
        data["meta"] = self.meta.to_dict()
        return data

    def to_json(self, view: View = "full", **kwargs: Any) -> str:
        """JSON text of :meth:`to_dict` (``kwargs`` go to ``json.dumps``)."""
        return json.dumps(self.to_dict(view), ensure_ascii=False, **kwargs)

    def to_dict(self, view: View = "full") -> dict[str, Any]:  # pragma: no cover - overridden
        """The JSON form: everything (``full``), or without ``derivations`` and ``trace``
        (``basic``)."""
        raise NotImplementedError

    def explain(self, lang: Lang = "en", *, technical: bool = False) -> str:
        """Text an auditor can read, wholly in ``lang``; the ID number appears masked, names
        never. ``technical`` adds rule ids and every condition evaluated."""
        data = self.to_dict()
        return render_text(build_document(data, lang, book=self._book, technical=technical))

    def render(
        self,
        fmt: Format = "text",
        lang: Lang = "en",
        personal: Personal | None = None,
        *,
        technical: bool = False,
    ) -> str:
        """The explanation as text, Markdown or a self-contained HTML page. Personal data from
        the input (``personal``) is shown only if it asks to be."""
        return render_data(self.to_dict(), fmt=fmt, lang=lang, personal=personal,
                           book=self._book, technical=technical)  # fmt: skip


@dataclass(frozen=True)
class RegistrationDecision(DecisionBase):
    """The decision on one registration application."""

    categories: tuple[Match, ...] = ()
    notices: tuple[Match, ...] = ()
    deadline: Deadline | None = None
    kind: Literal["registration"] = "registration"

    deadline_citation: Citation | None = None

    def _cited(self) -> list[tuple[Citation, ...]]:
        deadline = (self.deadline_citation,) if self.deadline_citation is not None else ()
        return [
            *(m.citations for m in self.categories),
            *(r.citations for r in self.reasons),
            *(m.citations for m in self.notices),
            deadline,
            self.basis,
        ]

    def to_dict(self, view: View = "full") -> dict[str, Any]:
        data = {"kind": self.kind, **self._base_dict(view)}
        data["categories"] = [m.to_dict() for m in self.categories]
        data["notices"] = [m.to_dict() for m in self.notices]
        data["deadline"] = self.deadline.to_dict() if self.deadline is not None else None
        return data

    @classmethod
    def _assemble(
        cls,
        outcome: str,
        reasons: tuple[Reason, ...],
        missing_facts: tuple[str, ...],
        derivations: tuple[Derivation, ...],
        warnings: tuple[Warning, ...],
        meta: DecisionMeta,
        results: Evaluation,
        basis: tuple[Citation, ...],
        book: RuleBook,
        categories: tuple[Match, ...],
        notices: tuple[Match, ...],
        deadline: Deadline | None,
        deadline_citation: Citation | None,
    ) -> RegistrationDecision:
        """``RegistrationDecision(...)`` with these values, without the frozen ``__init__``'s
        call to ``object.__setattr__`` per field: the same fields in the same order in the
        instance dict (the class has no ``__post_init__``; an import-time check below fails
        if its fields change).

        Measured (docs/performance.md, "decision assembly"): 0.3 us instead of 1.6 us, about
        5% of a registration decision, of which a sweep makes millions. Reviews use the plain
        constructor (well under 5% of theirs). tests/test_oracles.py checks the two give
        equal objects.
        """
        decision: RegistrationDecision = object.__new__(cls)
        decision.__dict__.update(
            outcome=outcome, reasons=reasons, missing_facts=missing_facts,
            derivations=derivations, warnings=warnings, meta=meta, _results=results,
            basis=basis, _book=book, categories=categories, notices=notices,
            deadline=deadline, kind="registration", deadline_citation=deadline_citation,
        )  # fmt: skip
        return decision


_ASSEMBLED = ("outcome", "reasons", "missing_facts", "derivations", "warnings", "meta",
              "_results", "basis", "_book", "categories", "notices", "deadline", "kind",
              "deadline_citation")  # fmt: skip
if tuple(f.name for f in fields(RegistrationDecision)) != _ASSEMBLED or hasattr(
    RegistrationDecision, "__post_init__"
):  # pragma: no cover - guards a change to the class above
    raise RuntimeError("RegistrationDecision's fields changed: update its _assemble")


@dataclass(frozen=True)
class DeregistrationDecision(DecisionBase):
    """The decision of the periodic review for one registrant as of a date."""

    triggers: tuple[Match, ...] = ()
    effective_date: dt.date | None = None
    #: The day the ground was established: the review's as-of date (a deregistration only).
    established_date: dt.date | None = None
    #: Which date took effect (convention deregistration_effective_date): ``ground_date`` or
    #: ``established_date``; None unless deregistered.
    effective_date_from: str | None = None
    next_review_date: dt.date | None = None
    kind: Literal["review"] = "review"

    def _cited(self) -> list[tuple[Citation, ...]]:
        return [*(m.citations for m in self.triggers), *(r.citations for r in self.reasons),
                self.basis]  # fmt: skip

    def to_dict(self, view: View = "full") -> dict[str, Any]:
        data = {"kind": self.kind, **self._base_dict(view)}
        data["triggers"] = [m.to_dict() for m in self.triggers]
        data["effective_date"] = _json_value(self.effective_date)
        data["established_date"] = _json_value(self.established_date)
        data["effective_date_from"] = self.effective_date_from
        data["next_review_date"] = _json_value(self.next_review_date)
        return data


Decision = RegistrationDecision | DeregistrationDecision
