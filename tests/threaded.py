"""Run work functions in threads released at the same moment (the thread-safety tests)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = ["run_threads"]

T = TypeVar("T")


def run_threads(works: Sequence[Callable[[], T]]) -> list[T]:
    """Run each work function in its own thread, all released at once by a barrier; their
    results in the order of ``works``. An exception in any thread is raised here."""
    results: list[T | None] = [None] * len(works)
    errors: list[BaseException] = []
    start = threading.Barrier(len(works))

    def run(slot: int) -> None:
        try:
            start.wait()
            results[slot] = works[slot]()
        except BaseException as exc:  # re-raised in the calling thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]  # every slot was filled: no thread failed
