"""``run_batch``: a file sweep that finishes, or says exactly where it stopped and resumes there.

Input, output, errors and summary that name the same file are refused before anything is
opened for writing. Decisions and rejected records are written under temporary names
(``.partial``) with a manifest (:mod:`.manifest`) and renamed when the input is done, so an
output file is always a complete one. A worker that dies is replaced and its chunk retried
(:mod:`.pool`). SIGINT and SIGTERM stop the sweep at the next chunk: workers ended, files
flushed to the last chunk written, the manifest saying where, :class:`SweepStoppedError`
raised (the command line exits 130 or 143). A file that cannot be written (a full disk, a
file-size limit) stops it the same way (exit 4). ``resume=True`` continues a stopped sweep.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, Final

from ..decide import procedure
from ..errors import InputError, SweepStoppedError
from ..rulebook.book import load_rule_book
from ..state import library_version
from .files import Sink, check_distinct, count_lines, hash_prefix, open_sink
from .manifest import (
    Checkpoint,
    Manifest,
    Status,
    manifest_path,
    partial_path,
    read_manifest,
    write_manifest,
)
from .pool import ordered_map
from .records import RawItem, RawReader, input_format
from .summary import BatchSummary, write_summary
from .sweep import (
    DEFAULT_TASK_TIMEOUT,
    LineTask,
    check_pool,
    check_task_timeout,
    chunk_size_for,
    decision_date,
    failed_chunk,
    run_line_task,
)

__all__ = ["CHECKPOINT_SECONDS", "run_batch"]

#: The longest time between two checkpoints of the manifest (each flushes and syncs the files).
CHECKPOINT_SECONDS: Final = 2.0
#: A chunk is closed at ``chunk_size`` records or this many bytes of input, whichever first.
_CHUNK_BYTES: Final = 8 * 1024 * 1024
_SIGNALS: Final = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


class _Stop:
    """Why the sweep should stop, set by a signal handler and read between chunks."""

    reason: str | None = None

    def __call__(self) -> bool:
        return self.reason is not None


@contextmanager
def _signals(stop: _Stop, enabled: bool) -> Iterator[None]:
    """SIGINT and SIGTERM ask ``stop`` to stop (in the main thread only; restored after)."""
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return

    def asked(number: int, frame: object) -> None:
        stop.reason = _SIGNALS[signal.Signals(number)]

    previous = {number: signal.signal(number, asked) for number in _SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _chunks(
    reader: RawReader, chunk_size: int, marks: deque[tuple[int, int, Any]]
) -> Iterator[list[tuple[int, RawItem]]]:
    """Chunks of raw records; for each, ``marks`` gets (input bytes, lines, hash) after it."""
    chunk: list[tuple[int, RawItem]] = []
    size = 0
    for line, item in reader:
        chunk.append((line, item))
        if isinstance(item, bytes):
            size += len(item)
        elif isinstance(item, tuple):
            size += len(item[1])
        if len(chunk) >= chunk_size or size >= _CHUNK_BYTES:
            marks.append((reader.offset, reader.line, reader.hasher.copy()))
            yield chunk
            chunk, size = [], 0
    if chunk:
        marks.append((reader.offset, reader.line, reader.hasher.copy()))
        yield chunk


def _progress(total: int | None, enabled: bool) -> Any:
    """A tqdm bar (count, rate, time left) on stderr, or None when stderr is not a terminal.
    Its monitor thread is off: a thread in this process would make worker restarts unsafe."""
    if not enabled:
        return None
    tqdm = importlib.import_module("tqdm").tqdm  # imported only for a terminal; untyped
    bar_class = type("_Bar", (tqdm,), {"monitor_interval": 0})
    return bar_class(total=total, unit=" lines", file=sys.stderr, smoothing=0.1)


def _resumable(
    found: Manifest, settings: dict[str, Any], input_path: str, outputs: tuple[str, str | None]
) -> Any:
    """Check that ``found`` may be resumed with these settings; the input's hasher so far."""
    for key, value in settings.items():
        if getattr(found, key) != value:
            raise InputError(key, f"the stopped sweep ran with {key} {getattr(found, key)!r}, "
                             f"not {value!r}; resume it with the same options")  # fmt: skip
    errors = outputs[1]
    now = os.path.abspath(errors) if errors not in (None, "-") else None
    if found.errors != now:
        raise InputError("errors", "the stopped sweep wrote its rejected records to "
                         f"{found.errors or 'standard error'}; resume it with the same "
                         "--errors")  # fmt: skip
    if found.input == "-" or input_path == "-":
        raise InputError("--resume", "a sweep of standard input cannot be resumed")
    digest = load_rule_book().digest
    if found.rules_digest != digest:
        raise InputError("--resume", "the rules changed since the sweep stopped (rules digest "
                         f"{found.rules_digest[:12]} then, {digest[:12]} now); start it again "
                         "without --resume")  # fmt: skip
    point = found.checkpoint
    hasher, done = hash_prefix(input_path, point.input_bytes)
    if done != point.input_bytes or hasher.hexdigest() != point.input_sha256:
        raise InputError("--resume", f"{input_path} is not the input the sweep read: its "
                         f"first {point.input_bytes} bytes differ; start it again without "
                         "--resume")  # fmt: skip
    for path, size in zip(outputs, (point.output_bytes, point.errors_bytes), strict=True):
        if path is None or path == "-":
            continue
        temporary = partial_path(path)
        if not os.path.isfile(temporary) or os.path.getsize(temporary) < size:
            raise InputError("--resume", f"{temporary} is missing or shorter than the manifest "
                             "says; start the sweep again without --resume")  # fmt: skip
    return hasher


def run_batch(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    kind: str,
    as_of: dt.date | str | None = None,
    errors_path: str | os.PathLike[str] | None = None,
    summary_path: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
    workers: int | None = None,
    engine: str | None = None,
    full: bool = False,
    chunk_size: int | None = None,
    progress: bool | None = None,
    resume: bool = False,
    handle_signals: bool = True,
    task_timeout: float | None = DEFAULT_TASK_TIMEOUT,
) -> BatchSummary:
    """Sweep a JSONL or CSV file into a JSONL file of decisions, and count them (4.3.2).

    Rejected records go to ``errors_path`` (default: ``<output>.errors.jsonl``; standard
    error when the output is standard output) as ``{"line", "field", "error"}``. ``"-"``
    means standard input / output. ``progress`` defaults to "stderr is a terminal";
    ``chunk_size`` (records per task) to the engine's (:func:`.sweep.chunk_size_for`). A
    worker still on one chunk after ``task_timeout`` seconds (None: no limit) is stopped and
    the chunk retried once, then written to the error file (``"internal": true``) like a
    chunk that killed two workers; not recorded in the manifest, so a resume may change it.

    The output and error files appear under their names only when the sweep is complete;
    ``<output>.manifest.json`` records its settings, digests, counts and the last line done.
    ``resume=True`` continues a stopped sweep from its manifest. Raises
    :class:`~lnunemp_rules.errors.SweepStoppedError` when the sweep stops before the end
    (SIGINT or SIGTERM while ``handle_signals``, a file that cannot be written, a bug), and
    :class:`~lnunemp_rules.errors.InputError` before writing anything when the arguments are
    wrong (two of them naming the same file, a resume that does not match its manifest).
    """
    input_path, output_path = os.fspath(input_path), os.fspath(output_path)
    errors_path = None if errors_path is None else os.fspath(errors_path)
    summary_path = None if summary_path is None else os.fspath(summary_path)
    on = decision_date(procedure(kind), as_of)
    form = input_format(input_path, fmt)
    chunk_size = chunk_size_for(engine, chunk_size)
    count = check_pool(workers, chunk_size)
    limit = check_task_timeout(task_timeout)
    to_stdout = output_path == "-"
    if errors_path is None and not to_stdout:
        errors_path = output_path + ".errors.jsonl"
    manifest_file = None if to_stdout else manifest_path(output_path)
    check_distinct({
        "input": input_path, "output": output_path, "errors": errors_path,
        "summary": summary_path, "manifest": manifest_file,
        "temporary output": None if to_stdout else partial_path(output_path),
        "temporary errors": None if errors_path in (None, "-") else partial_path(errors_path),
    })  # fmt: skip
    if to_stdout and errors_path == "-":
        raise InputError("errors", "the errors would go to standard output with the decisions; "
                         "accepted: an error file, or the default (standard error)")  # fmt: skip
    settings: dict[str, Any] = {
        "kind": kind, "as_of": on.isoformat() if on else None, "format": form, "full": full,
        "engine": engine,
    }  # fmt: skip
    book = load_rule_book()  # once, before forking: the workers inherit the parsed rules

    found: Manifest | None = None
    if manifest_file is not None and os.path.exists(manifest_file):
        found = read_manifest(manifest_file)
    if resume:
        if found is None:
            raise InputError("--resume", f"no manifest {manifest_file or 'for standard output'}"
                             ": nothing to resume; run without --resume")  # fmt: skip
        if found.status == "complete":
            return BatchSummary.from_dict(found.checkpoint.summary)
    elif found is not None and found.status != "complete":
        raise InputError("--resume", f"{manifest_file} records a sweep {found.status} after "
                         f"line {found.checkpoint.lines}: continue it with --resume, or delete "
                         "the manifest and its .partial files to start again")  # fmt: skip

    hasher: Any
    point = Checkpoint(summary=BatchSummary(kind, settings["as_of"]).to_dict())
    header: tuple[str, ...] | None = None
    if resume and found is not None:
        hasher = _resumable(found, settings, input_path, (output_path, errors_path))
        point = found.checkpoint
        header = tuple(found.header) if found.header is not None else None
    else:
        hasher = hashlib.sha256()

    show = sys.stderr.isatty() if progress is None else progress
    total = count_lines(input_path, point.input_bytes) if show else None
    source: IO[bytes] = sys.stdin.buffer if input_path == "-" else open(input_path, "rb")  # noqa: SIM115
    sinks: list[Sink] = []
    try:
        if point.input_bytes:
            source.seek(point.input_bytes)
        reader = RawReader(source, form, kind, hasher=hasher, start_offset=point.input_bytes,
                           start_line=point.lines, header=header)  # fmt: skip
        resuming = resume and found is not None
        if not resuming:  # a CSV's header is read: a resume starts after it
            read = {"input_bytes": reader.offset, "lines": reader.line,
                    "input_sha256": hasher.copy().hexdigest()}  # fmt: skip
            point = point.model_copy(update=read)
        out = open_sink(output_path, sys.stdout, point.output_bytes if resuming else None)
        sinks.append(out)
        err = open_sink(errors_path, sys.stderr, point.errors_bytes if resuming else None)
        sinks.append(err)
        manifest = Manifest(
            status="running", stopped_by=None, input=os.path.abspath(input_path)
            if input_path != "-" else "-", output=os.path.abspath(output_path),
            errors=os.path.abspath(errors_path) if errors_path not in (None, "-") else None,
            header=list(reader.header) if reader.header is not None else None,
            rules_digest=book.digest, rules_version=book.version,
            library_version=library_version(), checkpoint=point, **settings,
        )  # fmt: skip
        return _sweep(reader, out, err, manifest, manifest_file, summary_path, count,
                      chunk_size, on, show, total, handle_signals, limit)  # fmt: skip
    finally:
        for sink in sinks:
            if sink.final is not None and not sink.stream.closed:
                # After a stop the buffer may hold data past the checkpoint that cannot be
                # written (a full disk): it is not needed, the manifest does not count it.
                with contextlib.suppress(OSError):
                    sink.stream.close()
        if source is not sys.stdin.buffer:
            source.close()


def _sweep(
    reader: RawReader,
    out: Sink,
    err: Sink,
    manifest: Manifest,
    manifest_file: str | None,
    summary_path: str | None,
    count: int,
    chunk_size: int,
    on: dt.date | None,
    show: bool,
    total: int | None,
    handle_signals: bool,
    task_timeout: float | None,
) -> BatchSummary:
    """The loop of :func:`run_batch`: write chunk results in order, checkpoint, finish or stop."""
    summary = BatchSummary.from_dict(manifest.checkpoint.summary)
    good = manifest.checkpoint  # the last checkpoint the files are known to contain
    stop = _Stop()
    marks: deque[tuple[int, int, Any]] = deque()
    tasks: Iterator[LineTask] = (
        (chunk, manifest.kind, on, manifest.engine, manifest.full)
        for chunk in _chunks(reader, chunk_size, marks)
    )

    def restarted(code: int | None) -> None:
        summary.worker_restarts += 1

    def record(status: Status, stopped_by: str | None) -> None:
        if manifest_file is not None:
            update = {"status": status, "stopped_by": stopped_by, "checkpoint": good}
            write_manifest(manifest_file, manifest.model_copy(update=update))

    def checkpoint() -> None:
        nonlocal good
        offset, lines, digest = last
        out.sync()
        err.sync()
        good = Checkpoint(input_bytes=offset, input_sha256=digest.hexdigest(), lines=lines,
                          output_bytes=out.written, errors_bytes=err.written,
                          summary=summary.to_dict())  # fmt: skip
        record("running", None)

    bar = _progress(total, show)
    last: tuple[int, int, Any] = (good.input_bytes, good.lines, reader.hasher.copy())
    written_at = time.monotonic()
    try:
        with _signals(stop, handle_signals):
            record("running", None)
            results = ordered_map(run_line_task, tasks, workers=count, window=4 * count,
                                  task_timeout=task_timeout, should_stop=stop,
                                  on_restart=restarted)  # fmt: skip
            # Closed on any exception too: the workers end now, not when collected.
            with contextlib.closing(results):
                for task, outcome in results:
                    texts, counts = (
                        outcome if isinstance(outcome, tuple) else failed_chunk(task, outcome)
                    )
                    for is_error, text in texts:
                        (err if is_error else out).write(text)
                    summary._merge(counts)
                    last = marks.popleft()
                    if bar is not None:
                        bar.update(len(task[0]))
                    if time.monotonic() - written_at >= CHECKPOINT_SECONDS:
                        checkpoint()
                        written_at = time.monotonic()
            if stop.reason is None:  # the whole input was read: the last mark is its end
                last = (reader.offset, reader.line, reader.hasher.copy())
            checkpoint()
            if stop.reason is not None:
                record("stopped", stop.reason)
                raise SweepStoppedError(
                    stop.reason, f"stopped by {stop.reason} after line {good.lines}; "
                    f"{_resume_hint(manifest_file)}", last_line=good.lines,
                    manifest=manifest_file, summary=summary,
                )  # fmt: skip
            _finish(out, err, summary, summary_path)
            if manifest_file is not None:
                size = os.path.getsize(manifest.input) if manifest.input != "-" else None
                update = {"status": "complete", "checkpoint": good, "input_size": size}
                done = manifest.model_copy(update=update)
                write_manifest(manifest_file, done)
    except SweepStoppedError:
        raise
    except OSError as exc:
        what = exc.strerror or type(exc).__name__
        if exc.filename:
            what += f": {exc.filename}"
        _try(lambda: record("stopped", f"io: {what}"))
        raise SweepStoppedError(
            "io", f"stopped after line {good.lines}: {what}; {_resume_hint(manifest_file)}",
            last_line=good.lines, manifest=manifest_file,
            summary=BatchSummary.from_dict(good.summary),
        ) from None  # fmt: skip
    except Exception as exc:
        name = type(exc).__name__
        _try(lambda: record("failed", f"internal error ({name})"))
        raise SweepStoppedError(
            "internal", f"internal error ({name}); stopped after line {good.lines}; "
            f"{_resume_hint(manifest_file)}", last_line=good.lines, manifest=manifest_file,
            summary=BatchSummary.from_dict(good.summary),
        ) from exc  # fmt: skip
    finally:
        if bar is not None:
            bar.close()
    return summary


def _finish(out: Sink, err: Sink, summary: BatchSummary, summary_path: str | None) -> None:
    """Write the summary, then close the partial files and give them their names (all data
    was synced by the last checkpoint: a failure here leaves a resumable sweep)."""
    if summary_path is not None:
        write_summary(summary, summary_path)
    for sink in (out, err):
        if sink.final is not None:
            sink.stream.close()
            os.replace(partial_path(sink.final), sink.final)
        else:
            sink.stream.flush()


def _try(action: Any) -> None:
    """Record a stop if the disk lets us; if not, the previous manifest still holds."""
    with contextlib.suppress(OSError):
        action()


def _resume_hint(manifest_file: str | None) -> str:
    if manifest_file is None:
        return "the output was standard output: run the sweep again"
    return f"what was done is kept ({manifest_file}); continue with --resume"
