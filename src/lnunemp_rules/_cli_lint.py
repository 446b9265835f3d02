"""``lnunemp-rules lint [PATH...]``: validate rule, parameter, calendar and fixture files.

Checks the rules folder (default: the one in use, or ``--rules DIR``): the fact catalogue,
clause registry, rule files and review parameters (as the rule book loads them), the minimum
wage, retirement-age and period-convention parameter files, and the calendar override files;
then every fixture file or folder given as PATH. Each problem is printed as
``file:line: message``. Exit codes: 0 no problem, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ._cli_assess import write_output
from ._cli_options import add_json_option
from ._errors import Problem, RuleFileError

__all__ = ["add_parser", "lint_paths"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "lint",
        help="validate rule, parameter, calendar and fixture files (file:line per problem)",
        description=(
            "Validate the rules folder (rules, facts, clauses, parameters, calendar) and the "
            "fixture files or folders given. Exit 0 if clean, 1 if any problem is found."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="fixture files or folders")
    parser.add_argument("--rules", metavar="DIR", type=Path, help="rules folder to check")
    add_json_option(parser, "print the problems as JSON")
    parser.set_defaults(func=run)
    return parser


def _collect(check: Callable[[], object]) -> list[Problem]:
    try:
        check()
    except RuleFileError as exc:
        return list(exc.problems)
    return []


def _optional(module: str, name: str) -> Callable[..., list[Problem]] | None:
    try:
        found: Callable[..., list[Problem]] | None = getattr(
            importlib.import_module(f"{__package__}.{module}"), name, None
        )
    except ImportError:
        return None
    return found


def _where(problem: Problem, folder: Path) -> Problem:
    """Rule-book problems name files relative to the rules folder: make them findable."""
    path = Path(problem.file)
    if not path.is_absolute() and not path.exists() and (folder / path).exists():
        return Problem(str(folder / path), problem.line, problem.message)
    return problem


def lint_paths(rules: Path, fixtures: Sequence[str]) -> tuple[list[Problem], list[str]]:
    """(problems, notes) for the rules folder ``rules`` and the fixture paths."""
    from ._clauses import lint_clause_registry
    from ._minimum_wage import load_minimum_wage_parameters
    from ._periods import load_period_conventions
    from ._retirement import load_retirement_parameters
    from ._rulebook import _load as load_rule_book_uncached

    notes: list[str] = []
    problems = list(lint_clause_registry(rules / "clauses.yaml"))
    if not problems:  # the rule book needs a readable registry
        problems += _collect(lambda: load_rule_book_uncached(rules))
    parameters = rules / "parameters"
    problems += _collect(lambda: load_minimum_wage_parameters(parameters / "minimum_wage.yaml"))
    problems += _collect(lambda: load_retirement_parameters(parameters / "retirement_age.yaml"))
    problems += _collect(lambda: load_period_conventions(parameters / "periods.yaml"))
    lint_calendar = _optional("_calendar_files", "lint_calendar_files") or _optional(
        "_calendar", "lint_calendar_files"
    )
    if lint_calendar is None:
        notes.append("calendar files not checked: this version cannot lint them")
    else:
        problems += lint_calendar(rules / "calendar")
    if fixtures:
        lint_fixtures = _optional("_fixtures", "lint_fixture_files")
        if lint_fixtures is None:
            notes.append("fixture files not checked: the fixture runner is not installed")
        else:
            problems += lint_fixtures([Path(p) for p in fixtures])
    return [_where(p, rules) for p in problems], notes


def run(args: argparse.Namespace) -> int:
    from ._resources import rules_dir

    folder = (args.rules or rules_dir()).resolve()
    problems, notes = lint_paths(folder, args.paths)
    if args.json:
        out = {"problems": [{"file": p.file, "line": p.line, "message": p.message}
                            for p in problems], "notes": notes}  # fmt: skip
        write_output(json.dumps(out, ensure_ascii=False, indent=2), None)
    else:
        lines = [str(p) for p in problems] + [f"note: {n}" for n in notes]
        lines.append(
            f"{len(problems)} problem(s) in {folder} and {len(args.paths)} fixture path(s)"
        )
        write_output("\n".join(lines), None)
    return 1 if problems else 0
