"""``lnunemp-rules test PATH...``: run analysts' fixture files (like ``openfisca test``).

Prints pass or fail per case with a readable expected-versus-actual diff on failure; exits 1
when any case fails, 2 when a fixture file is malformed (every problem with file:line) or no
case was found or matched the filter.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..analyst.fixtures import CaseResult, FixtureCase, load_fixture_cases, run_case
from ..errors import InputError
from .options import (
    add_engine_option,
    add_json_option,
    add_lang_option,
    add_rules_option,
    examples,
)

__all__ = ["add_parser", "run_fixtures"]

_WORDS = {
    "en": {"pass": "PASS", "fail": "FAIL", "summary": "{p} passed, {f} failed ({e} engine)"},
    "zh": {"pass": "通过", "fail": "失败", "summary": "通过 {p} 个，失败 {f} 个（{e} 引擎）"},
}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "test",
        help="run fixture files (YAML cases) and report pass/fail per case",
        description=(
            "Run analysts' fixture files or folders (recursively, *.yaml with 'cases:'). "
            "Exit 0 if every case passes, 1 if any fails, 2 if a file is malformed."
        ),
        epilog=examples(
            "lnunemp-rules test tests/fixtures",
            'lnunemp-rules test tests/fixtures -k "4.5(12)"',
            "lnunemp-rules test tests/fixtures/review --engine durable --json",
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="fixture files or folders")
    add_engine_option(parser, default="python", help="rule engine (default: python)")
    add_rules_option(parser)
    parser.add_argument(
        "-k", "--filter", metavar="TEXT", help="only cases whose name contains TEXT or that "
        "expect the clause or rule id TEXT"
    )  # fmt: skip
    add_json_option(parser, "machine-readable results")
    add_lang_option(parser, "message language")
    parser.set_defaults(func=_main)
    return parser


def run_fixtures(
    cases: list[FixtureCase], engine: str, text: str | None = None
) -> list[CaseResult]:
    """Run the cases (those matching ``text`` if given) on one engine."""
    chosen = [c for c in cases if text is None or c.mentions(text)]
    return [run_case(c, engine=engine) for c in chosen]


def _main(args: argparse.Namespace) -> int:
    cases = load_fixture_cases(args.paths)
    results = run_fixtures(cases, args.engine, args.filter)
    if not results:
        what = "no fixture case" + (f" matches {args.filter!r}" if args.filter else " found")
        raise InputError("-k" if args.filter else "PATH", what)
    failed = [r for r in results if not r.passed]
    if args.json:
        json.dump(
            {
                "engine": args.engine,
                "passed": len(results) - len(failed),
                "failed": len(failed),
                "cases": [r.to_dict() for r in results],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    else:
        words = _WORDS[args.lang]
        for r in results:
            mark = words["pass"] if r.passed else words["fail"]
            print(f"{mark} {r.case.where}: {r.case.name}")
            if not r.passed:
                print(r.diff())
        print(words["summary"].format(p=len(results) - len(failed), f=len(failed), e=args.engine))
    return 1 if failed else 0
