"""Compare the columnar engine with the per-record engine on every record of a large generated
register (issue 12, item 2; run by hand, the figure goes in docs/performance.md).

Each partition of the register is generated in a worker process from its own seed, decided
by ``assess_partition`` on both engines, and compared line by line (compact decision or error
entry). Prints the records compared, the errors among them and the differences; exits 1 on any
difference.

Run: ``PYTHONPATH=src python scripts/compare_columnar.py [--n 1000000] [--workers 2]``
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time

from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.batch import assess_partition

AS_OF = "2026-11-28"
PARTITION = 5_000


def _compare(task: tuple[str, int, int]) -> tuple[int, int, int]:
    """(records, error entries, differences) of one generated partition."""
    kind, seed, size = task
    records = list(generate_records(kind, size, seed=seed, bad_share=0.01))
    as_of = AS_OF if kind == "review" else None
    python = assess_partition(records, kind=kind, as_of=as_of, engine="python")
    columnar = assess_partition(records, kind=kind, as_of=as_of, engine="columnar")
    differences = sum(a != b for a, b in zip(python, columnar, strict=True))
    return len(records), sum("error" in r for r in python), differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--kind", choices=("review", "registration"), default="review")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    sizes = [min(PARTITION, args.n - start) for start in range(0, args.n, PARTITION)]
    tasks = [(args.kind, 1_000 + i, size) for i, size in enumerate(sizes)]
    started = time.perf_counter()
    totals = [0, 0, 0]
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for done in pool.imap_unordered(_compare, tasks):
            totals = [a + b for a, b in zip(totals, done, strict=True)]
    records, errors, differences = totals
    print(
        f"{args.kind}: {records:,} records compared ({errors:,} error entries), "
        f"{differences:,} differences, {time.perf_counter() - started:.0f} s wall"
    )
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
