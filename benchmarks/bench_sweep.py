"""A review sweep of N synthetic registrants on all cores: wall time and RSS (issue 5, item 3).

The registrants (``lnunemp_rules.analyst.generate``, 1% deliberately bad) are first written to a
JSON Lines file (not timed) unless ``--input`` names one; the sweep is then
``lnunemp_rules.run_batch`` on that file, exactly what ``lnunemp-rules batch
registrants.jsonl --kind review --as-of ... --no-progress`` runs: worker processes parse the
lines, decide and serialise, the parent writes the decisions, the error file and the
manifest's checkpoints and counts them (4.3.2).
RSS is the sum over the parent and its worker processes, sampled every 0.2 s by a thread
started only once the first worker exists (the sweep forks its workers only while the process
has one thread; a sampler started earlier would make it spawn them instead); it is printed at
1/4, 1/2 and 3/4 of the run to show it does not grow with the number of records.

The baseline, measured in the same run on the same file, is the input/output floor of a
sweep: one process reads every line, parses it with ``json.loads``, serialises it back with
``json.dumps`` and writes it, deciding nothing. Targets (issue 5; ``--check`` exits 1 when
one is missed): 1,000,000 registrants in <= 45 s on 2 cores (for another ``--n``, the same
rate: >= 22,222 records/s) and peak RSS of all processes <= 300 MB.

Run: ``PYTHONPATH=src python benchmarks/bench_sweep.py [--n 1000000] [--workers N] [--check]``
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import tempfile
import threading
import time
from typing import Any

from targets import Targets, add_check_option

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
        self.samples: list[tuple[float, float]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.samples.append((time.perf_counter(), tree_rss_mb()))

    @property
    def peak(self) -> float:
        return max((rss for _, rss in self.samples), default=0.0)

    def at(self, moment: float) -> float:
        """The first sample taken at or after ``moment`` (perf_counter seconds)."""
        return next((rss for when, rss in self.samples if when >= moment), self.peak)


def _sample_once_pooled(sampler: _Sampler) -> Any:
    """Start ``sampler`` right after the sweep has started its first worker process.

    The sweep forks its workers only while this process has a single thread (a thread
    started earlier would make it spawn them), so the sampler waits for the first worker.
    Code before issue 11 (``benchmarks/compare_sweep_with_commit.py`` runs it) has no
    ``batch.pool``: RSS is then not sampled, so that its pool still forks. Returns a
    function that undoes the change, or None.
    """
    try:
        pool = importlib.import_module("lnunemp_rules.batch.pool")
    except ImportError:
        return None
    original = pool._start

    def start(*args: Any, **kwargs: Any) -> Any:
        worker = original(*args, **kwargs)
        if not sampler.is_alive() and not sampler.done.is_set():
            print("first worker started; sampling RSS")
            sampler.start()
        return worker

    pool._start = start

    def undo() -> None:
        pool._start = original

    return undo


def _cpu() -> float:
    """User and system CPU seconds of this process and of its children that have ended: a
    measure that a machine shared with other work disturbs less than wall time."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)  # fmt: skip
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _write_input(path: str, n: int, seed: int) -> float:
    from lnunemp_rules.analyst.generate import generate_records

    start = time.perf_counter()
    with open(path, "w", encoding="utf-8") as out:
        for record in generate_records("review", n, seed=seed):
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return time.perf_counter() - start


def _io_floor(source: str, target: str) -> float:
    """Seconds to read, parse, serialise and write every line, deciding nothing."""
    start = time.perf_counter()
    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="registrants")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the input and output files")
    parser.add_argument("--input", help="sweep this JSONL file instead of generating one")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    add_check_option(parser)
    args = parser.parse_args(argv)
    from lnunemp_rules import run_batch

    folder = tempfile.mkdtemp(prefix="lnunemp-sweep-")
    target = os.path.join(folder, "out.jsonl")
    if args.input:
        source = args.input
        print(f"input: {source} ({os.path.getsize(source) / 1e6:,.0f} MB JSONL)")
    else:
        source = os.path.join(folder, "registrants.jsonl")
        generated = _write_input(source, args.n, args.seed)
        size = os.path.getsize(source) / 1e6
        print(
            f"input: {args.n:,} registrants (lnunemp_rules.analyst.generate, seed {args.seed}), "
            f"{size:,.0f} MB JSONL, written in {generated:.1f} s (not timed)"
        )
    floor = _io_floor(source, target)
    print(f"baseline (this run): read + json.loads + json.dumps + write, one process, no "
          f"decisions: {floor:.1f} s ({args.n / floor:,.0f} records/s)")  # fmt: skip
    print(f"sweep: lnunemp_rules.batch.run_batch, kind=review, {args.workers} worker processes")
    sampler = _Sampler()
    undo = _sample_once_pooled(sampler)
    cpu_before = _cpu()
    start = time.perf_counter()
    try:
        summary = run_batch(
            source, target, kind="review", as_of=AS_OF, workers=args.workers, progress=False
        )
    finally:
        wall = time.perf_counter() - start
        sampler.done.set()
        if undo is not None:
            undo()
    if sampler.is_alive():
        sampler.join()
    cpu = _cpu() - cpu_before
    print(f"CPU time (this process and its finished workers, user + system): {cpu:.1f} s")
    for share, label in ((0.25, "1/4"), (0.5, "1/2"), (0.75, "3/4")):
        print(f"  {label} of the run ({share * wall:6.1f} s): RSS (all processes) "
              f"{sampler.at(start + share * wall):6.1f} MB")  # fmt: skip
    total = summary.records
    print(
        f"wall time {wall:.1f} s for {total:,} records ({total / wall:,.0f}/s on "
        f"{args.workers} processes; target <= 45 s for 1,000,000)"
    )
    print(f"peak RSS (all processes, sampled every 0.2 s) {sampler.peak:.1f} MB (target <= 300 MB)")
    print(f"sweep / baseline = {wall / floor:.2f}x the time of reading and writing alone")
    outcomes = dict(sorted(summary.by_outcome.items()))
    print(f"records {summary.records:,}: decided {summary.decided:,}, errors {summary.errors:,}")
    print(f"outcomes {outcomes}; internal errors {summary.internal_errors}")
    if args.json:
        print(json.dumps({"wall": wall, "cpu": cpu, "records": total,
                          "peak_rss_mb": sampler.peak}))  # fmt: skip
    if not args.keep:
        made = [target, target + ".errors.jsonl", target + ".manifest.json"]
        for path in made if args.input else [source, *made]:
            if os.path.exists(path):
                os.remove(path)
        os.rmdir(folder)
    else:
        print(f"files kept in {folder}")
    targets = Targets(args.check)
    targets.at_least("records/s (45 s for 1,000,000)", total / wall, 1_000_000 / 45, "/s")
    targets.at_most("peak RSS, all processes", sampler.peak, 300.0, " MB")
    return targets.finish()


if __name__ == "__main__":
    raise SystemExit(main())
