"""``lnunemp-rules coverage [PATH...]``: which clause items the rules and fixtures cover.

For every item of 4.1.1, 4.1.2, 4.1.3, 4.2.1, 4.2.2 and 4.5: the rules citing it and the
number of fixture cases exercising it firing and not firing. Exit 1 when ``--fail-under N`` is
given and fewer than N% of the counted items are covered, or when a fixture case fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..analyst.coverage import EXCLUDED, clause_coverage
from ..analyst.fixtures import load_fixture_cases
from .options import (
    add_engine_option,
    add_fixture_paths,
    add_json_option,
    add_lang_option,
    add_rules_option,
    examples,
)

__all__ = ["add_parser"]

_HEAD = {
    "en": ("clause", "rules", "firing", "not firing", "covered", "yes", "NO", "excluded"),
    "zh": ("条款", "规则", "触发用例", "未触发用例", "覆盖", "是", "否", "不计"),
}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "coverage",
        help="clause items covered by rules and by fixture cases (firing and not firing)",
        description=(
            "Run the fixture files and report, for every clause item of 4.1.1, 4.1.2, 4.1.3, "
            "4.2.1, 4.2.2 and 4.5, the rules that encode it and the cases exercising it firing "
            "and not firing. 4.2.1(6) has no rule by design and is excluded."
        ),
        epilog=examples(
            "lnunemp-rules coverage tests/fixtures",
            "lnunemp-rules coverage tests/fixtures --fail-under 100 --json",
        ),
    )
    add_fixture_paths(parser)
    add_engine_option(parser, default="python", help="rule engine (default: python)")
    add_rules_option(parser)
    add_json_option(parser, "machine-readable report")
    add_lang_option(parser, "table language")
    parser.add_argument(
        "--fail-under", type=float, metavar="N", help="exit 1 if fewer than N%% are covered"
    )
    parser.set_defaults(func=_main)
    return parser


def _main(args: argparse.Namespace) -> int:
    report = clause_coverage(load_fixture_cases(args.paths), engine=args.engine)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        clause, rules, firing, not_firing, covered, yes, no, excluded = _HEAD[args.lang]
        print(f"{clause:<10} {firing:>8} {not_firing:>10} {covered:>8}  {rules}")
        for item in report.items:
            mark = excluded if item.excluded else (yes if item.covered else no)
            print(
                f"{item.clause:<10} {len(item.firing):>8} {len(item.not_firing):>10} "
                f"{mark:>8}  {', '.join(item.rules) or '-'}"
            )
        for item_id, reason in EXCLUDED.items():
            print(f"{excluded}: {item_id}: {reason}")
        print(f"{report.percent:.1f}% ({sum(i.covered for i in report.counted)}/"
              f"{len(report.counted)})")  # fmt: skip
        for failed in report.failed_cases:
            print(f"FAIL {failed.case.where}: {failed.case.name}\n{failed.diff()}")
    if report.failed_cases:
        return 1
    if args.fail_under is not None and report.percent < args.fail_under:
        return 1
    return 0
