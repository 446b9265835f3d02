"""Clause coverage of the rules and fixtures, and the ``coverage`` command."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from lnunemp_rules.analyst.coverage import CLAUSE_ITEMS, EXCLUDED, clause_coverage
from lnunemp_rules.analyst.fixtures import load_fixture_cases, load_fixture_file
from lnunemp_rules.cli import main

SUITE = Path(__file__).parent / "fixtures"

NOT_VOLUNTARY = textwrap.dedent(
    """\
    cases:
      - name: A person who has not asked to be registered is refused under 4.1.1.
        kind: registration
        input:
          applicant: {id_number: {born: 1990-03-15, sex: male}, residence_region: "210102",
                      habitual_urban_resident: true, able_to_work: true}
          voluntary: false
          cause: {category: resignation}
          unemployment_date: 2026-10-30
          application_date: 2026-11-02
          channel: offline
        expect: {outcome: ineligible, clauses: ["4.1.1"]}
    """
)


def test_the_repository_suite_covers_every_counted_clause_item() -> None:
    """Every clause item except the excluded 4.2.1(6) has a rule, a firing and a non-firing case."""
    report = clause_coverage(load_fixture_cases([SUITE]))
    assert report.failed_cases == []
    missing = [i.clause for i in report.counted if not i.covered]
    assert missing == []
    assert report.percent == 100.0


def test_4_2_1_6_is_excluded_with_its_reason() -> None:
    """4.2.1(6) has no rule by design: it is listed as excluded, not counted."""
    report = clause_coverage([])
    (item,) = [i for i in report.items if i.clause == "4.2.1(6)"]
    assert item.excluded == EXCLUDED["4.2.1(6)"] and item.rules == []
    assert len(report.counted) == len(CLAUSE_ITEMS) - 1


def test_a_single_case_fires_its_clause_and_leaves_others_not_firing(tmp_path: Path) -> None:
    """One refused case fires 4.1.1 and exercises the category rules without firing them."""
    path = tmp_path / "one.yaml"
    path.write_text(NOT_VOLUNTARY, encoding="utf-8")
    report = clause_coverage(load_fixture_file(path))
    items = {i.clause: i for i in report.items}
    assert len(items["4.1.1"].firing) == 1 and items["4.1.1"].not_firing == []
    assert not items["4.1.1"].covered
    assert items["4.1.2(1)"].firing == [] and len(items["4.1.2(1)"].not_firing) == 1
    assert items["4.5(10)"].not_firing == []  # no event: the review rules never ran
    assert "category.graduate" in items["4.1.2(1)"].rules
    assert report.percent < 10


def test_fail_under_exits_1_below_the_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--fail-under exits 1 when coverage is below N%, 0 when at or above it."""
    path = tmp_path / "one.yaml"
    path.write_text(NOT_VOLUNTARY, encoding="utf-8")
    assert main(["coverage", str(path), "--fail-under", "50"]) == 1
    assert main(["coverage", str(path), "--fail-under", "0"]) == 0
    out = capsys.readouterr().out
    assert "4.2.1(6)" in out and "excluded" in out


def test_coverage_json_of_the_suite(capsys: pytest.CaptureFixture[str]) -> None:
    """--json gives each clause item with its rules and cases, and the percentage."""
    assert main(["coverage", str(SUITE), "--json", "--fail-under", "100"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["percent"] == 100.0
    by_clause = {i["clause"]: i for i in data["items"]}
    assert set(by_clause) == set(CLAUSE_ITEMS)
    assert "trigger.contact-lapse" in by_clause["4.5(13)"]["rules"]
    assert by_clause["4.2.1(6)"]["excluded"]
