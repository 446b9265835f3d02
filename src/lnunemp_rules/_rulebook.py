"""The rule book: every rule, fact and parameter file in force, with their digest.

Loaded once per process and rules folder (lazily, never at import). The digest (SHA-256 over
each file's path and content) goes into every decision and receipt, so an auditor can tell
later whether the same rules were in force.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._clauses import ClauseRegistry, load_clause_registry
from ._errors import Problem, RuleFileError
from ._resources import rules_dir
from ._ruleset import FactCatalogue, Rule, load_fact_catalogue, load_rule_files
from ._yamlfile import load_yaml

if TYPE_CHECKING:
    from ._calendar import WorkingDayCalendar
    from ._periods import PeriodConventions

__all__ = ["ReviewParameters", "RuleBook", "load_rule_book", "rule_file_hashes"]

_RULE_FOLDERS = ("registration", "review")


@dataclass(frozen=True)
class ReviewParameters:
    """rules/parameters/review.yaml."""

    contact_lapse_months: int
    contact_events: frozenset[str]


@dataclass(frozen=True)
class RuleBook:
    """Everything a decision depends on, loaded from one rules folder."""

    directory: Path
    version: str
    catalogue: FactCatalogue
    clauses: ClauseRegistry
    rules: Mapping[str, tuple[Rule, ...]]
    review: ReviewParameters
    file_hashes: Mapping[str, str]
    digest: str

    @cached_property
    def minimum_wage_path(self) -> Path:
        """This folder's minimum-wage table (standard 4.5(3))."""
        return self.directory / "parameters" / "minimum_wage.yaml"

    @cached_property
    def retirement_path(self) -> Path:
        """This folder's statutory retirement-age table (2025 reform)."""
        return self.directory / "parameters" / "retirement_age.yaml"

    @cached_property
    def retirement_by_birth_day(self) -> bool:
        """Whether this folder's retirement table counts from the birth day itself (the
        "anniversary" convention) rather than from the birth month."""
        from ._retirement import load_retirement_parameters

        params = load_retirement_parameters(self.retirement_path)
        return params.conventions.retired_from.default == "anniversary"

    @cached_property
    def period_conventions(self) -> PeriodConventions:
        """This folder's conventions for 民法典 arts. 201-203 and ages."""
        from ._periods import load_period_conventions

        return load_period_conventions(self.directory / "parameters" / "periods.yaml")

    @cached_property
    def calendar(self) -> WorkingDayCalendar:
        """The working-day calendar with this folder's operator files (rules/calendar)."""
        from ._calendar import WorkingDayCalendar, _default_calendar
        from ._resources import rules_dir

        if self.directory == rules_dir().resolve():
            return _default_calendar()  # shared with the module-level calendar functions
        return WorkingDayCalendar(rules=self.directory)

    def rules_for(self, ruleset: str) -> tuple[Rule, ...]:
        return self.rules[ruleset]

    def rule(self, rule_id: str) -> Rule:
        for rules in self.rules.values():
            for rule in rules:
                if rule.id == rule_id:
                    return rule
        raise KeyError(rule_id)


def rule_file_hashes(directory: Path) -> dict[str, str]:
    """SHA-256 of every YAML file under the rules folder, keyed by its path inside it."""
    hashes: dict[str, str] = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            name = path.relative_to(directory).as_posix()
            hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def _digest(hashes: Mapping[str, str]) -> str:
    joined = "".join(f"{name}\0{digest}\n" for name, digest in sorted(hashes.items()))
    return hashlib.sha256(joined.encode()).hexdigest()


def _load_review_parameters(directory: Path) -> ReviewParameters:
    name = "parameters/review.yaml"
    data: Any = load_yaml(directory / name, display_name=name)
    try:
        months = data["contact_lapse_months"]["value"]
        events = data["contact_events"]["value"]
    except (KeyError, TypeError) as exc:
        raise RuleFileError(
            [
                Problem(
                    name,
                    None,
                    f"expected contact_lapse_months.value and contact_events.value: {exc}",
                )
            ]
        ) from exc
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise RuleFileError(
            [Problem(name, None, "contact_lapse_months.value must be a positive whole number")]
        )
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise RuleFileError(
            [Problem(name, None, "contact_events.value must be a list of event types")]
        )
    return ReviewParameters(months, frozenset(events))


def _load(directory: Path) -> RuleBook:
    catalogue = load_fact_catalogue(directory / "facts.yaml", "facts.yaml")
    clauses = load_clause_registry(directory / "clauses.yaml")
    texts = {cid: c.text_zh for cid, c in clauses.entries.items() if c.text_zh}
    paths = [
        (path, path.relative_to(directory).as_posix())
        for folder in _RULE_FOLDERS
        for path in sorted((directory / folder).glob("*.yaml"))
    ]
    rules = load_rule_files(paths, catalogue, clauses.ids(), texts)
    by_ruleset = {
        name: tuple(r for r in rules if r.ruleset == name) for name in ("registration", "review")
    }
    review = _load_review_parameters(directory)
    manifest: Any = load_yaml(directory / "manifest.yaml", display_name="manifest.yaml")
    version = str(manifest.get("rules_version")) if isinstance(manifest, dict) else "unknown"
    hashes = rule_file_hashes(directory)
    return RuleBook(
        directory, version, catalogue, clauses, by_ruleset, review, hashes, _digest(hashes)
    )


_cache: dict[Path, RuleBook] = {}
_lock = threading.Lock()
# The default book while LNUNEMP_RULES_DIR is unset: the folder in use cannot change then, so
# a decision need not resolve the folder's path again (that costs more than the decision's rules).
_packaged: RuleBook | None = None


def load_rule_book(directory: Path | None = None) -> RuleBook:
    """The rule book of a rules folder (default: the one in use), loaded once and cached."""
    global _packaged
    packaged = directory is None and not os.environ.get("LNUNEMP_RULES_DIR")
    if packaged and _packaged is not None:
        return _packaged
    folder = (directory or rules_dir()).resolve()
    with _lock:
        book = _cache.get(folder)
        if book is None:
            book = _cache[folder] = _load(folder)
        if packaged:
            _packaged = book
        return book
