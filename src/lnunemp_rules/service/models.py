"""The request and response bodies of the decision service, on the library's own models.

Requests embed the input models (:class:`~lnunemp_rules.RegistrationApplication`,
:class:`~lnunemp_rules.Registrant`) and are validated by the library's validation, so a bad
field is named exactly as the command line and the sweep name it. Responses that are a
decision or a receipt are the mirror models of :mod:`lnunemp_rules.report.schemas`; the others
are defined here. Every response body names the rules version and digest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..inputs.models import Registrant
from ..report.schemas import DeadlineModel, ReceiptModel

__all__ = [
    "BatchRequest",
    "BatchResponse",
    "ClauseEntry",
    "DeadlineRequest",
    "DeadlineResponse",
    "ExplainRequest",
    "HealthResponse",
    "Problem",
    "ProblemDetail",
    "ReceiptRequest",
    "ReplayRequest",
    "ReplayResponse",
    "ReviewRequest",
    "RulesResponse",
]

Kind = Literal["registration", "review"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules_version: str = Field(description="rules_version of the rules folder in use.")
    rules_digest: str = Field(description="SHA-256 over every file of the rules folder.")


class ReviewRequest(_Request):
    """A registrant to review as of a date (standard 4.3.1, 4.5, 5.5)."""

    registrant: Registrant
    as_of: dt.date = Field(description="The review date; events after it are ignored.")


class DeadlineRequest(_Request):
    """A submission whose 4.2.2 processing deadline is wanted."""

    submitted: dt.date | dt.datetime = Field(
        description="The submission day, or a timezone-aware time (taken in Asia/Shanghai)."
    )
    channel: Literal["online", "offline"] = Field(
        description="online: 3 working days (4.2.2 应在3个工作日内办结); offline: same day."
    )


class ExplainRequest(_Request):
    """An input to decide and explain, for an auditor or the applicant."""

    kind: Kind
    input: dict[str, Any] = Field(
        description="A RegistrationApplication (kind registration) or a Registrant (review)."
    )
    as_of: dt.date | None = Field(None, description="The review date (required for review).")
    format: Literal["text", "md", "html"] = "text"
    lang: Literal["zh", "en"] = "zh"


class ReceiptRequest(_Request):
    """An input to decide, and a receipt of the decision to keep for replay."""

    kind: Kind
    input: dict[str, Any] = Field(
        description="A RegistrationApplication (kind registration) or a Registrant (review)."
    )
    as_of: dt.date | None = Field(None, description="The review date (required for review).")
    include_input: bool = Field(
        False, description="Embed the input in the receipt (personal data in clear)."
    )


class ReplayRequest(_Request):
    """A receipt to re-check against the rules in use."""

    receipt: ReceiptModel
    input: dict[str, Any] | None = Field(
        None, description="The decision's input, when the receipt does not embed it."
    )


class BatchRequest(_Request):
    """Many inputs of one kind, decided in one request (compact results, docs/batch.md)."""

    kind: Kind
    as_of: dt.date | None = Field(None, description="The review date (required for review).")
    records: list[dict[str, Any]] = Field(
        description="Applications or registrants; each is validated on its own."
    )


class DeadlineResponse(_Response):
    """The 4.2.2 deadline with its day-by-day derivation."""

    deadline: DeadlineModel


class ReplayResponse(_Response):
    """Whether the receipt's decision is reproduced, and each difference if not."""

    identical: bool
    differences: list[dict[str, Any]]
    notes: list[str]


class BatchResponse(_Response):
    """One result per record, in order: a compact decision or ``{"field", "error"}``."""

    kind: Kind
    results: list[dict[str, Any]]


class ClauseEntry(BaseModel):
    """A citable clause of the standard or national rule."""

    id: str
    source: Literal["standard", "national"]
    title_zh: str
    title_en: str


class RulesResponse(_Response):
    """The rules in use: versions, digest, the hash of each file and every clause."""

    library_version: str
    file_hashes: dict[str, str]
    clauses: list[ClauseEntry]


class HealthResponse(_Response):
    """Liveness or readiness."""

    status: Literal["ok", "ready"]


class ProblemDetail(BaseModel):
    """One problem of a request: the field (a dotted path into the body) and what is wrong."""

    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``), listing every problem."""

    type: str
    title: str
    status: int
    detail: str
    problems: list[ProblemDetail] = Field(default_factory=list)
    rules_version: str | None = None
    rules_digest: str | None = None
