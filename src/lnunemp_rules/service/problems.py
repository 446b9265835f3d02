"""RFC 9457 problem documents: every error of the service, each problem with its field.

``type`` is a URN naming the kind of problem (``urn:lnunemp-rules:problem:invalid-input``);
``title`` is the same for every problem of a type; ``detail`` says what happened;
``problems`` lists every problem as ``{field, message}``. Messages come from the library and
never echo a value that may be personal data (standard 4.3.1).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

__all__ = ["MEDIA_TYPE", "TITLES", "problem_body"]

MEDIA_TYPE = "application/problem+json"

#: Each problem type: its HTTP status and title.
TITLES: dict[str, tuple[int, str]] = {
    "malformed-body": (400, "The body is not a JSON object"),
    "unauthorised": (401, "A valid API key is needed"),
    "not-found": (404, "No such endpoint"),
    "method-not-allowed": (405, "Method not allowed on this endpoint"),
    "body-too-large": (413, "The body is larger than this service accepts"),
    "unsupported-media-type": (415, "The body must be application/json"),
    "invalid-input": (422, "The input is not acceptable"),
    "not-computable": (422, "The answer cannot be computed from the rules in use"),
    "internal": (500, "Internal error"),
    "not-ready": (503, "The rules are not loaded yet"),
}


def problem_body(
    kind: str,
    detail: str,
    problems: Sequence[tuple[str, str]] = (),
    rules: tuple[str, str] | None = None,
) -> tuple[int, bytes]:
    """The status and JSON body of a problem of type ``kind``."""
    status, title = TITLES[kind]
    body: dict[str, Any] = {
        "type": f"urn:lnunemp-rules:problem:{kind}",
        "title": title,
        "status": status,
        "detail": detail,
        "problems": [{"field": f, "message": m} for f, m in problems],
    }
    if rules is not None:
        body["rules_version"], body["rules_digest"] = rules
    return status, json.dumps(body, ensure_ascii=False).encode()
