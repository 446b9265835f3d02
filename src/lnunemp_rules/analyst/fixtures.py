"""Analysts' fixtures: YAML cases that state what the standard expects, and their runner.

A fixture file holds ``cases:``; each case has a ``name`` written as a sentence, a ``kind``
(``registration`` or ``review``), the ``input`` (an application or a registrant, the shapes of
:mod:`lnunemp_rules.inputs.models`), an ``as_of`` date (required for a review; for a registration it
defaults to the application date and must equal it) and ``expect``:

``outcome``
    the expected outcome;
``clauses``
    ids that must be among what the decision matched: the clause ids cited by its categories,
    triggers, reasons and notices (``4.2.2`` when a deadline was computed), or rule ids;
``absent_clauses``
    ids that must NOT be matched (a near miss);
``deadline``, ``effective_date``, ``next_review_date``
    expected dates (``null`` expects no date);
``missing_facts``
    the exact list of missing facts, in any order.

An ID number in a fixture may be written ``{born: 2010-05-10, sex: male}`` (optionally
``region: "210102"``): the loader makes a valid GB 11643-1999 number with that birth date and
sex, so analysts never compute check characters (the number is synthetic, not personal data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ..decide import PROCEDURES, Decision, Procedure, RegistrationDecision
from ..errors import InputError, LnunempError, Problem, RuleFileError
from ..inputs.idnumber import make_id_number
from ..rulebook.book import RuleBook
from ..rulebook.yamlfile import line_of, load_yaml

__all__ = [
    "CaseResult",
    "Difference",
    "FixtureCase",
    "collect_fixture_paths",
    "compare",
    "lint_fixture_files",
    "load_fixture_cases",
    "load_fixture_file",
    "matched_ids",
    "run_case",
]

_CASE_KEYS: Final = frozenset({"name", "kind", "input", "as_of", "expect", "note"})
_EXPECT_KEYS: Final = frozenset(
    {"outcome", "clauses", "absent_clauses", "deadline", "effective_date", "next_review_date",
     "missing_facts"}
)  # fmt: skip
_DATE_KEYS: Final = tuple(dict.fromkeys(f for p in PROCEDURES.values() for f in p.date_fields))


@dataclass(frozen=True)
class FixtureCase:
    """One case of a fixture file."""

    name: str
    kind: str
    input: Mapping[str, Any]
    as_of: dt.date | None
    expect: Mapping[str, Any]
    file: str
    line: int | None

    @property
    def procedure(self) -> Procedure[Any, Any]:
        """The procedure the case is decided by."""
        return PROCEDURES[self.kind]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def mentions(self, text: str) -> bool:
        """Whether ``text`` is in the name or is one of the expected (or absent) ids."""
        ids = [*self.expect.get("clauses", ()), *self.expect.get("absent_clauses", ())]
        return text.lower() in self.name.lower() or text in ids


@dataclass(frozen=True)
class Difference:
    """One expectation that did not hold."""

    key: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return f"{self.key}: expected {_show(self.expected)}, got {_show(self.actual)}"


@dataclass(frozen=True)
class CaseResult:
    """The outcome of running one case on one engine."""

    case: FixtureCase
    engine: str
    differences: tuple[Difference, ...] = ()
    error: str | None = None
    decision: Decision | None = field(default=None, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        return not self.differences and self.error is None

    def diff(self) -> str:
        """Readable expected-versus-actual lines, one per key that differs."""
        if self.error is not None:
            return f"  error: {self.error}"
        return "\n".join(f"  {d}" for d in self.differences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.case.name,
            "file": self.case.file,
            "line": self.case.line,
            "kind": self.case.kind,
            "engine": self.engine,
            "passed": self.passed,
            "error": self.error,
            "differences": [
                {"key": d.key, "expected": _plain(d.expected), "actual": _plain(d.actual)}
                for d in self.differences
            ],
        }


def _show(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return "null" if value is None else str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def _synthesise_ids(value: Any, file: str, problems: list[Problem]) -> Any:
    """Replace ``id_number: {born, sex[, region]}`` by a valid synthetic number, recursively."""
    if isinstance(value, list):
        return [_synthesise_ids(v, file, problems) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "id_number" and isinstance(item, dict):
            born, sex = item.get("born"), item.get("sex")
            region = str(item.get("region", "210102"))
            if not isinstance(born, dt.date) or sex not in ("male", "female"):
                problems.append(
                    Problem(file, line_of(item), "id_number: expected {born: YYYY-MM-DD, sex: "
                            "male|female[, region: '210102']} or an 18-character number")
                )  # fmt: skip
                continue
            out[key] = make_id_number(region, born, 3 if sex == "male" else 2)
        else:
            out[key] = _synthesise_ids(item, file, problems)
    return out


def _parse_expect(
    raw: Any, chosen: Procedure[Any, Any], file: str, problems: list[Problem]
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.append(Problem(file, line_of(raw), "expect: must be a mapping"))
        return {}
    expect: dict[str, Any] = {}
    for key in sorted(set(raw) - _EXPECT_KEYS):
        problems.append(
            Problem(file, line_of(raw, key), f"expect: unknown key {key!r} "
                    f"(accepted: {', '.join(sorted(_EXPECT_KEYS))})")
        )  # fmt: skip
    outcome = raw.get("outcome")
    if outcome not in chosen.outcomes:
        accepted = ", ".join(sorted(chosen.outcomes))
        problems.append(
            Problem(file, line_of(raw, "outcome") or line_of(raw),
                    f"expect.outcome {outcome!r} is not one of {accepted}")
        )  # fmt: skip
    expect["outcome"] = outcome
    for key in ("clauses", "absent_clauses", "missing_facts"):
        if key not in raw:
            continue
        value = raw[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem(file, line_of(raw, key), f"expect.{key}: a list of strings"))
            continue
        expect[key] = tuple(value)
    for key in _DATE_KEYS:
        if key not in raw:
            continue
        value = raw[key]
        if value is not None and not (
            isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        ):
            problems.append(
                Problem(file, line_of(raw, key), f"expect.{key}: a date YYYY-MM-DD or null")
            )
            continue
        if key not in chosen.date_fields:
            owner = next(p.name for p in PROCEDURES.values() if key in p.date_fields)
            problems.append(
                Problem(file, line_of(raw, key), f"expect.{key}: only for a {owner} case")
            )
        expect[key] = value
    return expect


def _parse_case(raw: Any, file: str, problems: list[Problem]) -> FixtureCase | None:
    line = line_of(raw)
    if not isinstance(raw, dict):
        problems.append(Problem(file, line, "a case must be a mapping"))
        return None
    before = len(problems)
    for key in sorted(set(raw) - _CASE_KEYS):
        problems.append(
            Problem(file, line_of(raw, key), f"unknown case key {key!r} "
                    f"(accepted: {', '.join(sorted(_CASE_KEYS))})")
        )  # fmt: skip
    name = raw.get("name")
    if not isinstance(name, str) or len(name.split()) < 3:
        problems.append(
            Problem(file, line_of(raw, "name") or line, "name: write the case as a sentence")
        )
        name = str(name)
    kind = raw.get("kind")
    if kind not in PROCEDURES:
        problems.append(Problem(file, line_of(raw, "kind") or line,
                                "kind: " + " or ".join(PROCEDURES)))  # fmt: skip
        return None
    chosen = PROCEDURES[kind]
    data = raw.get("input")
    if not isinstance(data, dict):
        problems.append(Problem(file, line_of(raw, "input") or line, "input: must be a mapping"))
        return None
    as_of = raw.get("as_of")
    if as_of is not None and not (
        isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime)
    ):
        problems.append(Problem(file, line_of(raw, "as_of"), "as_of: a date YYYY-MM-DD"))
    if chosen.needs_as_of and as_of is None:
        problems.append(Problem(file, line_of(raw, "kind"), f"a {kind} case needs as_of"))
    if not chosen.needs_as_of and as_of is not None and as_of != data.get("application_date"):
        problems.append(
            Problem(file, line_of(raw, "as_of"),
                    f"as_of of a {kind} must equal input.application_date (or be left out)")
        )  # fmt: skip
    expect = _parse_expect(raw.get("expect"), chosen, file, problems)
    data = _synthesise_ids(data, file, problems)
    if len(problems) > before:
        return None
    try:
        chosen.validate(data)
    except InputError as exc:
        where = line_of(raw, "input") or line
        problems.extend(
            Problem(file, where, f"input.{field}: {msg}") for field, msg in exc.problems
        )
        return None
    return FixtureCase(name, chosen.name, data, as_of, expect, file, line)


def load_fixture_file(path: Path, *, display_name: str | None = None) -> list[FixtureCase]:
    """Read and validate one fixture file; every problem is raised at once with file:line."""
    name = display_name or str(path)
    data = load_yaml(path, display_name=name)
    problems: list[Problem] = []
    cases: list[FixtureCase] = []
    raw_cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(raw_cases, list) or not raw_cases:
        raise RuleFileError(
            [Problem(name, line_of(data) or 1, "expected a non-empty 'cases:' list")]
        )
    seen: dict[str, int | None] = {}
    for raw in raw_cases:
        case = _parse_case(raw, name, problems)
        if case is None:
            continue
        if case.name in seen:
            problems.append(
                Problem(name, case.line, f"duplicate case name (first on line {seen[case.name]})")
            )
        seen[case.name] = case.line
        cases.append(case)
    if problems:
        raise RuleFileError(problems)
    return cases


def collect_fixture_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given; folders searched recursively for ``*.yaml`` files holding ``cases:``."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*.yaml")) if _has_cases(p))
        elif path.exists():
            found.append(path)
        else:
            raise InputError("PATH", f"{path}: no such file or folder")
    return found


def _has_cases(path: Path) -> bool:
    """Whether a YAML file is a fixture file (a top-level ``cases:``), not another data file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # let the loader report it
    return text.startswith("cases:") or "\ncases:" in text


def load_fixture_cases(paths: Iterable[Path | str]) -> list[FixtureCase]:
    """Every case of the given files and folders; all problems of all files at once."""
    cases: list[FixtureCase] = []
    problems: list[Problem] = []
    for path in collect_fixture_paths(paths):
        try:
            cases.extend(load_fixture_file(path))
        except RuleFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RuleFileError(problems)
    return cases


def lint_fixture_files(paths: Sequence[Path | str]) -> list[Problem]:
    """Every problem in the given fixture files or folders (file and line), without running."""
    problems: list[Problem] = []
    for item in paths:
        if not Path(item).exists():
            problems.append(Problem(str(item), None, "no such file or folder"))
            continue
        try:
            load_fixture_cases([item])
        except RuleFileError as exc:
            problems.extend(exc.problems)
    return problems


def matched_ids(decision: Decision) -> frozenset[str]:
    """What a decision matched: cited clause ids and rule ids of its categories, triggers,
    reasons and notices, plus ``4.2.2`` when a processing deadline was computed."""
    ids: set[str] = set()
    for m in PROCEDURES[decision.kind].matches(decision):
        ids.add(m.rule_id)
        ids.update(c.id for c in m.citations)
    for r in decision.reasons:
        ids.add(r.rule_id)
        ids.update(c.id for c in r.citations)
    if isinstance(decision, RegistrationDecision) and decision.deadline is not None:
        ids.add("4.2.2")
    return frozenset(ids)


def _decide(case: FixtureCase, engine: str | None, book: RuleBook | None) -> Decision:
    found: Decision = case.procedure.decide(
        case.input, as_of=case.as_of, engine=engine, rule_book=book
    )
    return found


def compare(case: FixtureCase, decision: Decision) -> list[Difference]:
    """Every expectation of ``case`` that ``decision`` does not meet."""
    expect = case.expect
    diffs: list[Difference] = []
    if decision.outcome != expect["outcome"]:
        diffs.append(Difference("outcome", expect["outcome"], decision.outcome))
    ids = matched_ids(decision)
    wanted = expect.get("clauses", ())
    if any(c not in ids for c in wanted):
        diffs.append(Difference("clauses", sorted(wanted), sorted(ids)))
    unwanted = [c for c in expect.get("absent_clauses", ()) if c in ids]
    if unwanted:
        diffs.append(Difference("absent_clauses", [], sorted(unwanted)))
    for key in _DATE_KEYS:
        if key not in expect:
            continue
        actual = getattr(decision, key, None)
        if key == "deadline" and actual is not None:
            actual = actual.date
        if actual != expect[key]:
            diffs.append(Difference(key, expect[key], actual))
    if "missing_facts" in expect and sorted(expect["missing_facts"]) != sorted(
        decision.missing_facts
    ):
        diffs.append(
            Difference(
                "missing_facts", sorted(expect["missing_facts"]), sorted(decision.missing_facts)
            )
        )
    return diffs


def run_case(
    case: FixtureCase, *, engine: str | None = None, rule_book: RuleBook | None = None
) -> CaseResult:
    """Run one case and compare the decision with what it expects."""
    name = engine or "python"
    try:
        decision = _decide(case, engine, rule_book)
    except LnunempError as exc:
        return CaseResult(case, name, error=f"{type(exc).__name__}: {exc}")
    return CaseResult(case, decision.meta.engine, tuple(compare(case, decision)), None, decision)
