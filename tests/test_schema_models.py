"""The input models' JSON Schema export (issue 3 item 2: "documented field by field").

Integrators generate forms and validators from these schemas, so each must be valid JSON,
every ``$ref`` must resolve, and every field of every object must carry a description.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from lnunemp_rules import Registrant, RegistrationApplication

MODELS = [RegistrationApplication, Registrant]


def _objects(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The top-level object and every definition, by name."""
    yield "#", schema
    yield from schema.get("$defs", {}).items()


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _undescribed(schema: dict[str, Any]) -> list[str]:
    """``Definition.field`` for every property without a description of its own."""
    return [
        f"{name}.{field}"
        for name, obj in _objects(schema)
        for field, prop in obj.get("properties", {}).items()
        if not str(prop.get("description", "")).strip()
    ]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_schema_is_valid_json_with_resolvable_refs(model: type[BaseModel]) -> None:
    """The exported schema survives a JSON round trip and every $ref names a definition."""
    schema = model.model_json_schema()
    assert json.loads(json.dumps(schema, ensure_ascii=False)) == schema
    assert schema["type"] == "object"
    assert schema["properties"], "an object schema without properties documents nothing"
    definitions = set(schema.get("$defs", {}))
    for ref in _refs(schema):
        assert ref.startswith("#/$defs/")
        assert ref.removeprefix("#/$defs/") in definitions


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_description(model: type[BaseModel]) -> None:
    """No property of the input schemas (top level or nested) lacks a description."""
    assert _undescribed(model.model_json_schema()) == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_schema_requires_exactly_the_fields_without_defaults(model: type[BaseModel]) -> None:
    """A field the model refuses to go without is required in the schema, and no other."""
    required = {name for name, info in model.model_fields.items() if info.is_required()}
    assert set(model.model_json_schema().get("required", [])) == required
    assert "applicant" in required or "registration_date" in required
