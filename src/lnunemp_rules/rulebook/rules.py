"""Declarative rule files (``rules/registration``, ``rules/review``): the data model and loader.

A rule file (``rules/registration/*.yaml``, ``rules/review/*.yaml``) holds rules of one clause
group. Each rule names its clause, its effect, the subject it tests and its conditions over the
facts catalogued in ``rules/facts.yaml``. See docs/rules.md for the format.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ..errors import Problem, RuleFileError
from .facts import FactCatalogue, FactSpec
from .yamlfile import LineDict, line_of, load_yaml

__all__ = [
    "DURABLE_SESSION_RULE",
    "EFFECTS",
    "MAX_RULE_NUMBER",
    "OPERATORS",
    "OUTSIDE_CATEGORIES_RULE",
    "RESERVED_RULE_IDS",
    "RULESETS",
    "RULE_ID",
    "SUBJECTS",
    "AnyOf",
    "Comparison",
    "Condition",
    "Rule",
    "load_rule_files",
]

#: Effects a rule may have, per ruleset.
EFFECTS: Final[Mapping[str, frozenset[str]]] = {
    # category: a 4.1.2 category matched; bar: a base condition fails (ineligible);
    # incomplete: required information missing (4.1.3, 4.1.4); review: undecided, a person
    # must decide; notice: a 4.2.1 notice applies.
    "registration": frozenset({"category", "bar", "incomplete", "review", "notice"}),
    # trigger: a 4.5 deregistration trigger holds; review: undecided.
    "review": frozenset({"trigger", "review"}),
}
SUBJECTS: Final[Mapping[str, frozenset[str]]] = {
    "registration": frozenset({"application"}),
    "review": frozenset({"registrant", "event"}),
}
#: The rulesets, each read from the folder of its name under rules/.
RULESETS: Final = tuple(EFFECTS)
OPERATORS: Final[frozenset[str]] = frozenset(
    {"==", "!=", "<", "<=", ">", ">=", "in", "not in", "present", "absent"}
)
_ORDERED_TYPES: Final = frozenset({"int", "number", "date"})
#: What a rule id may be: lowercase words joined by dots and hyphens, at most 64 characters
#: (the durable engine reads ``;`` and ``@`` in the names it reports, and ``:`` is its own).
RULE_ID: Final = re.compile(r"[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*")
#: The durable engine's session-opening rule (engines/durable.py).
DURABLE_SESSION_RULE: Final = "lnunemp:session-open"
#: The reason a registration cites when no 4.1.2 category applies (decide/registration.py).
OUTSIDE_CATEGORIES_RULE: Final = "policy.outside-categories"
#: Rule ids the library uses itself: no rule file may take one.
RESERVED_RULE_IDS: Final = frozenset({DURABLE_SESSION_RULE, OUTSIDE_CATEGORIES_RULE})
#: The largest number a condition may compare with (no amount, age, count or number of
#: months of the standard comes near it; a larger one is a typing error).
MAX_RULE_NUMBER: Final = 1_000_000_000
_RULE_KEYS: Final = frozenset(
    {
        "id", "effect", "subject", "clause", "also_cites", "wording_zh", "gloss_en", "when",
        "effective_date", "missing", "reason_zh", "reason_en", "note",
    }
)  # fmt: skip
_FILE_KEYS: Final = frozenset({"ruleset", "group", "title_zh", "title_en", "clauses", "rules"})


@dataclass(frozen=True, slots=True)
class Comparison:
    """``fact op value`` or ``fact op other_fact`` (``ref``). Dates are held as ordinals.

    ``type`` is the fact's type in the catalogue (``ref`` has a compatible one).
    """

    fact: str
    op: str
    value: Any = None
    ref: str | None = None
    line: int | None = None
    type: str = ""

    def describe(self) -> str:
        if self.op in ("present", "absent"):
            return f"{self.fact} {self.op}"
        if self.ref is not None:
            return f"{self.fact} {self.op} {self.ref}"
        return f"{self.fact} {self.op} {_show(self.value)}"

    def required(self) -> str:
        """The required value, for traces: e.g. ``>= 16``, ``in [a, b]``, ``present``."""
        if self.op in ("present", "absent"):
            return self.op
        if self.ref is not None:
            return f"{self.op} {self.ref}"
        return f"{self.op} {_show(self.value)}"


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one of the comparisons holds."""

    options: tuple[Comparison, ...]
    line: int | None = None

    def describe(self) -> str:
        return "any of (" + "; ".join(o.describe() for o in self.options) + ")"


Condition = Comparison | AnyOf


@dataclass(frozen=True, slots=True)
class Rule:
    """One declarative rule."""

    id: str
    ruleset: str
    effect: str
    subject: str
    clause: str
    when: tuple[Condition, ...]
    also_cites: tuple[str, ...] = ()
    wording_zh: str | None = None
    gloss_en: str | None = None
    effective_date: str | None = None
    missing: tuple[str, ...] = ()
    reason_zh: str | None = None
    reason_en: str | None = None
    file: str = ""
    line: int | None = None
    group: str = ""

    @property
    def citations(self) -> tuple[str, ...]:
        return (self.clause, *self.also_cites)


@dataclass(frozen=True)
class _Context:
    catalogue: FactCatalogue
    clause_ids: Collection[str]
    clause_texts: Mapping[str, str]
    problems: list[Problem] = field(default_factory=list)

    def report(self, file: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(file, line, message))


def _bare(text: str) -> str:
    """Wording without surrounding space and the item's closing punctuation (；。)."""
    return text.strip().rstrip("；;。.").strip()


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _convert_value(
    ctx: _Context, file: str, line: int | None, spec: FactSpec, value: object
) -> object:
    """Check a literal against the fact's type; dates become ordinals."""
    kind = spec.type
    ok = True
    converted: object = value
    if kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        ok = ok and abs(value) <= MAX_RULE_NUMBER  # type: ignore[arg-type]
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and math.isfinite(value) and abs(value) <= MAX_RULE_NUMBER  # type: ignore[arg-type]
    elif kind == "date":
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        ok = ok and dt.date(1900, 1, 1) <= value <= dt.date(2100, 12, 31)  # type: ignore[operator]
        if ok:
            assert isinstance(value, dt.date)
            converted = value.toordinal()
    elif kind == "enum":
        ok = isinstance(value, str) and value in spec.values
    if not ok:
        accepted = {
            "bool": "true or false",
            "int": f"a whole number of at most {MAX_RULE_NUMBER} in size",
            "number": f"a finite number of at most {MAX_RULE_NUMBER} in size",
            "date": "a date YYYY-MM-DD from 1900-01-01 to 2100-12-31",
            "enum": "one of " + ", ".join(spec.values),
        }[kind]
        ctx.report(file, line, f"fact {spec.name}: value {value!r} is not {accepted}")
    return converted


def _parse_comparison(ctx: _Context, file: str, subject: str, raw: object) -> Comparison | None:
    line = line_of(raw)
    if not isinstance(raw, dict):
        ctx.report(file, line, "a condition must be a mapping {fact, op, value} or {any: [...]}")
        return None
    unknown = set(raw) - {"fact", "op", "value", "ref"}
    if unknown:
        ctx.report(file, line, f"unknown condition keys: {', '.join(sorted(unknown))}")
    fact = raw.get("fact")
    op = raw.get("op")
    spec = ctx.catalogue.get(subject, str(fact))
    if spec is None:
        known = ", ".join(sorted(ctx.catalogue.facts.get(subject, {})))
        ctx.report(file, line, f"unknown fact {fact!r} for subject {subject} (known: {known})")
        return None
    if op not in OPERATORS:
        ctx.report(
            file, line, f"unknown operator {op!r} (accepted: {', '.join(sorted(OPERATORS))})"
        )
        return None
    op = str(op)
    has_value, has_ref = "value" in raw, "ref" in raw
    if op in ("present", "absent"):
        if has_value or has_ref:
            ctx.report(file, line, f"operator {op} takes no value")
        return Comparison(spec.name, op, line=line, type=spec.type)
    if op in ("<", "<=", ">", ">=") and spec.type not in _ORDERED_TYPES:
        ctx.report(file, line, f"operator {op} needs an int, number or date fact, not {spec.type}")
    if has_ref == has_value:
        ctx.report(file, line, f"condition on {spec.name}: give exactly one of value or ref")
        return None
    if has_ref:
        other = ctx.catalogue.get(subject, str(raw["ref"]))
        if other is None:
            ctx.report(file, line, f"unknown fact {raw['ref']!r} in ref for subject {subject}")
            return None
        numeric = {"int", "number"}
        if not (
            other.type == spec.type or (other.type in numeric and spec.type in numeric)
        ) or op in ("in", "not in"):
            ctx.report(
                file,
                line,
                f"cannot compare {spec.name} ({spec.type}) {op} {other.name} ({other.type})",
            )
        return Comparison(spec.name, op, ref=other.name, line=line, type=spec.type)
    value = raw["value"]
    if op in ("in", "not in"):
        if not isinstance(value, list) or not value:
            ctx.report(file, line, f"operator {op} needs a non-empty list value")
            return None
        items = tuple(_convert_value(ctx, file, line, spec, v) for v in value)
        if len(set(items)) != len(items):
            ctx.report(file, line, f"duplicate values in the list for {spec.name}")
        return Comparison(spec.name, op, value=items, line=line, type=spec.type)
    converted = _convert_value(ctx, file, line, spec, value)
    return Comparison(spec.name, op, value=converted, line=line, type=spec.type)


def _parse_conditions(
    ctx: _Context, file: str, subject: str, raw: object, rule_line: int | None
) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        ctx.report(file, line_of(raw) or rule_line, "'when' must be a list of conditions")
        return ()
    conditions: list[Condition] = []
    for item in raw:
        if isinstance(item, dict) and "any" in item:
            options_raw = item["any"]
            if len(item) != 1 or not isinstance(options_raw, list) or len(options_raw) < 2:
                ctx.report(file, line_of(item), "'any' needs a list of at least 2 conditions")
                continue
            options = [_parse_comparison(ctx, file, subject, o) for o in options_raw]
            if all(o is not None for o in options):
                conditions.append(
                    AnyOf(tuple(o for o in options if o is not None), line=line_of(item))
                )
            continue
        comparison = _parse_comparison(ctx, file, subject, item)
        if comparison is not None:
            conditions.append(comparison)
    return tuple(conditions)


def _text(ctx: _Context, file: str, raw: LineDict, key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        ctx.report(file, line_of(raw, key), f"{key} must be a non-empty string")
        return None
    return value


def _parse_rule(ctx: _Context, file: str, ruleset: str, group: str, raw: object) -> Rule | None:
    line = line_of(raw)
    if not isinstance(raw, LineDict):
        ctx.report(file, line, "a rule must be a mapping")
        return None
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        ctx.report(
            file,
            line,
            f"unknown rule keys: {', '.join(sorted(unknown))} "
            f"(accepted: {', '.join(sorted(_RULE_KEYS))})",
        )
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        ctx.report(file, line, "a rule needs an 'id'")
        return None
    if not RULE_ID.fullmatch(rule_id) or len(rule_id) > 64:
        ctx.report(file, line_of(raw, "id") or line, f"rule id {rule_id!r}: accepted: lowercase "
                   "letters and digits in words joined by '.' or '-', at most 64 characters "
                   "(e.g. trigger.contact-lapse)")  # fmt: skip
        return None
    if rule_id in RESERVED_RULE_IDS:
        ctx.report(file, line_of(raw, "id") or line, f"rule id {rule_id!r} is reserved by the "
                   "library; choose another")  # fmt: skip
        return None
    effect = raw.get("effect")
    if effect not in EFFECTS[ruleset]:
        ctx.report(
            file,
            line_of(raw, "effect") or line,
            f"rule {rule_id}: effect {effect!r} is not one of "
            f"{', '.join(sorted(EFFECTS[ruleset]))} for ruleset {ruleset}",
        )
        return None
    subject = raw.get("subject")
    if subject not in SUBJECTS[ruleset]:
        ctx.report(
            file,
            line_of(raw, "subject") or line,
            f"rule {rule_id}: subject {subject!r} is not one of "
            f"{', '.join(sorted(SUBJECTS[ruleset]))}",
        )
        return None
    clause = raw.get("clause")
    cites = raw.get("also_cites") or []
    if not isinstance(cites, list):
        ctx.report(file, line_of(raw, "also_cites"), f"rule {rule_id}: also_cites must be a list")
        cites = []
    for cited in [clause, *cites]:
        if not isinstance(cited, str) or cited not in ctx.clause_ids:
            ctx.report(
                file,
                line_of(raw, "clause") or line,
                f"rule {rule_id}: citation {cited!r} is not in the clause registry "
                "(rules/clauses.yaml)",
            )
    wording = _text(ctx, file, raw, "wording_zh")
    if wording is not None and isinstance(clause, str):
        expected = ctx.clause_texts.get(clause)
        if expected is not None and _bare(wording) != _bare(expected):
            ctx.report(
                file,
                line_of(raw, "wording_zh"),
                f"rule {rule_id}: wording_zh differs from the standard's wording of "
                f"{clause} in rules/clauses.yaml: {expected!r}",
            )
    when = _parse_conditions(ctx, file, str(subject), raw.get("when"), line)
    effective = raw.get("effective_date")
    if effective is not None:
        spec = ctx.catalogue.get(str(subject), str(effective))
        if spec is None or spec.type != "date":
            ctx.report(
                file,
                line_of(raw, "effective_date"),
                f"rule {rule_id}: effective_date must name a date fact of {subject}",
            )
    if effect == "trigger" and effective is None:
        ctx.report(file, line, f"rule {rule_id}: a trigger needs effective_date")
    missing = raw.get("missing") or []
    if effect == "incomplete" and not missing:
        ctx.report(file, line, f"rule {rule_id}: an incomplete rule must name the missing facts")
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        ctx.report(file, line_of(raw, "missing"), f"rule {rule_id}: missing must be a list")
        missing = []
    known = ctx.catalogue.inputs.get(ruleset, frozenset())
    for name in missing:
        if name not in known:
            ctx.report(
                file,
                line_of(raw, "missing") or line,
                f"rule {rule_id}: missing "
                f"{name!r} is not an input of {ruleset} (facts.yaml, inputs.{ruleset})",
            )
    if effect in ("bar", "incomplete", "review") and (
        raw.get("reason_zh") is None or raw.get("reason_en") is None
    ):
        ctx.report(file, line, f"rule {rule_id}: a {effect} rule needs reason_zh and reason_en")
    return Rule(
        id=rule_id,
        ruleset=ruleset,
        effect=str(effect),
        subject=str(subject),
        clause=str(clause),
        when=when,
        also_cites=tuple(str(c) for c in cites),
        wording_zh=wording,
        gloss_en=_text(ctx, file, raw, "gloss_en"),
        effective_date=str(effective) if effective is not None else None,
        missing=tuple(missing),
        reason_zh=_text(ctx, file, raw, "reason_zh"),
        reason_en=_text(ctx, file, raw, "reason_en"),
        file=file,
        line=line,
        group=group,
    )


def load_rule_files(
    paths: Sequence[tuple[Path, str]],
    catalogue: FactCatalogue,
    clause_ids: Collection[str],
    clause_texts: Mapping[str, str] | None = None,
) -> tuple[Rule, ...]:
    """Load and validate rule files; every problem is reported with file and line at once.

    ``paths`` pairs each file with the name used in messages (its path under rules/).
    """
    ctx = _Context(catalogue, clause_ids, clause_texts or {})
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path, name in paths:
        try:
            data = load_yaml(path, display_name=name)
        except RuleFileError as exc:
            ctx.problems.extend(exc.problems)
            continue
        if not isinstance(data, LineDict):
            ctx.report(name, 1, "a rule file must be a mapping with 'ruleset' and 'rules'")
            continue
        unknown = set(data) - _FILE_KEYS
        if unknown:
            ctx.report(name, data.line, f"unknown keys: {', '.join(sorted(unknown))}")
        ruleset = data.get("ruleset")
        if ruleset not in EFFECTS:
            ctx.report(
                name,
                line_of(data, "ruleset") or 1,
                f"ruleset must be one of {', '.join(sorted(EFFECTS))}, not {ruleset!r}",
            )
            continue
        folder = name.partition("/")[0]
        if folder in EFFECTS and ruleset != folder:
            ctx.report(name, line_of(data, "ruleset") or 1, f"ruleset {ruleset} in the folder "
                       f"{folder}/: a file declares the ruleset of its folder")  # fmt: skip
            continue
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            ctx.report(name, line_of(data, "rules") or 1, "'rules' must be a non-empty list")
            continue
        group = str(data.get("group", ""))
        for raw in raw_rules:
            rule = _parse_rule(ctx, name, str(ruleset), group, raw)
            if rule is None:
                continue
            if rule.id in seen:
                ctx.report(
                    name, rule.line, f"duplicate rule id {rule.id} (first in {seen[rule.id]})"
                )
                continue
            seen[rule.id] = f"{name}:{rule.line}"
            rules.append(rule)
    if ctx.problems:
        raise RuleFileError(ctx.problems)
    return tuple(rules)
