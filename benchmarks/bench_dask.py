"""A review sweep on Dask DataFrames read from Parquet against the library's own sweep of the
same records, on the columnar engine (issue 12, item 5; docs/scaling.md).

N generated registrants (``lnunemp_rules.analyst.generate``, 1% deliberately bad) are written,
untimed, both as JSON Lines and as P Parquet files of one string column ``value`` (one JSON
text per record, one row group per file). Then, in this one run, each timed from its input
file to its output file(s) on disk:

- ``run_batch`` in this process (``workers=1``) and over W worker processes: the baseline;
- Dask: ``read_parquet`` -> ``map_partitions(assess_frame, ...)`` -> ``to_parquet`` with the
  ``processes`` scheduler on W workers, twice on one pool of spawned worker processes: the
  first run ("cold") includes starting them, importing the library and loading the rules;
  the second ("warm") does not.

Before timing, this process decides 100 records (loading and compiling the rules, as each
Dask worker does in its cold run). The number of results and of error entries must agree
between Dask and ``run_batch``. The machine's load (``/proc/loadavg``) is printed before and
after: on a machine shared with other work the figures are rough. No target is checked (the
issue asks for measured figures).

Run: ``python benchmarks/bench_dask.py [--n 20000] [--partitions 8] [--workers 2]``
(needs ``dask[dataframe]`` and ``lnunemp-rules[columnar]``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

__all__ = ["main"]

AS_OF = "2026-11-28"


def _load() -> str:
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def _write_inputs(folder: Path, n: int, partitions: int, seed: int) -> Path:
    """The registrants as JSON Lines (returned) and as ``parquet/part-<i>.parquet``."""
    import pyarrow
    import pyarrow.parquet

    from lnunemp_rules.analyst.generate import generate_records

    texts = [json.dumps(r, ensure_ascii=False, separators=(",", ":"))
             for r in generate_records("review", n, seed=seed)]  # fmt: skip
    source = folder / "registrants.jsonl"
    source.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
    (folder / "parquet").mkdir()
    size = -(-n // partitions)
    for number, start in enumerate(range(0, n, size)):
        column = pyarrow.array(texts[start : start + size], pyarrow.string())
        path = folder / "parquet" / f"part-{number:03d}.parquet"
        pyarrow.parquet.write_table(pyarrow.table({"value": column}), path, row_group_size=size)
    return source


def _dask_run(folder: Path, target: Path, workers: int, pool: Any) -> tuple[float, list[str]]:
    """Seconds for read_parquet -> map_partitions(assess_frame) -> to_parquet, and the results."""
    import dask
    import dask.dataframe as dd
    import pandas

    from lnunemp_rules.batch.arrow import RESULT_META, assess_frame

    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    with dask.config.set(scheduler="processes", num_workers=workers, pool=pool):
        frame = dd.read_parquet(str(folder / "parquet"))
        results = frame.map_partitions(assess_frame, kind="review", as_of=AS_OF,
                                       engine="columnar", meta=RESULT_META)  # fmt: skip
        results.to_parquet(str(target), write_index=False)
    wall = time.perf_counter() - start
    partitions = frame.npartitions
    written = pandas.read_parquet(target)["result"].tolist()
    print(f"  ({partitions} partitions in, {len(written):,} results written)")
    return wall, written


def main(argv: list[str] | None = None) -> int:
    """Print the figures; 1 if Dask and run_batch disagree on the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="registrants")
    parser.add_argument("--partitions", type=int, default=8, help="Parquet files (partitions)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    from lnunemp_rules import assess_partition, run_batch

    print(f"load before (1, 5, 15 min): {_load()}; CPUs usable: {len(os.sched_getaffinity(0))}")
    folder = Path(tempfile.mkdtemp(prefix="lnunemp-dask-"))
    try:
        source = _write_inputs(folder, args.n, args.partitions, args.seed)
        print(f"input: {args.n:,} registrants, JSON Lines and {args.partitions} Parquet files "
              f"(written, not timed)")  # fmt: skip
        # Untimed: this process loads the rules and compiles the columnar ones once, as the
        # Dask workers do in their cold run; the forked workers of run_batch inherit them.
        with open(source, "rb") as lines:
            first = [json.loads(line) for _, line in zip(range(100), lines, strict=False)]
        assess_partition(first, kind="review", as_of=AS_OF, engine="columnar")
        summary = None
        for workers in sorted({1, args.workers}):
            start = time.perf_counter()
            summary = run_batch(source, folder / f"out-{workers}.jsonl", kind="review",
                                as_of=AS_OF, workers=workers, engine="columnar",
                                progress=False)  # fmt: skip
            wall = time.perf_counter() - start
            label = f"run_batch, {workers} process{'es' if workers > 1 else ''}"
            print(f"{label}: {wall:.2f} s, {args.n / wall:,.0f} records/s")
        assert summary is not None
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(args.workers, mp_context=spawn) as pool:
            for label in ("cold", "warm"):
                wall, written = _dask_run(folder, folder / "dask-out", args.workers, pool)
                name = f"Dask DataFrame, {args.workers} processes, {label}"
                print(f"{name}: {wall:.2f} s, {args.n / wall:,.0f} records/s")
        errors = sum("error" in json.loads(text) for text in written)
        agree = len(written) == summary.records and errors == summary.errors
        print(f"Dask: {len(written):,} results, {errors:,} errors; run_batch: "
              f"{summary.records:,} records, {summary.errors:,} errors -> "
              f"{'agree' if agree else 'DISAGREE'}")  # fmt: skip
        print(f"load after (1, 5, 15 min): {_load()}")
        return 0 if agree else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
