"""A rule book reads every parameter from its own folder, so a replay or a mutant is faithful."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from builders import registrant
from lnunemp_rules import assess_deregistration, load_rule_book
from lnunemp_rules.decide import PROCEDURES
from lnunemp_rules.inputs.shapes import models_in
from lnunemp_rules.rulebook.folder import rules_dir


@pytest.fixture
def copied_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    return folder


def _income_review(book_folder: Path | None, income: int) -> str:
    work = {"type": "income_work", "date": "2026-03-02", "monthly_income": income,
            "minimum_wage_tier": 1}  # fmt: skip
    person = registrant(work, registered=dt.date(2026, 1, 5))
    book = load_rule_book(book_folder) if book_folder is not None else None
    return assess_deregistration(person, as_of="2026-04-01", rule_book=book).outcome


def test_the_minimum_wage_comes_from_the_rule_books_own_folder(copied_rules: Path) -> None:
    """Raising tier 1 to 2300 in a copied folder changes the 4.5(3) decision for that book only."""
    table = copied_rules / "parameters" / "minimum_wage.yaml"
    text = table.read_text(encoding="utf-8")
    assert text.count("2230") >= 1
    table.write_text(text.replace("2230", "2300"), encoding="utf-8")
    assert _income_review(None, 2250) == "deregister"
    assert _income_review(copied_rules, 2250) == "remain_registered"


def test_the_period_conventions_come_from_the_rule_books_own_folder(copied_rules: Path) -> None:
    """Switching the art. 203 extension off in a copied folder moves that book's lapse date."""
    path = copied_rules / "parameters" / "periods.yaml"
    text = path.read_text(encoding="utf-8")
    assert "art203_extension:" in text
    old = "art203_extension:\n  value: true"
    assert old in text
    path.write_text(text.replace(old, "art203_extension:\n  value: false"), encoding="utf-8")
    # Registered 2026-02-01: the corresponding day is Sat 2026-08-01 (art. 202).
    person = registrant(registered=dt.date(2026, 2, 1))
    default = assess_deregistration(person, as_of="2026-08-03")
    book = load_rule_book(copied_rules)
    changed = assess_deregistration(person, as_of="2026-08-03", rule_book=book)
    assert default.outcome == "remain_registered"  # extended to Mon 2026-08-03 (art. 203)
    assert changed.outcome == "deregister"  # ends Sat 2026-08-01 without art. 203
    assert changed.effective_date is not None and changed.effective_date.isoformat() == "2026-08-02"


def test_the_province_comes_from_the_rule_books_own_folder(copied_rules: Path) -> None:
    """A move is cross-province (4.5(14)) by the prefix of the book's province file: the same
    move stays in the province for a book whose province is 22 (吉林)."""
    move = {"type": "move", "date": "2026-03-02", "new_region": "220102"}
    person = registrant(move, registered=dt.date(2026, 1, 5))
    default = assess_deregistration(person, as_of="2026-04-01")
    assert default.outcome == "deregister" and default.triggers[0].clause.id == "4.5(14)"
    path = copied_rules / "parameters" / "province.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('value: "21"', 'value: "22"'), encoding="utf-8")
    changed = assess_deregistration(
        person, as_of="2026-04-01", rule_book=load_rule_book(copied_rules)
    )
    # No 4.5(14) trigger; the register's own region 210102 is now outside the province (5.5).
    assert changed.triggers == ()
    assert [r.rule_id for r in changed.reasons] == ["review.residence-outside-province"]
    (how,) = [d.how for d in changed.derivations if d.fact == "events[0].cross_province"]
    assert "starts with 22" in how


def test_a_province_file_without_a_two_digit_code_is_refused_with_its_line(
    copied_rules: Path,
) -> None:
    """A province code that is not a 2-digit GB/T 2260 prefix is named with file and line."""
    from lnunemp_rules.errors import RuleFileError
    from lnunemp_rules.rulebook.parameters import load_province

    path = copied_rules / "parameters" / "province.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('value: "21"', 'value: "210"'), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_province(path)
    (problem,) = caught.value.problems
    assert problem.line == text.splitlines().index('  value: "21"') + 1
    assert "2-digit province prefix" in problem.message


def test_a_key_given_twice_in_a_rule_file_is_refused_with_both_lines(copied_rules: Path) -> None:
    """YAML would keep the second of two equal keys silently; the rule book names both lines."""
    from lnunemp_rules.errors import RuleFileError
    from lnunemp_rules.rulebook.book import read_rule_book

    path = copied_rules / "registration" / "base.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("  - id: bar.not-voluntary")
    lines.insert(at + 2, "    effect: incomplete")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        read_rule_book(copied_rules)
    (problem,) = caught.value.problems
    assert problem.line == at + 3
    assert f"duplicate key 'effect' (first on line {at + 2})" in problem.message


def _input_paths(model: type[Any], prefix: str = "") -> set[str]:
    """Every field path of an input model: ``a.b`` through a model, ``a[].b`` through a list."""
    found: set[str] = set()
    for name, info in model.model_fields.items():
        path = prefix + name
        found.add(path)
        inner = models_in(info.annotation)
        separator = "[]." if "list[" in str(info.annotation) else "."
        for sub in inner:
            found |= _input_paths(sub, path + separator)
    return found


def test_the_inputs_a_rule_may_call_missing_are_the_input_models_fields() -> None:
    """facts.yaml's ``inputs:`` lists exactly the fields of each procedure's input model (and
    ``calendar``), so ``missing:`` is checked against the input schema itself."""
    book = load_rule_book()
    for name, chosen in PROCEDURES.items():
        assert book.catalogue.inputs[name] == _input_paths(chosen.input_model) | {"calendar"}
