"""Clause coverage: for every clause item, the rules that encode it and the fixture cases that
exercise it, firing and not firing (issue 4, item 3).

A case *fires* a clause item when the decision rests on it: the item is cited by one of the
decision's categories, triggers, reasons or notices. It exercises the item *not firing* when a
rule citing the item was evaluated for the case (it is in the decision's trace) but the
decision does not rest on the item. (The decision, not the raw trace, decides "fired": the
4.2.1 notices are evaluated for every application but given only with an eligible decision.)

A clause item is covered when it has a rule, a firing case and a non-firing case. Two items
are special:

- 4.2.2 (the processing deadline) is computed from the calendar, not by a rule: it is covered
  when cases assert the deadline of an online (3 working days) and of an offline (same day)
  application.
- 4.2.1(6) ("需要告知的其他事项", other matters to be told) has no content a rule could decide
  and no rule by design (rules/registration/notices.yaml): it is excluded from the percentage
  and listed as excluded with that reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ..rulebook.book import RuleBook, load_rule_book
from .fixtures import CaseResult, FixtureCase, matched_ids, run_case

__all__ = ["CLAUSE_ITEMS", "EXCLUDED", "ClauseCoverage", "CoverageReport", "clause_coverage"]

#: The clause items of 1 (scope), 3.1, 4.1.1, 4.1.2, 4.1.3, 4.2.1, 4.2.2, 4.5 and 5.5, in the
#: standard's order.
CLAUSE_ITEMS: Final[tuple[str, ...]] = (
    "1",
    "3.1",
    "4.1.1",
    *(f"4.1.2({i})" for i in range(1, 14)),
    *(f"4.1.3({i})" for i in range(1, 4)),
    *(f"4.2.1({i})" for i in range(1, 7)),
    "4.2.2",
    *(f"4.5({i})" for i in range(1, 16)),
    "5.5",
)
#: Items left out of the percentage, with the reason.
EXCLUDED: Final[dict[str, str]] = {
    "4.2.1(6)": (
        "需要告知的其他事项 (other matters to be told) has no content a rule could decide; "
        "no rule by design (rules/registration/notices.yaml)"
    ),
}
_DEADLINE: Final = "4.2.2"


@dataclass
class ClauseCoverage:
    """One clause item: its rules and the cases exercising it."""

    clause: str
    rules: list[str] = field(default_factory=list)
    firing: list[str] = field(default_factory=list)
    not_firing: list[str] = field(default_factory=list)
    excluded: str | None = None

    @property
    def covered(self) -> bool:
        return bool(self.rules and self.firing and self.not_firing) and self.excluded is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "rules": self.rules,
            "firing": self.firing,
            "not_firing": self.not_firing,
            "covered": self.covered,
            "excluded": self.excluded,
        }


@dataclass
class CoverageReport:
    """Coverage of every clause item, and the cases that failed while measuring it."""

    items: list[ClauseCoverage]
    failed_cases: list[CaseResult]

    @property
    def counted(self) -> list[ClauseCoverage]:
        return [i for i in self.items if i.excluded is None]

    @property
    def percent(self) -> float:
        counted = self.counted
        return 100.0 * sum(i.covered for i in counted) / len(counted) if counted else 100.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": round(self.percent, 1),
            "covered": sum(i.covered for i in self.counted),
            "counted": len(self.counted),
            "excluded": [{"clause": c, "reason": r} for c, r in EXCLUDED.items()],
            "failed_cases": [r.case.name for r in self.failed_cases],
            "items": [i.to_dict() for i in self.items],
        }


def _rules_citing(book: RuleBook) -> dict[str, list[str]]:
    citing: dict[str, list[str]] = {}
    for rules in book.rules.values():
        for rule in rules:
            for cited in rule.citations:
                citing.setdefault(cited, []).append(rule.id)
    return citing


def clause_coverage(
    cases: Sequence[FixtureCase], *, engine: str | None = None, rule_book: RuleBook | None = None
) -> CoverageReport:
    """Run the cases and map each clause item to its rules and its firing / non-firing cases."""
    book = rule_book or load_rule_book()
    citing = _rules_citing(book)
    items = {c: ClauseCoverage(c, list(citing.get(c, ())), excluded=EXCLUDED.get(c))
             for c in CLAUSE_ITEMS}  # fmt: skip
    items[_DEADLINE].rules = ["(deadline table, rules/calendar: not a rule)"]
    failed: list[CaseResult] = []
    for case in cases:
        result = run_case(case, engine=engine, rule_book=book)
        if not result.passed:
            failed.append(result)
        decision = result.decision
        if decision is None:
            continue
        ids = matched_ids(decision)
        evaluated = {entry.rule_id for entry in decision.trace}
        for clause, item in items.items():
            if clause == _DEADLINE:
                if "deadline" in case.expect:
                    online = case.input.get("channel") == "online"
                    (item.firing if online else item.not_firing).append(case.name)
                continue
            if clause in ids:
                item.firing.append(case.name)
            elif evaluated.intersection(item.rules):
                item.not_firing.append(case.name)
    return CoverageReport(list(items.values()), failed)
