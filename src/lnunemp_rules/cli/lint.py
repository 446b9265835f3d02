"""``lnunemp-rules lint [PATH...]``: validate rule, parameter, calendar and fixture files.

Checks the rules folder (default: the one in use, or ``--rules DIR``): the fact catalogue,
clause registry, rule files, glossary and review parameters (as the rule book loads them), the
minimum wage, retirement-age and period-convention parameter files, the calendar override
files, and that every value of the input models has its words in the glossary; then every
fixture file or folder given as PATH. Each problem is printed as
``file:line: message``. Exit codes: 0 no problem, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..analyst.fixtures import lint_fixture_files
from ..analyst.glossary_check import unnamed_model_values
from ..errors import Problem, RuleFileError
from ..rulebook.book import read_rule_book
from ..rulebook.folder import rules_dir
from ..rulebook.lint import lint_rules_folder
from .io import write_output
from .options import add_json_option, add_rules_option, examples

__all__ = ["add_parser", "lint_paths"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "lint",
        help="validate rule, parameter, calendar and fixture files (file:line per problem)",
        description=(
            "Validate the rules folder (rules, facts, clauses, parameters, calendar) and the "
            "fixture files or folders given; every problem of every file, as file:line. "
            "Exit 0 if clean, 1 if any problem is found."
        ),
        epilog=examples(
            "lnunemp-rules lint                              # the rules folder in use",
            "lnunemp-rules lint --rules my-rules/ tests/fixtures/",
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="fixture files or folders")
    add_rules_option(parser, "to check")
    add_json_option(parser, "print the problems as JSON")
    parser.set_defaults(func=run)
    return parser


def lint_paths(
    rules: Path, fixtures: Sequence[str], notes: list[str] | None = None
) -> list[Problem]:
    """Every problem of the rules folder ``rules`` and of the fixture paths; what could not be
    checked is appended to ``notes``."""
    problems = lint_rules_folder(rules, notes)
    if not problems:  # the input models' values against a glossary that loads
        try:
            problems += unnamed_model_values(read_rule_book(rules))
        except RuleFileError as exc:
            problems += exc.problems
    if fixtures:
        problems += lint_fixture_files([Path(p) for p in fixtures])
    return problems


def run(args: argparse.Namespace) -> int:
    folder = (args.rules or rules_dir()).resolve()
    notes: list[str] = []
    problems = lint_paths(folder, args.paths, notes)
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
