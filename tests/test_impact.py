"""Impact analysis (issue 12, item 4): whom a change of the rules affects, person by person."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.cli import main
from lnunemp_rules.rulebook.folder import rules_dir

pytest.importorskip("pyarrow")

AS_OF = "2026-11-28"


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "registrants.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for record in generate_records("review", 600, seed=21, bad_share=0.02):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def five_months(tmp_path: Path) -> Path:
    """The packaged rules with the 4.5(13) contact-lapse period changed from 6 to 5 months."""
    folder = tmp_path / "rules5"
    shutil.copytree(rules_dir(), folder)
    review = folder / "parameters" / "review.yaml"
    text = review.read_text(encoding="utf-8")
    assert "contact_lapse_months:\n  value: 6\n" in text
    shorter = text.replace(
        "contact_lapse_months:\n  value: 6\n", "contact_lapse_months:\n  value: 5\n"
    )
    review.write_text(shorter, encoding="utf-8")
    return folder


def _impact(register: Path, after: Path, out: Path, engine: str) -> dict[str, object]:
    code = main(["impact", str(register), "--kind", "review", "--as-of", AS_OF, "--after",
                 str(after), "--summary", str(out / f"{engine}.json"), "--changes",
                 str(out / f"{engine}.jsonl"), "--html", str(out / f"{engine}.html"),
                 "--engine", engine])  # fmt: skip
    assert code == 0
    summary: dict[str, object] = json.loads((out / f"{engine}.json").read_text("utf-8"))
    return summary


def test_a_shorter_contact_lapse_deregisters_more_people_and_says_where(
    register: Path, five_months: Path, tmp_path: Path
) -> None:
    """Five months instead of six: some who remained registered are deregistered under
    4.5(13), the review.yaml digest differs, and every output names the changed records."""
    summary = _impact(register, five_months, tmp_path, "columnar")
    assert summary["records"] == 600
    assert [f["file"] for f in summary["files_changed"]] == ["parameters/review.yaml"]  # type: ignore[attr-defined,index]
    transitions = {(t["from"], t["to"]): t["count"] for t in summary["transitions"]}  # type: ignore[attr-defined,index]
    assert transitions[("remain_registered", "deregister")] > 0
    assert ("deregister", "remain_registered") not in transitions
    assert set(summary["by_clause"]) == {"4.5(13)"}  # type: ignore[arg-type]
    text = (tmp_path / "columnar.jsonl").read_text("utf-8")
    changed = [json.loads(line) for line in text.splitlines()]
    assert len(changed) == summary["changed"]
    assert sum(summary["by_prefecture"].values()) == summary["changed"]  # type: ignore[attr-defined]
    assert all(c["before"] != c["after"] for c in changed)
    page = (tmp_path / "columnar.html").read_text("utf-8")
    assert page.count("<svg") == 2
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page and "<script" not in page


def test_the_per_record_engine_finds_the_same_impact(
    register: Path, five_months: Path, tmp_path: Path
) -> None:
    """--engine python gives the same summary and changed records as the columnar engine."""
    assert _impact(register, five_months, tmp_path, "python") == _impact(
        register, five_months, tmp_path, "columnar"
    )
    assert (tmp_path / "python.jsonl").read_text("utf-8") == (
        tmp_path / "columnar.jsonl"
    ).read_text("utf-8")


def test_the_same_rules_on_both_sides_change_nobody(register: Path, tmp_path: Path) -> None:
    """Before and after both the packaged rules: no file differs and no record changes."""
    summary_csv = tmp_path / "summary.csv"
    assert main(["impact", str(register), "--kind", "review", "--as-of", AS_OF,
                 "--summary", str(summary_csv)]) == 0  # fmt: skip
    lines = summary_csv.read_text("utf-8").splitlines()
    rows = {(r["table"], r["key"]): r["count"] for r in csv.DictReader(lines)}
    assert rows[("total", "changed")] == "0"
    assert rows[("total", "records")] == "600"


def test_rules_in_use_are_the_default_side_and_packaged_names_the_shipped_rules(
    register: Path, five_months: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--before packaged with --rules DIR compares the shipped rules with DIR (the side not
    given is the rules in use); both sides left to the rules in use change nobody."""
    argv = ["impact", str(register), "--kind", "review", "--as-of", AS_OF, "--json"]
    assert main([*argv, "--before", "packaged", "--rules", str(five_months)]) == 0
    compared = json.loads(capsys.readouterr().out)
    assert [f["file"] for f in compared["files_changed"]] == ["parameters/review.yaml"]
    assert compared["changed"] > 0
    assert main([*argv, "--rules", str(five_months)]) == 0
    same = json.loads(capsys.readouterr().out)
    assert same["files_changed"] == [] and same["changed"] == 0


def test_impact_errors_are_said_in_words_and_as_json(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing register, a missing --as-of, a folder that is no rules folder and an output
    in a missing folder are usage errors (exit 2) naming what is wrong, as JSON with --json."""
    cases = [
        (["impact", str(tmp_path / "none.jsonl"), "--kind", "review", "--as-of", AS_OF],
         "none.jsonl: no such file"),
        (["impact", str(register), "--kind", "review"], "--as-of: required"),
        (["impact", str(register), "--kind", "review", "--as-of", AS_OF, "--after",
          str(tmp_path)], "not a rules folder"),
        (["impact", str(register), "--kind", "review", "--as-of", AS_OF, "--html",
          str(tmp_path / "no" / "x.html")], "--html: cannot write"),
    ]  # fmt: skip
    for argv, words in cases:
        assert main([*argv, "--json"]) == 2
        _, err = capsys.readouterr()
        problem = json.loads(err)
        assert problem["exit_code"] == 2 and words in problem["message"], (argv, problem)
        assert "Traceback" not in err
