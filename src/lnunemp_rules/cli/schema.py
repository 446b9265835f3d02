"""``lnunemp-rules schema NAME``: the JSON Schema of an input, a decision or a receipt.

The schemas are :data:`lnunemp_rules.report.schemas.SCHEMAS`. Exit codes: 0 printed, 2 unknown
name.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..report.schemas import SCHEMAS, json_schema
from .io import write_output
from .options import examples

__all__ = ["add_parser"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of an input, a decision or a receipt",
        description="Print a JSON Schema (draft 2020-12, as pydantic writes it).",
        epilog=examples(
            "lnunemp-rules schema registration-input",
            "lnunemp-rules schema review-decision > review-decision.schema.json",
        ),
    )
    parser.add_argument("name", choices=sorted(SCHEMAS), metavar="NAME",
                        help="one of: " + ", ".join(sorted(SCHEMAS)))  # fmt: skip
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    write_output(json.dumps(json_schema(args.name), ensure_ascii=False, indent=2), None)
    return 0
