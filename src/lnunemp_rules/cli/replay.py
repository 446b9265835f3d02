"""``lnunemp-rules replay RECEIPT``: re-evaluate a saved decision and say what changed.

Exit codes: 0 identical (same rules, engine and result), 1 different (each difference listed:
rule or parameter files changed, engine changed, outcome, citation or date differs), 2 bad
input (no input embedded and no ``--input``, or an input that is not the receipt's).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..report.receipts import replay
from .io import read_document, read_object, write_output
from .options import add_engine_option, add_json_option, add_rules_option, examples

__all__ = ["add_parser"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "replay",
        help="re-evaluate a receipt; exit 0 if identical, 1 if different (and why)",
        description=(
            "Re-evaluate a decision receipt against the rules in force (or --rules DIR) and "
            "report identical or different, and why. Exit 0 identical, 1 different."
        ),
        epilog=examples(
            "lnunemp-rules replay r.json                  # exit 0: identical",
            "lnunemp-rules replay r2.json --input examples/review.json",
            "lnunemp-rules replay r.json --rules my-rules/ --json",
        ),
    )
    parser.add_argument("receipt", metavar="RECEIPT", help="receipt JSON; '-' reads stdin")
    parser.add_argument("--input", metavar="FILE", help="the input, if the receipt lacks it")
    add_engine_option(parser, help="engine (default: the receipt's)")
    add_rules_option(parser, "to replay with")
    add_json_option(parser, "print the result as JSON")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    receipt = read_object(args.receipt, "RECEIPT", kind="receipt")
    data = read_document(args.input, "--input") if args.input else None
    result = replay(receipt, input_data=data, engine=args.engine, rules=args.rules)
    if args.json:
        write_output(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), None)
    else:
        write_output(result.explain(), None)
    return 0 if result.identical else 1
