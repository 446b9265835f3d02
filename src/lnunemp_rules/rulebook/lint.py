"""Every problem in a rules folder, each with its file and line (``lnunemp-rules lint``).

Each file is checked on its own, so one broken file does not hide the problems of the others
(docs/calendar.md: "reports every problem"). Rule files are checked against the fact catalogue
and clause registry; while either of those is broken, the rule files are still read for YAML
and shape problems, and a note says what could not be checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TypeVar

from ..errors import Problem, RuleFileError
from .book import manifest_version, unread_files
from .calendar_files import lint_calendar_files
from .clauses import lint_clause_registry, load_clause_registry
from .facts import FactCatalogue, load_fact_catalogue
from .folder import folder_problem
from .parameters import (
    MINIMUM_WAGE_FILE,
    PERIODS_FILE,
    PROVINCE_FILE,
    RETIREMENT_FILE,
    REVIEW_FILE,
    load_minimum_wages,
    load_period_conventions,
    load_province,
    load_retirement,
    load_review_parameters,
)
from .rules import RULESETS, load_rule_files

__all__ = ["lint_rules_folder"]

T = TypeVar("T")


def _collect(check: Callable[[], T], problems: list[Problem]) -> T | None:
    try:
        return check()
    except RuleFileError as exc:
        problems.extend(exc.problems)
        return None


def _where(problem: Problem, folder: Path) -> Problem:
    """Problems name files relative to the rules folder: make them findable."""
    path = Path(problem.file)
    if not path.is_absolute() and not path.exists() and (folder / path).exists():
        return Problem(str(folder / path), problem.line, problem.message)
    return problem


def _rule_files(folder: Path, problems: list[Problem], notes: list[str]) -> None:
    paths = [
        (path, path.relative_to(folder).as_posix())
        for ruleset in RULESETS
        for path in sorted((folder / ruleset).glob("*.yaml"))
    ]
    catalogue = _collect(lambda: load_fact_catalogue(folder / "facts.yaml", "facts.yaml"), [])
    registry = _collect(lambda: load_clause_registry(folder / "clauses.yaml", "clauses.yaml"), [])
    if catalogue is None or registry is None:
        broken = " and ".join(
            name for name, found in (("facts.yaml", catalogue), ("clauses.yaml", registry))
            if found is None
        )  # fmt: skip
        notes.append(f"rule files not checked against {broken} until it is mended")
        # Without them, each rule is still parsed: shape, effects and YAML problems show.
        catalogue, ids, texts = FactCatalogue({}), None, {}
    else:
        ids = registry.ids()
        texts = {cid: c.text_zh for cid, c in registry.entries.items() if c.text_zh}
    found: list[Problem] = []
    _collect(lambda: load_rule_files(paths, catalogue, ids or [], texts), found)
    if ids is None:  # only what does not depend on the catalogue or the registry
        found = [p for p in found if not _needs_catalogue(p.message)]
    problems.extend(found)


def _needs_catalogue(message: str) -> bool:
    words = ("unknown fact", "not in the clause registry", "must name a date fact")
    return any(word in message for word in words)


def _clause_ids(folder: Path) -> Collection[str] | None:
    """The ids of a clause registry that loads (parameter files cite them), else None."""
    try:
        return load_clause_registry(folder / "clauses.yaml", "clauses.yaml").ids()
    except RuleFileError:
        return None


def lint_rules_folder(
    folder: str | os.PathLike[str], notes: list[str] | None = None
) -> list[Problem]:
    """Every problem of the rules folder ``folder``: the fact catalogue, clause registry,
    manifest, rule files, review and province parameters, the minimum-wage, retirement-age and
    period-convention files, and the calendar files, each checked on its own. What could not
    be checked is appended to ``notes``."""
    root = Path(folder)
    problem = folder_problem(root)
    if problem is not None:
        return [Problem(str(root), None, problem)]
    problems: list[Problem] = []
    problems += lint_clause_registry(root / "clauses.yaml")
    problems += unread_files(root)
    catalogue = _collect(lambda: load_fact_catalogue(root / "facts.yaml", "facts.yaml"), problems)
    _collect(lambda: manifest_version(root), problems)
    _rule_files(root, problems, notes if notes is not None else [])
    types = catalogue.event_types() if isinstance(catalogue, FactCatalogue) else ()
    _collect(lambda: load_review_parameters(root / REVIEW_FILE, event_types=types), problems)
    _collect(lambda: load_province(root / PROVINCE_FILE), problems)
    ids = _clause_ids(root)
    _collect(lambda: load_minimum_wages(root / MINIMUM_WAGE_FILE, clause_ids=ids), problems)
    _collect(lambda: load_retirement(root / RETIREMENT_FILE, clause_ids=ids), problems)
    _collect(lambda: load_period_conventions(root / PERIODS_FILE), problems)
    problems += lint_calendar_files(root / "calendar")
    return [_where(p, root) for p in problems]
