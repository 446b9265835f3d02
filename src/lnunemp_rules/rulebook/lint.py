"""Every problem in a rules folder, each with its file and line (``lnunemp-rules lint``)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from ..errors import Problem, RuleFileError
from .book import read_rule_book
from .calendar_files import lint_calendar_files
from .clauses import lint_clause_registry, load_clause_registry
from .parameters import (
    MINIMUM_WAGE_FILE,
    PERIODS_FILE,
    RETIREMENT_FILE,
    load_minimum_wages,
    load_period_conventions,
    load_retirement,
)

__all__ = ["lint_rules_folder"]


def _collect(check: Callable[[], object]) -> list[Problem]:
    try:
        check()
    except RuleFileError as exc:
        return list(exc.problems)
    return []


def _where(problem: Problem, folder: Path) -> Problem:
    """Problems name files relative to the rules folder: make them findable."""
    path = Path(problem.file)
    if not path.is_absolute() and not path.exists() and (folder / path).exists():
        return Problem(str(folder / path), problem.line, problem.message)
    return problem


def lint_rules_folder(folder: Path) -> list[Problem]:
    """The fact catalogue, clause registry, rule files and review parameters (as the rule book
    reads them), the minimum-wage, retirement-age and period-convention files, and the
    calendar files of ``folder``."""
    problems = list(lint_clause_registry(folder / "clauses.yaml"))
    ids: Collection[str] | None = None
    if not problems:  # the rule book needs a readable registry
        problems += _collect(lambda: read_rule_book(folder))
        ids = load_clause_registry(folder / "clauses.yaml").ids()
    problems += _collect(lambda: load_minimum_wages(folder / MINIMUM_WAGE_FILE, clause_ids=ids))
    problems += _collect(lambda: load_retirement(folder / RETIREMENT_FILE, clause_ids=ids))
    problems += _collect(lambda: load_period_conventions(folder / PERIODS_FILE))
    problems += lint_calendar_files(folder / "calendar")
    return [_where(p, folder) for p in problems]
