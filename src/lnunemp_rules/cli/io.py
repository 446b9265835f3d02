"""Reading the documents a command is given and writing what it prints, shared by commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..rulebook.yamlfile import SAFE_LOADER

__all__ = ["read_document", "write_output"]


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
