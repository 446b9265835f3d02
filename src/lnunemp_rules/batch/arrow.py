"""The columnar sweep over Arrow record batches and pandas frames: the partition functions for
Spark's ``mapInArrow`` (and any engine that hands over Arrow) and for Dask DataFrames'
``map_partitions`` (docs/scaling.md).

Each input batch holds one JSON text per record (Spark's ``read.text`` column ``value``);
each output batch holds one JSON text per result (column ``result``): the compact line of a
decision, or the record's error entry, exactly as :func:`.sweep.assess_partition` gives it.
Records stay JSON because a register's nested events do not make flat columns. Each text is
read as a file sweep reads a JSON line (the bounded parser of issue 11): one that is not a
JSON object becomes its error entry and the batch goes on; a blank or null one is skipped.
A pandas frame is the same batch: :func:`assess_frame` hands it to :func:`assess_arrow_batches`
through Arrow, so both give the same results. pandas is needed only by that function's caller
(Dask or Spark bring it); it is not a dependency of the library.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any, Final

from ..errors import InputError
from .records import record_of
from .sweep import assess_partition

__all__ = ["RESULT_META", "RESULT_SCHEMA", "assess_arrow_batches", "assess_frame"]

#: The output schema in Spark's DDL form, for ``mapInArrow(function, RESULT_SCHEMA)``.
RESULT_SCHEMA: Final = "result string"
#: The output columns in Dask's form, for ``map_partitions(assess_frame, ..., meta=RESULT_META)``:
#: pandas' default text dtype (``str``: object under pandas 2, the string dtype under pandas 3),
#: the dtype ``pyarrow``'s ``to_pandas`` gives a string column.
RESULT_META: Final = {"result": "str"}


def assess_arrow_batches(
    batches: Iterable[Any],
    *,
    kind: str,
    as_of: dt.date | str | None = None,
    column: str = "value",
    engine: str = "columnar",
) -> Iterator[Any]:
    """One pyarrow RecordBatch of results (column ``result``) per input batch, in order."""
    import pyarrow

    for batch in batches:
        texts = _texts(pyarrow, batch, column)
        records = [
            record
            for number, text in enumerate(texts, start=1)
            if text is not None
            and (record := record_of(number, text if isinstance(text, bytes)
                                     else text.encode("utf-8"), kind)) is not None
        ]  # fmt: skip
        results = assess_partition(records, kind=kind, as_of=as_of, engine=engine)
        lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in results]
        yield pyarrow.RecordBatch.from_arrays([pyarrow.array(lines, pyarrow.string())],
                                              names=["result"])  # fmt: skip


def _texts(pyarrow: Any, batch: Any, column: str) -> list[str | bytes | None]:
    """The JSON texts of a batch's column: a text column, or a binary one (a Parquet file may
    store text as binary) read as UTF-8; anything else is an InputError naming the column."""
    if column not in batch.schema.names:
        raise InputError("column", f"{column!r} is not a column of the batch; accepted: the "
                         "name of its column of JSON texts")  # fmt: skip
    kind = batch.schema.field(column).type
    types = pyarrow.types
    if not (types.is_string(kind) or types.is_large_string(kind) or types.is_binary(kind)
            or types.is_large_binary(kind)):  # fmt: skip
        raise InputError("column", f"{column!r} holds {kind}; accepted: a string or binary "
                         "column of JSON texts, one record each")  # fmt: skip
    texts: list[str | bytes | None] = batch.column(column).to_pylist()
    return texts


def assess_frame(
    frame: Any,
    *,
    kind: str,
    as_of: dt.date | str | None = None,
    column: str = "value",
    engine: str = "columnar",
) -> Any:
    """A pandas DataFrame of results (column ``result``, a fresh index) for a pandas DataFrame
    of one JSON text per record (column ``column``), in order: one Dask DataFrame partition, as
    ``read_parquet`` of one string column gives it. The rows are those of
    :func:`assess_arrow_batches` for the same texts: a null or blank text gives no row.
    """
    import pyarrow

    batch = pyarrow.RecordBatch.from_pandas(frame[[column]], preserve_index=False)
    (results,) = assess_arrow_batches([batch], kind=kind, as_of=as_of, column=column,
                                      engine=engine)  # fmt: skip
    return results.to_pandas()
