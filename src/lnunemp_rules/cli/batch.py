"""``lnunemp-rules batch``: decide a whole file of applications or registrants (4.3.1, 4.3.2).

Exit codes (docs/batch.md): 0 every record decided; 1 the sweep finished but some records were
rejected (see the error file); 2 usage or input error (no such file, unknown CSV column, bad
option); 3 a record hit an internal error (it was not decided; the sweep still finished).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..batch.sweep import COLUMNAR_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, run_batch
from ..decide import PROCEDURES
from .options import add_engine_option

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "batch",
        help="decide every record of a JSONL or CSV file, with statistics",
        description="Stream applications (registration) or registrants (review as of a date) "
        "from JSONL or CSV, write one JSON line per decision, rejected records to an error "
        "file, and print counts by outcome, clause and prefecture (standard 4.3.2).",
    )
    parser.add_argument("input", help="JSONL or CSV file ('-': standard input)")
    parser.add_argument("--kind", choices=tuple(PROCEDURES), required=True)
    parser.add_argument("--as-of", help="review date YYYY-MM-DD (required for --kind review)")
    parser.add_argument("-o", "--output", default="-", help="decisions, JSONL ('-': stdout)")
    parser.add_argument("--errors", help="rejected records, JSONL (default OUTPUT.errors.jsonl)")
    parser.add_argument("--summary", help="also write the counts to FILE.json or FILE.csv")
    parser.add_argument("--format", choices=("jsonl", "csv"), help="input format (default: "
                        "from the file name, .csv or else jsonl)")  # fmt: skip
    parser.add_argument("--workers", type=int, help="processes (default: every usable CPU)")
    parser.add_argument("--chunk-size", type=int,
                        help=f"records per task (default {DEFAULT_CHUNK_SIZE}; "
                        f"{COLUMNAR_CHUNK_SIZE} for --engine columnar)")  # fmt: skip
    add_engine_option(parser)
    parser.add_argument("--full", action="store_true", help="write whole decisions with trace")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    if PROCEDURES[args.kind].needs_as_of and not args.as_of:
        print(f"lnunemp-rules batch: --as-of is required for --kind {args.kind}", file=sys.stderr)
        return 2
    try:
        summary = run_batch(
            args.input, args.output, kind=args.kind, as_of=args.as_of, errors_path=args.errors,
            summary_path=args.summary, fmt=args.format, workers=args.workers,
            engine=args.engine, full=args.full, chunk_size=args.chunk_size,
            progress=False if args.no_progress else None,
        )  # fmt: skip
    except OSError as exc:
        print(f"lnunemp-rules batch: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 2
    print(summary.render(), file=sys.stderr if args.output == "-" else sys.stdout)
    if summary.internal_errors:
        return 3
    return 1 if summary.errors else 0
