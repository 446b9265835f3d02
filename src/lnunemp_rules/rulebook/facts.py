"""The fact catalogue (``rules/facts.yaml``): every fact a rule may test, per subject, typed.

The loader checks each condition of each rule against this catalogue (a fact that does not
exist, a value of the wrong type), and the trace shows a ``date`` fact as a date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, RuleFileError
from .yamlfile import line_of, load_yaml

__all__ = ["FACT_TYPES", "FactCatalogue", "FactSpec", "load_fact_catalogue"]

#: The types a fact may have.
FACT_TYPES = ("bool", "int", "number", "date", "enum")


@dataclass(frozen=True, slots=True)
class FactSpec:
    """One fact a rule may test (rules/facts.yaml)."""

    subject: str
    name: str
    type: str
    values: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class FactCatalogue:
    """All facts, per subject; and per ruleset, the inputs a rule's ``missing:`` may name."""

    facts: Mapping[str, Mapping[str, FactSpec]]
    inputs: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def get(self, subject: str, name: str) -> FactSpec | None:
        return self.facts.get(subject, {}).get(name)

    def event_types(self) -> tuple[str, ...]:
        """The kinds of event a registrant's history may hold (the ``type`` fact of events)."""
        spec = self.get("event", "type")
        return spec.values if spec is not None else ()


def load_fact_catalogue(path: Path, display_name: str | None = None) -> FactCatalogue:
    """Read rules/facts.yaml."""
    name = display_name or str(path)
    data = load_yaml(path, display_name=name)
    problems: list[Problem] = []
    facts: dict[str, dict[str, FactSpec]] = {}
    subjects = data.get("subjects") if isinstance(data, dict) else None
    if not isinstance(subjects, dict):
        raise RuleFileError([Problem(name, line_of(data), "expected a mapping 'subjects:'")])
    for key in data:
        if key not in ("subjects", "inputs"):
            problems.append(Problem(name, line_of(data, key), f"unknown key {key!r}; accepted: "
                                    "subjects, inputs"))  # fmt: skip
    for subject, body in subjects.items():
        entries = body.get("facts") if isinstance(body, dict) else None
        if not isinstance(entries, dict):
            problems.append(Problem(name, line_of(body), f"subject {subject}: expected 'facts:'"))
            continue
        facts[subject] = {}
        for fact_name, spec in entries.items():
            line = line_of(entries, fact_name)
            if not isinstance(spec, dict) or spec.get("type") not in FACT_TYPES:
                problems.append(
                    Problem(
                        name,
                        line,
                        f"fact {fact_name}: type must be one of bool, int, number, date, enum",
                    )
                )
                continue
            unknown = set(spec) - {"type", "values", "description"}
            if unknown:
                problems.append(Problem(name, line, f"fact {fact_name}: unknown keys "
                                        f"{', '.join(sorted(unknown))}"))  # fmt: skip
            values = tuple(str(v) for v in spec.get("values") or ())
            if spec["type"] == "enum" and not values:
                problems.append(Problem(name, line, f"fact {fact_name}: an enum needs values"))
            facts[subject][fact_name] = FactSpec(
                subject, fact_name, spec["type"], values, str(spec.get("description", ""))
            )
    inputs = _inputs(data, name, problems)
    if problems:
        raise RuleFileError(problems)
    return FactCatalogue(facts, inputs)


def _inputs(data: Any, name: str, problems: list[Problem]) -> dict[str, frozenset[str]]:
    """``inputs:``: per ruleset, a list of the input paths ``missing:`` may name."""
    raw = data.get("inputs")
    if not isinstance(raw, dict) or not raw:
        problems.append(
            Problem(
                name,
                line_of(data, "inputs") or 1,
                "expected a mapping 'inputs:' of rulesets to the input paths missing: may name",
            )
        )
        return {}
    inputs: dict[str, frozenset[str]] = {}
    for ruleset, paths in raw.items():
        line = line_of(raw, ruleset)
        if (
            not isinstance(paths, list)
            or not paths
            or not all(isinstance(p, str) and p for p in paths)
        ):
            problems.append(Problem(name, line, f"inputs.{ruleset}: expected a non-empty list "
                                    "of input paths"))  # fmt: skip
            continue
        if len(set(paths)) != len(paths):
            problems.append(Problem(name, line, f"inputs.{ruleset}: a path is listed twice"))
        inputs[ruleset] = frozenset(paths)
    return inputs
