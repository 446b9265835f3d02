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
from ..errors import InputError
from ..inputs.validation import as_date
from .io import output_failure, write_failure
from .options import examples

__all__ = ["add_parser", "run", "write_records"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "generate",
        help="write seeded synthetic applications or registrants",
        description="Write COUNT synthetic records (invented people, valid ID numbers, Liaoning "
        "region codes, 2024-2026 dates), a share of them deliberately invalid.",
        epilog=examples(
            "lnunemp-rules generate --kind review --count 1000 --seed 1 -o registrants.jsonl",
            "lnunemp-rules generate --kind registration --count 500 -o applications.csv",
        ),
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
        raise InputError("--count", "must be 0 or more")
    if not 0.0 <= args.bad_share <= 1.0:
        raise InputError("--bad-share", "must be between 0 and 1")
    as_of = as_date(args.as_of, "--as-of")
    if as_of <= FIRST_DAY:
        raise InputError("--as-of", f"must be after {FIRST_DAY}")
    fmt = args.format or ("csv" if args.output.lower().endswith(".csv") else "jsonl")
    records = generate_records(
        args.kind, args.count, seed=args.seed, bad_share=args.bad_share, as_of=as_of
    )
    if args.output == "-":
        write_records(records, sys.stdout, fmt, args.kind)
    else:
        try:
            f = open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise output_failure(exc, args.output, "--output") from None
        with f:
            try:
                write_records(records, f, fmt, args.kind)
            except OSError as exc:
                raise write_failure(exc, args.output) from None
    return 0
