"""Decisions: what was decided, on which clauses, from which facts, and how.

Decisions are plain frozen dataclasses (cheap to build in a sweep); ``to_dict()`` gives the
JSON form and :func:`decision_json_schema` its schema. ``explain()`` renders text for an
auditor with personal data masked.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from ._calendar import Deadline
from ._evaluate import Evaluation, RuleResult
from ._facts import Derivation
from ._ruleset import AnyOf, Comparison

__all__ = [
    "Citation",
    "DecisionMeta",
    "DeregistrationDecision",
    "Match",
    "Reason",
    "RegistrationDecision",
    "TraceEntry",
    "new_registration_decision",
]

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
    """A 4.1.2 category, a 4.5 trigger or a 4.2.1 notice that applies."""

    rule_id: str
    clause: Citation
    citations: tuple[Citation, ...]
    effective_date: dt.date | None = None
    events: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "clause": self.clause.to_dict(),
            "citations": [c.id for c in self.citations],
            "effective_date": _json_value(self.effective_date),
            "events": list(self.events),
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


def _date_fact(name: str, value: Any) -> Any:
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and (name in ("date", "as_of", "unemployment_date") or name.startswith("contact_lapse"))
    ):
        return dt.date.fromordinal(value)
    return value


def _trace_entry(result: RuleResult) -> TraceEntry:
    conditions: list[TraceCondition] = []
    for c in result.conditions:
        cond = c.condition
        if isinstance(cond, AnyOf):
            conditions.append(
                TraceCondition(cond.describe(), "any", _json_value(c.actual), c.holds)
            )
            continue
        assert isinstance(cond, Comparison)
        actual = c.actual
        if isinstance(actual, dict):
            actual = {k: _date_fact(k, v) for k, v in actual.items()}
        else:
            actual = _date_fact(cond.fact, actual)
        required = cond.required()
        if cond.ref is None and cond.op not in ("present", "absent"):
            shown = _date_fact(cond.fact, cond.value)
            if shown is not cond.value:
                required = f"{cond.op} {shown.isoformat()}"
        conditions.append(TraceCondition(cond.describe(), required, actual, c.holds))
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
class _DecisionBase:
    outcome: str
    reasons: tuple[Reason, ...]
    missing_facts: tuple[str, ...]
    derivations: tuple[Derivation, ...]
    warnings: tuple[str, ...]
    meta: DecisionMeta
    _results: Evaluation = field(repr=False, compare=False)
    #: Clauses the outcome rests on beyond its matches and reasons: 4.1.4 for an incomplete
    #: application, 4.5 and 5.5 for a registrant who stays registered, and so on.
    basis: tuple[Citation, ...] = ()

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        """Every rule evaluated, fired or not, with each condition's actual and required value."""
        return tuple(_trace_entry(r) for r in self._results.all)

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

    def _base_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "reasons": [r.to_dict() for r in self.reasons],
            "missing_facts": list(self.missing_facts),
            "citations": list(self.citations),
            "derivations": [d.to_dict() for d in self.derivations],
            "warnings": list(self.warnings),
            "trace": [t.to_dict() for t in self.trace],
            "meta": self.meta.to_dict(),
        }

    def to_json(self, **kwargs: Any) -> str:
        """JSON text of :meth:`to_dict`."""
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def explain(self, lang: Literal["zh", "en"] = "en") -> str:
        """Text an auditor can read; personal data masked."""
        from ._explain import explain_decision

        return explain_decision(self, lang)


@dataclass(frozen=True)
class RegistrationDecision(_DecisionBase):
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

    def to_dict(self) -> dict[str, Any]:
        data = {"kind": self.kind, **self._base_dict()}
        data["categories"] = [m.to_dict() for m in self.categories]
        data["notices"] = [m.to_dict() for m in self.notices]
        data["deadline"] = self.deadline.to_dict() if self.deadline is not None else None
        return data


# The fields of RegistrationDecision in the order its generated __init__ sets them. Building
# one through the frozen dataclass's __init__ costs a call to object.__setattr__ per field;
# new_registration_decision sets the same instance dict directly (there is no __post_init__
# and no field has a default factory), which gives an equal object with the same attributes
# in the same order. Checked at import so a new field cannot be forgotten.
_REGISTRATION_FIELDS = (
    "outcome", "reasons", "missing_facts", "derivations", "warnings", "meta", "_results",
    "basis", "categories", "notices", "deadline", "kind", "deadline_citation",
)  # fmt: skip
if tuple(f.name for f in fields(RegistrationDecision)) != _REGISTRATION_FIELDS or hasattr(
    RegistrationDecision, "__post_init__"
):  # pragma: no cover - guards a change to the class above
    raise RuntimeError("RegistrationDecision's fields changed: update new_registration_decision")


def new_registration_decision(
    outcome: str,
    reasons: tuple[Reason, ...],
    missing_facts: tuple[str, ...],
    derivations: tuple[Derivation, ...],
    warnings: tuple[str, ...],
    meta: DecisionMeta,
    results: Evaluation,
    basis: tuple[Citation, ...],
    categories: tuple[Match, ...],
    notices: tuple[Match, ...],
    deadline: Deadline | None,
    deadline_citation: Citation | None,
) -> RegistrationDecision:
    """``RegistrationDecision(...)`` with these values, without the per-field setattr calls."""
    decision: RegistrationDecision = object.__new__(RegistrationDecision)
    decision.__dict__.update(
        outcome=outcome,
        reasons=reasons,
        missing_facts=missing_facts,
        derivations=derivations,
        warnings=warnings,
        meta=meta,
        _results=results,
        basis=basis,
        categories=categories,
        notices=notices,
        deadline=deadline,
        kind="registration",
        deadline_citation=deadline_citation,
    )
    return decision


@dataclass(frozen=True)
class DeregistrationDecision(_DecisionBase):
    """The decision of the periodic review for one registrant as of a date."""

    triggers: tuple[Match, ...] = ()
    effective_date: dt.date | None = None
    next_review_date: dt.date | None = None
    kind: Literal["review"] = "review"

    def _cited(self) -> list[tuple[Citation, ...]]:
        return [*(m.citations for m in self.triggers), *(r.citations for r in self.reasons),
                self.basis]  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        data = {"kind": self.kind, **self._base_dict()}
        data["triggers"] = [m.to_dict() for m in self.triggers]
        data["effective_date"] = _json_value(self.effective_date)
        data["next_review_date"] = _json_value(self.next_review_date)
        return data
