"""The OpenAPI document: FastAPI's, with each request body described by the library's models.

The endpoints read their bodies themselves (:mod:`.app`), so FastAPI does not see them; here
each body's schema (pydantic's, from the same models that validate it) and an example that
validates are put back, problem responses are declared as ``application/problem+json`` and
the explanation as text, Markdown or HTML.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from ..inputs.models import Registrant, RegistrationApplication
from .examples import REGISTRATION, REVIEW
from .models import (
    BatchRequest,
    DeadlineRequest,
    ExplainRequest,
    Problem,
    ReceiptRequest,
    ReplayRequest,
    ReviewRequest,
)
from .problems import MEDIA_TYPE, TITLES

__all__ = ["BODIES", "ERRORS", "describe"]

#: The problem responses every endpoint may give.
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": title}
    for status, title in sorted({TITLES[k] for k in (
        "malformed-body", "unauthorised", "body-too-large", "unsupported-media-type",
        "invalid-input", "internal")})
}  # fmt: skip

_REF = "#/components/schemas/{model}"
_EITHER_INPUT = {"anyOf": [{"$ref": _REF.format(model=m.__name__)}
                           for m in (RegistrationApplication, Registrant)]}  # fmt: skip
_AS_OF = "2026-11-28"

#: Each POST endpoint's body: its model and named examples.
BODIES: dict[str, tuple[type[BaseModel], dict[str, Any]]] = {
    "/v1/registration": (RegistrationApplication, {"online application": REGISTRATION}),
    "/v1/review": (ReviewRequest, {"registrant": {"registrant": REVIEW, "as_of": _AS_OF}}),
    "/v1/deadline": (DeadlineRequest, {
        "online, before National Day": {"submitted": "2026-09-30", "channel": "online"},
        "offline": {"submitted": "2026-09-30T10:15:00+08:00", "channel": "offline"},
    }),
    "/v1/explain": (ExplainRequest, {
        "registration, Chinese text": {"kind": "registration", "input": REGISTRATION},
        "review, English HTML": {"kind": "review", "input": REVIEW, "as_of": _AS_OF,
                                 "format": "html", "lang": "en"},
    }),
    "/v1/receipt": (ReceiptRequest, {
        "registration": {"kind": "registration", "input": REGISTRATION, "include_input": True},
    }),
    "/v1/replay": (ReplayRequest, {}),
    "/v1/batch": (BatchRequest, {
        "two registrants": {"kind": "review", "as_of": _AS_OF, "records": [REVIEW, REVIEW]},
    }),
}  # fmt: skip
_TEXT = {"schema": {"type": "string"}}


def _add_schema(components: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=_REF)
    for name, sub in schema.pop("$defs", {}).items():
        components.setdefault(name, sub)
    components.setdefault(model.__name__, schema)
    return {"$ref": _REF.format(model=model.__name__)}


def describe(app: FastAPI, api_key: bool = False) -> dict[str, Any]:
    """The OpenAPI document of ``app`` (built once, then kept by the app); with ``api_key``,
    the ``X-API-Key`` header is declared as the security of every ``/v1/`` operation."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, description=app.description,
                      routes=app.routes)  # fmt: skip
    components: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    for input_model in (RegistrationApplication, Registrant):
        _add_schema(components, input_model)
    for path, (model, examples) in BODIES.items():
        ref = _add_schema(components, model)
        content: dict[str, Any] = {"schema": ref}
        if examples:
            content["examples"] = {name: {"value": value} for name, value in examples.items()}
        doc["paths"][path]["post"]["requestBody"] = {
            "required": True, "content": {"application/json": content}
        }  # fmt: skip
    for name in ("ExplainRequest", "ReceiptRequest", "ReplayRequest"):
        components[name]["properties"]["input"] = {
            **_EITHER_INPUT, "description": components[name]["properties"]["input"].get(
                "description", "")}  # fmt: skip
        if name == "ReplayRequest":
            components[name]["properties"]["input"] = {
                "anyOf": [*_EITHER_INPUT["anyOf"], {"type": "null"}],
                "default": None,
            }
    # A batch decides each record on its own: a record that is not a valid input gets its
    # error in the results, so the body only needs objects (each described by one input model).
    components["BatchRequest"]["properties"]["records"]["items"] = {
        "type": "object",
        "description": "A RegistrationApplication (kind registration) or a Registrant (review); "
        "one that is not valid gets {field, error} in the results instead of a decision.",
    }
    for item in doc["paths"].values():
        for operation in item.values():
            for status, response in operation.get("responses", {}).items():
                if status.startswith(("4", "5")) and "application/json" in response.get(
                    "content", {}
                ):
                    response["content"] = {MEDIA_TYPE: response["content"]["application/json"]}
    if api_key:
        doc["components"]["securitySchemes"] = {
            "ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
        }
        for path, item in doc["paths"].items():
            if path.startswith("/v1/"):
                for operation in item.values():
                    operation["security"] = [{"ApiKey": []}]
    explain = doc["paths"]["/v1/explain"]["post"]["responses"]["200"]
    explain["content"] = {media: _TEXT for media in ("text/plain", "text/markdown", "text/html")}
    explain["description"] = "The explanation, in the format asked for (charset UTF-8)"
    app.openapi_schema = doc
    return doc
