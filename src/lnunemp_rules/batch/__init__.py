"""Sweeps over many records: a whole register's review or a file of applications (4.3.1, 4.3.2).

JSON Lines or CSV in, one JSON line per decision out, rejected records to an error file, and
counts by outcome, clause and prefecture; :func:`assess_partition` runs unchanged under Dask
and Spark.
"""

from __future__ import annotations

from .manifest import Manifest, manifest_path, read_manifest
from .records import Rejected, input_format, read_csv, read_jsonl, record_to_row, row_to_record
from .run import run_batch
from .summary import BatchSummary, write_summary
from .sweep import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_TASK_TIMEOUT,
    as_of_date,
    assess_partition,
    default_workers,
    sweep,
    sweep_items,
)

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_TASK_TIMEOUT",
    "BatchSummary",
    "Manifest",
    "Rejected",
    "as_of_date",
    "assess_partition",
    "default_workers",
    "input_format",
    "manifest_path",
    "read_csv",
    "read_jsonl",
    "read_manifest",
    "record_to_row",
    "row_to_record",
    "run_batch",
    "sweep",
    "sweep_items",
    "write_summary",
]
