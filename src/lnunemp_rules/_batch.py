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

import csv
import datetime as dt
import importlib
import io
import json
import math
import multiprocessing
import os
import sys
import threading
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from typing import IO, Any, Final, Literal, TypeVar

from ._assess import assess_deregistration, assess_registration
from ._decision import DeregistrationDecision, RegistrationDecision
from ._errors import InputError, LnunempError
from ._inputs import as_date, validate_input
from ._models import Registrant, RegistrationApplication
from ._rulebook import load_rule_book

__all__ = [
    "APPLICATION_COLUMNS",
    "REGISTRANT_COLUMNS",
    "BatchSummary",
    "Rejected",
    "as_of_date",
    "assess_partition",
    "default_workers",
    "input_format",
    "read_csv",
    "read_jsonl",
    "record_to_row",
    "row_to_record",
    "run_batch",
    "sweep",
    "sweep_items",
    "write_summary",
]

Kind = Literal["registration", "review"]
_T = TypeVar("_T")
KINDS: Final = ("registration", "review")
DEFAULT_CHUNK_SIZE: Final = 200

#: CSV columns of an application: dotted paths into RegistrationApplication (docs/batch.md).
APPLICATION_COLUMNS: Final = (
    "applicant.id_number", "applicant.name", "applicant.birth_date", "applicant.sex",
    "applicant.hukou", "applicant.residence_region", "applicant.habitual_urban_resident",
    "applicant.able_to_work", "applicant.female_retirement_group", "voluntary",
    "cause.category", "cause.school_status", "cause.contract_ending", "cause.transfer_intent",
    "cause.state_placement", "cause.meets_local_conditions", "cause.release_type",
    "cause.description", "unemployment_date", "application_date", "submitted_at", "channel",
    "insurance_contribution_months", "employment_assistance_possible",
    "current_situation.employed", "current_situation.licensed_business",
    "current_situation.monthly_income", "current_situation.minimum_wage_tier",
    "current_situation.minimum_wage_amount", "current_situation.public_welfare_post",
    "current_situation.flexible_employment_insured", "current_situation.receiving_pension",
    "current_situation.in_school", "current_situation.military_service",
    "current_situation.emigrated", "current_situation.imprisoned",
)  # fmt: skip
#: CSV columns of a registrant; ``events`` holds the JSON array of events.
REGISTRANT_COLUMNS: Final = (
    "person.id_number", "person.name", "registration_date", "residence_region",
    "minimum_wage_tier", "events",
)  # fmt: skip
# Text cells of these columns that are whole numbers become integers (the models' Literal and
# int fields do not accept digit strings); anything else is passed on for the model to reject.
_INTEGER_COLUMNS: Final = frozenset(
    {"applicant.female_retirement_group", "insurance_contribution_months",
     "current_situation.minimum_wage_tier", "minimum_wage_tier"}
)  # fmt: skip


def _columns(kind: str) -> tuple[str, ...]:
    return APPLICATION_COLUMNS if kind == "registration" else REGISTRANT_COLUMNS


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InputError("kind", f"{kind!r} is not a kind; accepted: registration, review")


# -- the CSV column mapping ----------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def record_to_row(record: Mapping[str, Any], kind: Kind) -> dict[str, str]:
    """One record as a CSV row of :data:`APPLICATION_COLUMNS` or :data:`REGISTRANT_COLUMNS`."""
    columns = _columns(kind)
    row = dict.fromkeys(columns, "")
    for key, value in record.items():
        if isinstance(value, Mapping) and key != "events":
            for inner, item in value.items():
                row[f"{key}.{inner}"] = _cell(item)
        else:
            row[key] = _cell(value)
    if len(row) != len(columns):
        extra = sorted(set(row) - set(columns))
        raise ValueError(f"no CSV column for {', '.join(extra)}")
    return row


def row_to_record(row: Mapping[str, Any], kind: Kind) -> dict[str, Any]:
    """A CSV row (or a pandas row dict) as a nested record; empty cells are left out.

    ``events`` is parsed as a JSON array; a cell that is not JSON raises :class:`InputError`.
    """
    record: dict[str, Any] = {}
    for column, value in row.items():
        if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
            continue
        if column == "events" and isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise InputError("events", f"not a JSON array: {exc.msg} at column "
                                 f"{exc.colno}") from None  # fmt: skip
        elif column in _INTEGER_COLUMNS and isinstance(value, str):
            text = value.strip()
            if text.lstrip("+-").isdigit() and text.isascii():
                value = int(text)
        elif isinstance(value, float) and column in _INTEGER_COLUMNS and value.is_integer():
            value = int(value)  # pandas reads an integer column with gaps as floats
        head, _, tail = column.partition(".")
        if tail:
            record.setdefault(head, {})[tail] = value
        else:
            record[column] = value
    return record


# -- readers: (line number, record or Rejected) ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Rejected:
    """A line that could not even be read as a record; the message shows no input data."""

    field: str
    message: str


Item = tuple[int, "Mapping[str, Any] | Rejected"]


def read_jsonl(stream: IO[bytes]) -> Iterator[Item]:
    """(line number, record) for each non-blank line of UTF-8 JSON Lines."""
    for number, raw in enumerate(stream, start=1):
        record = _parse_line(number, raw)
        if record is not None:
            yield number, record


def _parse_line(number: int, raw: bytes) -> Mapping[str, Any] | Rejected | None:
    """One line of :func:`read_jsonl`: the record, why it was rejected, or None if blank."""
    try:
        text = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
    except UnicodeDecodeError as exc:
        return Rejected("line", f"not valid UTF-8 (byte {exc.start + 1}); accepted "
                        "is one UTF-8 JSON object per line")  # fmt: skip
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejected("line", f"not valid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(value, dict):
        return Rejected("line", f"expected a JSON object, got {type(value).__name__}")
    return value


def read_csv(stream: IO[bytes], kind: Kind) -> Iterator[Item]:
    """(first line number, record) for each CSV row; the header is checked at once.

    Raises :class:`InputError` naming an unknown column before any record is read.
    """
    return _records(_csv_raw_rows(*_open_csv(stream, kind)), kind)


# A CSV row as run_batch sends it to a worker: the header (one object per file, so a pickled
# chunk carries it once) and the row's cells, turned into a record there by _csv_record.
_CsvRow = tuple[tuple[str, ...], list[str]]


def _open_csv(stream: IO[bytes], kind: Kind) -> tuple[io.TextIOWrapper, Any, tuple[str, ...]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    first = next(reader, None)
    header = tuple(first) if first is not None else ()
    known = set(_columns(kind))
    for name in header:
        if name not in known:
            text.detach()  # the caller owns the binary stream
            shown = name.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
            raise InputError("header", f"unknown {kind} column {shown[:60]!r}; accepted: "
                             f"{', '.join(_columns(kind))} (docs/batch.md)")  # fmt: skip
    return text, reader, header


def _records(
    items: Generator[tuple[int, _CsvRow | Rejected], None, None], kind: Kind
) -> Iterator[Item]:
    """(line, record or Rejected) for each row that is not blank, made as a worker makes it."""
    try:
        for line, item in items:
            record = _record_of(line, item, kind)
            if record is not None:
                yield line, record
    finally:
        items.close()  # detaches the text layer now, not when collected


def _csv_raw_rows(
    text: io.TextIOWrapper, reader: Any, header: tuple[str, ...]
) -> Generator[tuple[int, _CsvRow | Rejected], None, None]:
    """(first line number, (header, cells)) per row, for the workers to turn into records:
    the reading process only splits the file into rows (the csv module, in C)."""
    try:
        for start, cells in _csv_cells(reader):
            yield start, cells if isinstance(cells, Rejected) else (header, cells)
    finally:
        text.detach()  # the caller owns the binary stream


def _csv_cells(reader: Any) -> Iterator[tuple[int, list[str] | Rejected]]:
    """(first line number, cells) per CSV row; a row the csv module rejects as Rejected."""
    previous = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # messages name a limit or a character class, never the data
            previous, start = reader.line_num, previous + 1
            yield start, Rejected("line", f"not valid CSV: {exc}")
            continue
        start, previous = previous + 1, reader.line_num
        yield start, row


def _csv_record(
    header: tuple[str, ...], row: list[str], kind: Kind
) -> Mapping[str, Any] | Rejected | None:
    """One CSV row as a record, why it was rejected, or None if blank (as _parse_line)."""
    if not any(cell.strip() for cell in row):
        return None
    try:
        "".join(row).encode("utf-8")
    except UnicodeEncodeError:
        bad = next(n for n, c in zip(header, row, strict=False) if _undecodable(c))
        return Rejected(bad if bad else "line", "not valid UTF-8; accepted is UTF-8 CSV")
    if len(row) != len(header):
        return Rejected("line", f"{len(row)} cells but the header has {len(header)}")
    try:
        return row_to_record(dict(zip(header, row, strict=True)), kind)
    except InputError as exc:
        return Rejected(exc.field, exc.message)


def _record_of(
    line: int, item: bytes | _CsvRow | Mapping[str, Any] | Rejected, kind: Kind
) -> Mapping[str, Any] | Rejected | None:
    """The record an item stands for: a raw JSON line is parsed (:func:`_parse_line`), a CSV
    row made into a record (:func:`_csv_record`); None for a blank line or row."""
    if isinstance(item, bytes):
        return _parse_line(line, item)
    if isinstance(item, tuple):
        return _csv_record(item[0], item[1], kind)
    return item


def _undecodable(cell: str) -> bool:
    try:
        cell.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# -- deciding ---------------------------------------------------------------------------------


def _clause_ids(matches: Iterable[Any], reasons: Iterable[Any]) -> tuple[list[str], list[str]]:
    clauses: dict[str, None] = {}
    rules: dict[str, None] = {}
    for item in (*matches, *reasons):
        clauses.setdefault(item.clause.id, None)
        rules.setdefault(item.rule_id, None)
    return list(clauses), list(rules)


def _assess_one(
    record: Mapping[str, Any] | Rejected, kind: str, as_of: dt.date | None, engine: str | None,
    full: bool,
) -> dict[str, Any]:  # fmt: skip
    if isinstance(record, Rejected):
        return {"field": record.field, "error": record.message}
    try:
        decision: RegistrationDecision | DeregistrationDecision
        if kind == "registration":
            app = validate_input(RegistrationApplication, record)
            region = app.applicant.residence_region
            decision = assess_registration(app, engine=engine)
            clauses, rules = _clause_ids(decision.categories, decision.reasons)
        else:
            assert as_of is not None
            person = validate_input(Registrant, record)
            region = person.residence_region
            decision = assess_deregistration(person, as_of=as_of, engine=engine)
            clauses, rules = _clause_ids(decision.triggers, decision.reasons)
    except InputError as exc:
        return {"field": exc.field, "error": exc.message}
    except LnunempError as exc:
        return {"field": None, "error": f"{type(exc).__name__}: {exc}"}
    except Exception as exc:  # a bug must not stop the sweep nor leak data from its message
        return {"field": None, "error": f"internal error ({type(exc).__name__}); not decided",
                "internal": True}  # fmt: skip
    prefecture = region[:4] if region else None
    if full:
        return {"prefecture": prefecture, "clauses": clauses, **decision.to_dict()}
    out: dict[str, Any] = {
        "subject": decision.meta.subject_masked,
        "prefecture": prefecture,
        "outcome": decision.outcome,
        "clauses": clauses,
        "rules": rules,
        "missing_facts": list(decision.missing_facts),
    }
    if isinstance(decision, RegistrationDecision):
        out["deadline"] = decision.deadline.date.isoformat() if decision.deadline else None
    else:
        effective, next_review = decision.effective_date, decision.next_review_date
        out["effective_date"] = effective.isoformat() if effective else None
        out["next_review_date"] = next_review.isoformat() if next_review else None
    return out


def assess_partition(
    records: Iterable[Mapping[str, Any]],
    *,
    kind: Kind,
    as_of: dt.date | str | None = None,
    engine: str | None = None,
    full: bool = False,
) -> list[dict[str, Any]]:
    """One result per record, in order: a compact decision or ``{"field", "error"}``.

    Pure and picklable: Dask's ``bag.map_partitions(assess_partition, kind=..., as_of=...)``
    and Spark's ``rdd.mapPartitions(lambda it: assess_partition(it, ...))`` run it unchanged.
    ``as_of`` is required for ``kind="review"`` (standard 4.3.1, 5.5: the review date).
    """
    _check_kind(kind)
    on = _review_date(kind, as_of)
    return [_assess_one(r, kind, on, engine, full) for r in records]


def _review_date(kind: str, as_of: dt.date | str | None) -> dt.date | None:
    if kind == "registration":
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
    return [(line, _assess_one(record, kind, on, engine, full)) for line, record in items]


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
    kind: Kind,
    as_of: dt.date | str | None = None,
    engine: str | None = None,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    full: bool = False,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, result) for each (line, record), in input order, over ``workers`` processes."""
    _check_kind(kind)
    on = _review_date(kind, as_of)
    tasks = ((chunk, kind, on, engine, full) for chunk in _chunks(items, chunk_size))
    for results in _in_pool(_run_task, tasks, workers, chunk_size):
        yield from results


# A chunk of raw JSON Lines (line number, bytes) or of read records, and the sweep's settings.
_LineTask = tuple[list[tuple[int, "bytes | _CsvRow | Mapping[str, Any] | Rejected"]], Kind,
                  "dt.date | None", "str | None", bool]  # fmt: skip
# Per chunk: (is an error, the output line) for each record, and the chunk's counts.
_LineResult = tuple[list[tuple[bool, str]], "BatchSummary"]


def _run_line_task(task: _LineTask) -> _LineResult:
    items, kind, on, engine, full = task
    counts = BatchSummary(kind, None)
    texts: list[tuple[bool, str]] = []
    for line, item in items:
        record = _record_of(line, item, kind)
        if record is None:
            continue  # a blank line, as read_jsonl skips it
        result = _assess_one(record, kind, on, engine, full)
        counts.add(result)
        text = json.dumps({"line": line, **result}, ensure_ascii=False, separators=(",", ":"))
        texts.append(("error" in result, text + "\n"))
    return texts, counts


def _sweep_lines(
    items: Iterable[tuple[int, bytes | _CsvRow | Mapping[str, Any] | Rejected]],
    *,
    kind: Kind,
    on: dt.date | None,
    engine: str | None,
    workers: int | None,
    chunk_size: int,
    full: bool,
) -> Iterator[_LineResult]:
    """What run_batch writes, chunk by chunk in input order, decided and serialised in the
    workers (the parent process only reads, writes and adds up the counts)."""
    tasks = ((chunk, kind, on, engine, full) for chunk in _chunks(items, chunk_size))
    yield from _in_pool(_run_line_task, tasks, workers, chunk_size)


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
    kind: Kind,
    as_of: dt.date | str | None = None,
    engine: str | None = None,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    full: bool = False,
) -> Iterator[dict[str, Any]]:
    """Decide every record lazily, in order; each result carries ``line`` (1-based position).

    A record that is not valid gives ``{"line", "field", "error"}`` and the sweep goes on.
    """
    items = enumerate(records_iter, start=1)
    for line, result in sweep_items(items, kind=kind, as_of=as_of, engine=engine,
                                    workers=workers, chunk_size=chunk_size, full=full):  # fmt: skip
        yield {"line": line, **result}


# -- statistics (4.3.2) ----------------------------------------------------------------------


@dataclass
class BatchSummary:
    """Counts of a sweep: by outcome, by clause, by prefecture code (first 4 region digits)."""

    kind: str
    as_of: str | None
    records: int = 0
    decided: int = 0
    errors: int = 0
    internal_errors: int = 0
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_clause: Counter[str] = field(default_factory=Counter)
    by_prefecture: Counter[str] = field(default_factory=Counter)
    by_prefecture_outcome: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, result: Mapping[str, Any]) -> None:
        """Count one result of :func:`sweep` or :func:`assess_partition`."""
        self.records += 1
        if "error" in result:
            self.errors += 1
            self.internal_errors += bool(result.get("internal"))
            return
        self.decided += 1
        outcome = str(result["outcome"])
        prefecture = result.get("prefecture") or "unknown"
        self.by_outcome[outcome] += 1
        self.by_clause.update(result.get("clauses", ()))
        self.by_prefecture[prefecture] += 1
        self.by_prefecture_outcome[(prefecture, outcome)] += 1

    def _merge(self, other: BatchSummary) -> None:
        """Add the counts of ``other`` (a worker's share of the same sweep)."""
        self.records += other.records
        self.decided += other.decided
        self.errors += other.errors
        self.internal_errors += other.internal_errors
        self.by_outcome.update(other.by_outcome)
        self.by_clause.update(other.by_clause)
        self.by_prefecture.update(other.by_prefecture)
        self.by_prefecture_outcome.update(other.by_prefecture_outcome)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (docs/batch.md)."""
        nested: dict[str, dict[str, int]] = {}
        for (prefecture, outcome), n in sorted(self.by_prefecture_outcome.items()):
            nested.setdefault(prefecture, {})[outcome] = n
        return {
            "kind": self.kind,
            "as_of": self.as_of,
            "records": self.records,
            "decided": self.decided,
            "errors": self.errors,
            "internal_errors": self.internal_errors,
            "by_outcome": dict(sorted(self.by_outcome.items())),
            "by_clause": dict(sorted(self.by_clause.items(), key=lambda kv: _clause_key(kv[0]))),
            "by_prefecture": dict(sorted(self.by_prefecture.items())),
            "by_prefecture_outcome": nested,
        }

    def rows(self) -> Iterator[tuple[str, str, int]]:
        """(dimension, key, count) rows: the CSV form."""
        data = self.to_dict()
        for name in ("records", "decided", "errors", "internal_errors"):
            yield "total", name, data[name]
        for dimension in ("outcome", "clause", "prefecture"):
            for key, n in data[f"by_{dimension}"].items():
                yield dimension, key, n
        for prefecture, outcomes in data["by_prefecture_outcome"].items():
            for outcome, n in outcomes.items():
                yield "prefecture_outcome", f"{prefecture}/{outcome}", n

    def render(self) -> str:
        """Plain text for a terminal."""
        when = f" as of {self.as_of}" if self.as_of else ""
        lines = [f"{self.kind} sweep{when}: {self.records} records, {self.decided} decided, "
                 f"{self.errors} rejected"]  # fmt: skip
        for dimension in ("outcome", "clause", "prefecture"):
            lines.append(f"by {dimension}:")
            counts = self.to_dict()[f"by_{dimension}"]
            lines.extend(f"  {key:<28} {n:>9}" for key, n in counts.items())
        return "\n".join(lines)


def _clause_key(clause: str) -> tuple[Any, ...]:
    """Sort 4.1.2(2) before 4.1.2(10); national rules after the standard's clauses."""
    parts = clause.replace("(", ".").replace(")", "").split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


# -- files ------------------------------------------------------------------------------------


def input_format(path: str, fmt: str | None) -> str:
    """``jsonl`` or ``csv``: ``fmt`` if given, else from the file name (default JSON Lines)."""
    if fmt is not None:
        if fmt not in ("jsonl", "csv"):
            raise InputError("format", f"{fmt!r}; accepted: jsonl, csv")
        return fmt
    return "csv" if path.lower().endswith(".csv") else "jsonl"


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


def write_summary(summary: BatchSummary, path: str) -> None:
    """``path`` ending in .csv: rows (dimension, key, count); otherwise JSON."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        if path.lower().endswith(".csv"):
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(("dimension", "key", "count"))
            writer.writerows(summary.rows())
        else:
            json.dump(summary.to_dict(), f, ensure_ascii=False, indent=2)
            f.write("\n")


def run_batch(
    input_path: str,
    output_path: str,
    *,
    kind: Kind,
    as_of: dt.date | str | None = None,
    errors_path: str | None = None,
    summary_path: str | None = None,
    fmt: str | None = None,
    workers: int | None = None,
    engine: str | None = None,
    full: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool | None = None,
) -> BatchSummary:
    """Sweep a JSONL or CSV file into a JSONL file of decisions, and count them (4.3.2).

    Rejected records go to ``errors_path`` (default: ``<output>.errors.jsonl``; standard
    error when the output is standard output) as ``{"line", "field", "error"}``. ``"-"``
    means standard input / output. ``progress`` defaults to "stderr is a terminal".
    """
    _check_kind(kind)
    on = _review_date(kind, as_of)
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
        items: Iterable[tuple[int, bytes | _CsvRow | Rejected]]
        if form == "csv":
            items = _csv_raw_rows(*_open_csv(source, kind))
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
