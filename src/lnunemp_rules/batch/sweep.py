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

import datetime as dt
import importlib
import json
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from multiprocessing.context import BaseContext
from typing import IO, Any, Final, TypeVar

from .. import state
from ..decide import Procedure, procedure
from ..errors import InputError, LnunempError
from ..inputs.validation import as_date
from ..rulebook.book import load_rule_book
from .records import CsvRow, Item, Rejected, csv_raw_rows, input_format, open_csv, record_of
from .summary import BatchSummary, write_summary

__all__ = [
    "COLUMNAR_CHUNK_SIZE",
    "DEFAULT_CHUNK_SIZE",
    "as_of_date",
    "assess_partition",
    "chunk_size_for",
    "default_workers",
    "run_batch",
    "sweep",
    "sweep_items",
]

_T = TypeVar("_T")
DEFAULT_CHUNK_SIZE: Final = 200
#: The columnar engine's default: its fixed cost per partition (building the Arrow columns,
#: one kernel call per condition) is spread over more records (docs/performance.md).
COLUMNAR_CHUNK_SIZE: Final = 5_000


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
        return [_assess_one(record, chosen, as_of, None, full) for record in records]
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
    records: Iterable[Mapping[str, Any]],
    *,
    kind: str,
    as_of: dt.date | str | None = None,
    engine: str | None = None,
    full: bool = False,
) -> list[dict[str, Any]]:
    """One result per record, in order: a compact decision or ``{"field", "error"}``.

    Pure and picklable: Dask's ``bag.map_partitions(assess_partition, kind=..., as_of=...)``
    and Spark's ``rdd.mapPartitions(lambda it: assess_partition(it, ...))`` run it unchanged.
    ``as_of`` is required for ``kind="review"`` (standard 4.3.1, 5.5: the review date).
    """
    chosen = procedure(kind)
    on = _decision_date(chosen, as_of)
    return _assess_chunk(list(records), chosen, on, engine, full)


def _decision_date(chosen: Procedure[Any, Any], as_of: dt.date | str | None) -> dt.date | None:
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


def _context() -> BaseContext:
    """Fork on Linux (workers inherit the parsed rules); spawn elsewhere, or when this process
    already runs other threads, where forking can deadlock (and warns from Python 3.12)."""
    methods = multiprocessing.get_all_start_methods()
    alone = threading.active_count() == 1
    if sys.platform.startswith("linux") and "fork" in methods and alone:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def sweep_items(
    items: Iterable[Item],
    *,
    kind: str,
    as_of: dt.date | str | None = None,
    engine: str | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    full: bool = False,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, result) for each (line, record), in input order, over ``workers`` processes."""
    on = _decision_date(procedure(kind), as_of)
    size = chunk_size_for(engine, chunk_size)
    tasks = ((chunk, kind, on, engine, full) for chunk in _chunks(items, size))
    for results in _in_pool(_run_task, tasks, workers, size):
        yield from results


# A chunk of raw JSON Lines (line number, bytes) or of read records, and the sweep's settings.
_LineTask = tuple[list[tuple[int, "bytes | CsvRow | Mapping[str, Any] | Rejected"]], str,
                  "dt.date | None", "str | None", bool]  # fmt: skip
# Per chunk: (is an error, the output line) for each record, and the chunk's counts.
_LineResult = tuple[list[tuple[bool, str]], "BatchSummary"]


def _run_line_task(task: _LineTask) -> _LineResult:
    items, kind, on, engine, full = task
    chosen = procedure(kind)
    counts = BatchSummary(kind, None)
    texts: list[tuple[bool, str]] = []
    read = [
        (line, record)
        for line, item in items
        if (record := record_of(line, item, kind)) is not None
    ]  # blank lines are skipped
    results = _assess_chunk([record for _, record in read], chosen, on, engine, full)
    for (line, _), result in zip(read, results, strict=True):
        counts.add(result)
        text = json.dumps({"line": line, **result}, ensure_ascii=False, separators=(",", ":"))
        texts.append(("error" in result, text + "\n"))
    return texts, counts


def _sweep_lines(
    items: Iterable[tuple[int, bytes | CsvRow | Mapping[str, Any] | Rejected]],
    *,
    kind: str,
    on: dt.date | None,
    engine: str | None,
    workers: int | None,
    chunk_size: int | None,
    full: bool,
) -> Iterator[_LineResult]:
    """What run_batch writes, chunk by chunk in input order, decided and serialised in the
    workers (the parent process only reads, writes and adds up the counts)."""
    size = chunk_size_for(engine, chunk_size)
    tasks = ((chunk, kind, on, engine, full) for chunk in _chunks(items, size))
    yield from _in_pool(_run_line_task, tasks, workers, size)


def _in_pool(
    function: Callable[[Any], Any], tasks: Iterator[Any], workers: int | None, chunk_size: int
) -> Iterator[Any]:
    """``map(function, tasks)`` in input order over ``workers`` processes, lazily."""
    count = default_workers() if workers is None else workers
    if count < 1:
        raise InputError("workers", f"{count}; accepted: 1 or more processes")
    if chunk_size < 1:
        raise InputError("chunk_size", f"{chunk_size}; accepted: 1 or more records per task")
    load_rule_book()  # once, before forking: the workers inherit the parsed rules
    if count == 1:
        for task in tasks:
            yield function(task)
        return
    # Pool.imap reads its input as fast as it can; the semaphore bounds the chunks in flight
    # so memory stays flat however long the input is.
    window = threading.Semaphore(4 * count)
    stop = threading.Event()

    def fed() -> Iterator[Any]:
        for task in tasks:
            while not window.acquire(timeout=0.1):
                if stop.is_set():
                    return
            yield task

    pool = _context().Pool(count)
    try:
        for results in pool.imap(function, fed(), chunksize=1):
            window.release()
            yield results
        pool.close()
    finally:
        stop.set()
        pool.terminate()
        pool.join()


def sweep(
    records_iter: Iterable[Mapping[str, Any]],
    *,
    kind: str,
    as_of: dt.date | str | None = None,
    engine: str | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    full: bool = False,
) -> Iterator[dict[str, Any]]:
    """Decide every record lazily, in order; each result carries ``line`` (1-based position).

    A record that is not valid gives ``{"line", "field", "error"}`` and the sweep goes on.
    """
    items = enumerate(records_iter, start=1)
    for line, result in sweep_items(items, kind=kind, as_of=as_of, engine=engine,
                                    workers=workers, chunk_size=chunk_size, full=full):  # fmt: skip
        yield {"line": line, **result}


# -- files ------------------------------------------------------------------------------------


def _count_lines(path: str) -> int | None:
    if path == "-" or not os.path.isfile(path):
        return None
    lines = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            lines += block.count(b"\n")
    return lines


def _progress(total: int | None, enabled: bool) -> Any:
    """A tqdm bar (count, rate, time left) on stderr, or None when stderr is not a terminal."""
    if not enabled:
        return None
    tqdm = importlib.import_module("tqdm").tqdm  # imported only for a terminal; untyped
    return tqdm(total=total, unit=" records", file=sys.stderr, smoothing=0.1)


def _open_out(path: str) -> IO[str]:
    if path == "-":
        return sys.stdout
    return open(path, "w", encoding="utf-8", newline="\n")


def run_batch(
    input_path: str,
    output_path: str,
    *,
    kind: str,
    as_of: dt.date | str | None = None,
    errors_path: str | None = None,
    summary_path: str | None = None,
    fmt: str | None = None,
    workers: int | None = None,
    engine: str | None = None,
    full: bool = False,
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> BatchSummary:
    """Sweep a JSONL or CSV file into a JSONL file of decisions, and count them (4.3.2).

    Rejected records go to ``errors_path`` (default: ``<output>.errors.jsonl``; standard
    error when the output is standard output) as ``{"line", "field", "error"}``. ``"-"``
    means standard input / output. ``progress`` defaults to "stderr is a terminal".
    """
    on = _decision_date(procedure(kind), as_of)
    form = input_format(input_path, fmt)
    if errors_path is None and output_path != "-":
        errors_path = output_path + ".errors.jsonl"
    show = sys.stderr.isatty() if progress is None else progress
    total = _count_lines(input_path) if show else None
    if total is not None and form == "csv":
        total = max(total - 1, 0)
    source = sys.stdin.buffer if input_path == "-" else open(input_path, "rb")  # noqa: SIM115
    summary = BatchSummary(kind, on.isoformat() if on else None)
    try:
        # JSON Lines go to the workers as raw bytes, CSV as the csv module's rows: they make
        # the records (as read_jsonl / read_csv would) and send back the output text, so this
        # process only reads and writes.
        items: Iterable[tuple[int, bytes | CsvRow | Rejected]]
        if form == "csv":
            items = csv_raw_rows(*open_csv(source, kind))
        else:
            items = enumerate(source, start=1)
        out = _open_out(output_path)
        errors = sys.stderr if errors_path is None else _open_out(errors_path)
        bar = _progress(total, show)
        try:
            lines = _sweep_lines(items, kind=kind, on=on, engine=engine, workers=workers,
                                 chunk_size=chunk_size, full=full)  # fmt: skip
            for texts, counts in lines:
                summary._merge(counts)
                for is_error, text in texts:
                    (errors if is_error else out).write(text)
                if bar is not None:
                    bar.update(len(texts))
        finally:
            if bar is not None:
                bar.close()
            for stream in (out, errors):
                if stream not in (sys.stdout, sys.stderr):
                    stream.close()
    finally:
        if source is not sys.stdin.buffer:
            source.close()
    if summary_path is not None:
        write_summary(summary, summary_path)
    return summary
