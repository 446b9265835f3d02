"""A review sweep of N synthetic registrants on all cores: wall time and RSS (issue 5, item 3).

The registrants (``lnunemp_rules._generate``, 1% deliberately bad) are first written to a
JSON Lines file (not timed); the sweep then streams that file through
``lnunemp_rules._batch.sweep_items`` on every core, writes each decision as JSONL and counts
them (4.3.2), as ``lnunemp-rules batch`` does. RSS is the sum over the parent and its worker
processes, sampled every 0.2 s; it is printed at 1/4, 1/2 and all of the records to show it
does not grow with their number. If ``_batch``/``_generate`` are missing, registrant dicts
come from scripts/synthetic.py and a multiprocessing Pool calls ``assess_deregistration``.

Run: ``PYTHONPATH=src python benchmarks/bench_sweep.py [--n 1000000] [--workers N]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

__all__ = ["main", "tree_rss_mb"]

AS_OF = "2026-11-28"


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                found += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return found


def tree_rss_mb() -> float:
    """RSS of this process and all its descendants, in MB (Linux /proc)."""
    total, todo = 0, [os.getpid()]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo += _children(pid)
    return total / 1024


class _Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.peak = max(self.peak, tree_rss_mb())


def _write_input(path: str, n: int, seed: int) -> tuple[float, bool]:
    start = time.perf_counter()
    try:
        from lnunemp_rules._generate import generate_records

        records: Iterator[dict[str, Any]] = generate_records("review", n, seed=seed)
        packaged = True
    except ImportError:
        import synthetic

        records = (synthetic.registrants(1, seed=seed + i)[0] for i in range(n))
        packaged = False
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return time.perf_counter() - start, packaged


def _fallback_results(path: str, workers: int) -> Iterator[dict[str, Any]]:
    """Without _batch: a Pool over the file's lines calling assess_deregistration."""
    import multiprocessing

    with open(path, encoding="utf-8") as f, multiprocessing.Pool(workers) as pool:
        yield from pool.imap(_decide_line, f, chunksize=500)


def _decide_line(line: str) -> dict[str, Any]:
    import lnunemp_rules as L

    try:
        decision = L.assess_deregistration(json.loads(line), as_of=AS_OF)
    except L.InputError as exc:
        return {"field": exc.field, "error": str(exc)}
    return {"outcome": decision.outcome}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="registrants")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the input and output files")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="lnunemp-sweep-")
    source, target = os.path.join(folder, "registrants.jsonl"), os.path.join(folder, "out.jsonl")
    generated, packaged = _write_input(source, args.n, args.seed)
    size = os.path.getsize(source) / 1e6
    print(
        f"input: {args.n:,} registrants ({'_generate' if packaged else 'scripts/synthetic'}), "
        f"{size:,.0f} MB JSONL, written in {generated:.1f} s (not timed)"
    )
    checkpoints = {max(args.n // 4, 1): "1/4", max(args.n // 2, 1): "1/2", args.n: "all"}
    outcomes: dict[str, int] = {}
    sampler = _Sampler()
    sampler.start()
    start = time.perf_counter()
    try:
        from lnunemp_rules._batch import BatchSummary, read_jsonl, sweep_items

        summary: Any = BatchSummary("review", AS_OF)
        stream = open(source, "rb")  # noqa: SIM115
        results: Iterator[dict[str, Any]] = (
            r
            for _, r in sweep_items(
                read_jsonl(stream), kind="review", as_of=AS_OF, workers=args.workers
            )
        )
        how = f"lnunemp_rules._batch.sweep_items, {args.workers} worker processes"
    except ImportError:
        summary, stream = None, None
        results = _fallback_results(source, args.workers)
        how = f"multiprocessing.Pool({args.workers}) over assess_deregistration"
    print(f"sweep: {how}")
    count = 0
    with open(target, "w", encoding="utf-8") as out:
        for result in results:
            count += 1
            if summary is not None:
                summary.add(result)
            key = result.get("outcome", "error")
            outcomes[key] = outcomes.get(key, 0) + 1
            out.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")
            if count in checkpoints:
                rss = tree_rss_mb()
                sampler.peak = max(sampler.peak, rss)
                elapsed = time.perf_counter() - start
                print(
                    f"  {checkpoints[count]:>3} ({count:>9,} records): {elapsed:7.1f} s, "
                    f"RSS (all processes) {rss:6.1f} MB",
                    flush=True,
                )
    wall = time.perf_counter() - start
    sampler.done.set()
    if stream is not None:
        stream.close()
    print(
        f"wall time {wall:.1f} s for {count:,} records ({count / wall:,.0f}/s on "
        f"{args.workers} processes; target <= 45 s for 1,000,000)"
    )
    print(f"peak RSS (all processes, sampled every 0.2 s) {sampler.peak:.1f} MB (target <= 300 MB)")
    print(f"outcomes {dict(sorted(outcomes.items()))}")
    if not args.keep:
        for path in (source, target):
            os.remove(path)
        os.rmdir(folder)
    else:
        print(f"files kept in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
