"""Caller documents parsed as JSON with bounds: every malformed text is an InputError.

One parser for every JSON text the library is given (a command's input or receipt, a line of
a sweep): it refuses what :func:`json.loads` would accept silently or fail on with something
other than an answer -- a key given twice in one object (JSON keeps the last), ``NaN`` and
``Infinity``, a number too long to be a quantity (a 5,000-digit integer is a ``ValueError``
deep in Python), nesting deeper than any input needs (100,000 levels is a ``RecursionError``),
and a text larger than any record. Each limit is documented in docs/api.md ("Limits").

Messages never repeat the text: a key is named only if it is a field name of the input models,
never a value (standard 4.3.1: the text may hold personal data).
"""

from __future__ import annotations

import json
import math
from typing import Any, Final, NoReturn

from ..errors import InputError

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_NUMBER_CHARACTERS",
    "check_depth",
    "parse_json",
]

#: The largest document or sweep line, in bytes (a registrant with the 10,000 events the model
#: accepts is about 0.7 MB).
MAX_DOCUMENT_BYTES: Final = 4 * 1024 * 1024
#: The deepest nesting of objects and arrays (the input models need 3: a record, its list of
#: events, an event).
MAX_DEPTH: Final = 32
#: The longest number, sign, point and exponent included (no quantity of the models needs more
#: than 12).
MAX_NUMBER_CHARACTERS: Final = 32


class _Refused(Exception):
    """Raised inside the decoder's hooks: the message says what was refused."""


def _fields() -> frozenset[str]:
    """The field names of the input models: the only keys a message may repeat."""
    from .shapes import input_field_names

    return input_field_names()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for position, (key, _) in enumerate(pairs, start=1):
            if key in seen:
                shown = f"{key!r}" if key in _fields() else f"number {position}"
                raise _Refused(f"key {shown} of an object repeats an earlier key (JSON would "
                               "keep the last silently); accepted: each key once")  # fmt: skip
            seen.add(key)
    return result


def _number_too_long(text: str) -> NoReturn:
    raise _Refused(f"a number of {len(text)} characters; accepted: at most {MAX_NUMBER_CHARACTERS}")


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARACTERS:
        _number_too_long(text)
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARACTERS:
        _number_too_long(text)
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("a number too large to be represented; accepted: a finite number")
    return value


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not JSON; accepted: a finite number")


_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=_object, parse_int=_int, parse_float=_float, parse_constant=_constant
)


def check_depth(value: object, field: str, limit: int = MAX_DEPTH) -> None:
    """An InputError on ``field`` if ``value`` nests lists and mappings deeper than ``limit``
    (counted without recursion, so any depth is answered)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth > limit:
            raise InputError(field, f"nested deeper than {limit} levels; accepted: at most "
                             f"{limit} levels of objects and arrays")  # fmt: skip
        stack.extend((child, depth + 1) for child in children)


def parse_json(text: str | bytes, field: str = "document") -> Any:
    """The JSON value of ``text``, or an InputError on ``field`` saying what is wrong.

    A ``json.JSONDecodeError`` (not JSON at all) is re-raised as it is, so that a caller may
    try another syntax (YAML); everything else -- a key twice, ``NaN``, a number too long, too
    deep, too large -- is an InputError.
    """
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(field, f"{size} bytes; accepted: at most {MAX_DOCUMENT_BYTES} bytes")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(field, f"not valid UTF-8 (byte {exc.start + 1}); accepted: UTF-8 "
                             "text") from None  # fmt: skip
    try:
        value = _DECODER.decode(text)
    except _Refused as exc:
        raise InputError(field, str(exc)) from None
    except RecursionError:
        raise InputError(field, f"nested deeper than {MAX_DEPTH} levels; accepted: at most "
                         f"{MAX_DEPTH} levels of objects and arrays") from None  # fmt: skip
    # Nesting needs an opening bracket per level: a text with few of them (every ordinary
    # record) cannot be too deep, and is not walked.
    if text.count("[") + text.count("{") > MAX_DEPTH:
        check_depth(value, field)
    return value
