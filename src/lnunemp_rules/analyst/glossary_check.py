"""Every value a caller may send has its words: the enum values of the input models against
``rules/glossary.yaml`` (``lnunemp-rules lint``; the rule book itself checks the facts)."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from ..decide import PROCEDURES
from ..errors import Problem
from ..rulebook.book import RuleBook
from ..rulebook.glossary import Glossary, Text

__all__ = ["model_values", "unnamed_model_values"]


def _labels(glossary: Glossary) -> Mapping[str, Mapping[str, Text]]:
    """Where the words of each input field's values are, by the field's schema path."""
    facts = glossary.facts
    return {
        "applicant.hukou": facts["application"]["hukou"].values,
        "applicant.sex": glossary.sexes,
        "cause.category": facts["application"]["cause"].values,
        "cause.school_status": facts["application"]["school_status"].values,
        "cause.contract_ending": facts["application"]["contract_ending"].values,
        "cause.meets_local_conditions": facts["application"]["land_local_conditions"].values,
        "cause.release_type": facts["application"]["release_type"].values,
        "cause.reason": facts["application"]["resignation_reason"].values,
        "person.sex": glossary.sexes,
        "channel": glossary.channels,
        "events[].type": facts["event"]["type"].values,
    }


def _cases(annotation: Any) -> Iterator[Any]:
    """The members of a union (an optional field, a discriminated union), or the type itself."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        yield from _cases(get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in get_args(annotation):
            yield from _cases(arg)
    elif origin is list:
        yield from _cases(get_args(annotation)[0])
    else:
        yield annotation


def model_values(model: type[BaseModel], prefix: str = "") -> dict[str, set[str]]:
    """Each text enum field of ``model`` (nested models, unions and lists of them included) by
    schema path (``events[].type``), with the values it accepts."""
    found: dict[str, set[str]] = {}
    for name, spec in model.model_fields.items():
        path = f"{prefix}{name}"
        for case in _cases(spec.annotation):
            if get_origin(case) is Literal:
                values = {v for v in get_args(case) if isinstance(v, str)}
                if values:
                    found.setdefault(path, set()).update(values)
            elif isinstance(case, type) and issubclass(case, BaseModel):
                inner = f"{path}[]." if get_origin(spec.annotation) is list else f"{path}."
                for key, values in model_values(case, inner).items():
                    found.setdefault(key, set()).update(values)
    return found


def unnamed_model_values(book: RuleBook) -> list[Problem]:
    """Every text enum value of the input models that the glossary cannot name."""
    labels = _labels(book.glossary)
    problems = []
    for procedure in PROCEDURES.values():
        for path, values in sorted(model_values(procedure.input_model).items()):
            words = labels.get(path)
            if words is None:
                message = f"input field {path} ({procedure.name}) has no words in the glossary"
                problems.append(Problem("glossary.yaml", None, message))
                continue
            for value in sorted(values - set(words)):
                problems.append(Problem("glossary.yaml", None, f"input field {path}: value "
                                        f"{value!r} has no zh/en label"))  # fmt: skip
    return problems
