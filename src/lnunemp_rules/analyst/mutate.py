"""Mutation check of the rule and parameter files against the fixtures (issue 4, item 4).

Each mutant is ONE change to a copy of the rules folder: a comparison flipped (``>=`` to ``>``
or ``<``, ``==`` to ``!=``, ``in`` to ``not in``, ``present`` to ``absent``), a numeric threshold
moved by one unit, a boolean flipped, an enum value swapped for another allowed value (or
dropped from a list), a condition dropped, a trigger's effective date taken from another
date fact (e.g. the period's last day instead of the day after), a minimum-wage amount moved
by one yuan or its ``effective_from`` by one day, ``contact_lapse_months`` moved by one month,
a contact event type dropped. A mutant is *killed* when a fixture case fails against it (or
when the loader rejects it); a *survivor* shows a behaviour no fixture pins down, unless it is
listed as equivalent (tests/fixtures/equivalent_mutants.yaml) with the reason.

How the mutant is loaded: the mutated file is written to a temporary folder and only that file
is re-parsed into a copy of the rule book (see ``_mutant_book``). A mutant of the minimum-wage
table gets a full copy of the rules folder, and the copy's tables are read from it. Each mutant
book starts with no memories of its own (a memory belongs to its book). Only the pure-Python
engine is used (in process, fast).
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, RuleFileError
from ..rulebook.book import FolderTables, RuleBook, load_rule_book
from ..rulebook.folder import rules_dir
from ..rulebook.parameters import load_review_parameters
from ..rulebook.rules import load_rule_files
from ..rulebook.yamlfile import line_of, load_yaml, plain
from .fixtures import FixtureCase, run_case

__all__ = [
    "Mutant",
    "MutationReport",
    "enumerate_mutants",
    "load_equivalent_mutants",
    "run_mutation_check",
]

_FLIPS: dict[str, tuple[str, ...]] = {
    "==": ("!=",), "!=": ("==",), ">=": (">", "<"), ">": (">=", "<="), "<=": ("<", ">"),
    "<": ("<=", ">="), "in": ("not in",), "not in": ("in",), "present": ("absent",),
    "absent": ("present",),
}  # fmt: skip
_MINIMUM_WAGE = "parameters/minimum_wage.yaml"
_REVIEW = "parameters/review.yaml"

Edit = Callable[[Any], None]


@dataclass(frozen=True)
class Mutant:
    """One change to one rule or parameter file."""

    key: str
    file: str
    line: int | None
    rule: str | None
    clause: str | None
    change: str
    edit: Edit = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "file": self.file, "line": self.line, "rule": self.rule,
                "clause": self.clause, "change": self.change}  # fmt: skip


@dataclass
class MutationReport:
    """Every mutant's fate and how long the check took."""

    total: int = 0
    killed: int = 0
    rejected: int = 0
    survivors: list[Mutant] = field(default_factory=list)
    equivalent: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def unexplained(self) -> list[Mutant]:
        return self.survivors

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total, "killed": self.killed, "rejected_by_loader": self.rejected,
            "equivalent": [
                {**m.to_dict(), "reason": self.reasons.get(m.key)} for m in self.equivalent
            ],
            "survivors": [m.to_dict() for m in self.survivors],
            "seconds": round(self.seconds, 2),
        }  # fmt: skip


def _show(cond: Any) -> str:
    if "any" in cond:
        return "any of (" + "; ".join(_show(o) for o in cond["any"]) + ")"
    op = cond.get("op")
    if op in ("present", "absent"):
        return f"{cond.get('fact')} {op}"
    other = cond.get("ref") if "ref" in cond else _literal(cond.get("value"))
    return f"{cond.get('fact')} {op} {other}"


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return str(value)


def _at(data: Any, path: Sequence[Any]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set_op(path: Sequence[Any], op: str) -> Edit:
    def edit(data: Any) -> None:
        cond = _at(data, path)
        cond["op"] = op
        if op in ("present", "absent"):
            cond.pop("value", None)
            cond.pop("ref", None)

    return edit


def _set_value(path: Sequence[Any], key: Any, value: Any) -> Edit:
    def edit(data: Any) -> None:
        _at(data, path)[key] = value

    return edit


def _delete(path: Sequence[Any], index: int) -> Edit:
    def edit(data: Any) -> None:
        del _at(data, path)[index]

    return edit


def _replace(path: Sequence[Any], index: int, source: Sequence[Any]) -> Edit:
    """Replace ``path[index]`` by a copy of what lies at ``source`` (in the same data)."""

    def edit(data: Any) -> None:
        _at(data, path)[index] = copy.deepcopy(_at(data, source))

    return edit


def _comparison_mutants(
    cond: Any, path: tuple[Any, ...], allowed: Sequence[str]
) -> Iterator[tuple[str, Edit]]:
    """(new condition text, edit) for each change to one comparison."""
    before = _show(cond)
    op = cond.get("op")
    for new in _FLIPS.get(op, ()):
        changed = dict(cond, op=new)
        if new in ("present", "absent"):
            changed.pop("value", None)
            changed.pop("ref", None)
        yield f"{before} -> {_show(changed)}", _set_op(path, new)
    if "value" not in cond:
        return
    value = cond["value"]
    options: list[Any] = []
    if isinstance(value, bool):
        options = [not value]
    elif isinstance(value, int | float):
        options = [value - 1, value + 1]
    elif isinstance(value, str):
        options = [v for v in allowed if v != value][:1]
    elif isinstance(value, list):
        spare = [v for v in allowed if v not in value][:1]
        for i in range(len(value)):
            for other in spare:
                options.append([*value[:i], other, *value[i + 1 :]])
            if len(value) > 1:
                options.append([*value[:i], *value[i + 1 :]])
    for new_value in options:
        yield (
            f"{before} -> {_show(dict(cond, value=new_value))}",
            _set_value(path, "value", new_value),
        )


def _rule_file_mutants(name: str, raw: Any, catalogue: Any) -> Iterator[Mutant]:
    for ri, rule in enumerate(raw.get("rules") or []):
        rule_id, clause, subject = rule.get("id"), rule.get("clause"), rule.get("subject")
        when = rule.get("when") or []
        for ci, cond in enumerate(when):
            base = ("rules", ri, "when", ci)
            line = line_of(cond)
            found: list[tuple[str, Edit]] = []
            if isinstance(cond, dict) and "any" in cond:
                options = cond["any"]
                for oi, option in enumerate(options):
                    spec = catalogue.get(subject, str(option.get("fact")))
                    allowed = spec.values if spec is not None else ()
                    found.extend(_comparison_mutants(option, (*base, "any", oi), allowed))
                    rest = [j for j in range(len(options)) if j != oi]
                    text = f"drop '{_show(option)}' from {_show(cond)}"
                    if len(rest) == 1:
                        keep = (*base, "any", rest[0])
                        found.append((text, _replace(("rules", ri, "when"), ci, keep)))
                    else:
                        found.append((text, _delete((*base, "any"), oi)))
            else:
                spec = catalogue.get(subject, str(cond.get("fact")))
                allowed = spec.values if spec is not None else ()
                found.extend(_comparison_mutants(cond, base, allowed))
            found.append((f"drop condition '{_show(cond)}'", _delete(("rules", ri, "when"), ci)))
            for change, edit in found:
                yield Mutant(f"{rule_id}: {change}", name, line, rule_id, clause, change, edit)
        effective = rule.get("effective_date")
        if effective is not None:
            facts = catalogue.facts.get(subject, {})
            for other in sorted(f for f, spec in facts.items() if spec.type == "date"):
                if other != effective:
                    change = f"effective_date {effective} -> {other}"
                    edit = _set_value(("rules", ri), "effective_date", other)
                    line = line_of(rule, "effective_date")
                    yield Mutant(f"{rule_id}: {change}", name, line, rule_id, clause, change, edit)


def _parameter_mutants(name: str, raw: Any) -> Iterator[Mutant]:
    if name == _MINIMUM_WAGE:
        for i, row in enumerate(raw.get("values") or []):
            day = row["effective_from"]
            for delta in (-1, 1):
                new = day + dt.timedelta(days=delta)
                change = f"row {day} effective_from {day} -> {new}"
                edit = _set_value(("values", i), "effective_from", new)
                yield Mutant(f"{name}: {change}", name, line_of(row, "effective_from"), None,
                             "4.5(3)", change, edit)  # fmt: skip
            for tier, amount in row["tiers"].items():
                for delta in (-1, 1):
                    change = f"row {day} tier {tier} {amount} -> {amount + delta}"
                    edit = _set_value(("values", i, "tiers"), tier, amount + delta)
                    yield Mutant(f"{name}: {change}", name, line_of(row, "tiers"), None,
                                 "4.5(3)", change, edit)  # fmt: skip
    elif name == _REVIEW:
        months = raw["contact_lapse_months"]["value"]
        for delta in (-1, 1):
            change = f"contact_lapse_months {months} -> {months + delta}"
            edit = _set_value(("contact_lapse_months",), "value", months + delta)
            yield Mutant(f"{name}: {change}", name, line_of(raw, "contact_lapse_months"), None,
                         "4.5(13)", change, edit)  # fmt: skip
        events = raw["contact_events"]["value"]
        for i, kind in enumerate(events):
            change = f"contact_events drop {kind}"
            yield Mutant(f"{name}: {change}", name, line_of(raw, "contact_events"), None,
                         "4.5(13)", change, _delete(("contact_events", "value"), i))  # fmt: skip


def enumerate_mutants(directory: Path | None = None) -> list[Mutant]:
    """Every single-change mutant of the rule files and of the mutated parameter files."""
    folder = (directory or rules_dir()).resolve()
    catalogue = load_rule_book(folder).catalogue
    mutants: list[Mutant] = []
    for sub in ("registration", "review"):
        for path in sorted((folder / sub).glob("*.yaml")):
            name = path.relative_to(folder).as_posix()
            mutants.extend(_rule_file_mutants(name, load_yaml(path, display_name=name), catalogue))
    for name in (_MINIMUM_WAGE, _REVIEW):
        mutants.extend(_parameter_mutants(name, load_yaml(folder / name, display_name=name)))
    seen: dict[str, int] = {}
    unique: list[Mutant] = []
    for m in mutants:
        seen[m.key] = seen.get(m.key, 0) + 1
        key = m.key if seen[m.key] == 1 else f"{m.key} #{seen[m.key]}"
        unique.append(Mutant(key, m.file, m.line, m.rule, m.clause, m.change, m.edit))
    return unique


def load_equivalent_mutants(path: Path) -> dict[str, str]:
    """``mutant key -> reason`` from a file ``equivalent: [{mutant: KEY, reason: TEXT}]``."""
    data = load_yaml(path, display_name=str(path))
    entries = data.get("equivalent") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RuleFileError([Problem(str(path), line_of(data), "expected 'equivalent:' list")])
    result: dict[str, str] = {}
    problems: list[Problem] = []
    for entry in entries:
        key = entry.get("mutant") if isinstance(entry, dict) else None
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if not isinstance(key, str) or not isinstance(reason, str) or not reason.strip():
            problems.append(
                Problem(str(path), line_of(entry), "each entry needs mutant and reason")
            )
            continue
        result[key] = reason
    if problems:
        raise RuleFileError(problems)
    return result


_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _mutated_text(parsed: dict[str, Any], source: Path, mutant: Mutant) -> str:
    """The mutated file's text; each source file is parsed once (``parsed``) and copied."""
    if mutant.file not in parsed:
        parsed[mutant.file] = plain(load_yaml(source / mutant.file, display_name=mutant.file))
    data = copy.deepcopy(parsed[mutant.file])
    mutant.edit(data)
    return str(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False))


def _mutant_book(book: RuleBook, mutant: Mutant, folder: Path) -> RuleBook:
    """The rule book with the mutated file written under ``folder`` and loaded in its place.

    Only the changed file is parsed, by the same loaders ``load_rule_book`` uses (the rule
    loader with the book's fact catalogue and clause registry, or the review-parameter
    loader); the other files are the book's own. A full ``load_rule_book`` of a copied folder
    costs about 50x more, almost all of it re-parsing the unchanged clause registry.
    """
    path = folder / mutant.file
    if mutant.file == _REVIEW:
        return replace(book, review=load_review_parameters(path))
    if mutant.file == _MINIMUM_WAGE:
        return replace(book, directory=folder, tables=FolderTables(folder))  # a full copy
    clauses = book.clauses
    texts = {cid: c.text_zh for cid, c in clauses.entries.items() if c.text_zh}
    loaded = load_rule_files([(path, mutant.file)], book.catalogue, clauses.ids(), texts)
    by_id = {r.id: r for r in loaded}
    rules = {name: tuple(by_id.get(r.id, r) for r in rules) for name, rules in book.rules.items()}
    # The other files (parameters, calendar) stay the book's own, read from its folder.
    return replace(book, rules=rules)


def _fate(book: RuleBook, cases: list[FixtureCase]) -> str:
    """'killed' or 'survived'; the killing case moves to the front for the next mutant."""
    for i, case in enumerate(cases):
        try:
            passed = run_case(case, engine="python", rule_book=book).passed
        except Exception:  # a mutant that crashes the library is caught too
            passed = False
        if not passed:
            cases.insert(0, cases.pop(i))
            return "killed"
    return "survived"


def _run_one(
    source: Path,
    book: RuleBook,
    mutant: Mutant,
    cases: list[FixtureCase],
    parsed: dict[str, Any],
) -> str:
    with tempfile.TemporaryDirectory(prefix="lnunemp-mutant-") as tmp:
        folder = (Path(tmp) / "rules").resolve()
        parameter = mutant.file == _MINIMUM_WAGE
        if parameter:
            shutil.copytree(source, folder)
        (folder / mutant.file).parent.mkdir(parents=True, exist_ok=True)
        (folder / mutant.file).write_text(_mutated_text(parsed, source, mutant), encoding="utf-8")
        try:
            mutant_book = _mutant_book(book, mutant, folder)
        except RuleFileError:
            return "rejected"
        return _fate(mutant_book, cases)


def run_mutation_check(
    cases: Sequence[FixtureCase],
    *,
    directory: Path | None = None,
    equivalent: dict[str, str] | None = None,
    select: Callable[[list[Mutant]], list[Mutant]] | None = None,
) -> MutationReport:
    """Run every mutant (or ``select(mutants)``) against the cases on the Python engine."""
    start = time.perf_counter()
    source = (directory or rules_dir()).resolve()
    mutants = enumerate_mutants(source)
    if select is not None:
        mutants = select(mutants)
    known = equivalent or {}
    order = list(cases)
    book = load_rule_book(source)
    report = MutationReport(total=len(mutants), reasons=dict(known))
    parsed: dict[str, Any] = {}
    for mutant in mutants:
        fate = _run_one(source, book, mutant, order, parsed)
        if fate == "killed":
            report.killed += 1
        elif fate == "rejected":
            report.rejected += 1
        elif mutant.key in known:
            report.equivalent.append(mutant)
        else:
            report.survivors.append(mutant)
    report.seconds = time.perf_counter() - start
    return report
