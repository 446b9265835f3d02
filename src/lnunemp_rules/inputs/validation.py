"""Turning caller input (a model or a plain dict) into a validated model, or an InputError.

Messages name fields by their schema path and never repeat what the caller sent (standard
4.3.1: any string may hold personal data): an unknown key is named by its position and, when
it is close to one, the field it may be a typo of; a value outside a list of choices is not
shown, the choices are.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Any, Final, TypeVar, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import InputError
from .models import MAX_DATE, MIN_DATE, Cause, Event
from .shapes import models_in

__all__ = ["as_date", "validate_input"]

M = TypeVar("M", bound=BaseModel)

_DATE_TEXT: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A part of a pydantic location that names a validator, not a field.
_LABEL: Final = re.compile(r"[a-z-]+\[.*\]")
# Strict mode's type errors, said as what is accepted (docs/api.md, "Strict inputs").
_TYPE_MESSAGES: Final = {
    "bool_type": "expected true or false (a boolean, not text or a number)",
    "int_type": "expected a whole number (not text, a boolean or a decimal)",
    "float_type": "expected a number (not text or a boolean)",
    "string_type": "expected text",
    "list_type": "expected a list",
    "model_type": "expected an object (a mapping of keys to values)",
    "model_attributes_type": "expected an object (a mapping of keys to values)",
}


def _union_tags() -> frozenset[str]:
    tags: set[str] = set()
    for union in (Cause, Event):
        for case in get_args(get_args(union)[0]):
            for name in ("category", "type"):
                annotation = case.model_fields.get(name)
                if annotation is not None:
                    tags.update(get_args(annotation.annotation))
    return frozenset(tags)


_UNION_TAGS: Final = _union_tags()


def _is_tag(loc: tuple[int | str, ...], position: int) -> bool:
    """Whether ``loc[position]`` is the case tag pydantic inserts for a discriminated union."""
    part = loc[position]
    previous = loc[position - 1] if position else None
    return part in _UNION_TAGS and (previous == "cause" or isinstance(previous, int))


def _path(loc: tuple[int | str, ...]) -> str:
    """A dotted field path; the tag pydantic inserts for a discriminated union is dropped."""
    out = ""
    for position, part in enumerate(loc):
        if _is_tag(loc, position):
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model whose fields the mapping at ``loc`` (schema parts and tags) must have."""
    current: type[BaseModel] | None = model
    candidates: list[type[BaseModel]] = []
    for position, part in enumerate(loc):
        if isinstance(part, int):
            continue
        if _is_tag(loc, position):
            chosen = [c for c in candidates if part in _tags_of(c)]
            current = chosen[0] if chosen else None
            continue
        if current is None or part not in current.model_fields:
            return None
        candidates = models_in(current.model_fields[part].annotation)
        current = candidates[0] if len(candidates) == 1 else None
    return current


def _tags_of(model: type[BaseModel]) -> tuple[Any, ...]:
    for name in ("category", "type"):
        info = model.model_fields.get(name)
        if info is not None:
            return get_args(info.annotation)
    return ()


def _value_at(data: object, loc: tuple[int | str, ...]) -> object:
    """The caller's value at ``loc`` (tags skipped), or None if it cannot be followed."""
    node = data
    for position, part in enumerate(loc):
        if _is_tag(loc, position):
            continue
        found = (isinstance(part, int) and isinstance(node, list | tuple) and part < len(node)) or (
            isinstance(part, str) and isinstance(node, Mapping) and part in node
        )
        if not found:
            return None
        node = node[part]  # type: ignore[index]
    return node


def _unknown_key(model: type[BaseModel], data: object, loc: tuple[int | str, ...]) -> str:
    """An unknown key, named by its position in its mapping and by the field it may be a typo
    of -- never by itself (a caller's key may be an ID number)."""
    parent, key = loc[:-1], loc[-1]
    mapping = _value_at(data, parent)
    where = ""
    if isinstance(mapping, Mapping):
        keys = list(mapping)
        if key in keys:
            where = f" (key number {keys.index(key) + 1})"
    found = _model_at(model, parent)
    accepted = sorted(found.model_fields) if found is not None else []
    hint = difflib.get_close_matches(str(key), accepted, n=1, cutoff=0.75)
    message = f"an unknown key{where}"
    if hint:
        message += f"; did you mean {hint[0]!r}?"
    if accepted:
        message += f"; accepted keys: {', '.join(accepted)}"
    return message


def _message(error: ErrorDetails, model: type[BaseModel], data: object) -> str:
    kind = error["type"]
    loc = tuple(error["loc"])
    if kind == "extra_forbidden":
        return _unknown_key(model, data, loc)
    if kind == "union_tag_invalid":
        ctx = error.get("ctx") or {}
        what = str(ctx.get("discriminator", "the tag")).strip("'")
        return f"{what} is not one of the accepted values: {ctx.get('expected_tags', '')}"
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind]
    msg = str(error.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    shown = error.get("input")
    if isinstance(shown, str | int | float) and not isinstance(shown, bool):
        text = str(shown)
        # A message that quotes the input is not shown (pydantic's wording may change).
        if (len(text) >= 3 or not text.isascii()) and text in msg:
            return f"not acceptable ({kind}); see the schema (lnunemp-rules schema)"
    return msg


TOP_LEVEL: Final = "(top level)"


def validate_input(model: type[M], data: object, root: str = "") -> M:
    """``data`` as a ``model``: an instance passes through, a mapping is validated.

    Every problem is listed in ``InputError.problems``; the message names the first. Input
    values and unknown keys are never echoed (they may be personal data).
    """
    if isinstance(data, model):
        return data
    if not isinstance(data, Mapping):
        raise InputError(root or model.__name__, f"expected a {model.__name__} or a mapping, "
                         f"got {type(data).__name__}")  # fmt: skip
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # Raised straight from the helper's result: a local name bound to the error would
        # make a cycle (error -> traceback -> this frame -> error) that keeps the callers'
        # frames alive until the cyclic collector runs, a whole partition of records in the
        # columnar engine (docs/performance.md).
        raise _input_error(exc, model, data, root) from None


def _input_error(
    exc: ValidationError, model: type[BaseModel], data: object, root: str
) -> InputError:
    """The InputError of a pydantic ValidationError: its first problem, and the count."""
    problems: list[tuple[str, str]] = []
    for error in exc.errors(include_url=False, include_context=True):
        raw = tuple(error["loc"])
        unknown = error["type"] == "extra_forbidden" and bool(raw)
        # pydantic's own parts (function-after[...]) go; an unknown key is the caller's.
        schema = tuple(p for p in (raw[:-1] if unknown else raw) if not _LABEL.fullmatch(str(p)))
        error["loc"] = (*schema, raw[-1]) if unknown else schema
        # A problem of the document itself (an unknown key at its top, a check across its
        # fields) is named in words, not by the Python class behind it.
        field = _path(schema) or root or TOP_LEVEL
        message = _message(error, model, data)
        prefix = f"{field}: "
        if message.startswith(prefix):
            message = message[len(prefix) :]
        problems.append((field, message))
    field, message = problems[0]
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem(s))"
    failure = InputError(field, message)
    failure.problems = problems
    return failure


def as_date(value: object, field: str) -> dt.date:
    """A date from a date or the text ``YYYY-MM-DD``, in the same window as every input date.

    A datetime, any other spelling (``20261128``, ``2026-W48-6``) or a date outside
    1900-01-01..2100-12-31 is an InputError.
    """
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        raise InputError(field, "expected a date (YYYY-MM-DD), not a datetime")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and _DATE_TEXT.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None:
        raise InputError(field, "expected a date written YYYY-MM-DD")
    if not MIN_DATE <= day <= MAX_DATE:
        raise InputError(field, f"{day} is outside the accepted range {MIN_DATE} to {MAX_DATE}")
    return day
