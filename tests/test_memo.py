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


def test_recall_computes_once_per_key_and_empties_a_full_memory() -> None:
    """``book.recall`` answers from the book's memory ``spec``; it calls ``compute`` only for a
    key the memory lacks, stores the result there, and empties the memory when it is full."""
    book = read_rule_book(load_rule_book().directory)
    calls: list[str] = []

    def compute(key: str) -> int:
        calls.append(key)
        return len(calls)

    assert book.recall(SPEC, "a", lambda: compute("a")) == 1
    assert book.recall(SPEC, "a", lambda: compute("a")) == 1
    assert calls == ["a"]
    assert book.memo(SPEC) == {"a": 1}
    assert book.recall(SPEC, "b", lambda: compute("b")) == 2
    assert book.recall(SPEC, "c", lambda: compute("c")) == 3
    assert book.memo(SPEC) == {"a": 1, "b": 2, "c": 3}
    assert book.recall(SPEC, "d", lambda: compute("d")) == 4  # full at 3: emptied first
    assert book.memo(SPEC) == {"d": 4}
    assert book.recall(SPEC, "a", lambda: compute("a")) == 5  # forgotten: computed again
    assert calls == ["a", "b", "c", "d", "a"]
    assert book.memo(Memo("another memory", 3)) == {}


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
