"""What the input models are made of, for code that walks them: the models a field holds,
every field name (what an error message may repeat), how each CSV column's cells are typed."""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .models import Registrant, RegistrationApplication

__all__ = ["field_kinds", "input_field_names", "models_in"]


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds (through Optional, unions, lists and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    if get_origin(annotation) is not None:
        for argument in get_args(annotation):
            found += models_in(argument)
    return found


def input_field_names() -> frozenset[str]:
    """Every field name of the input models: the only keys an error message may repeat (a
    caller's unknown key may be personal data)."""
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()
    todo: list[type[BaseModel]] = [RegistrationApplication, Registrant]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(name)
            todo += models_in(info.annotation)
    return frozenset(names)


def _bare(annotation: Any) -> Any:
    """An annotation without Optional and Annotated."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            rest = [a for a in get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return annotation
            annotation = rest[0]
        else:
            return annotation


def _kind_of(annotation: Any) -> str:
    bare = _bare(annotation)
    if bare is bool:
        return "bool"
    whole = get_origin(bare) is Literal and all(type(a) is int for a in get_args(bare))
    if bare is int or whole:
        return "int"
    if bare is float:
        return "number"
    return "text"


def field_kinds(model: type[BaseModel], paths: Sequence[str]) -> dict[str, str]:
    """How each dotted field path of ``model`` is typed: ``bool``, ``int`` (whole numbers and
    choices of them), ``number`` or ``text`` (everything else: text, dates, lists).

    A path through a union (``cause.transfer_intent``) takes the field from the case that has it.
    """
    kinds: dict[str, str] = {}
    for path in paths:
        models: list[type[BaseModel]] = [model]
        found = "text"
        for part in path.split("."):
            infos = [m.model_fields[part] for m in models if part in m.model_fields]
            if not infos:
                found = "text"
                break
            found = _kind_of(infos[0].annotation)
            models = [m for info in infos for m in models_in(info.annotation)]
        kinds[path] = found
    return kinds
