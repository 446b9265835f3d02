"""A rule book reads every parameter from its own folder, so a replay or a mutant is faithful."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from builders import registrant
from lnunemp_rules import assess_deregistration, load_rule_book
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
