"""The clause registry: what every citation the library emits refers to.

Entries live in ``rules/clauses.yaml``. Clauses of the standard (辽宁省失业登记管理服务规范) carry
the standard's own wording verbatim; national rules (《劳动法》第十五条, the 2024 retirement
decision, ...) are cited under their own names and are never presented as clauses of the
standard.

Quirks of the text that the registry handles rather than papers over:

- ``4.4.2`` appears twice; the second (career guidance) is registered as ``4.4.2bis`` and
  noted as evidently meant to be 4.4.3.
- ``5.4.1`` and ``5.4.2`` run together on one line; they are two entries.
- The text gives no standard number and no effective date: both are ``None``, not invented.

References:
    - 辽宁省失业登记管理服务规范 (the standard's text; each ``text_zh`` is quoted from it).
    - Each national rule's own text, named in its ``citation_zh`` (e.g. 《中华人民共和国劳动法》
      第十五条) with its ``verification`` status.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ..errors import Problem, RuleFileError, UnknownClauseError
from .yamlfile import LineDict, LineList, line_of, load_yaml

__all__ = [
    "Clause",
    "ClauseRegistry",
    "StandardDocument",
    "lint_clause_registry",
    "load_clause_registry",
]

# 4.1.2, 4.1.2(5), 4.4.2bis: numbered clause, optional "bis" for the duplicated number, and an
# optional enumerated item.
_STANDARD_ID = re.compile(r"^\d+(\.\d+)*(bis)?(\(\d+\))?$")
_NATIONAL_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_STANDARD_REQUIRED = ("id", "title_zh", "title_en", "text_zh", "gloss_en")
_STANDARD_OPTIONAL = ("note",)
_NATIONAL_REQUIRED = ("id", "citation_zh", "title_zh", "title_en", "gloss_en")
_NATIONAL_OPTIONAL = ("note", "adopted", "in_force_from", "verification")
_DOCUMENT_REQUIRED = (
    "title_zh",
    "title_en",
    "proposer_zh",
    "drafters_zh",
    "standard_number",
    "effective_date",
)
_DOCUMENT_OPTIONAL = ("drafting_rules_zh", "note")
_TOP_LEVEL = ("schema_version", "document", "clauses", "national")

_Reporter = Callable[[int | None, str], None]


class StandardDocument(BaseModel):
    """Metadata of the standard. Unknown facts (number, effective date) stay ``None``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title_zh: str
    title_en: str
    proposer_zh: str
    drafters_zh: tuple[str, ...]
    drafting_rules_zh: str | None = None
    standard_number: str | None
    effective_date: dt.date | None
    note: str | None = None


class Clause(BaseModel):
    """One citable entry: a clause or item of the standard, or a national rule.

    ``source`` says which: ``"standard"`` entries have ``text_zh`` (verbatim wording);
    ``"national"`` entries have ``citation_zh`` (how the rule is cited by name).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    source: Literal["standard", "national"]
    title_zh: str
    title_en: str
    gloss_en: str
    text_zh: str | None = None
    citation_zh: str | None = None
    note: str | None = None
    adopted: dt.date | None = None
    in_force_from: dt.date | None = None
    verification: str | None = None

    @model_validator(mode="after")
    def _fields_match_source(self) -> Clause:
        if self.source == "standard" and not self.text_zh:
            raise ValueError(f"clause {self.id}: a clause of the standard needs text_zh")
        if self.source == "national" and not self.citation_zh:
            raise ValueError(f"national rule {self.id}: needs citation_zh")
        return self

    @property
    def parent_id(self) -> str | None:
        """The chapeau of an enumerated item (``4.1.2`` for ``4.1.2(5)``), else None."""
        if self.source != "standard" or "(" not in self.id:
            return None
        return self.id.split("(", 1)[0]

    @property
    def citation(self) -> str:
        """How a decision cites the entry: the id for the standard, the name for a national rule."""
        if self.source == "standard":
            return self.id
        return self.citation_zh or self.id


class ClauseRegistry(BaseModel):
    """All entries of ``rules/clauses.yaml``, looked up by id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int
    document: StandardDocument
    entries: dict[str, Clause]

    def ids(self) -> list[str]:
        """Every id, clauses of the standard first, in file order."""
        return list(self.entries)

    def standard_ids(self) -> list[str]:
        """Ids of clauses and items of the standard, in file order."""
        return [cid for cid, c in self.entries.items() if c.source == "standard"]

    def national_ids(self) -> list[str]:
        """Ids of national rules, in file order."""
        return [cid for cid, c in self.entries.items() if c.source == "national"]

    def items_of(self, parent_id: str) -> list[Clause]:
        """The enumerated items under a chapeau, e.g. the 13 of ``4.1.2``."""
        self.get(parent_id)
        return [c for c in self.entries.values() if c.parent_id == parent_id]

    def __contains__(self, clause_id: object) -> bool:
        return isinstance(clause_id, str) and clause_id in self.entries

    def get(self, clause_id: str) -> Clause:
        """The entry with exactly this id, or :class:`UnknownClauseError` naming close ids."""
        try:
            return self.entries[clause_id]
        except KeyError:
            raise UnknownClauseError(clause_id, self._suggest(clause_id)) from None

    def resolve(self, clause_id: str) -> Clause:
        """Like :meth:`get`, after normalising how people write ids.

        Full-width brackets and digits (``4.1.2（5）``), spaces and upper case are accepted.
        ``4.4.3`` is *not* mapped to ``4.4.2bis``: the text has no 4.4.3, so the caller is
        told about 4.4.2bis instead of being silently redirected.
        """
        return self.get(_normalise_id(clause_id))

    def _suggest(self, clause_id: str) -> list[str]:
        wanted = _normalise_id(clause_id)
        if wanted in self.entries:
            return [wanted]
        close = difflib.get_close_matches(wanted, self.ids(), n=5, cutoff=0.6)
        if wanted == "4.4.3" and "4.4.2bis" in self.entries:
            close = ["4.4.2bis", *[c for c in close if c != "4.4.2bis"]]
        return close


def _normalise_id(clause_id: str) -> str:
    text = unicodedata.normalize("NFKC", str(clause_id))
    return re.sub(r"\s+", "", text).lower()


def load_clause_registry(path: Path, display_name: str | None = None) -> ClauseRegistry:
    """Read and validate a clause registry file (a rule book reads ``rules/clauses.yaml``).

    Raises :class:`RuleFileError` listing every problem with file and line.
    """
    name = display_name or str(path)
    raw = load_yaml(path, display_name=name)
    problems = _lint(raw, name)
    if problems:
        raise RuleFileError(problems)
    entries: dict[str, Clause] = {}
    try:
        for section, source in (("clauses", "standard"), ("national", "national")):
            for item in raw.get(section) or []:
                clause = Clause(**{**item, "source": source, "id": str(item["id"])})
                entries[clause.id] = clause
        return ClauseRegistry(
            schema_version=raw["schema_version"],
            document=StandardDocument(**raw["document"]),
            entries=entries,
        )
    except ValidationError as exc:  # the lint should have caught it; report without a line
        raise RuleFileError([Problem(name, None, str(exc))]) from exc


def lint_clause_registry(path: Path | str) -> list[Problem]:
    """Every problem in a clause registry file, each with ``file:line``.

    Checks: YAML syntax and duplicate keys, top-level keys, the document block
    (``standard_number`` and ``effective_date`` must be present, null allowed), duplicate ids
    (also across sections), missing, empty or unknown fields, id format, items without a
    chapeau, and unparseable dates.
    """
    name = str(path)
    try:
        raw = load_yaml(Path(path), display_name=name)
    except RuleFileError as exc:
        return list(exc.problems)
    return _lint(raw, name)


def _lint(root: Any, name: str) -> list[Problem]:
    if not isinstance(root, LineDict):
        return [Problem(name, 1, "the registry must be a mapping with document/clauses/national")]
    problems: list[Problem] = []

    def report(line: int | None, message: str) -> None:
        problems.append(Problem(name, line, message))

    _known_keys(root, _TOP_LEVEL, "the registry", report)
    for key in ("schema_version", "document", "clauses"):
        if key not in root:
            report(root.line, f"missing top-level key {key!r}")
    if "schema_version" in root and root["schema_version"] != 1:
        report(line_of(root, "schema_version"), "schema_version must be 1")

    if "document" in root:
        doc = root["document"]
        if not isinstance(doc, LineDict):
            report(line_of(root, "document"), "document must be a mapping")
        else:
            _known_keys(doc, _DOCUMENT_REQUIRED + _DOCUMENT_OPTIONAL, "document", report)
            for key in _DOCUMENT_REQUIRED:
                if key not in doc:
                    report(doc.line, f"document: missing {key!r} (use null when unknown)")
            if "effective_date" in doc:
                _check_date(doc, "effective_date", "document.effective_date", report, True)

    seen: dict[str, int | None] = {}
    standard_ids: set[str] = set()
    for section, required, optional, pattern in (
        ("clauses", _STANDARD_REQUIRED, _STANDARD_OPTIONAL, _STANDARD_ID),
        ("national", _NATIONAL_REQUIRED, _NATIONAL_OPTIONAL, _NATIONAL_ID),
    ):
        if section not in root:
            continue
        entries = root[section]
        if not isinstance(entries, LineList):
            report(line_of(root, section), f"{section} must be a list of entries")
            continue
        for entry in entries:
            if not isinstance(entry, LineDict):
                report(line_of(entries), f"{section} entry must be a mapping")
                continue
            _known_keys(entry, required + optional, f"{section} entry", report)
            label = str(entry.get("id", "?"))
            for key in required:
                if key not in entry:
                    report(entry.line, f"{section} entry {label}: missing field {key!r}")
            for key, value in entry.items():
                if key in ("adopted", "in_force_from"):
                    _check_date(entry, key, f"{label}.{key}", report, False)
                elif key != "id" and not (isinstance(value, str) and value.strip()):
                    report(line_of(entry, key), f"{section} entry {label}: {key!r} must be "
                           "non-empty text")  # fmt: skip
            if "id" not in entry:
                continue
            where = line_of(entry, "id")
            if not isinstance(entry["id"], str):
                report(where, f"{section} entry: quote the id {label!r} so it stays text")
            if not pattern.match(label):
                report(where, f"{section} entry: id {label!r} is not well formed")
            if label in seen:
                report(where, f"duplicate id {label!r} (first at line {seen[label]})")
            else:
                seen[label] = where
            if section == "clauses":
                standard_ids.add(label)
    for entry in root.get("clauses") or []:
        label = str(entry.get("id", "")) if isinstance(entry, LineDict) else ""
        if "(" in label and label.split("(", 1)[0] not in standard_ids:
            report(line_of(entry, "id"), f"item {label}: no entry for {label.split('(', 1)[0]}")
    return problems


def _known_keys(mapping: LineDict, allowed: tuple[str, ...], what: str, report: _Reporter) -> None:
    for key in mapping:
        if key not in allowed:
            report(line_of(mapping, key), f"{what}: unknown field {key!r} (allowed: "
                   f"{', '.join(allowed)})")  # fmt: skip


def _check_date(mapping: LineDict, key: str, label: str, report: _Reporter, nullable: bool) -> None:
    value = mapping[key]
    if nullable and value is None:
        return
    if not (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        report(line_of(mapping, key), f"{label}: {value!r} is not a date (YYYY-MM-DD)")
