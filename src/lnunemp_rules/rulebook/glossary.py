"""The words of explanations (``rules/glossary.yaml``): labels and sentences in zh and en.

Every fact and value of the fact catalogue, every event type, every item a rule may ask for
(``missing:``), the outcomes, headings and the sentences of derivations, each in Chinese and
English. A rule book refuses to load when one is missing (file and line named), so no decision
can ever be explained with a code where a word belongs.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, RuleFileError
from ..law.wording import Lang, format_date, format_number
from .facts import FactCatalogue
from .rules import Rule
from .yamlfile import LineDict, line_of, load_yaml

__all__ = ["FactWords", "Glossary", "Text", "check_glossary", "load_glossary"]

_SECTIONS = ("units", "facts", "booleans", "missing", "outcomes", "engines", "sexes",
             "channels", "headings", "sentences")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Text:
    """One label or sentence in both languages."""

    zh: str
    en: str

    def in_(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class FactWords:
    """How a fact is named: its label, its unit (a key of ``units``), a label per value."""

    label: Text
    unit: str | None = None
    values: Mapping[str, Text] = field(default_factory=dict)


@dataclass(frozen=True)
class Glossary:
    """rules/glossary.yaml, read and checked."""

    units: Mapping[str, Text]
    facts: Mapping[str, Mapping[str, FactWords]]
    booleans: Mapping[str, Text]
    missing: Mapping[str, Text]
    outcomes: Mapping[str, Text]
    engines: Mapping[str, Text]
    sexes: Mapping[str, Text]
    channels: Mapping[str, Text]
    headings: Mapping[str, Text]
    sentences: Mapping[str, Text]

    def say(self, key: str, lang: Lang, /, **values: object) -> str:
        """The sentence ``key`` in ``lang`` with its placeholders filled."""
        return self.sentences[key].in_(lang).format(**values)

    def heading(self, key: str, lang: Lang) -> str:
        return self.headings[key].in_(lang)

    def fact(self, subject: str, name: str) -> FactWords:
        return self.facts[subject][name]

    def missing_item(self, path: str, lang: Lang) -> str:
        """What a person is asked for, for a ``missing:`` item (``events[3].x`` is read as
        ``events[].x``)."""
        key = path
        if path.startswith("events["):
            key = "events[]" + path[path.index("]") + 1 :]
        found = self.missing.get(key)
        return found.in_(lang) if found is not None else path

    def amount(self, value: float | int, unit: str | None, lang: Lang) -> str:
        """A number with its unit: ``1,910元/月``, ``1,910 yuan a month``."""
        shown = format_number(value)
        if unit is None:
            return shown
        words = self.units[unit].in_(lang)
        return f"{shown}{words}" if lang == "zh" else f"{shown} {words}"

    def value(self, subject: str, name: str, value: Any, lang: Lang, *, date: bool = False) -> str:
        """How a value of a fact reads: its label, yes/no, a date, or an amount with its unit."""
        words = self.facts[subject][name]
        if value is None:
            return self.say("condition.not_given", lang)
        if isinstance(value, bool):
            return self.booleans["true" if value else "false"].in_(lang)
        if date and isinstance(value, int):
            return format_date(dt.date.fromordinal(value), lang)
        if isinstance(value, dt.date):
            return format_date(value, lang)
        if isinstance(value, str):
            found = words.values.get(value)
            return found.in_(lang) if found is not None else value
        if isinstance(value, int | float):
            return self.amount(value, words.unit, lang)
        return str(value)


def _text(raw: Any, name: str, where: str, problems: list[Problem]) -> Text | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(name, line_of(raw), f"{where}: expected {{zh: ..., en: ...}}"))
        return None
    zh, en = raw.get("zh"), raw.get("en")
    bad = [k for k, v in (("zh", zh), ("en", en)) if not (isinstance(v, str) and v.strip())]
    extra = sorted(set(raw) - {"zh", "en", "unit", "values"})
    if bad or extra:
        what = f"needs non-empty {' and '.join(bad)}" if bad else f"unknown keys {extra}"
        problems.append(Problem(name, line_of(raw), f"{where}: {what}"))
        return None
    assert isinstance(zh, str) and isinstance(en, str)
    return Text(zh.strip(), en.strip())


def _texts(raw: Any, name: str, section: str, problems: list[Problem]) -> dict[str, Text]:
    if not isinstance(raw, Mapping):
        problems.append(Problem(name, line_of(raw) or 1, f"{section}: expected a mapping"))
        return {}
    out = {}
    for key, item in raw.items():
        text = _text(item, name, f"{section}.{key}", problems)
        if text is not None:
            out[str(key)] = text
    return out


def _placeholders(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def load_glossary(path: Path, name: str = "glossary.yaml") -> Glossary:
    """Read and check rules/glossary.yaml; every problem with its line."""
    raw = load_yaml(path, display_name=name)
    problems: list[Problem] = []
    if not isinstance(raw, LineDict):
        raise RuleFileError([Problem(name, 1, "expected a mapping with " + ", ".join(_SECTIONS))])
    for key in raw:
        if key not in (*_SECTIONS, "schema_version"):
            problems.append(Problem(name, line_of(raw, key), f"unknown section {key!r}"))
    simple = {s: _texts(raw.get(s), name, s, problems) for s in _SECTIONS if s != "facts"}
    facts: dict[str, dict[str, FactWords]] = {}
    subjects = raw.get("facts")
    if not isinstance(subjects, Mapping):
        problems.append(Problem(name, line_of(raw, "facts") or 1, "facts: expected subjects"))
        subjects = {}
    for subject, entries in subjects.items():
        if not isinstance(entries, Mapping):
            problems.append(Problem(name, line_of(subjects, subject), f"facts.{subject}: mapping"))
            continue
        for fact, spec in entries.items():
            where = f"facts.{subject}.{fact}"
            label = _text(spec, name, where, problems)
            if label is None:
                continue
            unit = spec.get("unit")
            if unit is not None and unit not in simple["units"]:
                problems.append(
                    Problem(name, line_of(spec, "unit"), f"{where}: unknown unit {unit!r}")
                )
            values = _texts(spec.get("values") or {}, name, f"{where}.values", problems)
            facts.setdefault(str(subject), {})[str(fact)] = FactWords(label, unit, values)
    for key, text in simple["sentences"].items():
        zh, en = _placeholders(text.zh), _placeholders(text.en)
        if zh != en:
            line = line_of(raw.get("sentences"), key)
            problems.append(Problem(name, line, f"sentences.{key}: the zh text uses "
                                    f"{sorted(zh)}, the en text {sorted(en)}"))  # fmt: skip
    if problems:
        raise RuleFileError(problems)
    return Glossary(facts=facts, **simple)


def check_glossary(
    glossary: Glossary, catalogue: FactCatalogue, rules: Iterable[Rule], name: str = "glossary.yaml"
) -> list[Problem]:
    """What the rule book uses that the glossary cannot name: a fact or an enum value of the
    catalogue, or an item a rule asks for."""
    problems = []
    for subject, specs in catalogue.facts.items():
        for fact, spec in specs.items():
            words = glossary.facts.get(subject, {}).get(fact)
            if words is None:
                problems.append(Problem(name, None, f"facts.{subject}.{fact}: no zh/en label"))
                continue
            for value in spec.values:
                if value not in words.values:
                    problems.append(Problem(name, None, f"facts.{subject}.{fact}.values.{value}: "
                                            "no zh/en label"))  # fmt: skip
    for rule in rules:
        for item in rule.missing:
            if item not in glossary.missing:
                problems.append(Problem(rule.file, rule.line, f"rule {rule.id}: missing item "
                                        f"{item!r} has no label in {name} (missing:)"))  # fmt: skip
    return problems
