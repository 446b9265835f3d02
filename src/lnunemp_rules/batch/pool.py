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

A worker that hangs (an endless loop, a deadlock, a stuck system call) never fires its
sentinel, so each task's start is timed (``time.monotonic()``) and the wait, which wakes every
``_POLL`` seconds anyway, stops a worker whose task has run past ``task_timeout``: SIGTERM,
SIGKILL if it is still there after ``_GRACE`` seconds. That is a death like any other -- the
worker replaced, the task retried, then handed back as :class:`WorkerDied` saying it took too
long. A fresh worker says when it is ready, so that its start (a spawned one imports the
library) is not counted against its first task; it has ``_STARTUP`` seconds more for that.

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
import time
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

#: How often the parent looks at ``should_stop`` and at the tasks' times while it waits, in
#: seconds.
_POLL = 0.1
#: How long a worker stopped for taking too long has to go after SIGTERM before SIGKILL.
_GRACE = 5.0
#: How long a fresh worker may take to get ready (a spawned one imports the library), on top of
#: the task time limit of the first task it was given before it was.
_STARTUP = 60.0


@dataclass(frozen=True)
class WorkerDied:
    """A task whose worker died each time it ran it (``attempts`` times), ``timed_out`` of
    them stopped by the parent for running longer than ``limit`` seconds.

    ``exitcode`` is that of the last worker that died by itself, or of the last one stopped
    when every attempt was stopped."""

    exitcode: int | None
    attempts: int
    timed_out: int = 0
    limit: float | None = None

    def describe(self) -> str:
        """How the task's workers ended, without anything of the task itself."""
        code = self.exitcode
        how = (f"killed by signal {-code} ({_signal_name(-code)})" if code is not None and code < 0
               else f"exited with code {code}")  # fmt: skip
        if not self.timed_out:
            return f"the worker process deciding it died {self.attempts} times ({how})"
        slow = f"took longer than {self.limit:g} s {_times(self.timed_out)}"
        if self.timed_out == self.attempts:
            return f"the worker process deciding it {slow} and was stopped"
        died = self.attempts - self.timed_out
        return f"the worker process deciding it died {_times(died)} ({how}) and {slow} (stopped)"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


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
    try:
        conn.send(("ready", None))  # the time limit of a task starts now, not at the fork
    except (BrokenPipeError, OSError):
        return
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


@dataclass(frozen=True)
class _Job:
    """A task and what its earlier attempts came to."""

    sequence: int
    task: Any
    attempts: int = 0  # workers that died running it so far
    timed_out: int = 0  # of them, stopped for running longer than the limit
    exitcode: int | None = None  # of the last worker that died by itself


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    busy: _Job | None = None
    started: float = 0.0  # time.monotonic() when it was given ``busy``, or when it got ready
    ready: bool = False  # it said it is ready (read only once it holds a task)


@dataclass
class _State(Generic[T]):
    """What the map holds between two waits."""

    retry: deque[_Job] = field(default_factory=deque)
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
        worker.process.join(timeout=_GRACE)
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
    task_timeout: float | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    on_restart: Callable[[int | None], None] = lambda code: None,
) -> Generator[tuple[T, R | WorkerDied | WorkerFailed], None, None]:
    """``(task, function(task))`` for each task, in order, over ``workers`` processes.

    A task whose worker dies is run again in a fresh worker up to ``retries`` times, then
    given back with :class:`WorkerDied`; ``on_restart`` hears of each replaced worker. A task
    still running ``task_timeout`` seconds after it was handed to its worker (None: no limit)
    has its worker stopped (SIGTERM, then SIGKILL), which counts as a death. When
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
                    if _collect(worker, state):
                        _replace(worker, pool, context, function, state, retries, on_restart,
                                 task_timeout, stopped=False)  # fmt: skip
                elif task_timeout is not None and _overdue(worker, task_timeout):
                    _stop(worker)
                    _replace(worker, pool, context, function, state, retries, on_restart,
                             task_timeout, stopped=True)  # fmt: skip
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
            job = _Job(state.tasks_read, task)
            state.tasks_read += 1
        else:
            continue
        try:
            worker.conn.send(job.task)
        except OSError:  # it died idle and never had the task: the task is not to blame
            state.retry.appendleft(job)
            continue
        worker.busy = job
        worker.started = time.monotonic()


def _overdue(worker: _Worker, limit: float) -> bool:
    """Whether the worker's task has run longer than ``limit`` (a worker not yet ready: that and
    ``_STARTUP``) and nothing is waiting to be read from it."""
    if time.monotonic() - worker.started <= limit + (0 if worker.ready else _STARTUP):
        return False
    try:
        return not worker.conn.poll()  # a result (or end of file) sent at the last moment
    except (EOFError, OSError):
        return False  # its death is collected by the next wait


def _stop(worker: _Worker) -> None:
    """End a worker that took too long: SIGTERM, then SIGKILL after ``_GRACE`` seconds."""
    worker.process.terminate()
    worker.process.join(timeout=_GRACE)
    if worker.process.is_alive():  # it ignores SIGTERM, or handles it and goes on
        worker.process.kill()
        worker.process.join(timeout=_GRACE)


def _collect(worker: _Worker, state: _State[Any]) -> bool:
    """Take a worker's result; True when it died holding its task instead."""
    assert worker.busy is not None
    job = worker.busy
    try:
        while worker.conn.poll():
            status, value = worker.conn.recv()
            if status == "ready":  # it starts on the task now
                worker.ready, worker.started = True, time.monotonic()
                continue
            worker.busy = None
            result = value if status == "ok" else WorkerFailed(value)
            state.done[job.sequence] = (job.task, result)
            return False
    except (EOFError, OSError):
        pass  # died while sending: as dead as not having sent
    if worker.process.is_alive():
        return False  # a spurious wake-up
    worker.process.join()
    return True


def _replace(
    worker: _Worker,
    pool: list[_Worker],
    context: BaseContext,
    function: Callable[[Any], Any],
    state: _State[Any],
    retries: int,
    on_restart: Callable[[int | None], None],
    limit: float | None,
    *,
    stopped: bool,
) -> None:
    """Replace a worker that ended holding its task (``stopped``: by the parent, for running
    past ``limit``); retry the task or give it back as :class:`WorkerDied`."""
    assert worker.busy is not None
    job = worker.busy
    code = worker.process.exitcode
    worker.conn.close()
    pool[pool.index(worker)] = _start(context, function, [w for w in pool if w is not worker])
    on_restart(code)
    natural = job.exitcode if stopped else code
    job = _Job(job.sequence, job.task, job.attempts + 1, job.timed_out + stopped, natural)
    if job.attempts > retries:
        shown = code if natural is None else natural
        died = WorkerDied(shown, job.attempts, job.timed_out, limit if job.timed_out else None)
        state.done[job.sequence] = (job.task, died)
    else:
        state.retry.appendleft(job)
