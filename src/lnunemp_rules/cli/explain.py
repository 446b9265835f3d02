"""``lnunemp-rules explain FILE``: the decision for an input or receipt, for an auditor.

The input is an application (registration), a registrant (review; needs ``--as-of``) or a
saved receipt (re-evaluated from its embedded input or ``--input``); the kind is detected from
the keys unless ``--kind`` is given. Output: text, Markdown or a self-contained HTML page, in
Chinese or English, all rendered from the decision's ``to_dict()``
(:mod:`lnunemp_rules.explain`). It shows the near misses, the 4.2.2 deadline derivation and
the derived facts. Personal data is masked unless ``--show-personal-data`` (standard 4.3.1).
Exit codes: 0 rendered, 2 bad input.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from ..decide import PROCEDURES, procedure
from ..errors import InputError
from ..explain.document import Personal
from .assess import decide
from .io import read_document, read_object, write_output
from .options import add_common_options, add_rules_option, examples

__all__ = ["add_parser", "detect_kind"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "explain",
        help="explain a decision as text, Markdown or HTML (near misses, deadline, derivations)",
        description=(
            "Explain the decision for an application, a registrant or a saved receipt, as "
            "text, Markdown or a self-contained HTML page. Personal data is masked unless "
            "--show-personal-data is given."
        ),
        epilog=examples(
            "lnunemp-rules explain examples/review.json --as-of 2026-11-28",
            "lnunemp-rules explain examples/registration.json --lang zh --format md",
            "lnunemp-rules explain examples/registration.json --format html -o decision.html",
            "lnunemp-rules explain r.json                # a receipt with its input embedded",
        ),
    )
    parser.add_argument("file", metavar="FILE", help="JSON/YAML input or receipt; '-' = stdin")
    parser.add_argument(
        "--kind",
        choices=(*PROCEDURES, "receipt"),
        help="what FILE is (default: detected from its keys)",
    )
    parser.add_argument("--as-of", metavar="DATE", help="review date YYYY-MM-DD (reviews)")
    parser.add_argument(
        "--input", metavar="FILE", help="the input of a receipt that does not embed it"
    )
    add_common_options(parser)
    add_rules_option(parser)
    parser.add_argument(
        "--format", choices=("text", "md", "html"), default="text", help="default: text"
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    parser.add_argument(
        "--show-personal-data",
        action="store_true",
        help="show the raw ID number and name from the input (default: masked)",
    )
    parser.set_defaults(func=run)
    return parser


def detect_kind(data: object) -> str:
    """registration, review or receipt, from the document's keys."""
    if isinstance(data, Mapping):
        if "receipt_version" in data:
            return "receipt"
        if "applicant" in data:
            return "registration"
        if "registration_date" in data:
            return "review"
    raise InputError(
        "FILE",
        "cannot tell what this is: expected an application (key 'applicant'), a registrant "
        "(key 'registration_date') or a receipt (key 'receipt_version'); or pass --kind",
    )


def _personal(kind: str, data: Any, show: bool) -> Personal:
    holder = data.get(procedure(kind).person_key) or {}
    if not isinstance(holder, Mapping):
        return Personal(show=show)
    id_number, name = holder.get("id_number"), holder.get("name")
    events = data.get("events") if kind == "review" else None
    reasons = tuple(
        (index, event["reason"])
        for index, event in enumerate(events if isinstance(events, list) else [])
        if isinstance(event, Mapping) and isinstance(event.get("reason"), str)
    )
    return Personal(str(id_number) if id_number else None, str(name) if name else None,
                    show=show, reasons=reasons)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    data = read_object(args.file, kind=args.kind) if args.kind else read_document(args.file)
    kind = args.kind or detect_kind(data)
    as_of, engine = args.as_of, args.engine
    if kind == "receipt":
        if not isinstance(data, Mapping):
            raise InputError("FILE", "a receipt must be a JSON object")
        receipt = data
        data = read_document(args.input, "--input") if args.input else receipt.get("input")
        if data is None:
            raise InputError("--input", "the receipt does not embed its input; pass --input")
        kind = str(receipt.get("kind"))
        as_of = as_of or receipt.get("as_of")
        engine = engine or receipt.get("engine")
    if not isinstance(data, Mapping):
        raise InputError("FILE", "the input must be a JSON or YAML object")
    decision = decide(kind, data, as_of=as_of, engine=engine)
    personal = _personal(kind, data, args.show_personal_data)
    text = decision.render(args.format, args.lang, personal, technical=args.technical)
    write_output(text, args.output)
    return 0
