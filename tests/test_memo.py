"""Memories of computed results belong to the rule book whose data they summarise."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from builders import application
from lnunemp_rules import assess_registration, load_rule_book
from lnunemp_rules.rulebook.book import read_rule_book
from lnunemp_rules.rulebook.folder import rules_dir
from lnunemp_rules.rulebook.memos import Memo, remember

SPEC: Memo[str, int] = Memo("test memory", 3)


def test_a_full_memory_is_emptied_before_the_next_entry() -> None:
    """A memory never holds more than its limit: when full it is emptied, then stored."""
    memo: dict[int, str] = {}
    for n in range(3):
        assert remember(memo, n, str(n), 3) == str(n)
    assert memo == {0: "0", 1: "1", 2: "2"}
    remember(memo, 3, "3", 3)
    assert memo == {3: "3"}


def test_a_memory_belongs_to_its_rule_book_and_a_copy_starts_empty() -> None:
    """The same book gives the same memory; a changed copy of the book (as a mutant is made)
    and a book read again from the same folder each start with none."""
    book = load_rule_book()
    book.memo(SPEC)["k"] = 1
    assert book.memo(SPEC) == {"k": 1}
    assert dataclasses.replace(book, version="other").memo(SPEC) == {}
    assert read_rule_book(book.directory).memo(SPEC) == {}


def test_decisions_fill_the_memories_of_the_book_that_made_them(tmp_path: Path) -> None:
    """Deciding under one rule book leaves another book's memories untouched."""
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    other = read_rule_book(folder)
    before = {spec.name: dict(memo) for spec, memo in other._memos.items()}
    assess_registration(application(), rule_book=load_rule_book())
    assert {spec.name: dict(memo) for spec, memo in other._memos.items()} == before
    assess_registration(application(), rule_book=other)
    assert other._memos, "deciding under a book fills that book's memories"
