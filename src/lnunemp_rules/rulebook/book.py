"""The rule book: every rule, fact, clause, parameter and calendar file of one rules folder.

Loaded once per process and rules folder (lazily, never at import; :mod:`lnunemp_rules.state`
keeps it). The digest (SHA-256 over each file's path and content) goes into every decision
and receipt, so an auditor can tell later whether the same rules were in force. A rule book
also keeps the memories of results computed from its data (:mod:`.memos`): they die with it.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from .. import state
from ..errors import Problem, RuleFileError
from ..law.calendar import WorkingDayCalendar
from ..law.minimum_wage import MinimumWageTable
from ..law.periods import PeriodConventions
from ..law.retirement import RetirementParameters
from .calendar_files import load_calendar
from .clauses import ClauseRegistry, load_clause_registry
from .facts import FactCatalogue, load_fact_catalogue
from .folder import folder_problem, rules_dir
from .glossary import Glossary, check_glossary, load_glossary
from .memos import Memo, remember
from .parameters import (
    MINIMUM_WAGE_FILE,
    PERIODS_FILE,
    PROVINCE_FILE,
    READINGS_FILE,
    RETIREMENT_FILE,
    REVIEW_FILE,
    Province,
    ReviewParameters,
    load_minimum_wages,
    load_period_conventions,
    load_province,
    load_readings,
    load_retirement,
    load_review_parameters,
)
from .rules import RULESETS, Rule, load_rule_files
from .yamlfile import line_of, load_yaml

__all__ = [
    "VERSION_PATTERN",
    "FolderTables",
    "RuleBook",
    "load_rule_book",
    "manifest_version",
    "read_rule_book",
    "rule_file_hashes",
    "rules_digest",
    "unread_files",
]

K = TypeVar("K")
V = TypeVar("V")


class FolderTables:
    """The parameter tables and working-day calendar of one rules folder, each read on first
    use (a decision that needs no calendar does not pay for building it)."""

    def __init__(self, directory: Path, clause_ids: Collection[str] | None = None) -> None:
        self.directory = directory
        self.clause_ids = clause_ids

    @cached_property
    def period_conventions(self) -> PeriodConventions:
        """The conventions for 民法典 arts. 201-203, ages and the 4.2.2 limits."""
        return load_period_conventions(self.directory / PERIODS_FILE)

    @cached_property
    def retirement(self) -> RetirementParameters:
        """The statutory retirement-age table (2025 reform)."""
        return load_retirement(self.directory / RETIREMENT_FILE, clause_ids=self.clause_ids)

    @cached_property
    def retirement_by_birth_day(self) -> bool:
        """Whether the retirement table counts from the birth day itself (the "anniversary"
        convention) rather than from the birth month."""
        return self.retirement.conventions.retired_from.default == "anniversary"

    @cached_property
    def minimum_wages(self) -> MinimumWageTable:
        """The dated minimum wages by tier (standard 4.5(3))."""
        return load_minimum_wages(self.directory / MINIMUM_WAGE_FILE, clause_ids=self.clause_ids)

    @cached_property
    def calendar(self) -> WorkingDayCalendar:
        """The working-day calendar with this folder's operator files (rules/calendar)."""
        n = self.period_conventions.online_processing_working_days
        return load_calendar(self.directory, online_working_days=n)


@dataclass(frozen=True)
class RuleBook:
    """Everything a decision depends on, loaded from one rules folder."""

    directory: Path
    version: str
    catalogue: FactCatalogue
    clauses: ClauseRegistry
    rules: Mapping[str, tuple[Rule, ...]]
    review: ReviewParameters
    province: Province
    glossary: Glossary
    file_hashes: Mapping[str, str]
    digest: str
    tables: FolderTables
    _memos: dict[Memo[Any, Any], dict[Any, Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def memo(self, spec: Memo[K, V]) -> dict[K, V]:
        """This book's memory ``spec`` (empty the first time); see :mod:`.memos`."""
        found = self._memos.get(spec)
        if found is None:
            found = self._memos.setdefault(spec, {})
        return found

    def recall(self, spec: Memo[K, V], key: K, compute: Callable[[], V]) -> V:
        """What this book's memory ``spec`` holds for ``key``; the first time (or after the
        memory was emptied, being full) ``compute()``, remembered (:func:`.memos.remember`)."""
        memo = self.memo(spec)
        found = memo.get(key)
        if found is None:
            found = remember(memo, key, compute(), spec.limit)
        return found

    @property
    def period_conventions(self) -> PeriodConventions:
        """This folder's conventions for 民法典 arts. 201-203 and ages."""
        return self.tables.period_conventions

    @property
    def retirement(self) -> RetirementParameters:
        """This folder's statutory retirement-age table."""
        return self.tables.retirement

    @property
    def retirement_by_birth_day(self) -> bool:
        """Whether this folder's retirement table counts from the birth day itself (the
        "anniversary" convention) rather than from the birth month."""
        return self.tables.retirement_by_birth_day

    @property
    def minimum_wages(self) -> MinimumWageTable:
        """This folder's minimum-wage table (standard 4.5(3))."""
        return self.tables.minimum_wages

    @property
    def calendar(self) -> WorkingDayCalendar:
        """The working-day calendar with this folder's operator files (rules/calendar)."""
        return self.tables.calendar

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


def rules_digest(hashes: Mapping[str, str]) -> str:
    """The rules digest of a folder whose files have these SHA-256 ``hashes`` (by path)."""
    joined = "".join(f"{name}\0{digest}\n" for name, digest in sorted(hashes.items()))
    return hashlib.sha256(joined.encode()).hexdigest()


#: The files of a rules folder besides the rule files and calendar files: each is read.
_FIXED_FILES = ("facts.yaml", "clauses.yaml", "glossary.yaml", "manifest.yaml", MINIMUM_WAGE_FILE,
                PERIODS_FILE, RETIREMENT_FILE, REVIEW_FILE, PROVINCE_FILE,
                READINGS_FILE)  # fmt: skip


def unread_files(directory: Path) -> list[Problem]:
    """A problem for each YAML file of the folder the library would not read: it would count
    in the digest yet change nothing (a ``.yml`` rule file, a misspelt parameter file)."""
    problems = []
    for name in rule_file_hashes(directory):
        first, _, rest = name.partition("/")
        read = name in _FIXED_FILES or (
            first in (*RULESETS, "calendar") and "/" not in rest and name.endswith(".yaml")
        )
        if not read:
            hint = "; rename it to .yaml" if name.endswith(".yml") else ""
            problems.append(Problem(name, 1, f"a YAML file the library does not read (it reads "
                                    "rules/<ruleset>/*.yaml, calendar/<year>.yaml and the files "
                                    f"of docs/rules.md){hint}"))  # fmt: skip
    return problems


#: A rules or library version: dotted numbers and an optional suffix ("2026.12.02",
#: "2026.12.02-local", "0.1.0"). A receipt's versions must have this shape too, so that an
#: edited one (an ID number, a name) is refused rather than repeated.
VERSION_PATTERN = r"^[0-9]+(\.[0-9]+){1,3}([.+-][0-9A-Za-z]+)?$"


def manifest_version(directory: Path) -> str:
    manifest: Any = load_yaml(directory / "manifest.yaml", display_name="manifest.yaml")
    version = manifest.get("rules_version") if isinstance(manifest, dict) else None
    if not isinstance(version, str) or not re.fullmatch(VERSION_PATTERN, version):
        line = line_of(manifest, "rules_version") if isinstance(manifest, dict) else None
        raise RuleFileError(
            [
                Problem(
                    "manifest.yaml",
                    line or 1,
                    "rules_version: accepted: the version of the rules as text, dotted numbers "
                    'and an optional suffix, e.g. "2026.12.02"',
                )
            ]
        )
    return version


def read_rule_book(directory: Path) -> RuleBook:
    """Read and validate the rules folder ``directory`` (not remembered: see load_rule_book)."""
    problem = folder_problem(directory)
    if problem is not None:
        named = os.environ.get("LNUNEMP_RULES_DIR")
        if named and Path(named).resolve() == directory.resolve():
            problem += " (the folder LNUNEMP_RULES_DIR names)"
        raise RuleFileError([Problem(str(directory), None, problem)])
    unread = unread_files(directory)
    if unread:
        raise RuleFileError(unread)
    catalogue = load_fact_catalogue(directory / "facts.yaml", "facts.yaml")
    clauses = load_clause_registry(directory / "clauses.yaml")
    texts = {cid: c.text_zh for cid, c in clauses.entries.items() if c.text_zh}
    paths = [
        (path, path.relative_to(directory).as_posix())
        for folder in RULESETS
        for path in sorted((directory / folder).glob("*.yaml"))
    ]
    rules = load_rule_files(paths, catalogue, clauses.ids(), texts)
    by_ruleset = {name: tuple(r for r in rules if r.ruleset == name) for name in RULESETS}
    review = load_review_parameters(directory / REVIEW_FILE, event_types=catalogue.event_types())
    province = load_province(directory / PROVINCE_FILE)
    if (directory / READINGS_FILE).exists():
        load_readings(directory / READINGS_FILE, {r.id for r in rules})
    glossary = load_glossary(directory / "glossary.yaml")
    unnamed = check_glossary(glossary, catalogue, rules)
    if unnamed:
        raise RuleFileError(unnamed)
    version = manifest_version(directory)
    hashes = rule_file_hashes(directory)
    tables = FolderTables(directory, clauses.ids())
    return RuleBook(directory, version, catalogue, clauses, by_ruleset, review, province,
                    glossary, hashes, rules_digest(hashes), tables)  # fmt: skip


def load_rule_book(directory: str | os.PathLike[str] | None = None) -> RuleBook:
    """The rule book of a rules folder (default: the one in use), read once per process.

    A folder that does not exist, is not a folder or holds no rules is a RuleFileError
    naming it."""
    if directory is None and not os.environ.get("LNUNEMP_RULES_DIR"):
        # The folder in use cannot change while LNUNEMP_RULES_DIR is unset: a decision need
        # not resolve its path again (that costs more than the decision's rules).
        return state.default_rule_book(_in_use)
    return _remembered(Path(directory) if directory is not None else rules_dir())


def _remembered(folder: Path) -> RuleBook:
    return state.rule_book(folder.resolve(), read_rule_book)


def _in_use() -> RuleBook:
    return _remembered(rules_dir())
