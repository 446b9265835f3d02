"""Memories a rule book keeps of results computed from its own data, and nothing else.

A result that depends only on a rule book and a small key (a clause id, a pattern of fired
rules, a birth month, a day) is computed once and shared between decisions. Such a memory is
named by a module-level :class:`Memo` (a name and a bound, no data) and kept by each rule
book (``book.memo(SPEC)``; ``book.recall(SPEC, key, compute)`` answers from it, computing and
remembering on a miss), so it lives and dies with the book whose data it summarises: a
rule book loaded from another folder, or a mutant of it, starts with none. Every memory is
bounded: when it is full it is emptied (:func:`remember`), so a long sweep or a service keeps
flat memory; a result is then computed again, never answered wrongly.

A memory is kept only where a benchmark shows it pays; each :class:`Memo` says, beside it,
what it saves (docs/performance.md has the measurements).
"""

from __future__ import annotations

from typing import Generic, TypeVar

__all__ = ["Memo", "remember"]

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """The name and bound of one kind of memory a rule book keeps (``book.memo(self)``)."""

    __slots__ = ("limit", "name")

    def __init__(self, name: str, limit: int) -> None:
        self.name = name
        self.limit = limit

    def __repr__(self) -> str:
        return f"Memo({self.name!r}, limit={self.limit})"


def remember(memo: dict[K, V], key: K, value: V, limit: int) -> V:
    """``memo[key] = value`` in a memory of at most ``limit`` entries; returns ``value``."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value
