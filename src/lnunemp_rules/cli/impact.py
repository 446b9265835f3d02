"""``lnunemp-rules impact``: whom a change of the rules would affect (issue 12, docs/batch.md).

Exit codes: 0 done (whether or not records changed); 2 usage or input error (no such register
or rules folder, --as-of missing for a review); 3 internal error or an output that could not
be written once begun.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
from pathlib import Path
from typing import IO, Any

from ..batch import input_format, read_csv, read_jsonl
from ..batch.impact import ImpactSummary, impact
from ..batch.impact_html import impact_html
from ..decide import PROCEDURES, Procedure, procedure
from ..errors import InputError
from ..inputs.validation import as_date
from ..rulebook.book import RuleBook, load_rule_book
from ..rulebook.folder import PACKAGE_DIR, packaged_rules_dir
from ..rulebook.yamlfile import unreadable
from .io import output_failure
from .options import add_json_option, add_rules_option, examples, rules_folder

__all__ = ["add_parser", "run"]

#: The word for the rules shipped with the package (whatever LNUNEMP_RULES_DIR or --rules say).
PACKAGED = "packaged"


def _side(text: str) -> str | Path:
    """``--before``/``--after``: ``packaged``, or a folder that may hold rules."""
    return PACKAGED if text == PACKAGED else rules_folder(text)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "impact",
        help="decide a register under two rule books and report whom the change affects",
        description="Decide every record of a JSONL or CSV register under the rules BEFORE "
        "and AFTER, and report the records whose outcome, grounds, effective date, next "
        "review date or deadline changed: a transition table, by clause and by prefecture.",
        epilog=examples(
            "lnunemp-rules impact registrants.jsonl --kind review --as-of 2026-11-28 "
            "--before packaged --rules my-rules  # my-rules: the packaged rules, edited",
            "lnunemp-rules impact applications.csv --kind registration --before packaged "
            "--rules my-rules --summary impact.csv --changes changed.jsonl --html impact.html",
        ),
    )
    parser.add_argument("register", help="JSONL or CSV file of records")
    parser.add_argument("--kind", choices=tuple(PROCEDURES), required=True)
    parser.add_argument("--as-of", help="review date YYYY-MM-DD (required for --kind review)")
    parser.add_argument(
        "--before", type=_side, metavar="DIR",
        help="rules folder in force before, or 'packaged' (default: the rules in use)",
    )  # fmt: skip
    parser.add_argument(
        "--after", type=_side, metavar="DIR",
        help="rules folder after the change, or 'packaged' (default: the rules in use)",
    )  # fmt: skip
    add_rules_option(parser, "in use where --before or --after is not given")
    parser.add_argument("--format", choices=("jsonl", "csv"), help="register format")
    parser.add_argument("--summary", help="also write the summary to FILE.json, .csv or .txt")
    parser.add_argument("--changes", help="write the changed records to FILE.jsonl")
    parser.add_argument("--html", help="write the HTML report (charts inline) to FILE.html")
    parser.add_argument("--engine", choices=("columnar", "python"), default="columnar",
                        help="engine deciding the records (default columnar)")  # fmt: skip
    add_json_option(parser, "print the summary as JSON (errors too, on stderr)")
    parser.set_defaults(func=run)
    return parser


def _book(side: str | Path | None) -> RuleBook:
    """The rule book of one side: the rules in use, the packaged ones, or a folder."""
    if side is None:
        return load_rule_book()
    if side == PACKAGED:  # in a source checkout, the repository's rules/
        return load_rule_book(packaged_rules_dir() or PACKAGE_DIR.parent.parent / "rules")
    return load_rule_book(side)


def write_impact_summary(summary: ImpactSummary, f: IO[str], path: str) -> None:
    """``path`` ending in .csv: rows (table, key, count); .txt: the text; otherwise JSON."""
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
        raise InputError("--as-of", f"required for --kind {args.kind} (YYYY-MM-DD)")
    on = as_date(args.as_of, "as_of") if chosen.needs_as_of else None
    before, after = _book(args.before), _book(args.after)
    try:
        source = open(args.register, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError("REGISTER", f"{args.register}: {unreadable(exc)}") from None
    try:
        return _report(args, source, chosen, on, before, after)
    finally:
        source.close()


def _report(args: argparse.Namespace, source: IO[bytes], chosen: Procedure[Any, Any],
            on: dt.date | None, before: RuleBook, after: RuleBook) -> int:  # fmt: skip
    changes: IO[str] | None = None
    summary: ImpactSummary | None = None
    try:
        if input_format(args.register, args.format) == "csv":
            items: Any = read_csv(source, args.kind)
        else:
            items = read_jsonl(source)
        if args.changes:
            changes = _open_output(args.changes, "--changes")
        for found in impact(items, chosen, on, before, after, engine=args.engine):
            if isinstance(found, ImpactSummary):
                summary = found
            elif changes is not None:
                changes.write(json.dumps(found, ensure_ascii=False, separators=(",", ":")) + "\n")
    finally:
        if changes is not None:
            changes.close()
    assert summary is not None
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(summary.render())
    if args.summary:
        with _open_output(args.summary, "--summary") as f:
            write_impact_summary(summary, f, args.summary)
    if args.html:
        with _open_output(args.html, "--html") as f:
            f.write(impact_html(summary))
    return 0


def _open_output(path: str, option: str) -> IO[str]:
    """``path`` opened for writing, or the usage error naming ``option``."""
    try:
        return open(path, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise output_failure(exc, path, option) from None
