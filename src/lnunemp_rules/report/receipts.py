"""Decision receipts and their replay: can an auditor re-check a decision months later?

A receipt (JSON) records what a decision rested on: a SHA-256 digest of the validated input
(canonical JSON of ``model_dump(mode="json")``), the input itself only when asked (it holds
personal data, standard 4.3.1), the kind and as-of date, the rules version, the digest and
per-file SHA-256 of every rule, fact, clause, parameter and calendar file, the engine, the
library version, and the result (outcome, matched rules, citations and dates). Receipts carry
no timestamp, so the same decision always gives the same receipt.

A receipt is tamper-evident: ``digest`` is the SHA-256 of the canonical JSON of every other
field, and ``signature`` (when an operator's key is given, or ``LNUNEMP_RECEIPT_KEY_FILE``
names a file holding it) an HMAC-SHA256 of the same bytes with that key. The digest catches
any edit made without recomputing it; only the signature also catches one made by someone who
recomputed the digest but has not the key.

:func:`replay` re-evaluates a receipt's input against the rules in force now (or a given rules
folder and engine) and says whether the result is identical and, if not, why: which rule or
parameter files changed, whether the engine changed, and which outcome, citation or date
differs. A replay first checks the receipt itself: its shape (a malformed receipt is an
InputError naming the field, never a traceback), its digest, its signature, and that its
``rules_digest`` is the digest of its ``file_hashes``; any failure is a difference of kind
``receipt``, so an edited receipt never replays as identical.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from ..decide import Decision, procedure
from ..engines import available_engines
from ..errors import InputError
from ..inputs.validation import validate_input
from ..rulebook.book import load_rule_book, rules_digest
from .schemas import ReceiptModel

__all__ = [
    "KEY_FILE_VARIABLE",
    "RECEIPT_VERSION",
    "Difference",
    "ReplayResult",
    "input_digest",
    "make_receipt",
    "receipt_digest",
    "receipt_key",
    "receipt_signature",
    "replay",
    "validated_input",
]

#: 2: with ``digest`` and, if a key was given, ``signature`` (version 1 had neither).
RECEIPT_VERSION = 2
#: The environment variable naming a file whose bytes are the operator's receipt key.
KEY_FILE_VARIABLE = "LNUNEMP_RECEIPT_KEY_FILE"
_SEALS = ("digest", "signature")


def validated_input(kind: str, data: object) -> BaseModel:
    """``data`` validated as the input model of ``kind`` (registration or review)."""
    found: BaseModel = procedure(kind).validate(data)
    return found


def _canonical(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _body(receipt: Mapping[str, Any]) -> bytes:
    """The bytes a receipt's digest and signature are computed over: every other field."""
    return _canonical({k: v for k, v in receipt.items() if k not in _SEALS})


def receipt_digest(receipt: Mapping[str, Any]) -> str:
    """``sha256:<hex>`` of the canonical JSON of every field but ``digest`` and ``signature``."""
    return "sha256:" + hashlib.sha256(_body(receipt)).hexdigest()


def receipt_signature(receipt: Mapping[str, Any], key: bytes) -> str:
    """``hmac-sha256:<hex>`` of the same bytes as the digest, with the operator's ``key``."""
    return "hmac-sha256:" + hmac.new(key, _body(receipt), hashlib.sha256).hexdigest()


def receipt_key(key: bytes | None = None) -> bytes | None:
    """``key``, else the bytes of the file ``LNUNEMP_RECEIPT_KEY_FILE`` names (a final newline
    removed), else None. An empty or unreadable key file is an InputError."""
    if key is not None:
        if not isinstance(key, bytes) or not key:
            raise InputError("key", "accepted: a non-empty bytes key")
        return key
    path = os.environ.get(KEY_FILE_VARIABLE)
    if not path:
        return None
    try:
        with open(path, "rb") as f:
            found = f.read().removesuffix(b"\n")
    except OSError as exc:
        raise InputError(KEY_FILE_VARIABLE, f"cannot read the key file: {exc.strerror}") from None
    if not found:
        raise InputError(KEY_FILE_VARIABLE, "the key file is empty; accepted: a file holding "
                         "the operator's key")  # fmt: skip
    return found


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
    decision: Decision,
    input_data: object,
    *,
    include_input: bool = False,
    key: bytes | None = None,
) -> dict[str, Any]:
    """A JSON-serialisable receipt of ``decision`` made from ``input_data``.

    ``input_data`` is the model or dict the decision was made from; it is validated again so
    the digest does not depend on key order or defaults. ``include_input=True`` embeds the
    validated input (personal data in clear: store the receipt accordingly). The receipt is
    sealed with its ``digest`` and, with ``key`` (or ``LNUNEMP_RECEIPT_KEY_FILE``), signed.
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
    receipt["digest"] = receipt_digest(receipt)
    secret = receipt_key(key)
    if secret is not None:
        receipt["signature"] = receipt_signature(receipt, secret)
    return receipt


@dataclass(frozen=True)
class Difference:
    """One reason a replay is not identical."""

    kind: Literal["receipt", "input", "rules", "parameters", "engine", "result"]
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


def _seal_differences(
    receipt: Mapping[str, Any], key: bytes | None, notes: list[str]
) -> list[Difference]:
    """The receipt's own checks: digest, signature, rules digest against file hashes."""
    found: list[Difference] = []
    if not hmac.compare_digest(str(receipt.get("digest")), receipt_digest(receipt)):
        found.append(Difference("receipt", "digest: the receipt's fields do not match its "
                                "digest; it was edited or damaged after it was made"))  # fmt: skip
    signature = receipt.get("signature")
    if key is not None:
        if signature is None:
            found.append(Difference("receipt", "signature: the receipt is not signed, but a "
                                    "key was given"))  # fmt: skip
        elif not hmac.compare_digest(str(signature), receipt_signature(receipt, key)):
            found.append(Difference("receipt", "signature: does not match the key; the receipt "
                                    "was edited, or signed with another key"))  # fmt: skip
    elif signature is not None:
        notes.append("signature not checked: no key given (LNUNEMP_RECEIPT_KEY_FILE)")
    hashes = receipt.get("file_hashes")
    if isinstance(hashes, Mapping) and rules_digest(hashes) != receipt.get("rules_digest"):
        found.append(Difference("receipt", "rules_digest: is not the digest of the receipt's "
                                "file_hashes; one of them was edited"))  # fmt: skip
    return found


def replay(
    receipt: Mapping[str, Any],
    *,
    input_data: object = None,
    engine: str | None = None,
    rules: str | os.PathLike[str] | None = None,
    key: bytes | None = None,
) -> ReplayResult:
    """Check a receipt, re-evaluate it and compare.

    The receipt is checked first (shape, digest, signature with ``key`` or
    ``LNUNEMP_RECEIPT_KEY_FILE``, rules digest): a malformed one is an InputError naming the
    field, an edited one a ``receipt`` difference. The input is the receipt's embedded one or
    ``input_data`` (whose digest must match the receipt's). ``engine`` defaults to the
    receipt's; ``rules`` to the rules folder in use.
    """
    if not isinstance(receipt, Mapping):
        raise InputError("receipt", f"expected a JSON object, got {type(receipt).__name__}")
    if receipt.get("receipt_version") != RECEIPT_VERSION:
        raise InputError("receipt_version", f"accepted: {RECEIPT_VERSION}; receipts of other "
                         "versions are read by the library version that wrote them")  # fmt: skip
    validate_input(ReceiptModel, receipt, root="receipt")
    notes: list[str] = []
    differences = _seal_differences(receipt, receipt_key(key), notes)
    kind = str(receipt["kind"])
    data = input_data if input_data is not None else receipt.get("input")
    if data is None:
        raise InputError(
            "input", "the receipt does not embed its input; pass the input (--input FILE)"
        )
    digest = input_digest(kind, data)
    if digest != receipt.get("input_digest"):
        differences.append(Difference("input", "input digest", receipt.get("input_digest"), digest))
    book = load_rule_book(rules)
    used_engine = engine or str(receipt["engine"])
    if engine is None and used_engine not in available_engines():
        # A receipt made where durable_rules runs is still checked where it does not (Python
        # 3.13): replayed with the Python engine, the engine shows as a difference.
        notes.append(f"engine {used_engine!r} does not run here; replayed with 'python'")
        used_engine = "python"
    decision: Decision = procedure(kind).decide(
        data, as_of=str(receipt["as_of"]), engine=used_engine, rule_book=book
    )
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
    for name, now in (("subject", decision.meta.subject_masked),
                      ("as_of", decision.meta.as_of.isoformat())):  # fmt: skip
        if receipt.get(name) != now:
            differences.append(Difference("input", name, receipt.get(name), now))
    recorded_result = receipt.get("result", {})
    now_result = _result(decision)
    for key_name in sorted(set(recorded_result) | set(now_result)):
        if recorded_result.get(key_name) != now_result.get(key_name):
            differences.append(
                Difference("result", key_name, recorded_result.get(key_name),
                           now_result.get(key_name))
            )  # fmt: skip
    return ReplayResult(not differences, tuple(differences), decision, tuple(notes))
