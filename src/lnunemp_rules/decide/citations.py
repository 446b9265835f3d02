"""What a decision cites: clauses of the standard and national rules, and the reasons and matches
that rules give, each built from the rule book's clause registry.

Citations, reasons and matches are immutable and the same for every decision of a rule book:
each is built once per book (:data:`_CITED`) and shared.
"""

from __future__ import annotations

from typing import Any

from ..engines.evaluation import Subject
from ..rulebook.book import RuleBook
from ..rulebook.memos import Memo
from ..rulebook.rules import Rule
from .decision import Citation, Match, Reason

__all__ = ["citation", "citations", "match", "reason"]

# Per rule book: clause id -> Citation; ("rules", clause, also_cites) -> tuple of Citations;
# ("reason", rule id, subject index, is an event) -> Reason; ("match", rule id) -> Match.
# Bounded by the book's clauses and rules (about 60 and 60, plus events by index). Saves 9% of
# a registration decision and 19% of a review (benchmarks/bench_memories.py).
_CITED: Memo[Any, Any] = Memo("citations", 20_000)


def citation(book: RuleBook, clause_id: str) -> Citation:
    """The citation of a clause of the standard or a national rule."""
    cache = book.memo(_CITED)
    found: Citation | None = cache.get(clause_id)
    if found is None:
        entry = book.clauses.get(clause_id)
        found = cache[clause_id] = Citation(entry.id, entry.title_zh, entry.title_en, entry.source)
    return found


def citations(book: RuleBook, rule: Rule) -> tuple[Citation, ...]:
    """The citations of a rule: its clause, then what it also cites."""
    cache = book.memo(_CITED)
    key = ("rules", rule.clause, rule.also_cites)
    found: tuple[Citation, ...] | None = cache.get(key)
    if found is None:
        found = cache[key] = tuple(citation(book, c) for c in rule.citations)
    return found


def reason(book: RuleBook, rule: Rule, subject: Subject) -> Reason:
    """The reason a fired rule gives for its subject (an event's index names its events)."""
    cache = book.memo(_CITED)
    event = subject.kind == "event"
    key = ("reason", rule.id, subject.index, event)
    found: Reason | None = cache.get(key)
    if found is None:
        index = subject.index
        missing = tuple(m.replace("events[]", f"events[{index}]") for m in rule.missing)
        found = Reason(
            rule.id, rule.effect, citation(book, rule.clause), citations(book, rule),
            rule.reason_zh or "", rule.reason_en or "", missing, (index,) if event else (),
        )  # fmt: skip
        if len(cache) < _CITED.limit:
            cache[key] = found
    return found


def match(book: RuleBook, rule: Rule) -> Match:
    """The match of a fired category or notice rule (no date, no events)."""
    cache = book.memo(_CITED)
    key = ("match", rule.id)
    found: Match | None = cache.get(key)
    if found is None:
        found = cache[key] = Match(rule.id, citation(book, rule.clause), citations(book, rule))
    return found
