"""The decision service's endpoints (FastAPI), version 1.

Bodies are read and validated by the library (:func:`lnunemp_rules.inputs.validation.
validate_input`), not by FastAPI, so every problem is named as the command line and the sweep
name it, values are never echoed, and a document of the wrong kind is said to be one. The
OpenAPI document still describes every body with the library's models (:mod:`.openapi`).
Decisions are encoded once, by the decision's own ``to_json``.

Endpoints run on the event loop: a decision takes tens of microseconds, a batch at most
``max_batch`` of them, so no thread hop is worth its cost.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request, Response
from starlette.exceptions import HTTPException

from ..batch.sweep import assess_partition
from ..decide import PROCEDURES, guess_kind, procedure
from ..errors import (
    CalendarCoverageError,
    EngineUnavailableError,
    InputError,
    LnunempError,
    MinimumWageNotInForceError,
)
from ..inputs.validation import validate_input
from ..report.receipts import make_receipt, replay
from ..report.schemas import ReceiptModel, RegistrationDecisionModel, ReviewDecisionModel
from ..rulebook.book import RuleBook, load_rule_book
from ..state import library_version
from .gate import Gate
from .models import (
    BatchRequest,
    BatchResponse,
    DeadlineRequest,
    DeadlineResponse,
    ExplainRequest,
    HealthResponse,
    ReceiptRequest,
    ReplayRequest,
    ReplayResponse,
    ReviewRequest,
    RulesResponse,
)
from .openapi import ERRORS, describe
from .problems import MEDIA_TYPE, problem_body
from .settings import ServiceSettings

__all__ = ["create_app"]

API = "/v1"
_MEDIA = {"text": "text/plain", "md": "text/markdown", "html": "text/html"}
_WHAT = {"registration": "a registration application", "review": "a registrant to review"}
_log = logging.getLogger("lnunemp_rules.service")

Endpoint = Callable[[Request], Awaitable[Response]]


class _BodyProblem(Exception):
    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(detail)


def _json(data: object) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode()
    return Response(body, media_type="application/json")


async def _object(request: Request) -> dict[str, Any]:
    """The body as a JSON object, or a 415 / 400 problem."""
    media = request.headers.get("content-type", "application/json").split(";")[0].strip()
    if media != "application/json" and not media.endswith("+json"):
        raise _BodyProblem("unsupported-media-type", f"got {media!r}; send application/json")
    raw = await request.body()
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise _BodyProblem("malformed-body", "the body is not valid JSON (UTF-8)") from None
    if not isinstance(data, dict):
        raise _BodyProblem("malformed-body", f"expected a JSON object, got {type(data).__name__}")
    return data


def _kind_hint(data: object, kind: str, field: str) -> list[tuple[str, str]]:
    """The problem "this looks like a review, not a registration application", if it does."""
    looks = guess_kind(data)
    if looks is None or looks == kind:
        return []
    return [(field, f"this looks like {_WHAT[looks]}, not {_WHAT[kind]}")]


def _failure(problems: list[tuple[str, str]]) -> InputError:
    """One InputError carrying every problem."""
    failure = InputError(*problems[0])
    failure.problems = problems
    return failure


class Service:
    """The endpoints over one rule book and one set of limits."""

    def __init__(self, book: RuleBook, settings: ServiceSettings) -> None:
        self.book = book
        self.settings = settings
        self.rules = (book.version, book.digest)
        self.stamp = {"rules_version": book.version, "rules_digest": book.digest}

    # -- helpers ------------------------------------------------------------------------

    def problem(
        self, kind: str, detail: str, problems: list[tuple[str, str]] | tuple[()] = ()
    ) -> Response:
        status, body = problem_body(kind, detail, problems, self.rules)
        return Response(body, status_code=status, media_type=MEDIA_TYPE)

    def _events_limit(self, data: object, field: str) -> None:
        events = data.get("events") if isinstance(data, Mapping) else None
        if isinstance(events, list) and len(events) > self.settings.max_events:
            raise InputError(
                field,
                f"{len(events)} events; at most {self.settings.max_events} per registrant "
                "are accepted (LNUNEMP_MAX_EVENTS)",
            )

    def _validated(self, kind: str, data: object, field: str = "") -> Any:
        """``data`` as the input model of ``kind``; problems carry ``field`` as a prefix."""
        chosen = procedure(kind)
        if chosen.needs_as_of:
            self._events_limit(data, f"{field}.events" if field else "events")
        try:
            return chosen.validate(data)
        except InputError as exc:
            problems = [(f"{field}.{f}" if field else f, m) for f, m in exc.problems]
            raise _failure(_kind_hint(data, kind, field or "body") + problems) from None

    def _envelope(self, model: type[Any], data: dict[str, Any], inner: str) -> Any:
        """Validate the request ``data`` as ``model`` and its field ``inner`` as the input of
        the request's kind, with every problem of both (``input.applicant.id_number``)."""
        problems: list[tuple[str, str]] = []
        given = data.get(inner)
        envelope = None
        try:
            envelope = validate_input(
                model, {**data, inner: {}} if isinstance(given, dict) else data
            )
        except InputError as exc:
            problems += exc.problems
        kind = data.get("kind")
        found = None
        if isinstance(kind, str) and kind in PROCEDURES and isinstance(given, dict):
            try:
                found = self._validated(kind, given, inner)
            except InputError as exc:
                problems += exc.problems
        if problems:
            raise _failure(problems)
        return envelope, found

    def _decide(self, kind: str, model: Any, as_of: Any) -> Any:
        chosen = procedure(kind)
        if chosen.needs_as_of and as_of is None:
            raise InputError("as_of", f"a {kind} needs the date it is made on (YYYY-MM-DD)")
        return chosen.decide(model, as_of=as_of, rule_book=self.book)

    # -- endpoints ----------------------------------------------------------------------

    async def registration(self, request: Request) -> Response:
        data = await _object(request)
        model = self._validated("registration", data)
        decision = procedure("registration").decide(model, rule_book=self.book)
        return Response(decision.to_json().encode(), media_type="application/json")

    async def review(self, request: Request) -> Response:
        data = await _object(request)
        self._events_limit(data.get("registrant"), "registrant.events")
        try:
            envelope = validate_input(ReviewRequest, data)
        except InputError as exc:
            hints = _kind_hint(data, "review", "body") + _kind_hint(
                data.get("registrant"), "review", "registrant"
            )
            if guess_kind(data) == "review":
                hints.append(("body", 'a registrant is sent as {"registrant": {...}, "as_of": '
                              '"YYYY-MM-DD"}'))  # fmt: skip
            raise _failure(hints + exc.problems) from None
        decision = self._decide("review", envelope.registrant, envelope.as_of)
        return Response(decision.to_json().encode(), media_type="application/json")

    async def deadline(self, request: Request) -> Response:
        found = validate_input(DeadlineRequest, await _object(request))
        days = self.book.period_conventions.online_processing_working_days
        try:
            deadline = self.book.calendar.processing_deadline(
                found.submitted, found.channel, working_days=days
            )
        except CalendarCoverageError as exc:
            return self.problem("not-computable", str(exc), [("submitted", str(exc))])
        return _json({**self.stamp, "deadline": deadline.to_dict()})

    async def explain(self, request: Request) -> Response:
        data = await _object(request)
        envelope, model = self._envelope(ExplainRequest, data, "input")
        decision = self._decide(envelope.kind, model, envelope.as_of)
        text = decision.render(envelope.format, envelope.lang)
        return Response(text.encode(), media_type=f"{_MEDIA[envelope.format]}; charset=utf-8")

    async def receipt(self, request: Request) -> Response:
        data = await _object(request)
        envelope, model = self._envelope(ReceiptRequest, data, "input")
        decision = self._decide(envelope.kind, model, envelope.as_of)
        return _json(make_receipt(decision, model, include_input=envelope.include_input))

    async def replay(self, request: Request) -> Response:
        data = await _object(request)
        envelope = validate_input(ReplayRequest, data)
        receipt = envelope.receipt.model_dump(mode="json", exclude_unset=True)
        given = envelope.input
        if given is None and receipt.get("input") is None:
            raise InputError("input", "the receipt does not embed its input; send it as 'input'")
        self._events_limit(given if given is not None else receipt.get("input"), "input.events")
        result = replay(receipt, input_data=given)
        return _json({**self.stamp, **result.to_dict()})

    async def batch(self, request: Request) -> Response:
        data = await _object(request)
        records = data.get("records")
        limit = self.settings.max_batch
        if isinstance(records, list) and len(records) > limit:
            raise InputError(
                "records",
                f"{len(records)} records; at most {limit} per request (LNUNEMP_MAX_BATCH)",
            )
        envelope = validate_input(BatchRequest, data)
        chosen = procedure(envelope.kind)
        if chosen.needs_as_of and envelope.as_of is None:
            raise InputError("as_of", f"a {envelope.kind} needs the date it is made on")
        results: list[dict[str, Any]] = []
        accepted: list[tuple[int, dict[str, Any]]] = []
        for index, record in enumerate(envelope.records):
            try:
                if chosen.needs_as_of:
                    self._events_limit(record, "events")
            except InputError as exc:
                results.append({"field": exc.field, "error": exc.message})
                continue
            results.append({})
            accepted.append((index, record))
        decided = assess_partition(
            (record for _, record in accepted), kind=envelope.kind, as_of=envelope.as_of
        )
        for (index, _), result in zip(accepted, decided, strict=True):
            results[index] = result
        return _json({**self.stamp, "kind": envelope.kind, "results": results})

    async def rules_in_use(self, request: Request) -> Response:
        book = self.book
        clauses = [
            {"id": c.id, "source": c.source, "title_zh": c.title_zh, "title_en": c.title_en}
            for c in book.clauses.entries.values()
        ]
        return _json({**self.stamp, "library_version": library_version(),
                      "file_hashes": dict(book.file_hashes), "clauses": clauses})  # fmt: skip

    async def healthz(self, request: Request) -> Response:
        return _json({**self.stamp, "status": "ok"})

    async def readyz(self, request: Request) -> Response:
        return _json({**self.stamp, "status": "ready"})

    def guarded(self, endpoint: Endpoint) -> Endpoint:
        """``endpoint`` with every failure answered as a problem document."""

        async def answer(request: Request) -> Response:
            try:
                return await endpoint(request)
            except _BodyProblem as exc:
                return self.problem(exc.kind, exc.detail)
            except InputError as exc:
                count = len(exc.problems)
                detail = exc.problems[0][1] if count == 1 else f"{count} problems in the input"
                return self.problem("invalid-input", detail, list(exc.problems))
            except (CalendarCoverageError, MinimumWageNotInForceError,
                    EngineUnavailableError) as exc:  # fmt: skip
                return self.problem("not-computable", str(exc))
            except LnunempError as exc:
                return self.problem("not-computable", str(exc))
            except Exception as exc:  # a bug: its type and place only, never its message
                where = traceback.extract_tb(exc.__traceback__)[-1]
                _log.error("internal error %s at %s:%s", type(exc).__name__,
                           where.filename, where.lineno)  # fmt: skip
                return self.problem("internal", f"internal error ({type(exc).__name__})")

        return answer


def create_app(settings: ServiceSettings | None = None) -> Any:
    """The service as an ASGI application, over the rules folder in use
    (``LNUNEMP_RULES_DIR`` or the packaged rules), loaded and warmed before it answers."""
    settings = settings or ServiceSettings.from_environment()
    book = load_rule_book()
    service = Service(book, settings)
    app = FastAPI(
        title="lnunemp-rules decision service",
        version=library_version(),
        description=(
            "Decisions of 《辽宁省失业登记管理服务规范》 with their clauses, deadline and "
            f"explanation. Rules version {book.version}, digest {book.digest}."
        ),
        docs_url="/docs",
        redoc_url=None,
    )
    routes: list[tuple[str, str, Endpoint, Any, str]] = [
        ("POST", f"{API}/registration", service.registration, RegistrationDecisionModel,
         "Decide a registration application (standard 4.1, 4.2)"),
        ("POST", f"{API}/review", service.review, ReviewDecisionModel,
         "Review a registrant as of a date (standard 4.3.1, 4.5)"),
        ("POST", f"{API}/deadline", service.deadline, DeadlineResponse,
         "The 4.2.2 processing deadline of a submission"),
        ("POST", f"{API}/explain", service.explain, None,
         "Explain a decision as text, Markdown or HTML, in Chinese or English"),
        ("POST", f"{API}/receipt", service.receipt, ReceiptModel,
         "Decide and return a receipt to keep for replay"),
        ("POST", f"{API}/replay", service.replay, ReplayResponse,
         "Re-check a receipt against the rules in use"),
        ("POST", f"{API}/batch", service.batch, BatchResponse,
         "Decide many applications or registrants (compact results)"),
        ("GET", f"{API}/rules", service.rules_in_use, RulesResponse,
         "The rules in use: version, digest, file hashes, clauses"),
        ("GET", "/healthz", service.healthz, HealthResponse, "Liveness"),
        ("GET", "/readyz", service.readyz, HealthResponse, "Readiness: the rules are loaded"),
    ]  # fmt: skip
    for method, path, endpoint, model, summary in routes:
        app.add_api_route(
            path, service.guarded(endpoint), methods=[method], summary=summary,
            response_model=model, responses=ERRORS, name=endpoint.__name__,
        )  # fmt: skip

    async def http_problem(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        kind = {404: "not-found", 405: "method-not-allowed"}.get(code, "internal")
        return service.problem(kind, f"{request.method} {request.url.path}")

    app.add_exception_handler(HTTPException, http_problem)
    keyed = settings.api_key is not None
    app.openapi = lambda: describe(app, keyed)  # type: ignore[method-assign]
    warm_up(service)
    return Gate(app, rules=service.rules, max_body_bytes=settings.max_body_bytes,
                api_key=settings.api_key)  # fmt: skip


def warm_up(service: Service) -> None:
    """Decide the bundled examples once, so the first request does not compile the rules or
    build the calendar."""
    from .examples import REGISTRATION, REVIEW

    for name, example, as_of in (("registration", REGISTRATION, None),
                                 ("review", REVIEW, "2026-11-28")):  # fmt: skip
        PROCEDURES[name].decide(example, as_of=as_of, rule_book=service.book).to_json()
