"""The JSON Schemas of inputs, decisions and receipts (``lnunemp-rules schema NAME``).

Inputs: the pydantic models' own schemas (standard 4.1.3 fields, 4.5 events). Decisions and
receipts are plain dataclasses / dicts; their JSON form is described by the mirror models
below (``extra="forbid"``), which tests keep in sync by validating real ``to_dict()`` output
and receipts against them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..decide import PROCEDURES
from ..rulebook.book import VERSION_PATTERN

__all__ = [
    "SCHEMAS",
    "ReceiptModel",
    "RegistrationDecisionModel",
    "ReviewDecisionModel",
    "json_schema",
]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CitationModel(_M):
    id: str
    title_zh: str
    title_en: str
    source: Literal["standard", "national"]


class MatchModel(_M):
    rule_id: str
    clause: CitationModel
    citations: list[str]
    effective_date: dt.date | None
    events: list[int]
    recorded: list[str] = Field(
        description="For a ground recorded as text (4.5(15)), the reasons recorded with its "
        "events, personal data masked."
    )


class ReasonModel(_M):
    rule_id: str
    effect: str
    clause: CitationModel
    citations: list[str]
    text_zh: str
    text_en: str
    missing: list[str]
    events: list[int]


class TraceConditionModel(_M):
    condition: str
    required: str
    actual: Any
    holds: bool


class TraceEntryModel(_M):
    rule_id: str
    clause: str
    effect: str
    subject: str
    fired: bool
    conditions: list[TraceConditionModel]


class DerivationModel(_M):
    fact: str
    value: Any
    how: str
    how_zh: str
    sources: list[str]
    sources_zh: list[str]


class WarningModel(_M):
    code: str
    text_zh: str
    text_en: str


class MetaModel(_M):
    library_version: str
    rules_version: str
    rules_digest: str
    engine: str
    as_of: dt.date
    subject: str | None


class DayStepModel(_M):
    date: dt.date
    weekday: str
    working: bool
    reason: str
    reason_zh: str
    working_day_number: int | None


class DeadlineModel(_M):
    submitted: dt.date
    channel: Literal["online", "offline"]
    working_days: int
    date: dt.date
    steps: list[DayStepModel]
    sources: list[str]
    sources_zh: list[str]
    basis: list[str]


class _DecisionModel(_M):
    outcome: str
    reasons: list[ReasonModel]
    missing_facts: list[str]
    citations: list[str]
    derivations: list[DerivationModel]
    warnings: list[WarningModel]
    trace: list[TraceEntryModel]
    meta: MetaModel


class RegistrationDecisionModel(_DecisionModel):
    """JSON form of a registration decision (``RegistrationDecision.to_dict()``)."""

    kind: Literal["registration"]
    outcome: Literal["eligible", "ineligible", "needs_review", "incomplete"]
    categories: list[MatchModel]
    notices: list[MatchModel]
    deadline: DeadlineModel | None


class ReviewDecisionModel(_DecisionModel):
    """JSON form of a review decision (``DeregistrationDecision.to_dict()``)."""

    kind: Literal["review"]
    outcome: Literal["deregister", "remain_registered", "needs_review"]
    triggers: list[MatchModel]
    effective_date: dt.date | None
    established_date: dt.date | None
    effective_date_from: Literal["ground_date", "established_date"] | None
    next_review_date: dt.date | None


# A receipt's fields have the shapes the library writes, so that a replay refuses (without
# repeating it) any other text: an edited field never reaches a message or a difference.
_RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(?:[.:-][a-z0-9]+)*$", max_length=64)]
# A clause of the standard (4.1.2(10), 4.4.2bis) or a national rule's id (labour-law-art15).
_ClauseId = Annotated[
    str,
    Field(
        pattern=r"^(?:[0-9]+(?:\.[0-9]+)+(?:bis)?(?:\([0-9]+\))?|[a-z][a-z0-9]*(?:-[a-z0-9]+)+)$"
    ),
]
_FieldPath = Annotated[str, Field(pattern=r"^[a-z_]+(?:\[[0-9]*\])?(?:\.[a-z_]+)*$",
                                  max_length=100)]  # fmt: skip
_Hex64 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
_Version = Annotated[str, Field(pattern=VERSION_PATTERN, max_length=32)]
_Outcome = Literal["eligible", "ineligible", "needs_review", "incomplete", "deregister",
                   "remain_registered"]  # fmt: skip


class _TriggerResult(_M):
    rule_id: _RuleId
    effective_date: dt.date | None


class _ReceiptResult(_M):
    outcome: _Outcome
    citations: list[_ClauseId]
    reasons: list[_RuleId]
    missing_facts: list[_FieldPath]
    categories: list[_RuleId] | None = None
    notices: list[_RuleId] | None = None
    deadline: dt.date | None = None
    triggers: list[_TriggerResult] | None = None
    effective_date: dt.date | None = None
    next_review_date: dt.date | None = None


class ReceiptModel(_M):
    """A decision receipt (``make_receipt``), read back by ``replay``."""

    receipt_version: Literal[2]
    kind: Literal["registration", "review"]
    as_of: dt.date
    subject: Annotated[str, Field(pattern=r"^[0-9]{6}\*{11}[0-9X]$")] | None = Field(
        description="The ID number masked: its address code and check character only."
    )
    input_digest: Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]
    rules_version: _Version
    rules_digest: _Hex64
    file_hashes: dict[Annotated[str, Field(pattern=r"^[A-Za-z0-9_./-]{1,200}$")], _Hex64] | None
    engine: Literal["python", "durable"]
    library_version: _Version
    result: _ReceiptResult
    input: dict[str, Any] | None = None
    digest: Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]
    signature: Annotated[str, Field(pattern=r"^hmac-sha256:[0-9a-f]{64}$")] | None = None


def _input_schema(name: str) -> Callable[[], dict[str, Any]]:
    model: type[BaseModel] = PROCEDURES[name].input_model
    return model.model_json_schema


#: Schema name -> the function that gives it.
SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    **{f"{name}-input": _input_schema(name) for name in PROCEDURES},
    "registration-decision": RegistrationDecisionModel.model_json_schema,
    "review-decision": ReviewDecisionModel.model_json_schema,
    "receipt": ReceiptModel.model_json_schema,
}


#: The dialect pydantic writes (its docs: JSON Schema draft 2020-12), named in every schema.
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema called ``name`` (a key of :data:`SCHEMAS`), naming its dialect."""
    return {"$schema": DIALECT, **SCHEMAS[name]()}
