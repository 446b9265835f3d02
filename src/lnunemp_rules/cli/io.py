"""Reading the documents a command is given and writing what it prints, shared by commands.

Every failure is told in words: a missing file, a folder given for a file, a file that is not
UTF-8, JSON or YAML, or not an object, and a document of the wrong kind ("this looks like a
review, not a registration application"). A file that cannot be written because of its name
(no such folder, permission denied) is a usage error naming the option; one that fails while
being written (a full disk) is an :class:`OutputError` (exit 3).
"""

from __future__ import annotations

import errno
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..decide import guess_kind
from ..errors import InputError, LnunempError, RuleFileError
from ..inputs.documents import MAX_DOCUMENT_BYTES, parse_json
from ..rulebook.yamlfile import parse_yaml, unreadable

__all__ = ["OutputError", "output_failure", "read_document", "read_object", "write_failure",
           "write_output"]  # fmt: skip

#: What each kind of document is called in messages.
_WHAT = {
    "registration": "a registration application",
    "review": "a registrant to review",
    "receipt": "a decision receipt",
}
#: The key that gives each kind away, named in messages.
_SIGN = {"registration": "applicant", "review": "registration_date", "receipt": "receipt_version"}


class OutputError(LnunempError, OSError):
    """An output could not be written although its name was fine (a full disk, an I/O error):
    not the caller's input, so the command exits 3."""


def read_document(path: str, field: str = "FILE") -> Any:
    """Parse a JSON or YAML document from ``path`` or stdin (``-``), within the bounds of
    docs/api.md ("Limits"): a key twice, NaN, a number too long, nesting too deep, a YAML
    alias bomb or a document too large is an InputError that quotes nothing of the text."""
    shown = "standard input" if path == "-" else path
    try:
        if path == "-":
            binary = getattr(sys.stdin, "buffer", None)  # a StringIO (tests) has none
            data = (binary.read(MAX_DOCUMENT_BYTES + 1) if binary is not None
                    else sys.stdin.read(MAX_DOCUMENT_BYTES + 1).encode("utf-8"))  # fmt: skip
        else:
            with open(path, "rb") as stream:
                data = stream.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise InputError(field, f"{shown}: {unreadable(exc)}") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(field, f"{shown} is larger than {MAX_DOCUMENT_BYTES} bytes; accepted: "
                         "one application, registrant or receipt")  # fmt: skip
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(field, f"{shown}: {unreadable(exc)}") from None
    if not text.strip():
        raise InputError(field, f"{shown}: is empty")
    try:
        return parse_json(text, field)
    except json.JSONDecodeError:
        pass  # not JSON: perhaps YAML
    try:
        return parse_yaml(text, shown, private=True)
    except RuleFileError as exc:
        problem = exc.problems[0]
        where = f" at line {problem.line}" if problem.line is not None else ""
        raise InputError(field, f"{shown}: neither JSON nor YAML{where}: "
                         f"{problem.message}") from None  # fmt: skip


def read_object(path: str, field: str = "FILE", *, kind: str | None = None) -> Mapping[str, Any]:
    """A document that must be a JSON or YAML object; with ``kind``, one of that kind."""
    data = read_document(path, field)
    shown = "standard input" if path == "-" else path
    if not isinstance(data, Mapping):
        found = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        raise InputError(field, f"{shown}: expected a JSON or YAML object (key: value), "
                         f"found {found}")  # fmt: skip
    if kind is not None:
        looks = "receipt" if "receipt_version" in data else guess_kind(data)
        if looks is not None and looks != kind:
            raise InputError(field, f"{shown}: this looks like {_WHAT[looks]} (it has the key "
                             f"'{_SIGN[looks]}'), not {_WHAT[kind]}")  # fmt: skip
    return data


def output_failure(exc: OSError, output: str, field: str) -> LnunempError:
    """A usage error naming ``field`` when the name is at fault, else an OutputError."""
    if isinstance(exc, FileNotFoundError):
        return InputError(field, f"cannot write {output}: its folder does not exist")
    if isinstance(exc, IsADirectoryError):
        return InputError(field, f"cannot write {output}: it is a folder")
    if isinstance(exc, PermissionError):
        return InputError(field, f"cannot write {output}: permission denied")
    if isinstance(exc, NotADirectoryError):
        return InputError(field, f"cannot write {output}: a part of the path is not a folder")
    if exc.errno == errno.EROFS:
        return InputError(field, f"cannot write {output}: its file system is read-only")
    return write_failure(exc, output)


def write_failure(exc: OSError, output: str) -> OutputError:
    """The OutputError for a write to ``output`` that failed midway."""
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the device"
    elif isinstance(exc, BrokenPipeError):
        reason = "the reader closed the pipe"
    else:
        reason = exc.strerror or exc.__class__.__name__
    return OutputError(f"cannot write {output}: {reason}; what was written is incomplete")


def write_output(text: str, output: str | None, field: str = "--output") -> None:
    """Write ``text`` to the file ``output``, or to stdout when it is None or ``-``.

    ``field`` is the option named when the file cannot be written (``--output``,
    ``--receipt``)."""
    text = text if text.endswith("\n") else text + "\n"
    if output is None or output == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as exc:
            raise write_failure(exc, "standard output") from None
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise output_failure(exc, output, field) from None
