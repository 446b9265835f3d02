"""``lnunemp-rules batch``: decide a whole file of applications or registrants (4.3.1, 4.3.2).

Exit codes (docs/batch.md): 0 every record decided; 1 the sweep finished but some records were
rejected (see the error file); 2 usage or input error (no such file, unknown CSV column, bad
option); 3 a record hit an internal error (it was not decided; the sweep still finished).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..batch.sweep import DEFAULT_CHUNK_SIZE, run_batch
from ..decide import PROCEDURES
from ..errors import InputError
from ..rulebook.yamlfile import unreadable
from .io import output_failure
from .options import add_engine_option, add_rules_option, examples

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "batch",
        help="decide every record of a JSONL or CSV file, with statistics",
        description="Stream applications (registration) or registrants (review as of a date) "
        "from JSONL or CSV, write one JSON line per decision, rejected records to an error "
        "file, and print counts by outcome, clause and prefecture (standard 4.3.2).",
        epilog=examples(
            "lnunemp-rules batch registrants.jsonl --kind review --as-of 2026-11-28 "
            "-o decisions.jsonl",
            "lnunemp-rules batch applications.csv --kind registration --workers 2 --full "
            "-o decisions.jsonl",
        ),
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
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE,
                        help=f"records per task (default {DEFAULT_CHUNK_SIZE})")  # fmt: skip
    add_engine_option(parser)
    add_rules_option(parser)
    parser.add_argument("--full", action="store_true", help="write whole decisions with trace")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    if PROCEDURES[args.kind].needs_as_of and not args.as_of:
        raise InputError("--as-of", f"required for --kind {args.kind} (YYYY-MM-DD)")
    try:
        summary = run_batch(
            args.input, args.output, kind=args.kind, as_of=args.as_of, errors_path=args.errors,
            summary_path=args.summary, fmt=args.format, workers=args.workers,
            engine=args.engine, full=args.full, chunk_size=args.chunk_size,
            progress=False if args.no_progress else None,
        )  # fmt: skip
    except OSError as exc:
        if exc.filename is not None and str(exc.filename) == args.input:
            raise InputError("INPUT", f"{args.input}: {unreadable(exc)}") from None
        named = {args.errors: "--errors", args.summary: "--summary"}
        option = named.get(str(exc.filename), "--output")
        raise output_failure(exc, str(exc.filename or args.output), option) from None
    print(summary.render(), file=sys.stderr if args.output == "-" else sys.stdout)
    if summary.internal_errors:
        return 3
    return 1 if summary.errors else 0
