"""Soak the durable_rules engine: N decisions in one process, RSS printed at intervals.

Issue 5, item 4: the Rete engine keeps state per session in C; every decision deletes its
session, so memory must stay flat. Registration and review decisions alternate over a fixed
pool of synthetic inputs (lnunemp_rules.analyst.generate). Exits 1 if the resident set grows
more than ``--max-growth-mb`` (default 10) after the warm-up, 1 on any exception, 2 if
durable_rules is unavailable. A crash inside the C extension kills the process with a
signal (non-zero exit).

Run: ``PYTHONPATH=src python scripts/durable_soak.py [--n 1000000] [--every 50000]``
"""

from __future__ import annotations

import argparse
import gc
import sys
import time

import lnunemp_rules as L
from lnunemp_rules.analyst.generate import generate_records

__all__ = ["main", "rss_mb"]


def rss_mb() -> float:
    """The current resident set size in MB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="decisions to make")
    parser.add_argument("--every", type=int, default=0, help="print RSS every k decisions")
    parser.add_argument("--warmup", type=int, default=0, help="decisions before the baseline")
    parser.add_argument("--pool", type=int, default=2_000, help="distinct synthetic inputs")
    parser.add_argument("--max-growth-mb", type=float, default=10.0)
    args = parser.parse_args(argv)
    if "durable" not in L.available_engines():
        print("durable_rules is not available here", file=sys.stderr)
        return 2
    every = args.every or max(args.n // 20, 1)
    warmup = args.warmup or min(max(args.n // 10, 1_000), 20_000)
    apps = list(generate_records("registration", args.pool, seed=11, bad_share=0.0))
    people = list(generate_records("review", args.pool, seed=11, bad_share=0.0))
    baseline = peak = 0.0
    start = time.perf_counter()
    outcomes: dict[str, int] = {}
    try:
        for i in range(args.n):
            k = i // 2 % args.pool
            if i % 2 == 0:
                d = L.assess_registration(apps[k], engine="durable")
            else:
                d = L.assess_deregistration(people[k], as_of="2026-11-28", engine="durable")
            outcomes[d.outcome] = outcomes.get(d.outcome, 0) + 1
            done = i + 1
            if done == warmup:
                gc.collect()
                baseline = rss_mb()
                print(f"warm-up done after {done:,} decisions: baseline RSS {baseline:.1f} MB")
            if done % every == 0 or done == args.n:
                rss = rss_mb()
                peak = max(peak, rss)
                rate = done / (time.perf_counter() - start)
                print(f"{done:>10,} decisions  RSS {rss:7.1f} MB  {rate:8,.0f}/s", flush=True)
    except Exception as exc:  # any failure is a failed soak, reported by type only
        print(f"FAILED after {i:,} decisions: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    gc.collect()
    final = rss_mb()
    elapsed = time.perf_counter() - start
    growth = final - baseline if baseline else 0.0
    print(f"{args.n:,} decisions in {elapsed:.1f} s ({args.n / elapsed:,.0f}/s); outcomes "
          f"{dict(sorted(outcomes.items()))}")  # fmt: skip
    print(f"RSS baseline {baseline:.1f} MB, final {final:.1f} MB, peak {peak:.1f} MB, "
          f"growth after warm-up {growth:+.1f} MB (limit {args.max_growth_mb} MB)")  # fmt: skip
    if growth > args.max_growth_mb:
        print("FAILED: RSS grew beyond the limit", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
