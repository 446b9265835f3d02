"""Decision receipts and replay: identical when nothing changed, and why when something did."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from lnunemp_rules import InputError, assess_deregistration, assess_registration, available_engines
from lnunemp_rules.inputs.idnumber import make_id_number
from lnunemp_rules.report.receipts import input_digest, make_receipt, replay
from lnunemp_rules.report.schemas import ReceiptModel
from lnunemp_rules.rulebook.folder import rules_dir

ID = make_id_number("210102", dt.date(1990, 5, 17), 3)


def application() -> dict[str, Any]:
    return {
        "applicant": {"id_number": ID, "residence_region": "210102",
                      "habitual_urban_resident": True, "able_to_work": True},
        "voluntary": True,
        "cause": {"category": "resignation"},
        "unemployment_date": "2026-08-31",
        "application_date": "2026-09-30",
        "channel": "online",
    }  # fmt: skip


def registrant() -> dict[str, Any]:
    return {
        "person": {"id_number": ID},
        "registration_date": "2026-03-02",
        "residence_region": "210102",
        "events": [{"type": "contact", "date": "2026-06-20"}],
    }


def test_receipt_is_deterministic_and_valid() -> None:
    """The same decision gives byte-identical receipts that validate against the receipt schema."""
    first = make_receipt(assess_registration(application()), application())
    second = make_receipt(assess_registration(application()), application())
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    ReceiptModel.model_validate(first)
    assert "input" not in first
    assert ID not in json.dumps(first)


def test_digest_ignores_key_order_and_defaults() -> None:
    """The digest is over the validated model: key order and explicit defaults do not matter."""
    reordered = dict(reversed(list(application().items())))
    explicit = {**application(), "current_situation": {"employed": False}}
    digest = input_digest("registration", application())
    assert input_digest("registration", reordered) == digest
    assert input_digest("registration", explicit) == digest
    assert input_digest("registration", {**application(), "channel": "offline"}) != digest


def test_round_trip_identical() -> None:
    """A receipt with its input replays as identical, through JSON, for both kinds."""
    reg = make_receipt(assess_registration(application()), application(), include_input=True)
    decision = assess_deregistration(registrant(), as_of="2026-11-28")
    rev = make_receipt(decision, registrant(), include_input=True)
    for receipt in (reg, rev):
        result = replay(json.loads(json.dumps(receipt)))
        assert result.identical, result.explain()
        assert result.differences == ()


def test_replay_with_separate_input() -> None:
    """A receipt without its input replays with the input given; another input is reported."""
    receipt = make_receipt(assess_registration(application()), application())
    with pytest.raises(InputError):
        replay(receipt)
    assert replay(receipt, input_data=application()).identical
    other = {**application(), "channel": "offline"}
    result = replay(receipt, input_data=other)
    kinds = {d.kind for d in result.differences}
    assert "input" in kinds and "result" in kinds  # the deadline moves to the same day


def test_changed_parameter_file_is_named(tmp_path: Path) -> None:
    """Shortening the contact lapse in a copied rules folder: replay names the file and date."""
    decision = assess_deregistration(registrant(), as_of="2026-11-28")
    receipt = make_receipt(decision, registrant(), include_input=True)
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    path = rules / "parameters" / "review.yaml"
    text = path.read_text(encoding="utf-8")
    import yaml

    receipt_months = yaml.safe_load(text)["contact_lapse_months"]["value"]
    months = receipt_months - 1
    path.write_text(text.replace(f"value: {receipt_months}", f"value: {months}", 1), "utf-8")
    result = replay(receipt, rules=rules)
    assert not result.identical
    assert result.changed_files == ("parameters/review.yaml (changed)",)
    assert {d.kind for d in result.differences} >= {"parameters", "result"}
    assert any(d.what == "next_review_date" for d in result.differences)


def test_changed_rule_file_is_named(tmp_path: Path) -> None:
    """A changed rule file is reported as a rules change even when the result stays the same."""
    receipt = make_receipt(assess_registration(application()), application(), include_input=True)
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    path = rules / "registration" / "notices.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# comment\n", encoding="utf-8")
    result = replay(receipt, rules=rules)
    assert not result.identical
    assert [(d.kind, d.what) for d in result.differences] == [
        ("rules", "registration/notices.yaml (changed)")
    ]


def test_engine_change_is_reported() -> None:
    """Replaying with another engine reports the engine change (and nothing else)."""
    if "durable" not in available_engines():
        pytest.skip("durable_rules is not available on this Python")
    receipt = make_receipt(assess_registration(application()), application(), include_input=True)
    assert receipt["engine"] == "python"
    result = replay(receipt, engine="durable")
    assert [(d.kind, d.recorded, d.now) for d in result.differences] == [
        ("engine", "python", "durable")
    ]


def test_unknown_receipt_version_is_rejected() -> None:
    """A receipt of an unknown version is an input error, not a replay."""
    receipt = make_receipt(assess_registration(application()), application(), include_input=True)
    with pytest.raises(InputError, match="receipt_version"):
        replay({**receipt, "receipt_version": 99})


def test_tampered_result_is_reported() -> None:
    """A receipt whose recorded outcome was altered replays as different, naming the outcome."""
    receipt = make_receipt(assess_registration(application()), application(), include_input=True)
    receipt["result"] = {**receipt["result"], "outcome": "ineligible"}
    result = replay(receipt)
    assert [(d.kind, d.what.split(":")[0]) for d in result.differences] == [
        ("receipt", "digest"),
        ("result", "outcome"),
    ]
