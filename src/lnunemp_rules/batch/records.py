"""Records in and out of a sweep: JSON Lines and CSV, with the column mapping of docs/batch.md.

A line that cannot even be read as a record becomes :class:`Rejected` with a message that shows
no input data; the sweep decides it as an error and goes on.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, Final

from ..decide import procedure
from ..errors import InputError
from ..inputs.documents import MAX_DOCUMENT_BYTES, parse_json

__all__ = [
    "CsvRow",
    "Item",
    "RawItem",
    "RawReader",
    "Rejected",
    "input_format",
    "read_csv",
    "read_jsonl",
    "record_of",
    "record_to_row",
    "row_to_record",
]

# A CSV cell is text: a boolean, whole-number or number column reads it in one spelling
# (docs/batch.md); any other text is passed on for the model to refuse, naming the column.
_WHOLE: Final = re.compile(r"[+-]?[0-9]{1,18}")
_NUMBER: Final = re.compile(r"[+-]?[0-9]{1,15}(\.[0-9]{1,15})?")
_BOOLEANS: Final = {"true": True, "false": False}


def _typed(text: str, kind: str) -> Any:
    if kind == "bool":
        return _BOOLEANS.get(text, text)
    if kind == "int" and _WHOLE.fullmatch(text):
        return int(text)
    if kind == "number" and _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


# -- the CSV column mapping ----------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def record_to_row(record: Mapping[str, Any], kind: str) -> dict[str, str]:
    """One record as a CSV row of its procedure's columns (``csv_columns``)."""
    columns = procedure(kind).csv_columns
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


def row_to_record(
    row: Mapping[str, Any], kind: str, kinds: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A CSV row (or a pandas row dict) as a nested record; empty cells are left out.

    Cells are read by the kind of their field (the procedure's ``csv_kinds``: bool, int,
    number or text). ``events`` is parsed as a JSON array; a cell that is not JSON raises
    :class:`InputError`.
    """
    kinds = procedure(kind).csv_kinds if kinds is None else kinds
    record: dict[str, Any] = {}
    for column, value in row.items():
        if type(value).__module__ == "numpy" and hasattr(value, "item"):
            value = value.item()  # a pandas cell: numpy.bool_ is a bool, numpy.int64 an int
        if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
            continue
        cell = kinds.get(column, "text")
        if column == "events" and isinstance(value, str):
            try:
                value = parse_json(value, "events")
            except json.JSONDecodeError as exc:
                raise InputError("events", f"not a JSON array: {exc.msg} at column "
                                 f"{exc.colno}") from None  # fmt: skip
        elif isinstance(value, str):
            value = _typed(value, cell)
        elif isinstance(value, float) and cell == "int" and value.is_integer():
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
# A CSV record as a sweep sends it to a worker: the header (one object per file, so a pickled
# chunk carries it once) and the record's bytes, made into a record there by _csv_record.
CsvRow = tuple[tuple[str, ...], bytes]
#: What the reading process hands on for one record: a raw JSON line, a raw CSV record, or
#: why it could not even be read (a line over the length limit).
RawItem = bytes | CsvRow | Rejected

_BOM: Final = b"\xef\xbb\xbf"
_TOO_LONG: Final = (f"longer than {MAX_DOCUMENT_BYTES} bytes; accepted: one record of at most "
                    f"{MAX_DOCUMENT_BYTES} bytes per line")  # fmt: skip


class RawReader:
    """The records of a JSON Lines or CSV stream as raw bytes, with where each ends.

    Memory is bounded: a line (a CSV record) longer than the documented limit is skipped in
    pieces and handed on as :class:`Rejected`. Every byte read is given to ``hasher`` (a
    sweep's input digest), and ``offset`` / ``line`` say how far the stream has been read, so
    a sweep can record where it stopped and resume there (``start_offset``, ``start_line``:
    a stream already positioned after them; a CSV's header is then given as ``header``).
    """

    def __init__(
        self,
        stream: IO[bytes],
        form: str,
        kind: str,
        *,
        hasher: Any = None,
        start_offset: int = 0,
        start_line: int = 0,
        header: tuple[str, ...] | None = None,
    ) -> None:
        self.stream = stream
        self.form = form
        self.kind = kind
        self.hasher = hasher
        self.offset = start_offset
        self.line = start_line
        self.header = header
        if form == "csv" and header is None:
            first = next(self._records(), None)
            if first is not None and isinstance(first[1], Rejected):
                raise InputError("header", f"the header row is {first[1].message}")
            self.header = _header(first[1] if first is not None else b"", kind)  # type: ignore[arg-type]

    def _physical(self) -> Iterator[tuple[bytes | None, int]]:
        """(line bytes, or None when too long; its length) per physical line."""
        limit = MAX_DOCUMENT_BYTES
        while True:
            raw = self.stream.readline(limit + 1)
            if not raw:
                return
            size = len(raw)
            if self.hasher is not None:
                self.hasher.update(raw)
            if size <= limit or raw.endswith(b"\n"):
                yield raw, size
                continue
            while not raw.endswith(b"\n"):  # skip the rest of the line in pieces
                raw = self.stream.readline(1 << 20)
                if not raw:
                    break
                size += len(raw)
                if self.hasher is not None:
                    self.hasher.update(raw)
            yield None, size

    def _records(self) -> Iterator[tuple[int, bytes | Rejected]]:
        """(first line number, bytes or Rejected) per record: a JSON line, or a CSV record
        (physical lines joined while a quoted cell is open: an odd number of quotes)."""
        pending: list[bytes] = []
        start: int | None = None
        quotes = size = 0
        for raw, length in self._physical():
            self.line += 1
            self.offset += length
            if self.form != "csv":
                yield self.line, raw if raw is not None else Rejected("line", _TOO_LONG)
                continue
            if start is None:
                start, pending, quotes, size = self.line, [], 0, 0
            size += length
            if raw is None:  # its quotes are unknown: the record ends with it
                yield start, Rejected("line", _TOO_LONG)
                start = None
                continue
            quotes += raw.count(b'"')
            if size <= MAX_DOCUMENT_BYTES:
                pending.append(raw)
            if quotes % 2 == 0:
                yield start, (b"".join(pending) if size <= MAX_DOCUMENT_BYTES
                              else Rejected("line", _TOO_LONG))  # fmt: skip
                start = None
        if start is not None:  # a quoted cell left open at the end of the file
            yield start, Rejected("line", "not valid CSV: a quoted cell is not closed before "
                                  "the end of the file")  # fmt: skip

    def __iter__(self) -> Iterator[tuple[int, RawItem]]:
        """(first line number, raw item) per record, for the workers to make into records."""
        header = self.header
        for line, data in self._records():
            if isinstance(data, Rejected) or header is None:
                yield line, data
            else:
                yield line, (header, data)


def _header(raw: bytes, kind: str) -> tuple[str, ...]:
    """The header row of a CSV file, checked: every column known, none twice."""
    try:
        text = raw.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("header", "the header row is not UTF-8; accepted: UTF-8 CSV") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = tuple(rows[0]) if rows else ()
    columns = procedure(kind).csv_columns
    unknown = [n for n, name in enumerate(header, start=1) if name not in columns]
    accepted = ", ".join(columns)
    # A header cell is named by its position, never shown: a file without a header has a
    # person's data in its first row.
    if not header or len(unknown) == len(header):
        raise InputError("header", f"the first row is not a {kind} header: none of its cells "
                         f"is a column name; accepted: {accepted} (docs/batch.md)")  # fmt: skip
    if unknown:
        hints = [_hint(header[n - 1], columns) for n in unknown]
        said = ", ".join(f"{n}{h}" for n, h in zip(unknown, hints, strict=True))
        raise InputError("header", f"unknown {kind} column(s) at position {said}; accepted: "
                         f"{accepted} (docs/batch.md)")  # fmt: skip
    if len(set(header)) != len(header):
        raise InputError("header", "a column is named twice; accepted: each column once")
    return header


def _hint(name: str, columns: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, columns, n=1, cutoff=0.8)
    return f" (did you mean {close[0]}?)" if close else ""


def read_jsonl(stream: IO[bytes]) -> Iterator[Item]:
    """(line number, record) for each non-blank line of UTF-8 JSON Lines."""
    for line, item in RawReader(stream, "jsonl", "registration"):
        record = record_of(line, item, "registration")
        if record is not None:
            yield line, record


def read_csv(stream: IO[bytes], kind: str) -> Iterator[Item]:
    """(first line number, record) for each CSV row; the header is checked at once.

    Raises :class:`InputError` naming an unknown column (by its position) before any record
    is read.
    """
    reader = RawReader(stream, "csv", kind)
    return _made(reader, kind)


def _made(reader: RawReader, kind: str) -> Iterator[Item]:
    for line, item in reader:
        record = record_of(line, item, kind)
        if record is not None:
            yield line, record


def _parse_line(number: int, raw: bytes) -> Mapping[str, Any] | Rejected | None:
    """One line of :func:`read_jsonl`: the record, why it was rejected, or None if blank.

    Within the bounds of :mod:`lnunemp_rules.inputs.documents` (a key twice, NaN, a number
    too long, nesting too deep, a line too long are rejected); messages quote nothing."""
    if number == 1 and raw.startswith(_BOM):
        raw = raw[3:]
    if not raw.strip():
        return None
    try:
        value = parse_json(raw, "line")
    except json.JSONDecodeError as exc:
        return Rejected("line", f"not valid JSON: {exc.msg} at column {exc.colno}")
    except InputError as exc:
        return Rejected(exc.field, exc.message)
    if not isinstance(value, dict):
        return Rejected("line", f"expected a JSON object, got {type(value).__name__}")
    return value


def _csv_record(
    header: tuple[str, ...], raw: bytes, kind: str
) -> Mapping[str, Any] | Rejected | None:
    """One CSV record as a record, why it was rejected, or None if blank (as _parse_line)."""
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", "surrogateescape")
        try:
            cells = next(csv.reader(io.StringIO(text, newline="")))
            bad = next((n for n, c in zip(header, cells, strict=False) if _undecodable(c)), "")
        except (csv.Error, StopIteration):
            bad = ""
        return Rejected(bad or "line", "not valid UTF-8; accepted is UTF-8 CSV")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # messages name a limit or a character class, never the data
        return Rejected("line", f"not valid CSV: {exc}")
    if len(rows) != 1:
        return Rejected("line", f"not one CSV record: {len(rows)} rows")
    row = rows[0]
    if not any(cell.strip() for cell in row):
        return None
    if len(row) != len(header):
        return Rejected("line", f"{len(row)} cells but the header has {len(header)}")
    try:
        return row_to_record(dict(zip(header, row, strict=True)), kind)
    except InputError as exc:
        return Rejected(exc.field, exc.message)


def record_of(
    line: int, item: bytes | CsvRow | Mapping[str, Any] | Rejected, kind: str
) -> Mapping[str, Any] | Rejected | None:
    """The record an item stands for: a raw JSON line is parsed (:func:`_parse_line`), a CSV
    record made into a record (:func:`_csv_record`); None for a blank line or row."""
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


def input_format(path: str, fmt: str | None) -> str:
    """``jsonl`` or ``csv``: ``fmt`` if given, else from the file name (default JSON Lines)."""
    if fmt is not None:
        if fmt not in ("jsonl", "csv"):
            raise InputError("format", f"{fmt!r}; accepted: jsonl, csv")
        return fmt
    return "csv" if path.lower().endswith(".csv") else "jsonl"
