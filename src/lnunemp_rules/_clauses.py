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
    - 辽宁省失业登记管理服务规范 (../shared/seed/standard.zh.txt, not shipped).
    - ../shared/reference/national-context.md and calendar-and-periods.md (national rules).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ._errors import LnunempError, Problem, RuleFileError
from ._resources import rules_dir
from ._yamlfile import SAFE_LOADER

__all__ = [
    "Clause",
    "ClauseRegistry",
    "StandardDocument",
    "UnknownClauseError",
    "clause_registry_path",
    "lint_clause_registry",
    "load_clause_registry",
]

CLAUSES_FILE = "clauses.yaml"

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

_Reporter = Callable[[yaml.Node, str], None]


class UnknownClauseError(LnunempError, KeyError):
    """A clause id is not in the registry; the message lists the closest known ids."""

    def __init__(self, clause_id: str, suggestions: list[str]) -> None:
        self.clause_id = clause_id
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        self.message = f"unknown clause id {clause_id!r} (not in rules/{CLAUSES_FILE}){hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        # KeyError would otherwise print the repr of the message.
        return self.message


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


def clause_registry_path() -> Path:
    """``rules/clauses.yaml`` in the rules folder in use."""
    return rules_dir() / CLAUSES_FILE


@lru_cache(maxsize=8)
def load_clause_registry(path: Path | None = None) -> ClauseRegistry:
    """Read and validate the registry (once per path; call ``cache_clear()`` to reload).

    Raises :class:`RuleFileError` listing every problem with file and line.
    """
    file = path if path is not None else clause_registry_path()
    problems = lint_clause_registry(file)
    if problems:
        raise RuleFileError(problems)
    with file.open(encoding="utf-8") as handle:
        raw = yaml.load(handle, Loader=SAFE_LOADER)
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
    except ValidationError as exc:  # lint should have caught it; report without a line
        raise RuleFileError([Problem(str(file), None, str(exc))]) from exc


def lint_clause_registry(path: Path | str) -> list[Problem]:
    """Every problem in a clause registry file, each with ``file:line``.

    Checks: YAML syntax, top-level keys, the document block (``standard_number`` and
    ``effective_date`` must be present, null allowed), duplicate keys, duplicate ids (also
    across sections), missing, empty or unknown fields, id format, items without a chapeau,
    and unparseable dates.
    """
    file = Path(path)
    name = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        return [Problem(name, None, f"cannot read the clause registry: {exc}")]
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return [Problem(name, line, f"invalid YAML: {exc}")]
    if not isinstance(root, yaml.MappingNode):
        return [Problem(name, 1, "the registry must be a mapping with document/clauses/national")]

    problems: list[Problem] = []

    def report(node: yaml.Node, message: str) -> None:
        problems.append(Problem(name, node.start_mark.line + 1, message))

    top = _mapping(root, report, allowed=_TOP_LEVEL, what="the registry")
    for key in ("schema_version", "document", "clauses"):
        if key not in top:
            report(root, f"missing top-level key {key!r}")
    if "schema_version" in top and _scalar(top["schema_version"]) != "1":
        report(top["schema_version"], "schema_version must be 1")

    if "document" in top:
        doc = _mapping(
            top["document"],
            report,
            allowed=_DOCUMENT_REQUIRED + _DOCUMENT_OPTIONAL,
            what="document",
        )
        for key in _DOCUMENT_REQUIRED:
            if key not in doc:
                report(top["document"], f"document: missing {key!r} (use null when unknown)")
        if "effective_date" in doc:
            _check_date(doc["effective_date"], "document.effective_date", report, nullable=True)

    seen: dict[str, int] = {}
    standard_ids: set[str] = set()
    for section, required, optional, pattern in (
        ("clauses", _STANDARD_REQUIRED, _STANDARD_OPTIONAL, _STANDARD_ID),
        ("national", _NATIONAL_REQUIRED, _NATIONAL_OPTIONAL, _NATIONAL_ID),
    ):
        if section not in top:
            continue
        seq = top[section]
        if not isinstance(seq, yaml.SequenceNode):
            report(seq, f"{section} must be a list of entries")
            continue
        for entry in seq.value:
            fields = _mapping(entry, report, allowed=required + optional, what=f"{section} entry")
            label = _scalar(fields["id"]) if "id" in fields else "?"
            for key in required:
                if key not in fields:
                    report(entry, f"{section} entry {label}: missing field {key!r}")
            for key, node in fields.items():
                if key in ("adopted", "in_force_from"):
                    _check_date(node, f"{label}.{key}", report, nullable=False)
                elif not isinstance(node, yaml.ScalarNode) or not _scalar(node).strip():
                    report(node, f"{section} entry {label}: {key!r} must be non-empty text")
            if "id" not in fields:
                continue
            cid = label
            if fields["id"].tag != "tag:yaml.org,2002:str":
                report(fields["id"], f"{section} entry: quote the id {cid!r} so it stays text")
            if not pattern.match(cid):
                report(fields["id"], f"{section} entry: id {cid!r} is not well formed")
            line = fields["id"].start_mark.line + 1
            if cid in seen:
                report(fields["id"], f"duplicate id {cid!r} (first at line {seen[cid]})")
            else:
                seen[cid] = line
            if section == "clauses":
                standard_ids.add(cid)

    if "clauses" in top and isinstance(top["clauses"], yaml.SequenceNode):
        for entry in top["clauses"].value:
            if not isinstance(entry, yaml.MappingNode):
                continue
            fields = {_scalar(k): v for k, v in entry.value}
            if "id" in fields and "(" in _scalar(fields["id"]):
                parent = _scalar(fields["id"]).split("(", 1)[0]
                if parent not in standard_ids:
                    report(fields["id"], f"item {_scalar(fields['id'])}: no entry for {parent}")
    return problems


def _scalar(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else ""


def _mapping(
    node: yaml.Node,
    report: _Reporter,
    *,
    allowed: tuple[str, ...],
    what: str,
) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        report(node, f"{what} must be a mapping")
        return {}
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node)
        if key in fields:
            report(key_node, f"{what}: duplicate key {key!r}")
        elif key not in allowed:
            report(key_node, f"{what}: unknown field {key!r} (allowed: {', '.join(allowed)})")
        fields[key] = value_node
    return fields


def _check_date(node: yaml.Node, label: str, report: _Reporter, *, nullable: bool) -> None:
    value = _scalar(node)
    if nullable and node.tag == "tag:yaml.org,2002:null":
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        report(node, f"{label}: {value!r} is not a date (YYYY-MM-DD)")
