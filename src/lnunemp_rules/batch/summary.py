"""The statistics of a sweep (standard 4.3.2, "做好统计分析"): counts by outcome, clause and
prefecture, as text, JSON or CSV."""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BatchSummary", "write_summary"]


@dataclass
class BatchSummary:
    """Counts of a sweep: by outcome, by clause, by prefecture code (first 4 region digits)."""

    kind: str
    as_of: str | None
    records: int = 0
    decided: int = 0
    errors: int = 0
    internal_errors: int = 0
    #: Worker processes that died and were replaced (docs/batch.md, "Faults").
    worker_restarts: int = 0
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_clause: Counter[str] = field(default_factory=Counter)
    by_prefecture: Counter[str] = field(default_factory=Counter)
    by_prefecture_outcome: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, result: Mapping[str, Any]) -> None:
        """Count one result of :func:`sweep` or :func:`assess_partition`."""
        self.records += 1
        if "error" in result:
            self.errors += 1
            self.internal_errors += bool(result.get("internal"))
            return
        self.decided += 1
        outcome = str(result["outcome"])
        prefecture = result.get("prefecture") or "unknown"
        self.by_outcome[outcome] += 1
        self.by_clause.update(result.get("clauses", ()))
        self.by_prefecture[prefecture] += 1
        self.by_prefecture_outcome[(prefecture, outcome)] += 1

    def _merge(self, other: BatchSummary) -> None:
        """Add the counts of ``other`` (a worker's share of the same sweep)."""
        self.records += other.records
        self.decided += other.decided
        self.errors += other.errors
        self.internal_errors += other.internal_errors
        self.worker_restarts += other.worker_restarts
        self.by_outcome.update(other.by_outcome)
        self.by_clause.update(other.by_clause)
        self.by_prefecture.update(other.by_prefecture)
        self.by_prefecture_outcome.update(other.by_prefecture_outcome)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (docs/batch.md)."""
        nested: dict[str, dict[str, int]] = {}
        for (prefecture, outcome), n in sorted(self.by_prefecture_outcome.items()):
            nested.setdefault(prefecture, {})[outcome] = n
        return {
            "kind": self.kind,
            "as_of": self.as_of,
            "records": self.records,
            "decided": self.decided,
            "errors": self.errors,
            "internal_errors": self.internal_errors,
            "worker_restarts": self.worker_restarts,
            "by_outcome": dict(sorted(self.by_outcome.items())),
            "by_clause": dict(sorted(self.by_clause.items(), key=lambda kv: _clause_key(kv[0]))),
            "by_prefecture": dict(sorted(self.by_prefecture.items())),
            "by_prefecture_outcome": nested,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BatchSummary:
        """The counts of :meth:`to_dict` again (a resumed sweep starts from its manifest's)."""
        summary = cls(str(data["kind"]), data.get("as_of"))
        for name in ("records", "decided", "errors", "internal_errors", "worker_restarts"):
            setattr(summary, name, int(data.get(name, 0)))
        summary.by_outcome.update(data.get("by_outcome", {}))
        summary.by_clause.update(data.get("by_clause", {}))
        summary.by_prefecture.update(data.get("by_prefecture", {}))
        for prefecture, outcomes in data.get("by_prefecture_outcome", {}).items():
            for outcome, n in outcomes.items():
                summary.by_prefecture_outcome[(prefecture, outcome)] += int(n)
        return summary

    def rows(self) -> Iterator[tuple[str, str, int]]:
        """(dimension, key, count) rows: the CSV form."""
        data = self.to_dict()
        for name in ("records", "decided", "errors", "internal_errors", "worker_restarts"):
            yield "total", name, data[name]
        for dimension in ("outcome", "clause", "prefecture"):
            for key, n in data[f"by_{dimension}"].items():
                yield dimension, key, n
        for prefecture, outcomes in data["by_prefecture_outcome"].items():
            for outcome, n in outcomes.items():
                yield "prefecture_outcome", f"{prefecture}/{outcome}", n

    def render(self) -> str:
        """Plain text for a terminal."""
        when = f" as of {self.as_of}" if self.as_of else ""
        lines = [f"{self.kind} sweep{when}: {self.records} records, {self.decided} decided, "
                 f"{self.errors} rejected"]  # fmt: skip
        if self.worker_restarts:
            lines.append("worker processes replaced (died, or stopped after task_timeout): "
                         f"{self.worker_restarts}")  # fmt: skip
        for dimension in ("outcome", "clause", "prefecture"):
            lines.append(f"by {dimension}:")
            counts = self.to_dict()[f"by_{dimension}"]
            lines.extend(f"  {key:<28} {n:>9}" for key, n in counts.items())
        return "\n".join(lines)


def _clause_key(clause: str) -> tuple[Any, ...]:
    """Sort 4.1.2(2) before 4.1.2(10); national rules after the standard's clauses."""
    parts = clause.replace("(", ".").replace(")", "").split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def write_summary(summary: BatchSummary, path: str) -> None:
    """``path`` ending in .csv: rows (dimension, key, count); otherwise JSON. Written under a
    temporary name and renamed, so a summary file is never half written."""
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8", newline="") as f:
        if path.lower().endswith(".csv"):
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(("dimension", "key", "count"))
            writer.writerows(summary.rows())
        else:
            json.dump(summary.to_dict(), f, ensure_ascii=False, indent=2)
            f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)
