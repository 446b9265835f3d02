"""The decision service, called as a client calls it: a real ``lnunemp-rules serve`` process on
127.0.0.1 and HTTP requests (httpx). Every answer is compared with the library's own, and the
limits, problem documents, API key and access log are checked from outside."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the server extra is not installed")
pytest.importorskip("uvicorn", reason="the server extra is not installed")
httpx = pytest.importorskip("httpx", reason="httpx (service-test extra) is not installed")

from lnunemp_rules import (  # noqa: E402
    assess_deregistration,
    assess_partition,
    assess_registration,
    load_rule_book,
    make_receipt,
)
from lnunemp_rules.cli import main  # noqa: E402
from lnunemp_rules.rulebook.folder import rules_dir  # noqa: E402
from lnunemp_rules.service.examples import REGISTRATION, REVIEW  # noqa: E402
from served import Server, serving  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-28"
RAW_ID, NAME = REGISTRATION["applicant"]["id_number"], REGISTRATION["applicant"]["name"]
LIMITS = {"LNUNEMP_MAX_EVENTS": "20", "LNUNEMP_MAX_BATCH": "5", "LNUNEMP_MAX_BODY_BYTES": "60000"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("serve"), "--workers", "2", env=LIMITS) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[Any]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:lnunemp-rules:problem:")
    return body


def test_examples_are_the_bundled_ones() -> None:
    """The OpenAPI examples are the repository's examples/ files, unchanged."""
    examples = ROOT / "examples"
    if not examples.is_dir():
        pytest.skip("examples/ not in this checkout")
    assert json.loads((examples / "registration.json").read_text("utf-8")) == REGISTRATION
    assert json.loads((examples / "review.json").read_text("utf-8")) == REVIEW


def test_registration_is_the_library_decision(client: Any) -> None:
    """POST /v1/registration answers the library's decision, and names the rules in headers
    and body."""
    book = load_rule_book()
    response = client.post("/v1/registration", json=REGISTRATION)
    assert response.status_code == 200
    assert response.json() == assess_registration(REGISTRATION).to_dict()
    assert response.headers["x-rules-version"] == book.version
    assert response.headers["x-rules-digest"] == book.digest
    assert response.json()["meta"]["rules_digest"] == book.digest
    assert RAW_ID not in response.text and NAME not in response.text


def test_review_is_the_library_decision(client: Any) -> None:
    """POST /v1/review answers the library's review of the registrant as of the date."""
    response = client.post("/v1/review", json={"registrant": REVIEW, "as_of": AS_OF})
    assert response.status_code == 200
    assert response.json() == assess_deregistration(REVIEW, as_of=AS_OF).to_dict()
    assert response.json()["outcome"] == "remain_registered"


def test_deadline_counts_across_national_day(client: Any) -> None:
    """An online submission on 2026-09-30 is due 2026-10-10 (the make-up Saturday, counted by
    hand: 10-08, 10-09, 10-10); offline it is due the same day."""
    response = client.post("/v1/deadline", json={"submitted": "2026-09-30", "channel": "online"})
    assert response.status_code == 200
    body = response.json()
    assert body["deadline"]["date"] == "2026-10-10"
    counted = [s["date"] for s in body["deadline"]["steps"] if s["working"]]
    assert counted == ["2026-10-08", "2026-10-09", "2026-10-10"]
    assert body["rules_version"] == load_rule_book().version
    offline = client.post("/v1/deadline", json={"submitted": "2026-09-30T23:30:00+08:00",
                                                "channel": "offline"})  # fmt: skip
    assert offline.json()["deadline"]["date"] == "2026-09-30"


def test_deadline_in_an_unknown_year_is_a_problem(client: Any) -> None:
    """A year without an official holiday schedule is not guessed: 422 naming submitted."""
    response = client.post("/v1/deadline", json={"submitted": "2099-06-01", "channel": "online"})
    body = _problem(response, 422)
    assert body["type"].endswith(":not-computable")
    assert body["problems"][0]["field"] == "submitted"


@pytest.mark.parametrize(("fmt", "media"), [("text", "text/plain"), ("md", "text/markdown"),
                                            ("html", "text/html")])  # fmt: skip
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_renders_the_library_explanation(
    client: Any, fmt: str, media: str, lang: str
) -> None:
    """POST /v1/explain gives the decision's own rendering in the format and language asked,
    with personal data masked."""
    for kind, data, as_of in (("registration", REGISTRATION, None), ("review", REVIEW, AS_OF)):
        body = {"kind": kind, "input": data, "format": fmt, "lang": lang}
        if as_of:
            body["as_of"] = as_of
        response = client.post("/v1/explain", json=body)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == f"{media}; charset=utf-8"
        decision = (assess_registration(data) if kind == "registration"
                    else assess_deregistration(data, as_of=as_of))  # fmt: skip
        assert response.text == decision.render(fmt, lang)  # type: ignore[arg-type]
        for secret in (RAW_ID, NAME, REVIEW["person"]["id_number"], REVIEW["person"]["name"]):
            assert secret not in response.text


def test_receipt_and_replay(client: Any) -> None:
    """POST /v1/receipt gives the library's receipt; /v1/replay finds it identical, and finds a
    receipt whose recorded outcome was altered different, naming the outcome."""
    response = client.post("/v1/receipt", json={"kind": "registration", "input": REGISTRATION,
                                                "include_input": True})  # fmt: skip
    assert response.status_code == 200
    receipt = response.json()
    expected = make_receipt(assess_registration(REGISTRATION), REGISTRATION, include_input=True)
    assert receipt == expected
    replayed = client.post("/v1/replay", json={"receipt": receipt}).json()
    assert replayed["identical"] is True
    assert replayed["differences"] == []
    altered = copy.deepcopy(receipt)
    altered["result"]["outcome"] = "ineligible"
    replayed = client.post("/v1/replay", json={"receipt": altered}).json()
    assert replayed["identical"] is False
    assert {"kind": "result", "what": "outcome", "recorded": "ineligible",
            "now": "eligible"} in replayed["differences"]  # fmt: skip


def test_replay_without_input_names_input(client: Any) -> None:
    """A receipt without its input and no input given: 422 naming 'input'."""
    receipt = client.post("/v1/receipt", json={"kind": "review", "input": REVIEW,
                                               "as_of": AS_OF}).json()  # fmt: skip
    assert "input" not in receipt
    body = _problem(client.post("/v1/replay", json={"receipt": receipt}), 422)
    assert [p["field"] for p in body["problems"]] == ["input"]
    replayed = client.post("/v1/replay", json={"receipt": receipt, "input": REVIEW}).json()
    assert replayed["identical"] is True


def test_batch_is_the_sweep_of_the_records(client: Any) -> None:
    """POST /v1/batch answers assess_partition's result for each record, in order; a bad
    record gets its error and does not stop the others."""
    bad = {**REVIEW, "registration_date": "2026-13-01"}
    records = [REVIEW, bad, REVIEW]
    response = client.post("/v1/batch", json={"kind": "review", "as_of": AS_OF,
                                              "records": records})  # fmt: skip
    assert response.status_code == 200
    assert response.json()["results"] == assess_partition(records, kind="review", as_of=AS_OF)
    assert response.json()["results"][1]["field"] == "registration_date"


def test_rules_describe_the_rules_in_use(client: Any) -> None:
    """GET /v1/rules names the version, digest, every file's hash and every clause."""
    book = load_rule_book()
    body = client.get("/v1/rules").json()
    assert (body["rules_version"], body["rules_digest"]) == (book.version, book.digest)
    assert body["file_hashes"] == dict(book.file_hashes)
    assert [c["id"] for c in body["clauses"]] == list(book.clauses.entries)
    assert "4.2.2" in [c["id"] for c in body["clauses"]]


def test_probes(client: Any) -> None:
    """/healthz and /readyz answer 200 with the rules version."""
    for path, status in (("/healthz", "ok"), ("/readyz", "ready")):
        body = client.get(path).json()
        assert body["status"] == status
        assert body["rules_version"] == load_rule_book().version


def test_every_problem_of_an_input_is_listed(client: Any) -> None:
    """An application with three hand-made faults gives one 422 problem document listing the
    three fields, with the rules version; no submitted value is echoed."""
    data = copy.deepcopy(REGISTRATION)
    del data["application_date"]
    data["channel"] = "fax"
    data["applicant"]["id_number"] = RAW_ID[:-1] + ("1" if RAW_ID[-1] != "1" else "2")
    body = _problem(client.post("/v1/registration", json=data), 422)
    fields = sorted(p["field"] for p in body["problems"])
    assert fields == ["applicant.id_number", "application_date", "channel"]
    assert body["rules_version"] == load_rule_book().version
    assert RAW_ID[:-1] not in json.dumps(body, ensure_ascii=False)


def test_a_registrant_sent_for_a_registration_is_named(client: Any) -> None:
    """A registrant posted to /v1/registration is said to look like one."""
    body = _problem(client.post("/v1/registration", json=REVIEW), 422)
    assert body["problems"][0] == {
        "field": "body",
        "message": "this looks like a registrant to review, not a registration application",
    }


@pytest.mark.parametrize("path", ["/v1/explain", "/v1/receipt", "/v1/batch"])
@pytest.mark.parametrize("kind", [[1], {"a": 1}, None, 7])
def test_a_kind_of_the_wrong_type_is_a_problem(client: Any, path: str, kind: object) -> None:
    """A 'kind' that is not a string (a list, an object, null, a number) is a 422 naming
    'kind', never a crash."""
    body = _problem(client.post(path, json={"kind": kind, "input": REGISTRATION,
                                            "records": []}), 422)  # fmt: skip
    assert "kind" in [p["field"] for p in body["problems"]]


def test_envelope_problems_and_input_problems_together(client: Any) -> None:
    """/v1/explain lists the envelope's problems and the input's together, the input's under
    'input.'."""
    data = {"kind": "registration", "input": {**REGISTRATION, "voluntary": None}, "lang": "fr"}
    body = _problem(client.post("/v1/explain", json=data), 422)
    assert sorted(p["field"] for p in body["problems"]) == ["input.voluntary", "lang"]


@pytest.mark.parametrize(
    ("content", "headers", "status", "kind"),
    [
        (b"{not json", {"content-type": "application/json"}, 400, "malformed-body"),
        (b"[1, 2]", {"content-type": "application/json"}, 400, "malformed-body"),
        (b"\xff\xfe", {"content-type": "application/json"}, 400, "malformed-body"),
        (b"a=1", {"content-type": "application/x-www-form-urlencoded"}, 415,
         "unsupported-media-type"),
    ],
)  # fmt: skip
def test_bodies_that_are_not_json_objects(
    client: Any, content: bytes, headers: dict[str, str], status: int, kind: str
) -> None:
    """A body that is not a JSON object is a 400 problem; not JSON at all, a 415."""
    body = _problem(client.post("/v1/registration", content=content, headers=headers), status)
    assert body["type"].endswith(f":{kind}")


def test_body_size_is_limited(client: Any) -> None:
    """A body over LNUNEMP_MAX_BODY_BYTES is refused with 413, whether its length is declared
    or it is sent in chunks."""
    big = json.dumps({**REGISTRATION, "pad": "x" * 70_000}).encode()
    _problem(client.post("/v1/registration", content=big,
                         headers={"content-type": "application/json"}), 413)  # fmt: skip

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    _problem(client.post("/v1/registration", content=chunks(),
                         headers={"content-type": "application/json"}), 413)  # fmt: skip


def test_events_per_registrant_are_limited(client: Any) -> None:
    """More events than LNUNEMP_MAX_EVENTS (20 here) is a 422 naming registrant.events; 20
    events are decided."""
    day = dt.date(2026, 4, 1)
    events = [{"type": "contact", "date": (day + dt.timedelta(days=i)).isoformat()}
              for i in range(21)]  # fmt: skip
    many = {**REVIEW, "events": events}
    body = _problem(client.post("/v1/review", json={"registrant": many, "as_of": AS_OF}), 422)
    assert body["problems"][0]["field"] == "registrant.events"
    enough = {**REVIEW, "events": events[:20]}
    assert client.post("/v1/review", json={"registrant": enough, "as_of": AS_OF}).status_code == 200


def test_records_per_batch_are_limited(client: Any) -> None:
    """More records than LNUNEMP_MAX_BATCH (5 here) is a 422 naming records."""
    many = {"kind": "registration", "records": [REGISTRATION] * 6}
    body = _problem(client.post("/v1/batch", json=many), 422)
    assert body["problems"][0]["field"] == "records"


def test_unknown_paths_and_methods_are_problems(client: Any) -> None:
    """404 and 405 are problem documents too."""
    _problem(client.get("/v1/nothing"), 404)
    _problem(client.get("/v1/registration"), 405)


def test_every_example_of_the_openapi_document_is_answered(client: Any) -> None:
    """The OpenAPI document (3.1) carries an example for each body, and each is answered 200."""
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    answered = 0
    for path, item in doc["paths"].items():
        body = item.get("post", {}).get("requestBody")
        if body is None:
            continue
        for example in body["content"]["application/json"].get("examples", {}).values():
            response = client.post(path, json=example["value"])
            assert response.status_code == 200, (path, response.text)
            answered += 1
    assert answered >= 7


def test_openapi_document_is_valid(client: Any) -> None:
    """The OpenAPI document validates against the OpenAPI 3.1 specification (where
    openapi-spec-validator is installed, as schemathesis installs it)."""
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(client.get("/openapi.json").json())


def test_access_log_holds_no_personal_data(server: Server, client: Any) -> None:
    """The access log has one line per request with method, path and status, but no ID
    number, name or query string, even when they are in the body and the query."""
    client.post(f"/v1/registration?id_number={RAW_ID}&name={NAME}", json=REGISTRATION)
    client.post("/v1/explain", json={"kind": "registration", "input": REGISTRATION})
    bad = {**REGISTRATION, "applicant": {**REGISTRATION["applicant"], "name": 5}}
    client.post("/v1/registration", json=bad)
    log = server.log_text()
    assert '"POST /v1/registration" 200' in log
    assert '"POST /v1/registration" 422' in log
    for secret in (RAW_ID, NAME, RAW_ID[:6] + RAW_ID[6:14], "id_number="):
        assert secret not in log


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("keyed")
    key = folder / "key"
    key.write_text("s3cret-key\n", encoding="utf-8")
    with serving(folder, "--api-key-file", str(key)) as running:
        yield running


def test_api_key_is_asked_when_set(keyed: Server) -> None:
    """With a key, a request without it or with a wrong one is 401 (with WWW-Authenticate);
    with it, 200; the probes need none; the OpenAPI document declares the header."""
    with httpx.Client(base_url=keyed.url, timeout=30) as c:
        missing = c.post("/v1/registration", json=REGISTRATION)
        _problem(missing, 401)
        assert "x-api-key" in missing.headers["www-authenticate"].lower()
        _problem(c.post("/v1/registration", json=REGISTRATION,
                        headers={"x-api-key": "wrong"}), 401)  # fmt: skip
        ok = c.post("/v1/registration", json=REGISTRATION, headers={"x-api-key": "s3cret-key"})
        assert ok.status_code == 200
        assert c.get("/healthz").status_code == 200
        doc = c.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key"}  # fmt: skip
    assert doc["paths"]["/v1/registration"]["post"]["security"] == [{"ApiKey": []}]
    assert "security" not in doc["paths"]["/healthz"]["get"]
    assert "s3cret-key" not in keyed.log_text()


def test_serve_refuses_a_public_address_without_a_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve --host 0.0.0.0 without an API key exits 2 before listening, saying why."""
    monkeypatch.delenv("LNUNEMP_API_KEY", raising=False)
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "not a loopback address" in capsys.readouterr().err


def test_serve_with_broken_rules_exits_2_listing_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Broken rules are reported before the server starts: exit 2, every problem."""
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    (folder / "facts.yaml").write_text("subjects: [\n", encoding="utf-8")
    assert main(["serve", "--rules", str(folder), "--port", "1"]) == 2
    assert "facts.yaml:2" in capsys.readouterr().err
