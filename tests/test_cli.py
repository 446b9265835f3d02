"""The lnunemp-rules console script: assess, explain, replay, lint and schema."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from lnunemp_rules import assess_registration
from lnunemp_rules.cli import COMMANDS, main
from lnunemp_rules.report.schemas import (
    ReceiptModel,
    RegistrationDecisionModel,
    ReviewDecisionModel,
)
from lnunemp_rules.rulebook.folder import rules_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REGISTRATION = EXAMPLES / "registration.json"
REVIEW = EXAMPLES / "review.json"
RAW_IDS = [
    json.loads(REGISTRATION.read_text(encoding="utf-8"))["applicant"]["id_number"],
    json.loads(REVIEW.read_text(encoding="utf-8"))["person"]["id_number"],
]
NAMES = ["示例甲", "示例乙"]

pytestmark = pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/ not in this checkout")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["assess", "explain", "replay", "lint", "schema"])
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--help works on each command and exits 0 with a usage line naming it."""
    assert command in COMMANDS
    assert main([command, "--help"]) == 0
    assert f"lnunemp-rules {command}" in capsys.readouterr().out


def test_assess_registration_example(capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled application is eligible; the text shows the deadline across National Day."""
    code, out, _ = run(capsys, "assess", "registration", str(REGISTRATION))
    assert code == 0
    assert "Outcome: eligible for registration" in out
    assert "4.1.2(2)" in out
    assert "2026-10-10" in out


def test_assess_json_matches_library(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints exactly the library decision's to_dict()."""
    code, out, _ = run(capsys, "assess", "registration", str(REGISTRATION), "--json")
    assert code == 0
    expected = assess_registration(json.loads(REGISTRATION.read_text(encoding="utf-8")))
    assert json.loads(out) == expected.to_dict()


def test_assess_review_needs_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    """A review without --as-of is a usage error (exit 2)."""
    assert main(["assess", "review", str(REVIEW)]) == 2


def test_assess_review_zh_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """'-' reads the registrant from stdin; --lang zh prints the Chinese outcome."""
    monkeypatch.setattr("sys.stdin", io.StringIO(REVIEW.read_text(encoding="utf-8")))
    code, out, _ = run(capsys, "assess", "review", "-", "--as-of", "2026-11-28", "--lang", "zh")
    assert code == 0
    assert "继续保持失业登记" in out


def test_yaml_input_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A YAML input gives the same decision as the JSON one."""
    import yaml

    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(json.loads(REGISTRATION.read_text(encoding="utf-8"))))
    _, from_yaml, _ = run(capsys, "assess", "registration", str(path), "--json")
    _, from_json, _ = run(capsys, "assess", "registration", str(REGISTRATION), "--json")
    assert json.loads(from_yaml) == json.loads(from_json)


def test_bad_input_exits_2_and_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong ID check character is an input error naming the field (exit 2), not a decision."""
    data = json.loads(REGISTRATION.read_text(encoding="utf-8"))
    raw = data["applicant"]["id_number"]
    data["applicant"]["id_number"] = raw[:-1] + ("1" if raw[-1] != "1" else "2")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    code, out, err = run(capsys, "assess", "registration", str(path))
    assert code == 2
    assert "applicant.id_number" in err
    assert raw[:-1] not in out + err


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file is an input error (exit 2)."""
    code, _, err = run(capsys, "assess", "registration", str(tmp_path / "none.json"))
    assert code == 2
    assert "none.json: no such file" in err


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_masks_personal_data(
    fmt: str, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --show-personal-data no raw ID number or name appears in any format or language."""
    out_file = tmp_path / f"out.{fmt}"
    for path, extra in ((REGISTRATION, []), (REVIEW, ["--as-of", "2026-11-28"])):
        code, out, _ = run(capsys, "explain", str(path), "--format", fmt, "--lang", lang,
                           "-o", str(out_file), *extra)  # fmt: skip
        assert code == 0
        text = out_file.read_text(encoding="utf-8") + out
        for secret in RAW_IDS + NAMES:
            assert secret not in text


def test_explain_shows_personal_data_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    """--show-personal-data prints the raw ID number and name from the input."""
    code, out, _ = run(capsys, "explain", str(REGISTRATION), "--show-personal-data")
    assert code == 0
    assert RAW_IDS[0] in out
    assert NAMES[0] in out


def test_explain_review_near_misses(capsys: pytest.CaptureFixture[str]) -> None:
    """The review text shows income 1 yuan below the tier-1 minimum wage and 2 of 3 refusals."""
    code, out, _ = run(capsys, "explain", str(REVIEW), "--as-of", "2026-11-28")
    assert code == 0
    assert "monthly income 2,229 yuan a month, local minimum wage 2,230 yuan a month" in out
    assert "tier 1 of 3, in force from 2025-12-01" in out
    assert re.search(r"refusals so far is at least 3 times \(actual: 2 times\)", out)


def test_explain_autodetect_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A document that is neither input nor receipt is an input error (exit 2)."""
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    code, _, err = run(capsys, "explain", str(path))
    assert code == 2
    assert "--kind" in err


def test_html_is_self_contained_and_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The HTML page loads nothing from outside and escapes text taken from the input."""
    data = json.loads(REGISTRATION.read_text(encoding="utf-8"))
    data["cause"] = {"category": "other", "description": "<script>alert(1)</script>"}
    data["applicant"]["name"] = "<b>X</b>"
    src = tmp_path / "app.json"
    src.write_text(json.dumps(data))
    page = tmp_path / "page.html"
    code, _, _ = run(capsys, "explain", str(src), "--format", "html", "-o", str(page),
                     "--show-personal-data")  # fmt: skip
    assert code == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html.lower()
    assert "&lt;b&gt;X&lt;/b&gt;" in html


def test_receipt_then_replay_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """assess --receipt --include-input then replay reports identical (exit 0)."""
    receipt = tmp_path / "r.json"
    code, _, _ = run(capsys, "assess", "registration", str(REGISTRATION), "--receipt",
                     str(receipt), "--include-input")  # fmt: skip
    assert code == 0
    ReceiptModel.model_validate(json.loads(receipt.read_text(encoding="utf-8")))
    code, out, _ = run(capsys, "replay", str(receipt))
    assert code == 0
    assert out.startswith("identical")


def test_replay_without_input_needs_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A receipt without its input cannot be replayed alone (exit 2) but can with --input."""
    receipt = tmp_path / "r.json"
    run(capsys, "assess", "review", str(REVIEW), "--as-of", "2026-11-28", "--receipt", str(receipt))
    assert "input" not in json.loads(receipt.read_text(encoding="utf-8"))
    assert run(capsys, "replay", str(receipt))[0] == 2
    assert run(capsys, "replay", str(receipt), "--input", str(REVIEW))[0] == 0


def test_replay_reports_changed_parameter_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Replaying against a rules folder with an edited parameter file exits 1 and names the file."""
    receipt = tmp_path / "r.json"
    run(capsys, "assess", "review", str(REVIEW), "--as-of", "2026-11-28", "--receipt",
        str(receipt), "--include-input")  # fmt: skip
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    review = rules / "parameters" / "review.yaml"
    review.write_text(review.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code, out, _ = run(capsys, "replay", str(receipt), "--rules", str(rules), "--json")
    assert code == 1
    result = json.loads(out)
    assert result["identical"] is False
    assert [d["what"] for d in result["differences"]] == ["parameters/review.yaml (changed)"]


def test_explain_receipt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """explain renders a receipt (with its embedded input) like the input itself."""
    receipt = tmp_path / "r.json"
    run(capsys, "assess", "registration", str(REGISTRATION), "--receipt", str(receipt),
        "--include-input")  # fmt: skip
    code, from_receipt, _ = run(capsys, "explain", str(receipt), "--format", "md")
    _, from_input, _ = run(capsys, "explain", str(REGISTRATION), "--format", "md")
    assert code == 0
    assert from_receipt == from_input


def test_lint_clean_rules(capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped rules folder has no problem (exit 0)."""
    code, out, _ = run(capsys, "lint")
    assert code == 0, out
    assert out.startswith("0 problem(s)") or "\n0 problem(s)" in out


def test_lint_reports_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A rule with an unknown operator is reported as file:line and exits 1."""
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    path = rules / "review" / "triggers.yaml"
    text = path.read_text(encoding="utf-8")
    bad = text.replace(
        '{fact: type, op: "==", value: hired}', '{fact: type, op: "=~", value: hired}', 1
    )
    assert bad != text
    path.write_text(bad, encoding="utf-8")
    line = bad[: bad.index('op: "=~"')].count("\n") + 1
    code, out, _ = run(capsys, "lint", "--rules", str(rules))
    assert code == 1
    assert re.search(rf"triggers\.yaml:{line}: .*=~", out), out


def test_lint_bad_parameter_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A broken minimum-wage parameter file is reported with its path (exit 1)."""
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    (rules / "parameters" / "minimum_wage.yaml").write_text("rows: [\n", encoding="utf-8")
    code, out, _ = run(capsys, "lint", "--rules", str(rules), "--json")
    assert code == 1
    files = [p["file"] for p in json.loads(out)["problems"]]
    assert any(f.endswith("minimum_wage.yaml") for f in files)


def test_lint_fixture_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed fixture file given as a path makes lint fail (or is skipped with a note)."""
    path = tmp_path / "bad.yaml"
    path.write_text("cases:\n  - name: [unclosed\n", encoding="utf-8")
    code, out, _ = run(capsys, "lint", str(path))
    if "fixture files not checked" in out:
        assert code == 0
    else:
        assert code == 1
        assert "bad.yaml" in out


@pytest.mark.parametrize(
    "name",
    ["registration-input", "review-input", "registration-decision", "review-decision", "receipt"],
)
def test_schema_prints_json_schema(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every schema is a JSON object schema with properties."""
    code, out, _ = run(capsys, "schema", name)
    assert code == 0
    schema = json.loads(out)
    assert schema["type"] == "object"
    assert schema["properties"]


def test_decision_schemas_match_real_decisions(capsys: pytest.CaptureFixture[str]) -> None:
    """Real decision JSON validates against the decision schemas (extra keys forbidden)."""
    _, reg, _ = run(capsys, "assess", "registration", str(REGISTRATION), "--json")
    _, rev, _ = run(capsys, "assess", "review", str(REVIEW), "--as-of", "2026-11-28", "--json")
    RegistrationDecisionModel.model_validate(json.loads(reg))
    ReviewDecisionModel.model_validate(json.loads(rev))


def test_no_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Running the script with no command prints help and exits 2."""
    assert main([]) == 2


def test_a_crash_exits_3_without_echoing_the_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unexpected exception is an internal error: exit 3 (docs/cli.md), its type named, no
    traceback and nothing of the input or the exception's message."""
    from lnunemp_rules.decide import registration

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("210102199005170032")

    monkeypatch.setattr(registration.RegistrationProcedure, "decide", broken)
    assert main(["assess", "registration", str(EXAMPLES / "registration.json")]) == 3
    err = capsys.readouterr().err
    assert "internal error (KeyError)" in err
    assert "210102" not in err and "Traceback" not in err
