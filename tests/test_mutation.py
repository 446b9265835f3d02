"""The mutation check: the repository's fixtures kill every non-equivalent mutant of the rules.

The full check (about 280 mutants) takes about 10 s in process, so it runs in full here
(under the 30 s above which it would be marked slow).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from lnunemp_rules import load_rule_book
from lnunemp_rules.analyst.fixtures import load_fixture_cases
from lnunemp_rules.analyst.mutate import (
    enumerate_mutants,
    load_equivalent_mutants,
    run_mutation_check,
)
from lnunemp_rules.cli import main
from lnunemp_rules.law.minimum_wage import minimum_wage_on

SUITE = Path(__file__).parent / "fixtures"
EQUIVALENT = SUITE / "equivalent_mutants.yaml"


def test_the_suite_kills_every_non_equivalent_mutant() -> None:
    """No mutant survives the repository's fixtures unless it is listed as equivalent."""
    equivalent = load_equivalent_mutants(EQUIVALENT)
    report = run_mutation_check(load_fixture_cases([SUITE]), equivalent=equivalent)
    assert [m.key for m in report.survivors] == []
    assert report.total > 200 and report.killed + report.rejected + len(report.equivalent) == (
        report.total
    )
    # Every listed equivalent mutant still exists and still survives: no stale entries.
    assert sorted(m.key for m in report.equivalent) == sorted(equivalent)


def test_without_fixtures_every_mutant_survives() -> None:
    """With no cases nothing is killed, so the check can fail."""
    report = run_mutation_check([], select=lambda ms: ms[:5])
    assert len(report.survivors) == 5 and report.killed == 0


def test_boundary_cases_kill_the_boundary_mutants() -> None:
    """The two cases on either side of the 16th birthday kill both moves of the age threshold."""
    cases = [c for c in load_fixture_cases([SUITE]) if "16th birthday" in c.name]
    assert len(cases) == 2
    wanted = {
        "bar.under-working-age: age_years < 16 -> age_years < 15",
        "bar.under-working-age: age_years < 16 -> age_years < 17",
        "bar.under-working-age: age_years < 16 -> age_years <= 16",
    }
    report = run_mutation_check(cases, select=lambda ms: [m for m in ms if m.key in wanted])
    assert report.total == 3 and report.killed == 3


def test_mutants_cover_every_kind_of_change() -> None:
    """Comparisons, thresholds, dropped conditions, enum swaps and parameter shifts all occur."""
    keys = [m.key for m in enumerate_mutants()]
    assert any("age_years < 16 -> age_years <= 16" in k for k in keys)
    assert any("insurance_months >= 12 -> insurance_months >= 11" in k for k in keys)
    assert any("drop condition 'voluntary == false'" in k for k in keys)
    assert any("cause == graduate -> cause == " in k for k in keys)
    assert any("effective_from 2025-12-01 -> 2025-11-30" in k for k in keys)
    assert any("tier 1 2230 -> 2229" in k for k in keys)
    assert any("contact_lapse_months 6 -> 7" in k for k in keys)
    assert any("effective_date contact_lapse_effective -> contact_lapse_end" in k for k in keys)
    assert len(keys) == len(set(keys))


def test_a_minimum_wage_mutant_leaves_no_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a minimum-wage mutant the environment and the rule book's table are as before."""
    monkeypatch.delenv("LNUNEMP_RULES_DIR", raising=False)
    before = minimum_wage_on(load_rule_book().minimum_wages, dt.date(2025, 12, 1), 1).amount
    report = run_mutation_check(
        load_fixture_cases([SUITE / "review" / "minimum_wage.yaml"]),
        select=lambda ms: [m for m in ms if "tier 1 2230 -> 2231" in m.key],
    )
    assert report.total == 1 and report.killed == 1
    assert "LNUNEMP_RULES_DIR" not in os.environ
    assert minimum_wage_on(load_rule_book().minimum_wages, dt.date(2025, 12, 1), 1).amount == before


def test_mutate_command_reports_count_time_and_survivors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`mutate` exits 1 and names rule, clause and change of a survivor; 0 when all are killed."""
    review = str(SUITE / "review" / "contact_lapse.yaml")
    assert main(["mutate", review, "-k", "contact_lapse_months"]) == 0
    out = capsys.readouterr().out
    assert "2 mutants: 2 killed" in out and " s" in out
    registration = str(SUITE / "registration" / "deadline.yaml")
    assert (
        main(
            [
                "mutate",
                registration,
                "-k",
                "bar.under-working-age: age_years < 16 -> age_years <= 16",
            ]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "SURVIVED registration/base.yaml:" in out and "clause=labour-law-art15" in out
