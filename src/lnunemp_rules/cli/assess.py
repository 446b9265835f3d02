"""``lnunemp-rules assess registration|review FILE``: decide one application or registrant.

Reads a JSON or YAML input from a file or stdin (``-``), prints the explanation (``--lang``,
English by default) or the decision as JSON (``--json``), and can save a receipt
(``--receipt OUT.json``, with ``--include-input`` to embed the input). Personal data is
masked in every output (standard 4.3.1). Exit codes: 0 a decision was made (whatever the
outcome), 2 bad input or usage, 3 internal error.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..decide import PROCEDURES, procedure
from .io import read_object, write_output
from .options import add_common_options, add_json_option, add_rules_option, examples

__all__ = ["add_parser", "decide"]


_EXAMPLES = {
    "registration": examples(
        "lnunemp-rules assess registration examples/registration.json",
        "lnunemp-rules assess registration examples/registration.json --json --receipt r.json",
    ),
    "review": examples(
        "lnunemp-rules assess review examples/review.json --as-of 2026-11-28 --lang zh",
        "cat examples/review.json | lnunemp-rules assess review - --as-of 2026-11-28",
    ),
}
_HELP = {
    "registration": "decide a registration application (standard 4.1, 4.2)",
    "review": "review a registrant as of a date (standard 4.3.1, 4.5)",
}


def _add_kind(sub: Any, kind: str) -> None:
    help_text = _HELP[kind]
    parser: argparse.ArgumentParser = sub.add_parser(
        kind, help=help_text, description=help_text, epilog=_EXAMPLES[kind]
    )
    parser.add_argument("file", metavar="FILE", help="JSON or YAML input; '-' reads stdin")
    if PROCEDURES[kind].needs_as_of:
        parser.add_argument(
            "--as-of", required=True, metavar="DATE", help="review date YYYY-MM-DD (required)"
        )
    add_common_options(parser)
    add_rules_option(parser)
    add_json_option(parser, "print the decision as JSON (errors too, on stderr)")
    parser.add_argument("--receipt", metavar="OUT.json", help="save a receipt for replay")
    parser.add_argument(
        "--include-input",
        action="store_true",
        help="embed the input (personal data in clear) in the receipt",
    )
    parser.set_defaults(func=run, kind=kind)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "assess",
        help="decide a registration application or review a registrant",
        description=(
            "Decide one registration application (4.1, 4.2) or review one registrant as of a "
            "date (4.5). Exit 0 when a decision is made, 2 on bad input."
        ),
        epilog=examples(
            "lnunemp-rules assess registration examples/registration.json",
            "lnunemp-rules assess review examples/review.json --as-of 2026-11-28",
        ),
    )
    sub = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind in PROCEDURES:
        _add_kind(sub, kind)
    return parser


def decide(kind: str, data: Any, *, as_of: str | None, engine: str | None) -> Any:
    """The decision for ``data`` of ``kind`` (registration or review)."""
    chosen = procedure(kind)
    if chosen.needs_as_of and as_of is None:
        from ..errors import InputError

        raise InputError("--as-of", f"a {kind} needs the date it is made on (YYYY-MM-DD)")
    return chosen.decide(data, as_of=as_of, engine=engine)


def run(args: argparse.Namespace) -> int:
    data = read_object(args.file, kind=args.kind)
    decision = decide(args.kind, data, as_of=getattr(args, "as_of", None), engine=args.engine)
    if args.json:
        write_output(decision.to_json(indent=2), None)
    else:
        write_output(decision.explain(args.lang, technical=args.technical), None)
    if args.receipt:
        from ..report.receipts import make_receipt

        receipt = make_receipt(decision, data, include_input=args.include_input)
        write_output(json.dumps(receipt, ensure_ascii=False, indent=2), args.receipt, "--receipt")
    return 0
