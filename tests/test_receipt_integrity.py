"""Tamper-evident receipts (issue 11, item 5): every edit is reported, a malformed receipt is an
InputError naming the field, and a signed receipt resists an edit whose digest was recomputed.

The edits are those of the adversarial test that replayed as "identical" or crashed, and one
per field of the receipt besides.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lnunemp_rules import InputError, assess_deregistration, assess_registration
from lnunemp_rules.inputs.idnumber import make_id_number
from lnunemp_rules.report.receipts import (
    KEY_FILE_VARIABLE,
    make_receipt,
    receipt_digest,
    replay,
)

ID = make_id_number("210102", dt.date(1990, 5, 17), 3)
KEY = b"operator key for tests"
CLI = "import sys; from lnunemp_rules.cli import main; sys.exit(main())"


def _application() -> dict[str, Any]:
    return {
        "applicant": {"id_number": ID, "residence_region": "210102",
                      "habitual_urban_resident": True},
        "voluntary": True, "cause": {"category": "resignation"},
        "unemployment_date": "2026-08-31", "application_date": "2026-09-30", "channel": "online",
    }  # fmt: skip


def _registrant() -> dict[str, Any]:
    return {"person": {"id_number": ID}, "registration_date": "2026-03-02",
            "residence_region": "210102",
            "events": [{"type": "contact", "date": "2026-06-20"}]}  # fmt: skip


def _receipt(kind: str = "registration", key: bytes | None = None) -> dict[str, Any]:
    if kind == "registration":
        decision: Any = assess_registration(_application())
        data: Any = _application()
    else:
        decision = assess_deregistration(_registrant(), as_of="2026-11-28")
        data = _registrant()
    return make_receipt(decision, data, include_input=True, key=key)


# One edit per field (and the ones the adversarial test found replaying as identical).
EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "rules_digest only": lambda r: r.__setitem__("rules_digest", "0" * 64),
    "file_hashes only": lambda r: r["file_hashes"].__setitem__("facts.yaml", "0" * 64),
    "a file added to file_hashes": lambda r: r["file_hashes"].__setitem__("x.yaml", "0" * 64),
    "subject": lambda r: r.__setitem__("subject", "210102***********9"),
    "as_of": lambda r: r.__setitem__("as_of", "2026-10-01"),
    "engine": lambda r: r.__setitem__("engine", "durable"),
    "library_version": lambda r: r.__setitem__("library_version", "9.9.9"),
    "rules_version": lambda r: r.__setitem__("rules_version", "1999.01.01"),
    "input_digest": lambda r: r.__setitem__("input_digest", "sha256:" + "0" * 64),
    "the embedded input": lambda r: r["input"].__setitem__("channel", "offline"),
    "result.outcome": lambda r: r["result"].__setitem__("outcome", "ineligible"),
    "result.citations": lambda r: r["result"]["citations"].append("4.5(1)"),
    "result.reasons": lambda r: r["result"]["reasons"].append("bar.employed"),
    "result.missing_facts": lambda r: r["result"]["missing_facts"].append("cause"),
    "result.deadline": lambda r: r["result"].__setitem__("deadline", "2026-12-31"),
    "result.categories": lambda r: r["result"].__setitem__("categories", []),
    "result.notices": lambda r: r["result"]["notices"].append("notice.x"),
    "a field added": lambda r: r.__setitem__("comment", "fine"),
    "a field removed (file_hashes)": lambda r: r.__setitem__("file_hashes", None),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_every_edit_of_a_receipt_is_reported(edit: str) -> None:
    """An edited receipt never replays as identical: its digest no longer matches."""
    receipt = _receipt()
    assert replay(copy.deepcopy(receipt)).identical
    EDITS[edit](receipt)
    if edit == "a field added":
        with pytest.raises(InputError, match="unknown key"):
            replay(receipt)
        return
    result = replay(receipt)
    assert not result.identical
    assert result.differences[0].kind == "receipt"
    assert result.differences[0].what.startswith("digest:")


# Edits made by someone who recomputed the digest (but has not the key).
RESEALED: dict[str, Callable[[dict[str, Any]], None]] = {
    "rules_digest only": EDITS["rules_digest only"],
    "file_hashes only": EDITS["file_hashes only"],
    "subject": EDITS["subject"],
    "as_of": EDITS["as_of"],
    "result.outcome": EDITS["result.outcome"],
    "input_digest": EDITS["input_digest"],
}


@pytest.mark.parametrize("edit", list(RESEALED))
def test_an_edit_with_a_recomputed_digest_is_still_caught(edit: str) -> None:
    """The fields a replay can check are checked even when the digest was recomputed: the
    rules digest against the file hashes, the subject and date against the decision."""
    receipt = _receipt()
    RESEALED[edit](receipt)
    receipt["digest"] = receipt_digest(receipt)
    assert not replay(receipt).identical


def test_a_signature_catches_what_a_recomputed_digest_hides() -> None:
    """A signed receipt whose library_version was edited and digest recomputed replays as
    different with the key; the unsigned one cannot tell (the documented limit)."""
    for key in (None, KEY):
        receipt = _receipt(key=key)
        receipt["library_version"] = "9.9.9"
        receipt["digest"] = receipt_digest(receipt)
        result = replay(receipt, key=KEY if key else None)
        assert result.identical is (key is None)
        if key is not None:
            assert [d.what.split(":")[0] for d in result.differences] == ["signature"]


def test_signatures_need_the_right_key() -> None:
    """Signed and checked with one key: identical; another key or an unsigned receipt with
    a key: different; a signed receipt without a key: identical with a note."""
    signed = _receipt("review", key=KEY)
    assert signed["signature"].startswith("hmac-sha256:")
    assert replay(signed, key=KEY).identical
    assert not replay(signed, key=b"another key").identical
    assert not replay(_receipt("review"), key=KEY).identical
    unchecked = replay(signed)
    assert unchecked.identical
    assert any("signature not checked" in note for note in unchecked.notes)


def test_the_key_may_come_from_the_file_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LNUNEMP_RECEIPT_KEY_FILE signs and checks; an empty key file is an InputError."""
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY + b"\n")
    monkeypatch.setenv(KEY_FILE_VARIABLE, str(key_file))
    receipt = _receipt()
    assert receipt["signature"] == _receipt(key=KEY)["signature"]  # the newline is not the key
    assert replay(receipt).identical
    key_file.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        replay(receipt)


MALFORMED: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "engine removed": (lambda r: r.pop("engine"), "engine"),
    "as_of removed": (lambda r: r.pop("as_of"), "as_of"),
    "digest removed": (lambda r: r.pop("digest"), "digest"),
    "result as a list": (lambda r: r.__setitem__("result", []), "result"),
    "kind unknown": (lambda r: r.__setitem__("kind", "pension"), "kind"),
    "as_of not a date": (lambda r: r.__setitem__("as_of", "yesterday"), "as_of"),
    "file_hashes as text": (lambda r: r.__setitem__("file_hashes", "x"), "file_hashes"),
    "version 1": (lambda r: r.__setitem__("receipt_version", 1), "receipt_version"),
    "version as text": (lambda r: r.__setitem__("receipt_version", "2"), "receipt_version"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_receipt_is_an_input_error_naming_the_field(case: str) -> None:
    """A receipt missing a field or with one of the wrong type: InputError, no traceback."""
    receipt = _receipt()
    change, field = MALFORMED[case]
    change(receipt)
    with pytest.raises(InputError) as info:
        replay(receipt)
    assert info.value.field.startswith(field) or field in str(info.value)


def test_replay_of_a_malformed_or_edited_receipt_on_the_command_line(tmp_path: Path) -> None:
    """``replay`` exits 2 for a malformed receipt and 1 for an edited one, never 3."""
    path = tmp_path / "r.json"
    cases = [(MALFORMED["engine removed"][0], 2), (EDITS["as_of"], 1),
             (MALFORMED["result as a list"][0], 2)]  # fmt: skip
    for change, code in cases:
        receipt = _receipt()
        change(receipt)
        path.write_text(json.dumps(receipt), encoding="utf-8")
        done = subprocess.run([sys.executable, "-c", CLI, "replay", str(path)],
                              capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        assert done.returncode == code, done.stderr
        assert "Traceback" not in done.stderr


def test_a_receipt_whose_engine_does_not_run_here_is_replayed_with_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where durable_rules does not run (Python 3.13), a durable receipt is still checked: the
    Python engine replays it, the engine is a difference and a note says why."""
    import lnunemp_rules.report.receipts as receipts

    receipt = _receipt()
    receipt["engine"] = "durable"
    receipt["digest"] = receipt_digest(receipt)
    monkeypatch.setattr(receipts, "available_engines", lambda: ("python",))
    result = replay(receipt)
    assert [d.kind for d in result.differences] == ["engine"]
    assert result.decision.meta.engine == "python"
    assert "engine 'durable' does not run here; replayed with 'python'" in result.notes
