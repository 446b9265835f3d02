"""Decision receipts and their replay: can an auditor re-check a decision months later?

A receipt (JSON) records what a decision rested on: a SHA-256 digest of the validated input
(canonical JSON of ``model_dump(mode="json")``), the input itself only when asked (it holds
personal data, standard 4.3.1), the kind and as-of date, the rules version, the digest and
per-file SHA-256 of every rule, fact, clause, parameter and calendar file, the engine, the
library version, and the result (outcome, matched rules, citations and dates). Receipts carry
no timestamp, so the same decision always gives the same receipt.

:func:`replay` re-evaluates a receipt's input against the rules in force now (or a given rules
folder and engine) and says whether the result is identical and, if not, why: which rule or
parameter files changed, whether the engine changed, and which outcome, citation or date
differs.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from ..decide import Decision, procedure
from ..errors import InputError
from ..rulebook.book import load_rule_book

__all__ = [
    "RECEIPT_VERSION",
    "Difference",
    "ReplayResult",
    "input_digest",
    "make_receipt",
    "replay",
    "validated_input",
]

RECEIPT_VERSION = 1


def validated_input(kind: str, data: object) -> BaseModel:
    """``data`` validated as the input model of ``kind`` (registration or review)."""
    found: BaseModel = procedure(kind).validate(data)
    return found


def _canonical(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def input_digest(kind: str, data: object) -> str:
    """``sha256:<hex>`` of the canonical JSON of the validated input."""
    dumped = validated_input(kind, data).model_dump(mode="json")
    return "sha256:" + hashlib.sha256(_canonical(dumped)).hexdigest()


def _result(decision: Decision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome,
        "citations": list(decision.citations),
        **procedure(decision.kind).receipt_result(decision),
        "reasons": [r.rule_id for r in decision.reasons],
        "missing_facts": list(decision.missing_facts),
    }


def make_receipt(
    decision: Decision, input_data: object, *, include_input: bool = False
) -> dict[str, Any]:
    """A JSON-serialisable receipt of ``decision`` made from ``input_data``.

    ``input_data`` is the model or dict the decision was made from; it is validated again so
    the digest does not depend on key order or defaults. ``include_input=True`` embeds the
    validated input (personal data in clear: store the receipt accordingly).
    """
    model = validated_input(decision.kind, input_data)
    dumped = model.model_dump(mode="json")
    meta = decision.meta
    book = load_rule_book()
    hashes = dict(book.file_hashes) if book.digest == meta.rules_digest else None
    receipt: dict[str, Any] = {
        "receipt_version": RECEIPT_VERSION,
        "kind": decision.kind,
        "as_of": meta.as_of.isoformat(),
        "subject": meta.subject_masked,
        "input_digest": "sha256:" + hashlib.sha256(_canonical(dumped)).hexdigest(),
        "rules_version": meta.rules_version,
        "rules_digest": meta.rules_digest,
        "file_hashes": hashes,
        "engine": meta.engine,
        "library_version": meta.library_version,
        "result": _result(decision),
    }
    if include_input:
        receipt["input"] = dumped
    return receipt


@dataclass(frozen=True)
class Difference:
    """One reason a replay is not identical."""

    kind: Literal["input", "rules", "parameters", "engine", "result"]
    what: str
    recorded: Any = None
    now: Any = None

    def __str__(self) -> str:
        if self.recorded is None and self.now is None:
            return f"{self.kind}: {self.what}"
        return f"{self.kind}: {self.what}: recorded {_show(self.recorded)}, now {_show(self.now)}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "what": self.what, "recorded": self.recorded, "now": self.now}


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class ReplayResult:
    """The outcome of :func:`replay`."""

    identical: bool
    differences: tuple[Difference, ...]
    decision: Decision = field(repr=False)
    notes: tuple[str, ...] = ()

    @property
    def changed_files(self) -> tuple[str, ...]:
        """Rule and parameter files whose hash differs, was added or was removed."""
        return tuple(d.what for d in self.differences if d.kind in ("rules", "parameters"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "identical": self.identical,
            "differences": [d.to_dict() for d in self.differences],
            "notes": list(self.notes),
        }

    def explain(self) -> str:
        """One line per difference, or 'identical'."""
        if self.identical:
            lines = ["identical: same rules, engine and result"]
        else:
            lines = ["different:"] + [f"  - {d}" for d in self.differences]
        return "\n".join(lines + [f"  note: {n}" for n in self.notes])


def _file_differences(recorded: Mapping[str, str], now: Mapping[str, str]) -> list[Difference]:
    out = []
    for name in sorted(set(recorded) | set(now)):
        before, after = recorded.get(name), now.get(name)
        if before == after:
            continue
        kind: Literal["rules", "parameters"] = (
            "parameters" if name.startswith("parameters/") else "rules"
        )
        state = "added" if before is None else "removed" if after is None else "changed"
        out.append(Difference(kind, f"{name} ({state})", before, after))
    return out


def replay(
    receipt: Mapping[str, Any],
    *,
    input_data: object = None,
    engine: str | None = None,
    rules: str | os.PathLike[str] | None = None,
) -> ReplayResult:
    """Re-evaluate a receipt and compare.

    The input is the receipt's embedded one or ``input_data`` (whose digest must match the
    receipt's). ``engine`` defaults to the receipt's; ``rules`` to the rules folder in use.
    """
    if receipt.get("receipt_version") != RECEIPT_VERSION:
        raise InputError(
            "receipt_version",
            f"{receipt.get('receipt_version')!r}; this library reads version {RECEIPT_VERSION}",
        )
    kind = str(receipt.get("kind"))
    data = input_data if input_data is not None else receipt.get("input")
    if data is None:
        raise InputError(
            "input", "the receipt does not embed its input; pass the input (--input FILE)"
        )
    differences: list[Difference] = []
    digest = input_digest(kind, data)
    if digest != receipt.get("input_digest"):
        differences.append(Difference("input", "input digest", receipt.get("input_digest"), digest))
    book = load_rule_book(rules)
    used_engine = engine or str(receipt["engine"])
    decision: Decision = procedure(kind).decide(
        data, as_of=str(receipt["as_of"]), engine=used_engine, rule_book=book
    )
    notes: list[str] = []
    if book.digest != receipt.get("rules_digest"):
        recorded_hashes = receipt.get("file_hashes")
        if isinstance(recorded_hashes, Mapping):
            differences += _file_differences(recorded_hashes, book.file_hashes)
        else:
            differences.append(
                Difference("rules", "rules digest", receipt.get("rules_digest"), book.digest)
            )
    if receipt.get("rules_version") != book.version:
        notes.append(f"rules_version {receipt.get('rules_version')} -> {book.version}")
    if decision.meta.engine != receipt.get("engine"):
        differences.append(
            Difference("engine", "engine", receipt.get("engine"), decision.meta.engine)
        )
    if decision.meta.library_version != receipt.get("library_version"):
        notes.append(
            f"library_version {receipt.get('library_version')} -> {decision.meta.library_version}"
        )
    recorded_result = receipt.get("result", {})
    now_result = _result(decision)
    for key in sorted(set(recorded_result) | set(now_result)):
        if recorded_result.get(key) != now_result.get(key):
            differences.append(
                Difference("result", key, recorded_result.get(key), now_result.get(key))
            )
    return ReplayResult(not differences, tuple(differences), decision, tuple(notes))
