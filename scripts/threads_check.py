"""Concurrent decisions equal single-threaded ones (issue 5, item 4): 4 threads x 25,000.

Each engine first decides a pool of synthetic inputs (registration and review alternating)
in one thread; then ``--threads`` threads each decide ``--per-thread`` inputs from the same
pool, each starting at a different offset, at the same time. Every concurrent decision's
JSON must equal the single-threaded one. Exit 0 if all equal, 1 otherwise.

Run: ``PYTHONPATH=src python scripts/threads_check.py [--threads 4] [--per-thread 25000]``
"""

from __future__ import annotations

import argparse
import hashlib
import threading
import time
from typing import Any

import lnunemp_rules as L
from lnunemp_rules.analyst.generate import generate_records

__all__ = ["check_engine", "main"]


def _decide(case: tuple[str, dict[str, Any]], engine: str) -> str:
    kind, data = case
    if kind == "registration":
        decision: Any = L.assess_registration(data, engine=engine)
    else:
        decision = L.assess_deregistration(data, as_of="2026-11-28", engine=engine)
    return hashlib.sha256(decision.to_json(sort_keys=True).encode()).hexdigest()


def check_engine(engine: str, threads: int, per_thread: int, pool: int) -> tuple[int, int]:
    """(mismatches, decisions made concurrently) for one engine."""
    apps = list(generate_records("registration", pool // 2 + 1, seed=5, bad_share=0.0))
    people = list(generate_records("review", pool // 2 + 1, seed=5, bad_share=0.0))
    cases: list[tuple[str, dict[str, Any]]] = []
    for app, person in zip(apps, people, strict=True):
        cases += [("registration", app), ("review", person)]
    cases = cases[:pool]
    expected = [_decide(c, engine) for c in cases]
    mismatches = [0] * threads
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work(t: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                k = (i * 7 + t * (pool // threads)) % pool
                if _decide(cases[k], engine) != expected[k]:
                    mismatches[t] += 1
        except BaseException as exc:  # reported by the caller
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise errors[0]
    return sum(mismatches), threads * per_thread


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--per-thread", type=int, default=25_000)
    parser.add_argument("--pool", type=int, default=5_000, help="distinct inputs")
    args = parser.parse_args(argv)
    failed = False
    for engine in L.available_engines():
        start = time.perf_counter()
        bad, total = check_engine(engine, args.threads, args.per_thread, args.pool)
        elapsed = time.perf_counter() - start
        print(
            f"{engine}: {args.threads} threads x {args.per_thread:,} = {total:,} concurrent "
            f"decisions, {bad} differ from single-threaded ({elapsed:.1f} s)"
        )
        failed = failed or bad > 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
