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
import sys
from pathlib import Path
from typing import Any

import yaml

from ._cli_options import add_engine_option, add_json_option, add_lang_option
from ._errors import InputError
from ._yamlfile import SAFE_LOADER

__all__ = ["add_common_options", "add_parser", "read_document", "write_output"]


def read_document(path: str, field: str = "FILE") -> Any:
    """Parse a JSON or YAML document from ``path`` or stdin (``-``)."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(field, f"cannot read {path}: {exc.__class__.__name__}") from None
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(field, f"{path} is neither JSON nor YAML{where}") from None


def write_output(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output``, or to stdout when it is None or ``-``."""
    if output is None or output == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError("--output", f"cannot write {output}: {exc.__class__.__name__}") from None


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """--lang and --engine, shared by assess and explain."""
    add_lang_option(parser)
    add_engine_option(parser)


def _add_kind(sub: Any, kind: str, help_text: str) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(kind, help=help_text, description=help_text)
    parser.add_argument("file", metavar="FILE", help="JSON or YAML input; '-' reads stdin")
    if kind == "review":
        parser.add_argument(
            "--as-of", required=True, metavar="DATE", help="review date YYYY-MM-DD (required)"
        )
    add_common_options(parser)
    add_json_option(parser, "print the decision as JSON")
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
    )
    sub = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    _add_kind(sub, "registration", "decide a registration application (standard 4.1, 4.2)")
    _add_kind(sub, "review", "review a registrant as of a date (standard 4.3.1, 4.5)")
    return parser


def decide(kind: str, data: Any, *, as_of: str | None, engine: str | None) -> Any:
    """The decision for ``data`` of ``kind`` (registration or review)."""
    from ._assess import assess_deregistration, assess_registration

    if kind == "registration":
        return assess_registration(data, engine=engine)
    if as_of is None:
        raise InputError("--as-of", "a review needs the date it is made on (YYYY-MM-DD)")
    return assess_deregistration(data, as_of=as_of, engine=engine)


def run(args: argparse.Namespace) -> int:
    data = read_document(args.file)
    decision = decide(args.kind, data, as_of=getattr(args, "as_of", None), engine=args.engine)
    if args.json:
        write_output(decision.to_json(indent=2), None)
    else:
        write_output(decision.explain(args.lang), None)
    if args.receipt:
        from ._receipts import make_receipt

        receipt = make_receipt(decision, data, include_input=args.include_input)
        write_output(json.dumps(receipt, ensure_ascii=False, indent=2), args.receipt)
    return 0
