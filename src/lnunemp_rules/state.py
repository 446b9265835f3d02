"""The library's process-wide state, all of it, in one place.

Nothing else in the library keeps anything between calls at module level. What a decision
computes once and reuses (citations, verdicts, retirement derivations, the compiled rules)
belongs to the rule book whose data it summarises (:mod:`lnunemp_rules.rulebook.memos`) and
dies with it. What is left is here, each for a reason:

- **the rule books loaded per rules folder**, the default one among them: reading and
  validating the folder costs about a quarter of a second, so a process reads it once;
- **the durable_rules host**: the C engine registers rulesets for the life of the process and
  cannot unregister them (re-registering leaks), so there is one host per process, with the
  lock that serialises calls into it;
- **the library version**, read once from the installed package's metadata (slow to import);
- **the cyclic garbage collector**, paused while the columnar engine builds a partition's
  decisions (:func:`collector_paused`): tens of thousands of live, acyclic objects make every
  collection walk them all, which measured more than doubled the CPU time of a 5,000-record
  partition (docs/performance.md). Reference counting still frees them.

Holders take the factory that makes the value, so this module imports nothing of the
library and every layer may use it. :func:`forget_rule_books` empties the rule books (tests,
or an operator who changed a rules folder in a long-running process).
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "collector_paused",
    "default_rule_book",
    "durable_host",
    "durable_lock",
    "forget_rule_books",
    "library_version",
    "rule_book",
]

T = TypeVar("T")

_lock = threading.Lock()
_rule_books: dict[Path, Any] = {}
_default_rule_book: list[Any] = []
_durable_host: list[Any] = []
_version: list[str] = []
_durable_lock = threading.Lock()
# collector_paused: [callers inside, whether the collector was on when the first entered]
_paused: list[Any] = [0, True]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside the block (nested and threaded callers: on again
    when the last leaves, and only if it was on when the first entered)."""
    with _lock:
        if _paused[0] == 0:
            _paused[1] = gc.isenabled()
        _paused[0] += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _paused[0] -= 1
            if _paused[0] == 0 and _paused[1]:
                gc.enable()


def _after_fork_in_child() -> None:
    """A forked worker (batch sweeps) never inherits a lock some other thread held."""
    global _lock, _durable_lock
    _lock, _durable_lock = threading.Lock(), threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


def rule_book(folder: Path, load: Callable[[Path], T]) -> T:
    """The rule book of ``folder`` (a resolved path), loaded by ``load`` the first time."""
    found: T | None = _rule_books.get(folder)
    if found is None:
        with _lock:
            found = _rule_books.get(folder)
            if found is None:
                found = _rule_books[folder] = load(folder)
    return found


def default_rule_book(load: Callable[[], T]) -> T:
    """The rule book of the folder in use while ``LNUNEMP_RULES_DIR`` is unset, found without
    resolving that folder's path again (``load`` gives the same object as :func:`rule_book`)."""
    if not _default_rule_book:
        book = load()
        with _lock:
            if not _default_rule_book:
                _default_rule_book.append(book)
    found: T = _default_rule_book[0]
    return found


def forget_rule_books() -> None:
    """Drop every loaded rule book: the next decision reads its rules folder again."""
    with _lock:
        _rule_books.clear()
        _default_rule_book.clear()


def durable_host(make: Callable[[], T]) -> T:
    """The process's durable_rules host, made by ``make`` the first time."""
    if not _durable_host:
        with _lock:
            if not _durable_host:
                _durable_host.append(make())
    host: T = _durable_host[0]
    return host


def durable_lock() -> threading.Lock:
    """The lock that serialises every call into the durable_rules C engine, which is not safe
    under concurrent use (lnunemp_rules.engines.durable)."""
    return _durable_lock


def library_version() -> str:
    """The installed package's version (``0+unknown`` from a bare source tree)."""
    if not _version:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("lnunemp-rules")
        except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
            found = "0+unknown"
        _version.append(found)
    return _version[0]
