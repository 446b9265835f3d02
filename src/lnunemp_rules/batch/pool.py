"""Worker processes that report a dead worker and the task it was running.

``multiprocessing.Pool`` waits for ever on a task whose worker was killed (SIGKILL, the OOM
killer): a 200,000-record sweep hung with 66,000 records undone. ``ProcessPoolExecutor``
notices, but fails every pending task of every worker as ``BrokenProcessPool`` without
saying which one killed it, and needs a new pool forked from a parent that by then runs its
management thread. So each worker here is a ``multiprocessing.Process`` with one pipe and at
most one task at a time, and the parent -- one thread, no helper threads, so forking a
replacement is safe -- waits on the pipes and on the processes' sentinels together
(``multiprocessing.connection.wait``): a sentinel that fires while its worker holds a task
names that task exactly. The task is retried once in a fresh worker; a task that kills a
worker twice is handed back as :class:`WorkerDied`, and the map goes on.

Results come back in input order; at most ``window`` tasks are read ahead of the first one
not yet handed back, so memory does not grow with the input.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

__all__ = ["WorkerDied", "WorkerFailed", "ordered_map", "start_context"]

T = TypeVar("T")
R = TypeVar("R")

#: How often the parent looks at ``should_stop`` while it waits, in seconds.
_POLL = 0.1


@dataclass(frozen=True)
class WorkerDied:
    """A task whose worker died each time it ran it (``attempts`` times)."""

    exitcode: int | None
    attempts: int

    def describe(self) -> str:
        code = self.exitcode
        how = (f"killed by signal {-code} ({_signal_name(-code)})" if code is not None and code < 0
               else f"exited with code {code}")  # fmt: skip
        return f"the worker process deciding it died {self.attempts} times ({how})"


@dataclass(frozen=True)
class WorkerFailed:
    """A task whose function raised in the worker (a bug): the exception's type only, since
    its message may quote a record."""

    error: str


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def start_context() -> BaseContext:
    """Fork on Linux (workers inherit the parsed rules); spawn elsewhere, or when this process
    already runs other threads, where forking can deadlock (and warns from Python 3.12)."""
    methods = multiprocessing.get_all_start_methods()
    alone = threading.active_count() == 1
    if sys.platform.startswith("linux") and "fork" in methods and alone:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _serve(conn: Connection, function: Callable[[Any], Any], inherited: list[int]) -> None:
    """A worker: run each task it is sent until told to stop or the parent goes away.

    ``inherited``: the parent's ends of the pipes, which a forked worker holds too; closed, so
    that when the parent dies this worker reads end of file and exits instead of waiting."""
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    # Ctrl-C reaches the whole process group: the parent decides when the sweep stops, and
    # ends the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            outcome: tuple[str, Any] = ("ok", function(task))
        except Exception as exc:  # a bug: the type only, never a message quoting a record
            outcome = ("failed", type(exc).__name__)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    busy: tuple[int, Any, int] | None = None  # (sequence number, task, attempts so far)


@dataclass
class _State(Generic[T]):
    """What the map holds between two waits."""

    retry: deque[tuple[int, T, int]] = field(default_factory=deque)
    done: dict[int, Any] = field(default_factory=dict)
    tasks_read: int = 0
    exhausted: bool = False


def _start(context: Any, function: Callable[[Any], Any], pool: list[_Worker]) -> _Worker:
    parent, child = context.Pipe(duplex=True)
    forked = context.get_start_method() == "fork"
    inherited = [w.conn.fileno() for w in pool if not w.conn.closed] + [parent.fileno()]
    process = context.Process(
        target=_serve, args=(child, function, inherited if forked else []), daemon=True
    )
    process.start()
    child.close()  # the parent keeps only its end, so a dead worker reads as end of file
    return _Worker(process, parent)


def _end(workers: list[_Worker]) -> None:
    """Stop every worker: idle ones are told to, busy ones are terminated, none is left."""
    for worker in workers:
        try:
            if worker.busy is None and worker.process.is_alive():
                worker.conn.send(None)
            else:
                worker.process.terminate()
        except (BrokenPipeError, OSError):
            pass
    for worker in workers:
        worker.process.join(timeout=5)
        if worker.process.is_alive():  # pragma: no cover - a worker that ignores SIGTERM
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


def ordered_map(
    function: Callable[[T], R],
    tasks: Iterator[T],
    *,
    workers: int,
    window: int,
    retries: int = 1,
    should_stop: Callable[[], bool] = lambda: False,
    on_restart: Callable[[int | None], None] = lambda code: None,
) -> Generator[tuple[T, R | WorkerDied | WorkerFailed], None, None]:
    """``(task, function(task))`` for each task, in order, over ``workers`` processes.

    A task whose worker dies is run again in a fresh worker up to ``retries`` times, then
    given back with :class:`WorkerDied`; ``on_restart`` hears of each replaced worker. When
    ``should_stop()`` becomes true the map ends at once: workers are ended, tasks in flight
    are dropped (the caller knows which it received). Closing the iterator ends the workers.
    """
    context = start_context()
    pool: list[_Worker] = []
    state: _State[T] = _State()
    next_out = 0
    try:
        for _ in range(workers):
            pool.append(_start(context, function, pool))
        while True:
            if should_stop():
                return
            for index, worker in enumerate(pool):
                if worker.busy is None and not worker.process.is_alive():  # died idle
                    worker.process.join()
                    worker.conn.close()
                    pool[index] = _start(context, function, pool[:index] + pool[index + 1 :])
                    on_restart(worker.process.exitcode)
            _dispatch(pool, tasks, state, next_out, window)
            while next_out in state.done:
                task, outcome = state.done.pop(next_out)
                next_out += 1
                yield task, outcome
                if should_stop():
                    return
            busy = [w for w in pool if w.busy is not None]
            if not busy and not state.retry and state.exhausted and not state.done:
                return
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], _POLL)
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    _collect(worker, pool, context, function, state, retries, on_restart)
    finally:
        _end(pool)


def _dispatch(
    pool: list[_Worker], tasks: Iterator[T], state: _State[T], next_out: int, window: int
) -> None:
    """Give each idle worker a retried task, else the next task within the window."""
    for worker in pool:
        if worker.busy is not None:
            continue
        if state.retry:
            job = state.retry.popleft()
        elif not state.exhausted and state.tasks_read < next_out + window:
            task = next(tasks, None)
            if task is None:
                state.exhausted = True
                continue
            job = (state.tasks_read, task, 0)
            state.tasks_read += 1
        else:
            continue
        try:
            worker.conn.send(job[1])
        except OSError:  # it died idle and never had the task: the task is not to blame
            state.retry.appendleft(job)
            continue
        worker.busy = job


def _collect(
    worker: _Worker,
    pool: list[_Worker],
    context: BaseContext,
    function: Callable[[Any], Any],
    state: _State[Any],
    retries: int,
    on_restart: Callable[[int | None], None],
) -> None:
    """Take a worker's result, or notice that it died holding its task."""
    assert worker.busy is not None
    sequence, task, attempts = worker.busy
    try:
        if worker.conn.poll():
            status, value = worker.conn.recv()
            worker.busy = None
            state.done[sequence] = (task, value if status == "ok" else WorkerFailed(value))
            return
    except (EOFError, OSError):
        pass  # died while sending: as dead as not having sent
    if worker.process.is_alive():
        return  # a spurious wake-up
    worker.process.join()
    code = worker.process.exitcode
    worker.conn.close()
    pool[pool.index(worker)] = _start(context, function, [w for w in pool if w is not worker])
    on_restart(code)
    if attempts + 1 > retries:
        state.done[sequence] = (task, WorkerDied(code, attempts + 1))
    else:
        state.retry.appendleft((sequence, task, attempts + 1))
