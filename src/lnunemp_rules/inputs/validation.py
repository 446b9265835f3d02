"""Turning caller input (a model or a plain dict) into a validated model, or an InputError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from ..errors import InputError
from .models import MAX_DATE, MIN_DATE, Cause, Event

__all__ = ["as_date", "validate_input"]

M = TypeVar("M", bound=BaseModel)


def _union_tags() -> frozenset[str]:
    tags: set[str] = set()
    for union in (Cause, Event):
        for case in get_args(get_args(union)[0]):
            for name in ("category", "type"):
                annotation = case.model_fields.get(name)
                if annotation is not None:
                    tags.update(get_args(annotation.annotation))
    return frozenset(tags)


_UNION_TAGS = _union_tags()


def _path(loc: tuple[int | str, ...], tags: frozenset[str]) -> str:
    """A dotted field path; the tag pydantic inserts for a discriminated union is dropped."""
    out = ""
    for position, part in enumerate(loc):
        previous = loc[position - 1] if position else None
        if part in tags and (previous == "cause" or isinstance(previous, int)):
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _message(error: Mapping[str, Any]) -> str:
    msg = str(error.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return msg


def validate_input(model: type[M], data: object, root: str = "") -> M:
    """``data`` as a ``model``: an instance passes through, a mapping is validated.

    Every problem is listed in ``InputError.problems``; the message names the first. Input
    values are never echoed (they may be personal data).
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
        raise _input_error(exc, root or model.__name__) from None


def _input_error(exc: ValidationError, default: str) -> InputError:
    """The InputError of a pydantic ValidationError: its first problem, and the count."""
    problems: list[tuple[str, str]] = []
    for error in exc.errors(include_input=False, include_url=False, include_context=False):
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.endswith("]")))
        field = _path(loc, _UNION_TAGS) or default
        message = _message(error)
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
    """A date from a date or an ISO string, in the same window as every input date.

    A datetime, a malformed string or a date outside 1900-01-01..2100-12-31 is an InputError.
    """
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        raise InputError(field, "expected a date (YYYY-MM-DD), not a datetime")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None:
        raise InputError(field, "expected a date YYYY-MM-DD")
    if not MIN_DATE <= day <= MAX_DATE:
        raise InputError(field, f"{day} is outside the accepted range {MIN_DATE} to {MAX_DATE}")
    return day
