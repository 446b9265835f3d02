"""The rule loader rejects bad rule files, naming each problem's file and line (issue 3.4).

Each case writes a small rule file whose offending line carries the marker ``# <-``; the
loader must report a problem at exactly that file and line.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import lnunemp_rules as L
from lnunemp_rules.errors import Problem
from lnunemp_rules.rulebook.folder import rules_dir
from lnunemp_rules.rulebook.rules import load_rule_files

BOOK = L.load_rule_book()
MARK = "# <-"


def rule_file(*rules: str, ruleset: str = "registration") -> str:
    """A rule file around ``rules`` (each a YAML list item, indented as in the real files)."""
    body = "\n".join(textwrap.indent(textwrap.dedent(r).strip("\n"), "  ") for r in rules)
    return f"ruleset: {ruleset}\ngroup: test\nrules:\n{body}\n"


def bar(condition: str, *, rule_id: str = "bar.test", clause: str = '"4.1.1"') -> str:
    return f"""
        - id: {rule_id}
          effect: bar
          subject: application
          clause: {clause}
          when:
            - {condition}
          reason_zh: 测试。
          reason_en: Test.
        """


def load(tmp_path: Path, files: dict[str, str]) -> list[Problem]:
    """Problems the loader reports for ``files`` (name under rules/ -> text); [] if none."""
    paths = []
    for name, text in files.items():
        path = tmp_path / name.replace("/", "_")
        path.write_text(text, encoding="utf-8")
        paths.append((path, name))
    texts = {cid: c.text_zh for cid, c in BOOK.clauses.entries.items() if c.text_zh}
    try:
        load_rule_files(paths, BOOK.catalogue, BOOK.clauses.ids(), texts)
    except L.RuleFileError as exc:
        assert str(exc) == "\n".join(str(p) for p in exc.problems)
        return exc.problems
    return []


def marked_line(text: str) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if MARK in line]
    assert len(lines) == 1
    return lines[0]


CASES = [
    pytest.param(bar('{fact: shoe_size, op: "==", value: 42}  ' + MARK), "unknown fact",
                 id="unknown fact"),
    pytest.param(bar('{fact: voluntary, op: "is", value: false}  ' + MARK), "unknown operator",
                 id="unknown operator"),
    pytest.param(bar('{fact: voluntary, op: "==", value: false}',
                     clause='"4.1.9"  ' + MARK), "not in the clause registry",
                 id="unknown clause"),
    pytest.param(bar('{fact: unemployment_date, op: "<", value: "2026-13-01"}  ' + MARK),
                 "not a date", id="date value that is not a date"),
    pytest.param(bar('{fact: unemployment_date, op: "<", value: 2026-01-01T08:00:00}  ' + MARK),
                 "not a date", id="datetime where a date is expected"),
    pytest.param(bar('{fact: age_years, op: ">=", value: "sixteen"}  ' + MARK),
                 "not a whole number", id="text for an int fact"),
    pytest.param(bar('{fact: voluntary, op: "==", value: "no"}  ' + MARK),
                 "not true or false", id="text for a bool fact"),
    pytest.param(bar('{fact: cause, op: "==", value: sacked}  ' + MARK),
                 "not one of", id="value outside an enum"),
    pytest.param(bar('{fact: cause, op: ">", value: graduate}  ' + MARK),
                 "needs an int, number or date fact", id="ordering an enum"),
    pytest.param("""
        - id: bar.test
          effect: approve  # <-
          subject: application
          clause: "4.1.1"
          when: []
        """, "effect 'approve' is not one of", id="unknown effect"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "message"), CASES)
def test_bad_rule_is_reported_at_its_file_and_line(tmp_path: Path, rule: str, message: str) -> None:
    """One bad rule gives a RuleFileError whose problem names the file and the line."""
    text = rule_file(rule)
    problems = load(tmp_path, {"registration/ok.yaml": rule_file(bar(
        '{fact: voluntary, op: "==", value: false}', rule_id="bar.fine")),
        "registration/bad.yaml": text})  # fmt: skip
    assert problems, "the loader accepted a bad rule"
    where = [(p.file, p.line) for p in problems if message in p.message]
    assert where == [("registration/bad.yaml", marked_line(text))], problems


def test_duplicate_rule_id_is_reported_at_the_second_rule_naming_the_first(
    tmp_path: Path,
) -> None:
    """A rule id used twice is reported where it is repeated, with where it was first used."""
    first = rule_file(bar('{fact: voluntary, op: "==", value: false}'))
    second = rule_file(
        bar('{fact: voluntary, op: "==", value: false}', rule_id="bar.other"),
        """
        - id: bar.test  # <-
          effect: bar
          subject: application
          clause: "4.1.1"
          when: []
          reason_zh: 测试。
          reason_en: Test.
        """,
    )
    problems = load(tmp_path, {"registration/a.yaml": first, "registration/b.yaml": second})
    assert [(p.file, p.line) for p in problems] == [("registration/b.yaml", marked_line(second))]
    assert "duplicate rule id bar.test" in problems[0].message
    assert "registration/a.yaml:4" in problems[0].message


def test_every_problem_of_every_file_is_reported_at_once(tmp_path: Path) -> None:
    """Problems in two files are all reported in one error, each with its own file."""
    one = rule_file(bar('{fact: shoe_size, op: "==", value: 1}'))
    two = rule_file(bar('{fact: voluntary, op: "~", value: true}', rule_id="bar.two"))
    problems = load(tmp_path, {"registration/one.yaml": one, "registration/two.yaml": two})
    assert [p.file for p in problems] == ["registration/one.yaml", "registration/two.yaml"]


def test_impossible_calendar_date_is_reported_at_its_line(tmp_path: Path) -> None:
    """An unquoted date that does not exist (30 February) is a problem at its line."""
    text = rule_file(bar('{fact: unemployment_date, op: "<", value: 2026-02-30}  ' + MARK))
    problems = load(tmp_path, {"registration/bad.yaml": text})
    assert [(p.file, p.line) for p in problems] == [("registration/bad.yaml", marked_line(text))]


def test_the_shipped_rules_load_without_problems(tmp_path: Path) -> None:
    """Every shipped rule file loads cleanly, and each rule in it is loaded exactly once."""
    folder = rules_dir()
    paths = [
        (path, path.relative_to(folder).as_posix())
        for sub in ("registration", "review")
        for path in sorted((folder / sub).glob("*.yaml"))
    ]
    assert paths
    texts = {cid: c.text_zh for cid, c in BOOK.clauses.entries.items() if c.text_zh}
    rules = load_rule_files(paths, BOOK.catalogue, BOOK.clauses.ids(), texts)
    written = sum(p.read_text(encoding="utf-8").count("\n  - id: ") for p, _ in paths)
    assert len(rules) == written
    assert len({r.id for r in rules}) == len(rules)
    assert {r.ruleset for r in rules} == {"registration", "review"}
