"""Bounded memories of immutable results, shared by the modules that remember work.

A result that depends only on immutable inputs (a birth month, a day, a pattern of fired
rules) is computed once and shared. Two rules hold for every such memory here:

- It is bounded: when it is full it is emptied (:func:`remember`), so a long sweep or a
  service keeps flat memory; a result is then computed again, never answered wrongly.
- A memory of results that depend on an object (a clause registry, a parameter table read
  from a file) belongs to that object (:class:`OwnerMemos`): found by ``id()``, with the
  object kept alive beside it, so another object that gets the same id later (a file read
  again after a change) can never be answered from it.
"""

from __future__ import annotations

from typing import Generic, TypeVar

__all__ = ["OwnerMemos", "remember"]

K = TypeVar("K")
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V, limit: int) -> V:
    """``memo[key] = value`` in a memory of at most ``limit`` entries; returns ``value``."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value


class OwnerMemos(Generic[K, V]):
    """One memory per owner object, for at most ``max_owners`` owners at a time."""

    __slots__ = ("_by_id", "_max_owners")

    def __init__(self, max_owners: int) -> None:
        self._by_id: dict[int, tuple[object, dict[K, V]]] = {}
        self._max_owners = max_owners

    def of(self, owner: object) -> dict[K, V]:
        """The memory of ``owner`` (empty the first time)."""
        entry = self._by_id.get(id(owner))
        if entry is None or entry[0] is not owner:
            entry = remember(self._by_id, id(owner), (owner, {}), self._max_owners)
        return entry[1]
