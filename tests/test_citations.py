"""Every citation the library can emit resolves to an entry of the clause registry (issue 3.1).

Citations come from three places: the rule files (``clause`` and ``also_cites``), the
combination policy of ``_assess.py`` (4.1.2 for a case outside the categories, 4.2.2 for the
deadline) and the sources of derived facts (national rules such as 民法典 art. 201).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

import lnunemp_rules as L
from builders import application, event, registrant
from lnunemp_rules.rulebook.folder import rules_dir

BOOK = L.load_rule_book()
REGISTRY = BOOK.clauses
ALL_RULES = [rule for rules in BOOK.rules.values() for rule in rules]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_every_clause_a_rule_cites_is_in_the_registry(rule: Any) -> None:
    """A rule's clause and every also_cites entry are registry ids with both titles."""
    for clause_id in rule.citations:
        assert clause_id in REGISTRY, f"{rule.file}:{rule.line} cites {clause_id}"
        entry = REGISTRY.get(clause_id)
        assert entry.title_zh and entry.title_en


@pytest.mark.parametrize("clause_id", ["4.1.2", "4.2.2"])
def test_the_policy_citations_of_the_facade_are_clauses_of_the_standard(clause_id: str) -> None:
    """4.1.2 (包括但不限于, needs_review) and 4.2.2 (deadline) are the standard's own clauses."""
    assert REGISTRY.get(clause_id).source == "standard"


@pytest.mark.parametrize(
    ("chapeau", "count", "effect"), [("4.1.2", 13, "category"), ("4.5", 15, "trigger")]
)
def test_every_enumerated_item_is_decided_by_a_rule(chapeau: str, count: int, effect: str) -> None:
    """Each of the 13 categories of 4.1.2 and 15 triggers of 4.5 has a rule with that clause."""
    items = [f"{chapeau}({n})" for n in range(1, count + 1)]
    assert [c.id for c in REGISTRY.items_of(chapeau)] == items
    decided = {r.clause for r in ALL_RULES if r.effect == effect}
    assert [i for i in items if i not in decided] == []
    cited = {c for r in ALL_RULES for c in r.citations}
    assert set(items) <= cited


def test_parameter_files_cite_registry_entries() -> None:
    """The minimum-wage and retirement-age files name clause ids that resolve."""
    folder = rules_dir() / "parameters"
    wage = yaml.safe_load((folder / "minimum_wage.yaml").read_text(encoding="utf-8"))
    retirement = yaml.safe_load((folder / "retirement_age.yaml").read_text(encoding="utf-8"))
    for clause_id in [*wage["clause_ids"], retirement["source"]["clause_id"]]:
        assert clause_id in REGISTRY


def _decisions() -> list[Any]:
    """Decisions of every outcome kind, to collect what the library actually emits."""
    apps = [
        application(insurance_contribution_months=12,
                    cause={"category": "enterprise_bankruptcy"}, channel="online"),
        application(current_situation={"employed": True}),
        application(applicant={"able_to_work": False}),
        application(drop=("unemployment_date", "cause", "applicant.residence_region")),
        application(cause={"category": "other", "description": "x"}),
        application(cause={"category": "land_requisition", "meets_local_conditions": "unknown"}),
        application(current_situation={"monthly_income": 2000}),
        application(birth=dt.date(1976, 1, 10), sex="female"),
        application(birth=dt.date(2011, 1, 1)),
    ]  # fmt: skip
    people = [
        (registrant(event("income_work", dt.date(2026, 3, 1), monthly_income=2000)), "2026-03-01"),
        (registrant(*(event("refusal", dt.date(2026, 3, d)) for d in (1, 2, 3))), "2026-03-05"),
        (registrant(event("move", dt.date(2026, 3, 1), new_region="110105")), "2026-03-05"),
        (registrant(), "2026-08-01"),
        (registrant(), "2026-02-01"),
        (registrant(registered=dt.date(2026, 7, 3)), "2027-01-04"),
    ]
    decisions: list[Any] = [L.assess_registration(a) for a in apps]
    decisions += [L.assess_deregistration(p, as_of=on) for p, on in people]
    return decisions


def test_every_citation_in_a_decision_resolves_with_the_registry_titles() -> None:
    """Categories, triggers, reasons, notices and the deadline cite registry entries verbatim."""
    decisions = _decisions()
    assert {d.outcome for d in decisions} == {
        "eligible", "ineligible", "incomplete", "needs_review", "deregister", "remain_registered"
    }  # fmt: skip
    emitted: set[str] = set()
    for decision in decisions:
        groups = [*(r.citations for r in decision.reasons)]
        for name in ("categories", "notices", "triggers"):
            groups += [m.citations for m in getattr(decision, name, ())]
        for group in groups:
            for citation in group:
                entry = REGISTRY.get(citation.id)
                assert (citation.title_zh, citation.title_en) == (entry.title_zh, entry.title_en)
                assert citation.source == entry.source
        emitted.update(decision.citations)
    assert [c for c in emitted if c not in REGISTRY] == []
    assert {"4.1.2", "4.2.2", "4.1.2(10)", "4.5(12)", "4.5(14)"} <= emitted


def test_sources_of_derived_facts_that_cite_rules_resolve() -> None:
    """Age, retirement and no-contact derivations cite national rules present in the registry."""
    cited: set[str] = set()
    for decision in _decisions():
        for derivation in decision.derivations:
            if derivation.fact in ("age_years", "retirement_status", "contact_lapse_effective"):
                cited.update(derivation.sources)
    assert {"spc-2006-1-art2", "civil-code-art1259", "npc-2024-retirement-decision"} <= cited
    assert [c for c in cited if c not in REGISTRY] == []


def test_a_registrant_who_stays_registered_is_told_which_clauses_that_rests_on() -> None:
    """remain_registered cites 5.5, 4.5 (none of its items holds) and 4.5(13) for the next date."""
    decision = L.assess_deregistration(registrant(), as_of="2026-03-01")
    assert decision.outcome == "remain_registered"
    assert decision.next_review_date is not None
    assert {"5.5", "4.5", "4.5(13)"} <= set(decision.citations)


def test_an_incomplete_application_cites_the_all_at_once_rule() -> None:
    """An incomplete application cites 4.1.4 (一次性告知) besides the missing items' clauses."""
    decision = L.assess_registration(application(unemployment_date=None))
    assert decision.outcome == "incomplete"
    assert "4.1.4" in decision.citations and "4.1.3(3)" in decision.citations
