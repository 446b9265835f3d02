"""Parameter files (``rules/parameters/*.yaml``): read, validated and turned into law's tables.

Each file holds dated or named values with their sources and verification status; the rule
book reads each once. Every problem is reported with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problem, RuleFileError
from ..law.minimum_wage import MinimumWageParameters, MinimumWageTable
from ..law.periods import PeriodConventions
from ..law.retirement import RetirementParameters
from .yamlfile import LineDict, LineList, line_of, load_yaml

__all__ = [
    "MINIMUM_WAGE_FILE",
    "PERIODS_FILE",
    "PROVINCE_FILE",
    "RETIREMENT_FILE",
    "REVIEW_FILE",
    "Province",
    "ReviewParameters",
    "load_minimum_wages",
    "load_period_conventions",
    "load_province",
    "load_retirement",
    "load_review_parameters",
]

MINIMUM_WAGE_FILE = "parameters/minimum_wage.yaml"
PERIODS_FILE = "parameters/periods.yaml"
RETIREMENT_FILE = "parameters/retirement_age.yaml"
REVIEW_FILE = "parameters/review.yaml"
PROVINCE_FILE = "parameters/province.yaml"

M = TypeVar("M", bound=BaseModel)

# Convention name -> accepted values (None: any whole number >= 0).
_PERIOD_CHOICES: dict[str, tuple[object, ...] | None] = {
    "art202_anchor": ("start_day", "first_counted_day"),
    "art203_extension": (True, False),
    "art203_weekends_are_rest_days": (True, False),
    "age_reached_on": ("day_after_birthday", "birthday"),
    "online_processing_working_days": None,
    "offline_processing": ("same day",),
}


@dataclass(frozen=True)
class ReviewParameters:
    """rules/parameters/review.yaml: the 4.5(13) contact-lapse period and what counts as contact,
    how 4.5(12) refusals are counted, and which date a deregistration takes effect on."""

    contact_lapse_months: int
    contact_events: frozenset[str]
    refusal_reset_on_contact: bool = False
    refusal_same_day: str = "each"
    effective_date_from: str = "ground_date"


# Accepted values of the review conventions (rules/parameters/review.yaml).
_REFUSAL_WINDOWS = ("registration",)
_REFUSAL_SAME_DAY = ("each", "once")
_EFFECTIVE_DATE_FROM = ("ground_date", "established_date")


@dataclass(frozen=True)
class Province:
    """rules/parameters/province.yaml: the province's region-code prefix (GB/T 2260) and names."""

    code: str
    name_zh: str
    name_en: str
    source: str

    def contains(self, region: str) -> bool:
        """Whether a 6-digit region code lies in this province."""
        return region.startswith(self.code)


def load_province(path: Path, name: str = PROVINCE_FILE) -> Province:
    """The province of the standard: its GB/T 2260 code prefix, names and source."""
    data: Any = load_yaml(path, display_name=name)
    entry = data.get("code") if isinstance(data, dict) else None
    fields = ("value", "name_zh", "name_en", "source", "verification")
    problems = []
    if not isinstance(entry, dict):
        problems.append(
            Problem(name, line_of(data) or 1, "expected 'code:' with " + ", ".join(fields))
        )
    else:
        for key in fields:
            value = entry.get(key)
            if not (isinstance(value, str) and value.strip()):
                problems.append(Problem(name, line_of(entry, key) or line_of(entry),
                                        f"code.{key} must be a non-empty text"))  # fmt: skip
        value = entry.get("value")
        if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) == 2):
            message = 'code.value must be the 2-digit province prefix of GB/T 2260, e.g. "21"'
            problems.append(Problem(name, line_of(entry, "value"), message))
    if problems:
        raise RuleFileError(problems)
    assert isinstance(entry, dict)
    return Province(
        entry["value"], entry["name_zh"], entry["name_en"], " ".join(entry["source"].split())
    )


def load_period_conventions(path: Path, name: str = PERIODS_FILE) -> PeriodConventions:
    """The conventions of 民法典 arts. 201-203, ages and 4.2.2 in ``rules/parameters/periods.yaml``.

    Raises RuleFileError (with file and line) if a value is missing, unknown or lacks a basis.
    """
    doc = load_yaml(path, display_name=name)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    basis: dict[str, str] = {}
    if not isinstance(doc, dict):
        raise RuleFileError([Problem(name, 1, "expected a mapping of convention names")])
    for key in doc:
        if key not in _PERIOD_CHOICES:
            problems.append(Problem(name, line_of(doc, key), f"unknown convention {key!r}"))
    for key, choices in _PERIOD_CHOICES.items():
        entry = doc.get(key)
        if not isinstance(entry, dict) or "value" not in entry:
            problems.append(Problem(name, line_of(doc, key) or 1, f"{key}: needs a 'value'"))
            continue
        value = entry["value"]
        ok = value in choices if choices else type(value) is int and value >= 0
        if not ok or type(value) is not type((choices or (0,))[0]):
            accepted = ", ".join(map(repr, choices)) if choices else "a whole number >= 0"
            problems.append(
                Problem(name, line_of(entry, "value"), f"{key}: {value!r}; accepted: {accepted}")
            )
        if not (isinstance(entry.get("basis"), str) and entry["basis"].strip()):
            problems.append(Problem(name, line_of(entry), f"{key}: needs its legal 'basis'"))
        values[key], basis[key] = value, str(entry.get("basis"))
    if problems:
        raise RuleFileError(problems)
    return PeriodConventions(**values, basis=basis)


def load_retirement(path: Path, name: str = RETIREMENT_FILE) -> RetirementParameters:
    """The statutory retirement-age parameters (2024 NPC Standing Committee decision)."""
    return _validated(RetirementParameters, load_yaml(path, display_name=name), name)


def load_minimum_wages(path: Path, name: str = MINIMUM_WAGE_FILE) -> MinimumWageTable:
    """The dated Liaoning monthly minimum wages by tier (standard 4.5(3))."""
    raw = load_yaml(path, display_name=name)
    return MinimumWageTable(_validated(MinimumWageParameters, raw, name), name)


def load_review_parameters(path: Path, name: str = REVIEW_FILE) -> ReviewParameters:
    """The 4.5(13) contact-lapse period in months and the event types that count as contact."""
    data: Any = load_yaml(path, display_name=name)
    try:
        months = data["contact_lapse_months"]["value"]
        events = data["contact_events"]["value"]
    except (KeyError, TypeError) as exc:
        raise RuleFileError(
            [
                Problem(
                    name,
                    None,
                    f"expected contact_lapse_months.value and contact_events.value: {exc}",
                )
            ]
        ) from exc
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise RuleFileError(
            [Problem(name, None, "contact_lapse_months.value must be a positive whole number")]
        )
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise RuleFileError(
            [Problem(name, None, "contact_events.value must be a list of event types")]
        )
    counting = data.get("refusal_counting")
    effective = data.get("deregistration_effective_date")
    problems = []
    if not isinstance(counting, dict):
        problems.append(Problem(name, line_of(data), "refusal_counting: expected a mapping"))
        counting = {}
    if not isinstance(effective, dict):
        problems.append(
            Problem(name, line_of(data), "deregistration_effective_date: expected a mapping")
        )
        effective = {}
    checks: tuple[tuple[Any, str, str, tuple[object, ...]], ...] = (
        (counting, "refusal_counting", "window", _REFUSAL_WINDOWS),
        (counting, "refusal_counting", "reset_on_contact", (True, False)),
        (counting, "refusal_counting", "same_day", _REFUSAL_SAME_DAY),
        (effective, "deregistration_effective_date", "value", _EFFECTIVE_DATE_FROM),
    )
    for entry, section, key, accepted in checks:
        value = entry.get(key)
        if value not in accepted or type(value) is not type(accepted[0]):
            problems.append(Problem(name, line_of(entry, key) or line_of(entry),
                                    f"{section}.{key}: {value!r}; accepted: "
                                    + ", ".join(map(repr, accepted))))  # fmt: skip
    if problems:
        raise RuleFileError(problems)
    return ReviewParameters(
        months, frozenset(events), counting["reset_on_contact"], counting["same_day"],
        effective["value"],
    )  # fmt: skip


def _validated(model: type[M], raw: Any, name: str) -> M:
    """``raw`` as ``model``, or a RuleFileError naming each problem with its line."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False, include_input=False):
            loc = tuple(error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            where = ".".join(map(str, loc))
            problems.append(Problem(name, _line_at(raw, loc), f"{where}: {message}" if where
                                    else message))  # fmt: skip
        raise RuleFileError(problems) from exc


def _line_at(raw: Any, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest mapping or list along a pydantic error location."""
    node: Any = raw
    line = line_of(node)
    for part in loc:
        if isinstance(node, LineDict) and str(part) in node:
            line = line_of(node, str(part)) or line
            node = node[str(part)]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            node = node[part]
            line = line_of(node) or line
        else:
            break
    return line
