"""``lnunemp-rules batch``: decide a whole file of applications or registrants (4.3.1, 4.3.2).

Exit codes (docs/batch.md): 0 every record decided; 1 the sweep finished but some records were
rejected (see the error file); 2 usage or input error, nothing written (no such file, unknown
CSV column, two arguments naming the same file, a resume that does not match its manifest);
3 internal error (a record hit a bug, or killed two workers or kept two busy past
``--task-timeout``, and was not decided, the sweep finished; or the sweep itself failed and
stopped); 4 stopped because a file could not be
written (disk full, file-size limit); 130 stopped by SIGINT (Ctrl-C); 143 stopped by SIGTERM.
A stopped sweep keeps what it did under temporary names; ``--resume`` continues it.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
from typing import Any, Final

from ..batch.run import run_batch
from ..batch.summary import BatchSummary
from ..batch.sweep import COLUMNAR_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, DEFAULT_TASK_TIMEOUT
from ..decide import PROCEDURES
from ..errors import InputError, SweepStoppedError
from ..rulebook.yamlfile import unreadable
from .io import output_failure
from .options import add_engine_option, add_rules_option, examples

__all__ = ["EXIT_STOPPED", "add_parser", "run"]

#: Exit codes of a sweep that stopped before the end of its input (docs/batch.md).
EXIT_STOPPED: Final = {"io": 4, "internal": 3, "SIGINT": 130, "SIGTERM": 143}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "batch",
        help="decide every record of a JSONL or CSV file, with statistics",
        description="Stream applications (registration) or registrants (review as of a date) "
        "from JSONL or CSV, write one JSON line per decision, rejected records to an error "
        "file, and print counts by outcome, clause and prefecture (standard 4.3.2). Exit 0 all "
        "decided, 1 some rejected, 2 usage error, 3 internal error, 4 stopped by an I/O "
        "error, 130/143 stopped by SIGINT/SIGTERM (docs/batch.md).",
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
    parser.add_argument("--chunk-size", type=int,
                        help=f"records per task (default {DEFAULT_CHUNK_SIZE}; "
                        f"{COLUMNAR_CHUNK_SIZE} for --engine columnar)")  # fmt: skip
    parser.add_argument("--task-timeout", metavar="SECONDS",
                        help="stop a worker still on one chunk after SECONDS, retry the chunk "
                        "once, then write its records to the error file (default "
                        f"{DEFAULT_TASK_TIMEOUT:g}; 'off': no limit)")  # fmt: skip
    add_engine_option(parser)
    add_rules_option(parser)
    parser.add_argument("--full", action="store_true", help="write whole decisions with trace")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    parser.add_argument("--resume", action="store_true", help="continue a stopped sweep from "
                        "OUTPUT.manifest.json, with the same options")  # fmt: skip
    parser.set_defaults(func=run)
    return parser


def _say(text: str, stream: Any) -> None:
    """Print, even when the reader of the stream has gone (a closed pipe is not a crash)."""
    with contextlib.suppress(OSError):  # BrokenPipeError is an OSError
        print(text, file=stream, flush=True)


def _task_timeout(text: str | None) -> float | None:
    """``--task-timeout``: seconds greater than 0, ``off``, or the default when not given."""
    if text is None:
        return DEFAULT_TASK_TIMEOUT
    if text.strip().lower() == "off":
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise InputError("--task-timeout", f"{text!r}; accepted: a number of seconds greater "
                         "than 0, or 'off' for no limit")  # fmt: skip
    return seconds


def run(args: argparse.Namespace) -> int:
    if PROCEDURES[args.kind].needs_as_of and not args.as_of:
        raise InputError("--as-of", f"required for --kind {args.kind} (YYYY-MM-DD)")
    task_timeout = _task_timeout(args.task_timeout)
    report = sys.stderr if args.output == "-" else sys.stdout
    try:
        summary = run_batch(
            args.input, args.output, kind=args.kind, as_of=args.as_of, errors_path=args.errors,
            summary_path=args.summary, fmt=args.format, workers=args.workers,
            engine=args.engine, full=args.full, chunk_size=args.chunk_size,
            progress=False if args.no_progress else None, resume=args.resume,
            task_timeout=task_timeout,
        )  # fmt: skip
    except SweepStoppedError as exc:
        if isinstance(exc.summary, BatchSummary):
            _say(exc.summary.render(), report)
        _say(f"lnunemp-rules batch: {exc}", sys.stderr)
        return EXIT_STOPPED.get(exc.reason, 3)
    except OSError as exc:
        if exc.filename is not None and str(exc.filename) == args.input:
            raise InputError("INPUT", f"{args.input}: {unreadable(exc)}") from None
        named = {args.errors: "--errors", args.summary: "--summary"}
        option = named.get(str(exc.filename), "--output")
        raise output_failure(exc, str(exc.filename or args.output), option) from None
    _say(summary.render(), report)
    if summary.internal_errors:
        return 3
    return 1 if summary.errors else 0
