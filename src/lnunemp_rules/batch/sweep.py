"""Batch sweeps: the periodic review of a whole register (4.3.1, 4.5, 5.5) or a file of
applications (4.1), with the statistics 4.3.2 asks for ("做好统计分析").

Records stream from JSON Lines or CSV (column mapping in docs/batch.md) through bounded chunks
of :func:`assess_partition` in worker processes; results come back in input order. Memory does
not grow with the number of records: at most ``4 * workers`` chunks are in flight. A record
that cannot be decided becomes an error entry with its line number and a message that shows no
personal data, and the sweep goes on.

:func:`assess_partition` is a plain top-level function of plain arguments so that Dask
(``bag.map_partitions``) and Spark (``rdd.mapPartitions``) can run it unchanged
(docs/scaling.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeVar

from .. import state
from ..decide import Procedure, procedure
from ..errors import InputError, LnunempError
from ..inputs.validation import as_date
from ..rulebook.book import load_rule_book
from .pool import WorkerDied, WorkerFailed, ordered_map
from .records import Item, RawItem, Rejected, record_of
from .summary import BatchSummary

__all__ = [
    "COLUMNAR_CHUNK_SIZE",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_TASK_TIMEOUT",
    "LineResult",
    "LineTask",
    "as_of_date",
    "assess_partition",
    "check_pool",
    "check_task_timeout",
    "chunk_size_for",
    "decision_date",
    "default_workers",
    "died",
    "failed_chunk",
    "output_line",
    "run_line_task",
    "sweep",
    "sweep_items",
]

_T = TypeVar("_T")
DEFAULT_CHUNK_SIZE: Final = 200
#: The columnar engine's default: its fixed cost per partition (building the Arrow columns,
#: one kernel call per condition) is spread over more records (docs/performance.md).
COLUMNAR_CHUNK_SIZE: Final = 5_000
#: Seconds a worker process may spend on one chunk before it is stopped and the chunk treated
#: as one that killed its worker. Generous: a default chunk takes well under a second, 5,000
#: records with ``full=True`` about 10 s, the largest chunk a file sweep forms (8 MiB of
#: input) about a minute on a loaded 2-core machine (docs/batch.md, "Faults").
DEFAULT_TASK_TIMEOUT: Final = 600.0


def chunk_size_for(engine: str | None, chunk_size: int | None) -> int:
    """Records per task: ``chunk_size`` if given, else the engine's default."""
    if chunk_size is not None:
        return chunk_size
    return COLUMNAR_CHUNK_SIZE if engine == "columnar" else DEFAULT_CHUNK_SIZE


# -- deciding ---------------------------------------------------------------------------------


def _clause_ids(matches: Iterable[Any], reasons: Iterable[Any]) -> tuple[list[str], list[str]]:
    clauses: dict[str, None] = {}
    rules: dict[str, None] = {}
    for item in (*matches, *reasons):
        clauses.setdefault(item.clause.id, None)
        rules.setdefault(item.rule_id, None)
    return list(clauses), list(rules)


def _error(exc: Exception) -> dict[str, Any]:
    """The error entry of a record that could not be decided, without its personal data."""
    if isinstance(exc, InputError):
        return {"field": exc.field, "error": exc.message}
    if isinstance(exc, LnunempError):
        return {"field": None, "error": f"{type(exc).__name__}: {exc}"}
    return {"field": None, "error": f"internal error ({type(exc).__name__}); not decided",
            "internal": True}  # fmt: skip


def _result(
    chosen: Procedure[Any, Any], region: str | None, decision: Any, full: bool
) -> dict[str, Any]:
    clauses, rules = _clause_ids(chosen.grounds(decision), decision.reasons)
    prefecture = region[:4] if region else None
    if full:
        return {"prefecture": prefecture, "clauses": clauses, **decision.to_dict()}
    return {
        "subject": decision.meta.subject_masked,
        "prefecture": prefecture,
        "outcome": decision.outcome,
        "clauses": clauses,
        "rules": rules,
        "missing_facts": list(decision.missing_facts),
        **chosen.summary(decision),
    }


def _assess_one(
    record: Mapping[str, Any] | Rejected, chosen: Procedure[Any, Any], as_of: dt.date | None,
    engine: str | None, full: bool,
) -> dict[str, Any]:  # fmt: skip
    if isinstance(record, Rejected):
        return {"field": record.field, "error": record.message}
    try:
        model = chosen.validate(record)
        region = chosen.region(model)
        decision = chosen.decide(model, as_of=as_of, engine=engine)
        return _result(chosen, region, decision, full)
    except Exception as exc:  # a bug must not stop the sweep nor leak data from its message
        return _error(exc)


def _prepared(
    record: Mapping[str, Any] | Rejected, chosen: Procedure[Any, Any], as_of: dt.date | None
) -> tuple[str | None, Any] | dict[str, Any]:
    """(region, prepared input), or the record's error entry. A function of its own so that
    a caught exception's traceback holds this small frame, not the whole partition's."""
    if isinstance(record, Rejected):
        return {"field": record.field, "error": record.message}
    try:
        model = chosen.validate(record)
        return chosen.region(model), chosen.prepare(model, as_of=as_of)
    except Exception as exc:
        return _error(exc)


def _assess_columns(
    records: Sequence[Mapping[str, Any] | Rejected], chosen: Procedure[Any, Any],
    as_of: dt.date | None, full: bool,
) -> list[dict[str, Any]]:  # fmt: skip
    """The results of the columnar engine: each record validated and its facts derived one by
    one (a bad record becomes its error entry), the rules evaluated over all at once."""
    results: list[dict[str, Any] | None] = []
    ready: list[tuple[int, str | None, Any]] = []
    for record in records:
        found = _prepared(record, chosen, as_of)
        if isinstance(found, dict):
            results.append(found)
        else:
            ready.append((len(results), *found))
            results.append(None)
    try:
        decisions = chosen.decide_prepared([prepared for _, _, prepared in ready])
    except Exception:  # one bad partition: decide its records one by one instead
        return [_assess_one(record, chosen, as_of, "columnar", full) for record in records]
    for (position, region, _), decision in zip(ready, decisions, strict=True):
        results[position] = _compact(chosen, region, decision, full)
    return [r for r in results if r is not None]


def _compact(chosen: Procedure[Any, Any], region: str | None, decision: Any,
             full: bool) -> dict[str, Any]:  # fmt: skip
    try:
        return _result(chosen, region, decision, full)
    except Exception as exc:
        return _error(exc)


def _assess_chunk(
    records: Sequence[Mapping[str, Any] | Rejected], chosen: Procedure[Any, Any],
    as_of: dt.date | None, engine: str | None, full: bool,
) -> list[dict[str, Any]]:  # fmt: skip
    if engine == "columnar":
        with state.collector_paused():
            return _assess_columns(records, chosen, as_of, full)
    return [_assess_one(r, chosen, as_of, engine, full) for r in records]


def assess_partition(
    records: Iterable[Mapping[str, Any] | Rejected],
    *,
    kind: str,
    as_of: dt.date | str | None = None,
    engine: str | None = None,
    full: bool = False,
) -> list[dict[str, Any]]:
    """One result per record, in order: a compact decision or ``{"field", "error"}``.

    Pure and picklable: Dask's ``bag.map_partitions(assess_partition, kind=..., as_of=...)``
    and Spark's ``rdd.mapPartitions(lambda it: assess_partition(it, ...))`` run it unchanged.
    ``as_of`` is required for ``kind="review"`` (standard 4.3.1, 5.5: the review date). A
    :class:`~.records.Rejected` (a line that could not be read as a record) gives its error.
    """
    chosen = procedure(kind)
    on = decision_date(chosen, as_of)
    return _assess_chunk(list(records), chosen, on, engine, full)


def decision_date(chosen: Procedure[Any, Any], as_of: dt.date | str | None) -> dt.date | None:
    """The date every decision of a sweep is made on: a review's, none for registration."""
    if not chosen.needs_as_of:
        return None
    if as_of is None:
        raise InputError("as_of", "a review sweep needs the review date (YYYY-MM-DD)")
    return as_of_date(as_of)


def as_of_date(value: dt.date | str) -> dt.date:
    """The review date as a date (an ISO string is accepted)."""
    return as_date(value, "as_of")


# -- the parallel sweep -----------------------------------------------------------------------

_Task = tuple[list[Item], str, "dt.date | None", "str | None", bool]


def _run_task(task: _Task) -> list[tuple[int, dict[str, Any]]]:
    items, kind, on, engine, full = task
    chosen = procedure(kind)
    results = _assess_chunk([record for _, record in items], chosen, on, engine, full)
    return [(line, result) for (line, _), result in zip(items, results, strict=True)]


def _chunks(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    chunk: list[_T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def default_workers() -> int:
    """The number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def check_pool(workers: int | None, chunk_size: int) -> int:
    """The number of worker processes, or an InputError for a bad ``workers``/``chunk_size``."""
    count = default_workers() if workers is None else workers
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InputError("workers", f"{count!r}; accepted: 1 or more processes")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputError("chunk_size", f"{chunk_size!r}; accepted: 1 or more records per task")
    return count


def check_task_timeout(task_timeout: object) -> float | None:
    """The per-task time limit in seconds (None: no limit), or an InputError for a bad one."""
    if task_timeout is None:
        return None
    if (isinstance(task_timeout, bool) or not isinstance(task_timeout, int | float)
            or not math.isfinite(task_timeout) or task_timeout <= 0):  # fmt: skip
        raise InputError("task_timeout", f"{task_timeout!r}; accepted: a number of seconds "
                         "greater than 0 per task, or None for no limit")  # fmt: skip
    return float(task_timeout)


def died(line: int, outcome: WorkerDied | WorkerFailed) -> dict[str, Any]:
    """The error entry of a record whose chunk could not be decided in a worker process."""
    if isinstance(outcome, WorkerDied):
        why = f"{outcome.describe()}; not decided"
    else:
        why = f"internal error ({outcome.error}) in the worker process; not decided"
    return {"field": None, "error": why, "internal": True}


def sweep_items(
    items: Iterable[Item],
    *,
    kind: str,
    as_of: dt.date | str | None = None,
    engine: str | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    full: bool = False,
    task_timeout: float | None = DEFAULT_TASK_TIMEOUT,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, result) for each (line, record), in input order, over ``workers`` processes.

    ``workers=1`` decides in the calling process. With more, a chunk whose worker dies is
    decided again in a fresh one; a chunk that kills two workers gives an error entry per
    record (``"internal": true``) and the sweep goes on (batch/pool.py). A worker still on
    one chunk after ``task_timeout`` seconds (None: no limit) is stopped, which counts as a
    death; the limit applies only with worker processes, not with ``workers=1``.
    ``chunk_size`` defaults to the engine's (:func:`chunk_size_for`).
    """
    on = decision_date(procedure(kind), as_of)
    size = chunk_size_for(engine, chunk_size)
    count = check_pool(workers, size)
    limit = check_task_timeout(task_timeout)
    load_rule_book()  # once, before forking: the workers inherit the parsed rules
    tasks = ((chunk, kind, on, engine, full) for chunk in _chunks(items, size))
    if count == 1:
        for task in tasks:
            yield from _run_task(task)
        return
    results = ordered_map(_run_task, tasks, workers=count, window=4 * count, task_timeout=limit)
    with contextlib.closing(results):  # this generator closed: the workers end at once
        for task, outcome in results:
            if isinstance(outcome, WorkerDied | WorkerFailed):
                yield from ((line, died(line, outcome)) for line, _ in task[0])
            else:
                yield from outcome


def sweep(
    records_iter: Iterable[Mapping[str, Any]],
    *,
    kind: str,
    as_of: dt.date | str | None = None,
    engine: str | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    full: bool = False,
    task_timeout: float | None = DEFAULT_TASK_TIMEOUT,
) -> Iterator[dict[str, Any]]:
    """Decide every record lazily, in order; each result carries ``line`` (1-based position).

    A record that is not valid gives ``{"line", "field", "error"}`` and the sweep goes on.
    ``workers``, ``chunk_size`` and ``task_timeout``: as :func:`sweep_items`.
    """
    items = enumerate(records_iter, start=1)
    for line, result in sweep_items(items, kind=kind, as_of=as_of, engine=engine,
                                    workers=workers, chunk_size=chunk_size, full=full,
                                    task_timeout=task_timeout):  # fmt: skip
        yield {"line": line, **result}


# -- what a file sweep's workers do: raw lines in, output lines out ---------------------------

#: A chunk of raw records (JSON lines, CSV records, or why a line could not be read) and the
#: sweep's settings.
LineTask = tuple[list[tuple[int, RawItem]], str, "dt.date | None", "str | None", bool]
#: Per chunk: (is an error, the output line as UTF-8) for each record, and the chunk's counts.
LineResult = tuple[list[tuple[bool, bytes]], BatchSummary]


def output_line(line: int, result: Mapping[str, Any]) -> bytes:
    """One line of a sweep's output or error file."""
    text = json.dumps({"line": line, **result}, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def run_line_task(task: LineTask) -> LineResult:
    """Decide a chunk of raw records and serialise the results (in a worker process)."""
    items, kind, on, engine, full = task
    chosen = procedure(kind)
    counts = BatchSummary(kind, None)
    texts: list[tuple[bool, bytes]] = []
    read = [
        (line, record)
        for line, item in items
        if (record := record_of(line, item, kind)) is not None
    ]  # blank lines are skipped, as read_jsonl skips them
    results = _assess_chunk([record for _, record in read], chosen, on, engine, full)
    for (line, _), result in zip(read, results, strict=True):
        counts.add(result)
        texts.append(("error" in result, output_line(line, result)))
    return texts, counts


def failed_chunk(task: LineTask, outcome: WorkerDied | WorkerFailed) -> LineResult:
    """The error lines of a chunk no worker could decide: one per record, with its line."""
    items, kind = task[0], task[1]
    counts = BatchSummary(kind, None)
    texts: list[tuple[bool, bytes]] = []
    for line, item in items:
        if isinstance(item, bytes) and not item.strip():
            continue  # a blank line is no record
        if isinstance(item, tuple) and not item[1].strip():
            continue
        result = died(line, outcome)
        counts.add(result)
        texts.append((True, output_line(line, result)))
    return texts, counts
