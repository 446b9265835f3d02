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
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, Final

from ..decide import procedure
from ..errors import InputError
from ..inputs.documents import parse_json

__all__ = [
    "CsvRow",
    "Item",
    "Rejected",
    "csv_raw_rows",
    "input_format",
    "open_csv",
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


def read_jsonl(stream: IO[bytes]) -> Iterator[Item]:
    """(line number, record) for each non-blank line of UTF-8 JSON Lines."""
    for number, raw in enumerate(stream, start=1):
        record = _parse_line(number, raw)
        if record is not None:
            yield number, record


def _parse_line(number: int, raw: bytes) -> Mapping[str, Any] | Rejected | None:
    """One line of :func:`read_jsonl`: the record, why it was rejected, or None if blank.

    Within the bounds of :mod:`lnunemp_rules.inputs.documents` (a key twice, NaN, a number
    too long, nesting too deep, a line too long are rejected); messages quote nothing."""
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
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


def read_csv(stream: IO[bytes], kind: str) -> Iterator[Item]:
    """(first line number, record) for each CSV row; the header is checked at once.

    Raises :class:`InputError` naming an unknown column before any record is read.
    """
    return _records(csv_raw_rows(*open_csv(stream, kind)), kind)


# A CSV row as run_batch sends it to a worker: the header (one object per file, so a pickled
# chunk carries it once) and the row's cells, turned into a record there by _csv_record.
CsvRow = tuple[tuple[str, ...], list[str]]


def open_csv(stream: IO[bytes], kind: str) -> tuple[io.TextIOWrapper, Any, tuple[str, ...]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    first = next(reader, None)
    header = tuple(first) if first is not None else ()
    columns = procedure(kind).csv_columns
    unknown = [n for n, name in enumerate(header, start=1) if name not in columns]
    if unknown or len(set(header)) != len(header):
        text.detach()  # the caller owns the binary stream
        accepted = ", ".join(columns)
        # A header cell is named by its position, never shown: a file without a header has
        # a person's data in its first row.
        if not header or len(unknown) == len(header):
            raise InputError("header", f"the first row is not a {kind} header: none of its "
                             f"cells is a column name; accepted: {accepted} "
                             "(docs/batch.md)")  # fmt: skip
        if unknown:
            hints = [_hint(header[n - 1], columns) for n in unknown]
            said = ", ".join(f"{n}{h}" for n, h in zip(unknown, hints, strict=True))
            raise InputError("header", f"unknown {kind} column(s) at position {said}; accepted: "
                             f"{accepted} (docs/batch.md)")  # fmt: skip
        raise InputError("header", "a column is named twice; accepted: each column once")
    return text, reader, header


def _hint(name: str, columns: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, columns, n=1, cutoff=0.8)
    return f" (did you mean {close[0]}?)" if close else ""


def _records(
    items: Generator[tuple[int, CsvRow | Rejected], None, None], kind: str
) -> Iterator[Item]:
    """(line, record or Rejected) for each row that is not blank, made as a worker makes it."""
    try:
        for line, item in items:
            record = record_of(line, item, kind)
            if record is not None:
                yield line, record
    finally:
        items.close()  # detaches the text layer now, not when collected


def csv_raw_rows(
    text: io.TextIOWrapper, reader: Any, header: tuple[str, ...]
) -> Generator[tuple[int, CsvRow | Rejected], None, None]:
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
    header: tuple[str, ...], row: list[str], kind: str
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


def record_of(
    line: int, item: bytes | CsvRow | Mapping[str, Any] | Rejected, kind: str
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


def input_format(path: str, fmt: str | None) -> str:
    """``jsonl`` or ``csv``: ``fmt`` if given, else from the file name (default JSON Lines)."""
    if fmt is not None:
        if fmt not in ("jsonl", "csv"):
            raise InputError("format", f"{fmt!r}; accepted: jsonl, csv")
        return fmt
    return "csv" if path.lower().endswith(".csv") else "jsonl"
