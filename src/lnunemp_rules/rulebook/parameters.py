"""Parameter files (``rules/parameters/*.yaml``): read, validated and turned into law's tables.

Each file holds dated or named values with their sources and verification status; the rule
book reads each once. Every problem is reported with file and line.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problem, RuleFileError
from ..law.minimum_wage import MinimumWageParameters, MinimumWageTable
from ..law.periods import PeriodConventions
from ..law.retirement import RetirementParameters
from .yamlfile import LineDict, LineList, line_of, load_yaml

__all__ = [
    "CONTACT_LAPSE_MONTHS",
    "MINIMUM_WAGE_FILE",
    "PERIODS_FILE",
    "PROVINCE_FILE",
    "READINGS_FILE",
    "REFUSAL_WINDOW_MONTHS",
    "RETIREMENT_FILE",
    "REVIEW_FILE",
    "WORKING_DAYS",
    "Province",
    "ReviewParameters",
    "check_clause_ids",
    "load_minimum_wages",
    "load_period_conventions",
    "load_province",
    "load_readings",
    "load_retirement",
    "load_review_parameters",
]

MINIMUM_WAGE_FILE = "parameters/minimum_wage.yaml"
PERIODS_FILE = "parameters/periods.yaml"
RETIREMENT_FILE = "parameters/retirement_age.yaml"
REVIEW_FILE = "parameters/review.yaml"
PROVINCE_FILE = "parameters/province.yaml"
READINGS_FILE = "parameters/readings.yaml"

M = TypeVar("M", bound=BaseModel)

#: The online processing limit the loader accepts, in working days: 4.2.2 says 3; the range
#: guards against a typing error, it reads no law.
WORKING_DAYS: Final = range(1, 31)
# Convention name -> accepted values (None: a whole number of WORKING_DAYS).
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
    #: The 4.5(12) counting window in months (``window: {months: N}``); None: since the
    #: registration (``window: registration``).
    refusal_window_months: int | None = None


# Accepted values of the review conventions (rules/parameters/review.yaml).
#: ``refusal_counting.window``: this text, or ``{months: N}`` with N in REFUSAL_WINDOW_MONTHS.
_REFUSAL_WINDOW_SINCE_REGISTRATION = "registration"
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


def _needs_text(
    problems: list[Problem], name: str, entry: dict[str, Any], key: str, message: str
) -> None:
    """Adds ``message`` (at the entry's line) unless ``entry[key]`` is non-blank text: the one
    check of every 'basis', 'alternative' and id of the parameter and reading files."""
    if not (isinstance(entry.get(key), str) and entry[key].strip()):
        problems.append(Problem(name, line_of(entry), message))


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
        ok = value in choices if choices else type(value) is int and value in WORKING_DAYS
        if not ok or type(value) is not type((choices or (0,))[0]):
            accepted = (
                ", ".join(map(repr, choices))
                if choices
                else "a whole number of "
                f"working days from {WORKING_DAYS.start} to {WORKING_DAYS.stop - 1}"
            )
            problems.append(
                Problem(name, line_of(entry, "value"), f"{key}: {value!r}; accepted: {accepted}")
            )
        _needs_text(problems, name, entry, "basis", f"{key}: needs its legal 'basis'")
        values[key], basis[key] = value, str(entry.get("basis"))
    if problems:
        raise RuleFileError(problems)
    return PeriodConventions(**values, basis=basis)


def load_retirement(
    path: Path, name: str = RETIREMENT_FILE, clause_ids: Collection[str] | None = None
) -> RetirementParameters:
    """The statutory retirement-age parameters (2024 NPC Standing Committee decision); with
    ``clause_ids``, the source's clause id must be one of them."""
    raw = load_yaml(path, display_name=name)
    problems = [] if clause_ids is None else check_clause_ids(
        raw, clause_ids, ("source", "clause_id"), name)  # fmt: skip
    return _validated(RetirementParameters, raw, name, problems)


def load_minimum_wages(
    path: Path, name: str = MINIMUM_WAGE_FILE, clause_ids: Collection[str] | None = None
) -> MinimumWageTable:
    """The dated Liaoning monthly minimum wages by tier (standard 4.5(3)); with
    ``clause_ids``, every cited clause id must be one of them."""
    raw = load_yaml(path, display_name=name)
    problems = [] if clause_ids is None else check_clause_ids(
        raw, clause_ids, ("clause_ids",), name)  # fmt: skip
    return MinimumWageTable(_validated(MinimumWageParameters, raw, name, problems), name)


#: The 4.5(13) contact-lapse period the loader accepts, in months: the standard says 6; the
#: range guards against a typing error (100000 months crashed reviews), it reads no law.
CONTACT_LAPSE_MONTHS: Final = range(1, 61)
#: The 4.5(12) counting window the loader accepts, in months (``window: {months: N}``): the
#: standard gives none; the range (up to 10 years) guards against a typing error, it reads no law.
REFUSAL_WINDOW_MONTHS: Final = range(1, 121)
#: The entries of review.yaml; each with a 'value' and its 'basis' except refusal_counting,
#: whose three settings stand beside its basis.
_REVIEW_KEYS: Final = ("contact_lapse_months", "contact_events", "deregistration_effective_date",
                       "refusal_counting")  # fmt: skip
_VALUED_KEYS: Final = ("contact_lapse_months", "contact_events", "deregistration_effective_date")


def load_review_parameters(
    path: Path, name: str = REVIEW_FILE, event_types: Collection[str] = ()
) -> ReviewParameters:
    """The 4.5(13) contact-lapse period in months and the event types that count as contact.

    ``event_types``: the kinds of event of the fact catalogue; every contact event must be one.
    """
    data: Any = load_yaml(path, display_name=name)
    if not isinstance(data, dict):
        raise RuleFileError([Problem(name, 1, "expected a mapping with "
                                     + ", ".join(_REVIEW_KEYS))])  # fmt: skip
    problems: list[Problem] = []
    for key in data:
        if key not in _REVIEW_KEYS:
            problems.append(Problem(name, line_of(data, key), f"unknown parameter {key!r}; "
                                    f"accepted: {', '.join(_REVIEW_KEYS)}"))  # fmt: skip
    values: dict[str, Any] = {}
    for key in _VALUED_KEYS:
        entry = data.get(key)
        if not isinstance(entry, dict) or "value" not in entry:
            problems.append(Problem(name, line_of(data, key) or 1, f"{key}: needs a 'value' "
                                    "and its 'basis'"))  # fmt: skip
            continue
        _needs_text(problems, name, entry, "basis", f"{key}: needs its 'basis'")
        values[key] = (entry["value"], line_of(entry, "value"))
    if "contact_lapse_months" in values:
        months, line = values["contact_lapse_months"]
        if type(months) is not int or months not in CONTACT_LAPSE_MONTHS:
            problems.append(
                Problem(
                    name,
                    line,
                    f"contact_lapse_months: {months!r}; accepted: "
                    f"a whole number of months from {CONTACT_LAPSE_MONTHS.start} "
                    f"to {CONTACT_LAPSE_MONTHS.stop - 1} (4.5(13) says 6)",
                )
            )
    if "contact_events" in values:
        events, line = values["contact_events"]
        known = ", ".join(event_types)
        if (
            not isinstance(events, list)
            or not events
            or not all(isinstance(e, str) for e in events)
        ):
            problems.append(Problem(name, line, "contact_events: accepted: a non-empty list of "
                                    f"event types ({known})"))  # fmt: skip
        else:
            if len(set(events)) != len(events):
                problems.append(Problem(name, line, "contact_events: an event type is listed "
                                        "twice"))  # fmt: skip
            for event in events:
                if event_types and event not in event_types:
                    problems.append(
                        Problem(
                            name,
                            line,
                            f"contact_events: {event!r} is not an "
                            f"event type; accepted: {known} (facts.yaml)",
                        )
                    )
    counting = data.get("refusal_counting")
    effective = data.get("deregistration_effective_date")
    if not isinstance(counting, dict):
        problems.append(Problem(name, line_of(data, "refusal_counting") or 1,
                                "refusal_counting: expected a mapping"))  # fmt: skip
        counting = {}
    else:
        _needs_text(problems, name, counting, "basis", "refusal_counting: needs its 'basis'")
    if not isinstance(effective, dict):
        effective = {}
    window = _refusal_window(problems, name, counting)
    checks: tuple[tuple[Any, str, str, tuple[object, ...]], ...] = (
        (counting, "refusal_counting", "reset_on_contact", (True, False)),
        (counting, "refusal_counting", "same_day", _REFUSAL_SAME_DAY),
        (effective, "deregistration_effective_date", "value", _EFFECTIVE_DATE_FROM),
    )
    for entry, section, key, accepted in checks:
        value = entry.get(key)
        if value not in accepted or type(value) is not type(accepted[0]):
            problems.append(Problem(name, line_of(entry, key) or line_of(entry) or 1,
                                    f"{section}.{key}: {value!r}; accepted: "
                                    + ", ".join(map(repr, accepted))))  # fmt: skip
    if problems:
        raise RuleFileError(problems)
    return ReviewParameters(
        values["contact_lapse_months"][0], frozenset(values["contact_events"][0]),
        counting["reset_on_contact"], counting["same_day"], effective["value"], window,
    )  # fmt: skip


def _refusal_window(problems: list[Problem], name: str, counting: dict[str, Any]) -> int | None:
    """``refusal_counting.window``: None for ``registration`` (every refusal since the
    registration), else the whole number of months of ``{months: N}``; a problem naming the key
    and what is accepted for anything else."""
    value = counting.get("window")
    if value == _REFUSAL_WINDOW_SINCE_REGISTRATION and type(value) is str:
        return None
    months = value.get("months") if isinstance(value, dict) and set(value) == {"months"} else None
    if type(months) is int and months in REFUSAL_WINDOW_MONTHS:
        return months
    line = (line_of(value, "months") if isinstance(value, dict) else None) or line_of(
        counting, "window") or line_of(counting) or 1  # fmt: skip
    problems.append(Problem(name, line, f"refusal_counting.window: {value!r}; accepted: "
                            f"{_REFUSAL_WINDOW_SINCE_REGISTRATION!r} (every refusal since the "
                            "registration) or {months: N}, a whole number of months from "
                            f"{REFUSAL_WINDOW_MONTHS.start} to {REFUSAL_WINDOW_MONTHS.stop - 1} "
                            "(the refusals within N months up to each refusal)"))  # fmt: skip
    return None


def check_clause_ids(
    raw: Any, ids: Collection[str], key_path: tuple[str, ...], name: str
) -> list[Problem]:
    """A problem for each clause id at ``key_path`` of a parameter file that the registry
    (rules/clauses.yaml) does not hold."""
    node = raw
    for key in key_path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    found = node.get(key_path[-1]) if isinstance(node, dict) else None
    cited = found if isinstance(found, list) else [found]
    line = line_of(node, key_path[-1]) if isinstance(node, dict) else None
    return [
        Problem(name, line, f"{'.'.join(key_path)}: {c!r} is not in the clause registry "
                "(rules/clauses.yaml)")
        for c in cited if not isinstance(c, str) or c not in ids
    ]  # fmt: skip


def _validated(model: type[M], raw: Any, name: str, found: list[Problem] | None = None) -> M:
    """``raw`` as ``model``, or a RuleFileError naming each problem (and those ``found``
    already) with its line."""
    problems = list(found or ())
    try:
        validated = model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors(include_url=False, include_input=False):
            loc = tuple(error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            where = ".".join(map(str, loc))
            problems.append(Problem(name, _line_at(raw, loc), f"{where}: {message}" if where
                                    else message))  # fmt: skip
        raise RuleFileError(problems) from exc
    if problems:
        raise RuleFileError(problems)
    return validated


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


_READING_KEYS: Final = ("convention_id", "rules", "basis", "alternative")


def load_readings(
    path: Path, rule_ids: Collection[str], name: str = READINGS_FILE
) -> tuple[str, ...]:
    """The ids of the readings in force (rules/parameters/readings.yaml), each carried out by
    the rules it names: every entry needs an id, the rules (which must exist), its basis and
    its alternative. No decision reads the file; loading it keeps it true to the rules."""
    data: Any = load_yaml(path, display_name=name)
    entries = data.get("readings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RuleFileError([Problem(name, 1, "expected 'readings:', a list of readings")])
    problems: list[Problem] = []
    ids: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict):
            problems.append(Problem(name, line_of(entries) or 1, "a reading must be a mapping"))
            continue
        for key in entry:
            if key not in _READING_KEYS:
                problems.append(Problem(name, line_of(entry, key), f"unknown key {key!r}; "
                                        f"accepted: {', '.join(_READING_KEYS)}"))  # fmt: skip
        for key in ("convention_id", "basis", "alternative"):
            _needs_text(problems, name, entry, key, f"a reading needs its {key!r}")
        rules = entry.get("rules")
        if not isinstance(rules, list):  # empty: carried out by the code or by no rule
            problems.append(Problem(name, line_of(entry), "a reading names its 'rules' (a list)"))
        else:
            for rule in rules:
                if rule not in rule_ids:
                    problems.append(Problem(name, line_of(entry, "rules"),
                                            f"rules: {rule!r} is not a rule here"))  # fmt: skip
        if isinstance(entry.get("convention_id"), str):
            ids.append(entry["convention_id"])
    if len(set(ids)) != len(ids):
        problems.append(Problem(name, 1, "a convention_id is given twice"))
    if problems:
        raise RuleFileError(problems)
    return tuple(ids)
