"""``lnunemp-rules generate``: seeded synthetic applications or registrants (JSONL or CSV).

For benchmarks and tests only: every person, ID number and history is invented
(src/lnunemp_rules/analyst/generate.py says how).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import IO, Any

from ..analyst.generate import DEFAULT_AS_OF, FIRST_DAY, generate_records
from ..batch.records import record_to_row
from ..decide import PROCEDURES
from ..inputs.validation import as_date

__all__ = ["add_parser", "run", "write_records"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "generate",
        help="write seeded synthetic applications or registrants",
        description="Write COUNT synthetic records (invented people, valid ID numbers, Liaoning "
        "region codes, 2024-2026 dates), a share of them deliberately invalid.",
    )
    parser.add_argument("--kind", choices=tuple(PROCEDURES), required=True)
    parser.add_argument("--count", type=int, required=True, help="number of records")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--bad-share", type=float, default=0.01,
        help="share of deliberately invalid records, 0..1 (default 0.01)",
    )  # fmt: skip
    parser.add_argument(
        "--as-of", default=DEFAULT_AS_OF.isoformat(),
        help=f"last date of generated events and applications (default {DEFAULT_AS_OF})",
    )  # fmt: skip
    parser.add_argument("--format", choices=("jsonl", "csv"), default=None,
                        help="output format (default: from the file name, else jsonl)")  # fmt: skip
    parser.add_argument("-o", "--output", default="-", help="output file ('-': stdout)")
    parser.set_defaults(func=run)
    return parser


def write_records(records: Any, stream: IO[str], fmt: str, kind: Any) -> int:
    """Write records as JSON Lines or CSV (docs/batch.md column mapping); the count written."""
    count = 0
    if fmt == "csv":
        columns = PROCEDURES[kind].csv_columns
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(record_to_row(record, kind))
            count += 1
        return count
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for record in records:
        stream.write(dumps(record) + "\n")
        count += 1
    return count


def run(args: argparse.Namespace) -> int:
    if args.count < 0:
        print("lnunemp-rules generate: --count must be 0 or more", file=sys.stderr)
        return 2
    if not 0.0 <= args.bad_share <= 1.0:
        print("lnunemp-rules generate: --bad-share must be between 0 and 1", file=sys.stderr)
        return 2
    as_of = as_date(args.as_of, "as_of")
    if as_of <= FIRST_DAY:
        print(f"lnunemp-rules generate: --as-of must be after {FIRST_DAY}", file=sys.stderr)
        return 2
    fmt = args.format or ("csv" if args.output.lower().endswith(".csv") else "jsonl")
    records = generate_records(
        args.kind, args.count, seed=args.seed, bad_share=args.bad_share, as_of=as_of
    )
    if args.output == "-":
        write_records(records, sys.stdout, fmt, args.kind)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as f:
            write_records(records, f, fmt, args.kind)
    return 0
