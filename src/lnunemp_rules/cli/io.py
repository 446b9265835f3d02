"""Reading the documents a command is given and writing what it prints, shared by commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError, RuleFileError
from ..inputs.documents import MAX_DOCUMENT_BYTES, parse_json
from ..rulebook.yamlfile import parse_yaml

__all__ = ["read_document", "write_output"]


def read_document(path: str, field: str = "FILE") -> Any:
    """Parse a JSON or YAML document from ``path`` or stdin (``-``), within the bounds of
    docs/api.md ("Limits"): a key twice, NaN, a number too long, nesting too deep, a YAML
    alias bomb or a document too large is an InputError that quotes nothing of the text."""
    try:
        if path == "-":
            binary = getattr(sys.stdin, "buffer", None)  # a StringIO (tests) has none
            data = (binary.read(MAX_DOCUMENT_BYTES + 1) if binary is not None
                    else sys.stdin.read(MAX_DOCUMENT_BYTES + 1).encode("utf-8"))  # fmt: skip
        else:
            with open(path, "rb") as stream:
                data = stream.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise InputError(
            field, f"cannot read {path}: {exc.strerror or type(exc).__name__}"
        ) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(field, f"{path} is larger than {MAX_DOCUMENT_BYTES} bytes; accepted: "
                         "one application, registrant or receipt")  # fmt: skip
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(field, f"{path} is not UTF-8 text (byte {exc.start + 1})") from None
    try:
        return parse_json(text, field)
    except json.JSONDecodeError:
        pass  # not JSON: perhaps YAML
    try:
        return parse_yaml(text, path, private=True)
    except RuleFileError as exc:
        problem = exc.problems[0]
        where = f" at line {problem.line}" if problem.line is not None else ""
        raise InputError(field, f"{path} is neither JSON nor YAML{where}: "
                         f"{problem.message}") from None  # fmt: skip


def write_output(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output``, or to stdout when it is None or ``-``."""
    if output is None or output == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError("--output", f"cannot write {output}: {exc.__class__.__name__}") from None
