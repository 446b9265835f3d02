"""``lnunemp-rules mutate [PATH...]``: which one-change mutants of the rules no fixture catches.

Lists every surviving mutant with its rule, clause and change, and reports the count and the
time taken. Exit 1 when a mutant survives that is not listed as equivalent (with its reason)
in the ``--equivalent`` file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..analyst.fixtures import load_fixture_cases
from ..analyst.mutate import load_equivalent_mutants, run_mutation_check
from .options import (
    add_fixture_paths,
    add_json_option,
    add_lang_option,
    add_rules_option,
    examples,
)

__all__ = ["add_parser"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "mutate",
        help="mutate rule and parameter files one change at a time and list survivors",
        description=(
            "Flip comparisons, move thresholds by one unit, drop conditions, swap enum values, "
            "shift minimum-wage amounts and dates: one change per mutant, each run against the "
            "fixtures on the Python engine. Exit 1 if a non-equivalent mutant survives."
        ),
        epilog=examples(
            "lnunemp-rules mutate tests/fixtures",
            "lnunemp-rules mutate tests/fixtures -k minimum_wage --json",
        ),
    )
    add_fixture_paths(parser)
    add_rules_option(parser, "to mutate")
    parser.add_argument(
        "--equivalent", type=Path, metavar="FILE",
        help="equivalent mutants with reasons (default: tests/fixtures/equivalent_mutants.yaml "
        "if present)",
    )  # fmt: skip
    parser.add_argument(
        "-k", "--filter", metavar="TEXT", help="only mutants whose key (rule id, file, change) "
        "contains TEXT"
    )  # fmt: skip
    add_json_option(parser, "machine-readable report")
    add_lang_option(parser, "message language")
    parser.set_defaults(func=_main)
    return parser


def _main(args: argparse.Namespace) -> int:
    cases = load_fixture_cases(args.paths)
    equivalent_file = args.equivalent or Path("tests/fixtures/equivalent_mutants.yaml")
    equivalent = load_equivalent_mutants(equivalent_file) if equivalent_file.exists() else {}
    text = args.filter
    report = run_mutation_check(
        cases,
        directory=args.rules,
        equivalent=equivalent,
        select=None if text is None else lambda ms: [m for m in ms if text in m.key],
    )
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        zh = args.lang == "zh"
        for m in report.survivors:
            where = f"{m.file}:{m.line}" if m.line else m.file
            label = "存活" if zh else "SURVIVED"
            print(f"{label} {where} rule={m.rule or '-'} clause={m.clause or '-'}: {m.change}")
        summary = (
            f"变异体 {report.total} 个：杀死 {report.killed}，被加载器拒绝 {report.rejected}，"
            f"等价 {len(report.equivalent)}，存活 {len(report.survivors)}；"
            f"用时 {report.seconds:.1f} 秒"
            if zh
            else f"{report.total} mutants: {report.killed} killed, {report.rejected} rejected by "
            f"the loader, {len(report.equivalent)} equivalent, {len(report.survivors)} survived; "
            f"{report.seconds:.1f} s"
        )
        print(summary)
    return 1 if report.survivors else 0
