"""The analysts' fixture format, its loader's errors and the ``test`` command."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from lnunemp_rules import available_engines
from lnunemp_rules.analyst.fixtures import (
    lint_fixture_files,
    load_fixture_cases,
    load_fixture_file,
    run_case,
)
from lnunemp_rules.cli import main
from lnunemp_rules.errors import RuleFileError
from lnunemp_rules.inputs.idnumber import parse_id_number

SUITE = Path(__file__).parent / "fixtures"

RESIGNED = textwrap.dedent(
    """\
    cases:
      - name: A resident who resigned is eligible under 4.1.2(11).
        kind: registration
        input:
          applicant: {id_number: {born: 1990-03-15, sex: male}, residence_region: "210102",
                      habitual_urban_resident: true, able_to_work: true}
          voluntary: true
          cause: {category: resignation}
          unemployment_date: 2026-10-30
          application_date: 2026-11-02
          channel: online
        expect:
          outcome: OUTCOME
          clauses: ["4.1.2(11)"]
          deadline: 2026-11-05
    """
)


def _write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_passing_case_passes(tmp_path: Path) -> None:
    """A case whose expectations match the decision passes with no differences."""
    (case,) = load_fixture_file(_write(tmp_path, RESIGNED.replace("OUTCOME", "eligible")))
    result = run_case(case)
    assert result.passed, result.diff()


def test_a_failing_case_shows_expected_and_actual_per_key(tmp_path: Path) -> None:
    """A wrong expected outcome fails with a line naming the key, the expected and actual value."""
    (case,) = load_fixture_file(_write(tmp_path, RESIGNED.replace("OUTCOME", "ineligible")))
    result = run_case(case)
    assert not result.passed
    assert "outcome: expected ineligible, got eligible" in result.diff()
    assert "clauses" not in result.diff()


def test_wrong_dates_and_absent_clauses_are_reported(tmp_path: Path) -> None:
    """A wrong deadline and a clause that must be absent both appear in the diff."""
    text = RESIGNED.replace("OUTCOME", "eligible").replace("2026-11-05", "2026-11-04")
    text = text.replace('clauses: ["4.1.2(11)"]', 'absent_clauses: ["4.1.2(11)"]')
    (case,) = load_fixture_file(_write(tmp_path, text))
    diff = run_case(case).diff()
    assert "deadline: expected 2026-11-04, got 2026-11-05" in diff
    assert "absent_clauses: expected [], got [4.1.2(11)]" in diff


def test_id_number_written_as_birth_date_and_sex_becomes_a_valid_number(tmp_path: Path) -> None:
    """{born, sex} in a fixture becomes a valid ID number with that birth date and sex."""
    (case,) = load_fixture_file(_write(tmp_path, RESIGNED.replace("OUTCOME", "eligible")))
    info = parse_id_number(case.input["applicant"]["id_number"])
    assert (info.birth_date, info.sex) == (dt.date(1990, 3, 15), "male")


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("outcome: OUTCOME", "outcome: approved", 13, "expect.outcome 'approved'"),
        ("kind: registration", "kind: appeal", 3, "kind: registration or review"),
        ("    expect:", "    colour: red\n    expect:", 12, "unknown case key 'colour'"),
        ("deadline: 2026-11-05", "deadline: soon", 15, "expect.deadline"),
        ("category: resignation", "category: resignaton", 4, "input.cause"),
        ("A resident who resigned is eligible under 4.1.2(11).", "Eligible", 2, "sentence"),
    ],
)
def test_malformed_case_is_reported_with_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    """Each malformed part of a case is reported with the file and the line it is on."""
    path = _write(tmp_path, RESIGNED.replace(old, new).replace("OUTCOME", "eligible"))
    with pytest.raises(RuleFileError) as info:
        load_fixture_file(path)
    problem = info.value.problems[0]
    assert (problem.file, problem.line) == (str(path), line)
    assert message in problem.message


def test_yaml_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    """A YAML syntax error names the file and line, through lint_fixture_files too."""
    path = _write(tmp_path, "cases:\n  - name: [unclosed\n")
    problems = lint_fixture_files([path])
    assert problems and problems[0].file == str(path) and problems[0].line is not None


def test_review_case_without_as_of_is_rejected(tmp_path: Path) -> None:
    """A review case must give the as-of date."""
    text = textwrap.dedent(
        """\
        cases:
          - name: A registrant with no events stays registered.
            kind: review
            input: {registration_date: 2026-06-01, residence_region: "210102"}
            expect: {outcome: remain_registered}
        """
    )
    problems = lint_fixture_files([_write(tmp_path, text)])
    assert [p.line for p in problems] == [3] and "as_of" in problems[0].message


def test_the_repository_suite_lints_clean() -> None:
    """The repository's own fixture files have no problems."""
    assert lint_fixture_files([SUITE]) == []


def test_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`test` exits 0 when all pass, 1 when a case fails, 2 when a file is malformed."""
    good = _write(tmp_path, RESIGNED.replace("OUTCOME", "eligible"), "good.yaml")
    bad = _write(tmp_path, RESIGNED.replace("OUTCOME", "ineligible"), "bad.yaml")
    broken = _write(tmp_path, "cases: 3\n", "broken.yaml")
    assert main(["test", str(good)]) == 0
    assert main(["test", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "outcome: expected ineligible, got eligible" in out
    assert main(["test", str(broken)]) == 2
    assert f"{broken}:1" in capsys.readouterr().err
    assert main(["test", str(good), "-k", "no such words"]) == 2
    assert "no fixture case matches" in capsys.readouterr().err


def test_filter_by_clause_id_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-k selects cases by an expected clause id, and --json reports them."""
    assert main(["test", str(SUITE), "-k", "4.5(12)", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = [c["name"] for c in data["cases"]]
    assert "A registrant is deregistered under 4.5(12) from the day of the 3rd refusal." in names
    assert len(names) < len(load_fixture_cases([SUITE])) / 10
    assert data["failed"] == 0


def test_filter_by_name_and_chinese_messages(capsys: pytest.CaptureFixture[str]) -> None:
    """-k also matches words of the case name, and --lang zh prints Chinese messages."""
    assert main(["test", str(SUITE), "-k", "National Day", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "通过" in out and "National Day" in out and "失败 0" in out


def test_folder_collects_only_fixture_files() -> None:
    """A folder yields the cases of its fixture files, not the equivalent-mutants list."""
    cases = load_fixture_cases([SUITE])
    assert {Path(c.file).parent.name for c in cases} == {"registration", "review"}


@pytest.mark.durable
@pytest.mark.skipif("durable" not in available_engines(), reason="durable_rules unavailable")
def test_the_suite_passes_on_the_durable_engine(capsys: pytest.CaptureFixture[str]) -> None:
    """The repository suite also passes when run with --engine durable."""
    assert main(["test", str(SUITE), "--engine", "durable"]) == 0
    assert "0 failed (durable engine)" in capsys.readouterr().out
