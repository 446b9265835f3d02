"""The columnar sweep over Arrow record batches: the partition function for Spark's
``mapInArrow`` (and any engine that hands over Arrow), docs/scaling.md.

Each input batch holds one JSON text per record (Spark's ``read.text`` column ``value``);
each output batch holds one JSON text per result (column ``result``): the compact line of a
decision, or the record's error entry, exactly as :func:`.sweep.assess_partition` gives it.
Records stay JSON because a register's nested events do not make flat columns. Each text is
read as a file sweep reads a JSON line (the bounded parser of issue 11): one that is not a
JSON object becomes its error entry and the batch goes on; a blank or null one is skipped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

from .records import record_of
from .sweep import assess_partition

__all__ = ["RESULT_SCHEMA", "assess_arrow_batches"]

#: The output schema in Spark's DDL form, for ``mapInArrow(function, RESULT_SCHEMA)``.
RESULT_SCHEMA = "result string"


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
        texts = batch.column(column).to_pylist()
        records = [
            record
            for number, text in enumerate(texts, start=1)
            if text is not None
            and (record := record_of(number, text.encode("utf-8"), kind)) is not None
        ]
        results = assess_partition(records, kind=kind, as_of=as_of, engine=engine)
        lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in results]
        yield pyarrow.RecordBatch.from_arrays([pyarrow.array(lines, pyarrow.string())],
                                              names=["result"])  # fmt: skip
