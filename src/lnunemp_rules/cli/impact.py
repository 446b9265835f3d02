"""``lnunemp-rules impact``: whom a change of the rules would affect (issue 12, docs/batch.md).

Exit codes: 0 done (whether or not records changed); 2 usage or input error.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import IO, Any

from ..batch import input_format, read_csv, read_jsonl
from ..batch.impact import ImpactSummary, impact
from ..batch.impact_html import impact_html
from ..decide import PROCEDURES, procedure
from ..inputs.validation import as_date
from ..rulebook.book import RuleBook, load_rule_book

__all__ = ["add_parser", "run"]

PACKAGED = "packaged"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "impact",
        help="decide a register under two rule books and report whom the change affects",
        description="Decide every record of a JSONL or CSV register under the rules BEFORE "
        "and AFTER, and report the records whose outcome, grounds, effective date, next "
        "review date or deadline changed: a transition table, by clause and by prefecture.",
    )
    parser.add_argument("register", help="JSONL or CSV file of records")
    parser.add_argument("--kind", choices=tuple(PROCEDURES), required=True)
    parser.add_argument("--as-of", help="review date YYYY-MM-DD (required for --kind review)")
    parser.add_argument(
        "--before",
        default=PACKAGED,
        help="rules folder in force before (default: the packaged rules)",
    )
    parser.add_argument(
        "--after",
        default=PACKAGED,
        help="rules folder after the change (default: the packaged rules)",
    )
    parser.add_argument("--format", choices=("jsonl", "csv"), help="register format")
    parser.add_argument("--summary", help="also write the summary to FILE.json, .csv or .txt")
    parser.add_argument("--changes", help="write the changed records to FILE.jsonl")
    parser.add_argument("--html", help="write the HTML report (charts inline) to FILE.html")
    parser.add_argument("--engine", choices=("columnar", "python"), default="columnar",
                        help="engine deciding the records (default columnar)")  # fmt: skip
    parser.set_defaults(func=run)
    return parser


def _book(folder: str) -> RuleBook:
    return load_rule_book(None if folder == PACKAGED else folder)


def write_impact_summary(summary: ImpactSummary, path: str) -> None:
    """``path`` ending in .csv: rows (table, key, count); .txt: the text; otherwise JSON."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        lowered = path.lower()
        if lowered.endswith(".csv"):
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(("table", "key", "count"))
            writer.writerows(summary.rows())
        elif lowered.endswith(".txt"):
            f.write(summary.render() + "\n")
        else:
            json.dump(summary.to_dict(), f, ensure_ascii=False, indent=2)
            f.write("\n")


def run(args: argparse.Namespace) -> int:
    chosen = procedure(args.kind)
    if chosen.needs_as_of and not args.as_of:
        print(f"lnunemp-rules impact: --as-of is required for --kind {args.kind}", file=sys.stderr)
        return 2
    on = as_date(args.as_of, "as_of") if chosen.needs_as_of else None
    before, after = _book(args.before), _book(args.after)
    try:
        source = open(args.register, "rb")  # noqa: SIM115
    except OSError as exc:
        print(f"lnunemp-rules impact: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 2
    changes: IO[str] | None = None
    summary: ImpactSummary | None = None
    try:
        if input_format(args.register, args.format) == "csv":
            items: Any = read_csv(source, args.kind)
        else:
            items = read_jsonl(source)
        if args.changes:
            changes = open(args.changes, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        for found in impact(items, chosen, on, before, after, engine=args.engine):
            if isinstance(found, ImpactSummary):
                summary = found
            elif changes is not None:
                changes.write(json.dumps(found, ensure_ascii=False, separators=(",", ":")) + "\n")
    finally:
        source.close()
        if changes is not None:
            changes.close()
    assert summary is not None
    print(summary.render())
    if args.summary:
        write_impact_summary(summary, args.summary)
    if args.html:
        with open(args.html, "w", encoding="utf-8") as f:
            f.write(impact_html(summary))
    return 0
