"""Property-based requests from the service's own OpenAPI document (schemathesis), sent over
HTTP to a real server process: no 5xx, every status, content type, header and body as the
document says, and every request the schema calls invalid refused with a 4xx.

Examples per operation: ``LNUNEMP_FUZZ_EXAMPLES`` (default 25). CI sets it so that at least
``LNUNEMP_FUZZ_MIN_REQUESTS`` requests (1,000 there) are sent; the module fails if fewer were.
``positive_data_acceptance`` is not checked: the schema cannot say everything the inputs must
be (a GB 11643 check character, an unemployment date on or before the application date), so a
request valid by the schema may rightly get a 422.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the server extra is not installed")
pytest.importorskip("httpx", reason="httpx (service-test extra) is not installed")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from served import Server, serving  # noqa: E402

EXAMPLES = int(os.environ.get("LNUNEMP_FUZZ_EXAMPLES", "25"))
MIN_REQUESTS = int(os.environ.get("LNUNEMP_FUZZ_MIN_REQUESTS", "0"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
SENT: list[tuple[str, int]] = []  # (operation, status) of every request, for the count


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("fuzz")) as running:
        yield running
    # Torn down after the last case of the module: too few requests fails the module.
    print(f"\nschemathesis: {len(SENT)} requests, "
          f"{sum(1 for _, s in SENT if s >= 500)} with a 5xx")  # fmt: skip
    assert len(SENT) >= MIN_REQUESTS, f"only {len(SENT)} requests; {MIN_REQUESTS} asked for"


# The OpenAPI operations, known without a server (the document is generated from the app).
OPERATIONS = [
    ("POST", path) for path in ("/v1/registration", "/v1/review", "/v1/deadline", "/v1/explain",
                                "/v1/receipt", "/v1/replay", "/v1/batch")
] + [("GET", path) for path in ("/v1/rules", "/healthz", "/readyz")]  # fmt: skip


@pytest.fixture(scope="module")
def api_schema(server: Server) -> Any:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


def test_the_operations_are_all_fuzzed(api_schema: Any) -> None:
    """The list below covers every operation of the OpenAPI document."""
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


# A GET without parameters has no invalid form: its operations are fuzzed positively only.
CASES = [(m, p, mode) for m, p in OPERATIONS
         for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if m == "POST" or mode is GenerationMode.POSITIVE]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "mode"), CASES,
                         ids=lambda x: getattr(x, "value", x))  # fmt: skip
def test_every_generated_request_is_answered_as_documented(
    api_schema: Any, server: Server, method: str, path: str, mode: GenerationMode
) -> None:
    """Each generated request gets no 5xx and an answer matching the OpenAPI document; a
    request the schema calls invalid gets a 4xx."""
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), database=None)  # fmt: skip
    def check(case: Any) -> None:
        response = case.call(base_url=server.url, timeout=30)
        SENT.append((f"{method} {path}", response.status_code))
        case.validate_response(response, checks=CHECKS)

    check()
