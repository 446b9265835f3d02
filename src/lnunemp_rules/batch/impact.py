"""Impact analysis: whom a change of the rules would affect, person by person (issue 12).

Every record of a register is decided under two rule books (``before`` and ``after``: rules
folders, either of them the packaged one), by the columnar engine unless asked otherwise. A
record has changed when its outcome, its grounds (the 4.5 triggers or 4.1.2 categories, by
rule), a ground's effective date, the decision's effective date, next review date or
processing deadline differ. The summary counts the changed records as a transition table
(outcome before -> after), by clause (each clause whose ground appeared, disappeared or moved
its date) and by prefecture; the changed records are written with both decisions' key fields.
The rule and parameter files that differ are named by their SHA-256, as receipts name them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import state
from ..decide import Procedure
from ..rulebook.book import RuleBook
from .records import Rejected
from .sweep import COLUMNAR_CHUNK_SIZE, _chunks, _error

__all__ = ["ImpactSummary", "changed_files", "compare_decisions", "impact"]


def changed_files(before: RuleBook, after: RuleBook) -> list[dict[str, str | None]]:
    """The YAML files of the two rules folders whose content differs, with both digests."""
    names = sorted(set(before.file_hashes) | set(after.file_hashes))
    return [
        {"file": name, "before": before.file_hashes.get(name), "after": after.file_hashes.get(name)}
        for name in names
        if before.file_hashes.get(name) != after.file_hashes.get(name)
    ]


def _key(chosen: Procedure[Any, Any], decision: Any) -> dict[str, Any]:
    """What a change is judged on: outcome, grounds with their dates, the decision's dates."""
    if isinstance(decision, dict):  # the record could not be decided under this book
        return {"outcome": "error", "error": decision.get("error"), "grounds": {}}
    grounds = {
        m.rule_id: {"clause": m.clause.id,
                    "effective_date": m.effective_date.isoformat() if m.effective_date else None}
        for m in chosen.grounds(decision)
    }  # fmt: skip
    return {"outcome": decision.outcome, "grounds": grounds, **chosen.summary(decision)}


def _moved_clauses(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The clauses of the grounds that appeared, disappeared or changed date."""
    rules = set(before["grounds"]) | set(after["grounds"])
    moved = {
        (before["grounds"].get(r) or after["grounds"].get(r))["clause"]
        for r in rules
        if before["grounds"].get(r) != after["grounds"].get(r)
    }
    return sorted(moved)


@dataclass
class ImpactSummary:
    """The counts of an impact analysis (module docstring)."""

    kind: str
    as_of: str | None
    files: list[dict[str, str | None]]
    records: int = 0
    rejected: int = 0
    changed: int = 0
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    clauses: Counter[str] = field(default_factory=Counter)
    prefectures: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "as_of": self.as_of,
            "files_changed": self.files,
            "records": self.records,
            "rejected": self.rejected,
            "changed": self.changed,
            "transitions": [{"from": a, "to": b, "count": n}
                            for (a, b), n in sorted(self.transitions.items())],
            "by_clause": dict(sorted(self.clauses.items())),
            "by_prefecture": dict(sorted(self.prefectures.items())),
        }  # fmt: skip

    def rows(self) -> Iterator[tuple[str, str, int]]:
        """(table, key, count) rows: the CSV form."""
        yield ("total", "records", self.records)
        yield ("total", "rejected", self.rejected)
        yield ("total", "changed", self.changed)
        for (a, b), n in sorted(self.transitions.items()):
            yield ("transition", f"{a} -> {b}", n)
        for clause, n in sorted(self.clauses.items()):
            yield ("clause", clause, n)
        for prefecture, n in sorted(self.prefectures.items()):
            yield ("prefecture", prefecture, n)

    def render(self) -> str:
        """The summary as text: totals, the transition table, by clause, by prefecture."""
        lines = [f"impact of the rule change on {self.records:,} {self.kind} records"
                 + (f" as of {self.as_of}" if self.as_of else "")]  # fmt: skip
        lines += [f"  files changed: {f['file']}" for f in self.files] or ["  files changed: none"]
        lines.append(f"  changed: {self.changed:,}   rejected: {self.rejected:,}")
        if self.transitions:
            lines.append(f"  {'from':<20}{'to':<20}{'records':>9}")
            for (a, b), n in sorted(self.transitions.items(), key=lambda item: -item[1]):
                lines.append(f"  {a:<20}{b:<20}{n:>9,}")
        for title, counts in (("by clause", self.clauses), ("by prefecture", self.prefectures)):
            if counts:
                lines.append(f"  {title}: " + ", ".join(f"{k} {n:,}" for k, n in
                                                       sorted(counts.items())))  # fmt: skip
        return "\n".join(lines)


def _decide_under(
    chosen: Procedure[Any, Any], models: Sequence[Any], on: dt.date | None, book: RuleBook,
    engine: str,
) -> list[Any]:  # fmt: skip
    """The decision on each validated model under ``book``, or its error entry."""
    if engine != "columnar":
        return [_decided(chosen, m, on, book, engine) for m in models]
    found: list[Any] = []
    ready: list[tuple[int, Any]] = []
    for model in models:
        prepared = _prepared_under(chosen, model, on, book)
        if isinstance(prepared, dict):
            found.append(prepared)
        else:
            ready.append((len(found), prepared))
            found.append(None)
    for (position, _), decision in zip(ready, chosen.decide_prepared([p for _, p in ready]),
                                       strict=True):  # fmt: skip
        found[position] = decision
    return found


def _prepared_under(chosen: Procedure[Any, Any], model: Any, on: dt.date | None,
                    book: RuleBook) -> Any:  # fmt: skip
    try:
        return chosen.prepare(model, as_of=on, rule_book=book)
    except Exception as exc:
        return _error(exc)


def _decided(chosen: Procedure[Any, Any], model: Any, on: dt.date | None, book: RuleBook,
             engine: str) -> Any:  # fmt: skip
    try:
        return chosen.decide(model, as_of=on, engine=engine, rule_book=book)
    except Exception as exc:
        return _error(exc)


def _validated(chosen: Procedure[Any, Any], record: Mapping[str, Any] | Rejected) -> Any:
    if isinstance(record, Rejected):
        return None
    try:
        return chosen.validate(record)
    except Exception:
        return None


def compare_decisions(
    items: Iterable[tuple[int, Mapping[str, Any] | Rejected]],
    chosen: Procedure[Any, Any],
    on: dt.date | None,
    before: RuleBook,
    after: RuleBook,
    *,
    engine: str = "columnar",
    chunk_size: int = COLUMNAR_CHUNK_SIZE,
) -> Iterator[tuple[int, str | None, dict[str, Any], dict[str, Any]] | int]:
    """Per record: (line, prefecture, key before, key after), or the line of a rejected one."""
    for chunk in _chunks(items, chunk_size):
        with state.collector_paused():
            models = [(line, _validated(chosen, record)) for line, record in chunk]
            valid = [m for _, m in models if m is not None]
            decided = zip(_decide_under(chosen, valid, on, before, engine),
                          _decide_under(chosen, valid, on, after, engine), strict=True)  # fmt: skip
            out: list[Any] = []
            for line, model in models:
                if model is None:
                    out.append(line)
                    continue
                old, new = next(decided)
                region = chosen.region(model)
                out.append((line, region[:4] if region else None,
                            _key(chosen, old), _key(chosen, new)))  # fmt: skip
        yield from out


def impact(
    items: Iterable[tuple[int, Mapping[str, Any] | Rejected]],
    chosen: Procedure[Any, Any],
    on: dt.date | None,
    before: RuleBook,
    after: RuleBook,
    *,
    engine: str = "columnar",
) -> Iterator[dict[str, Any] | ImpactSummary]:
    """Each changed record as ``{"line", "prefecture", "before", "after", "clauses"}``, then
    the :class:`ImpactSummary` last."""
    summary = ImpactSummary(chosen.name, on.isoformat() if on else None,
                            changed_files(before, after))  # fmt: skip
    for item in compare_decisions(items, chosen, on, before, after, engine=engine):
        summary.records += 1
        if isinstance(item, int):
            summary.rejected += 1
            continue
        line, prefecture, old, new = item
        if old == new:
            continue
        summary.changed += 1
        summary.transitions[(old["outcome"], new["outcome"])] += 1
        clauses = _moved_clauses(old, new)
        summary.clauses.update(clauses)
        summary.prefectures[prefecture or "unknown"] += 1
        yield {"line": line, "prefecture": prefecture, "clauses": clauses,
               "before": old, "after": new}  # fmt: skip
    yield summary
