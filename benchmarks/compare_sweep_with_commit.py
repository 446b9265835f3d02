"""A file sweep of this tree beside another commit's, on one input, in one run.

Exports ``REV`` (``git archive``) into a temporary folder, writes one JSON Lines file of
seeded synthetic registrants with this tree's generator, then runs
``benchmarks/bench_sweep.py --input FILE`` alternately against the two trees' code
(``PYTHONPATH``), ``--runs`` times each. The bench script uses the public ``run_batch`` only,
so it runs unchanged on the older code. Prints every run, the medians of each tree and their
ratio, of wall time and of CPU time (this process and its workers: less disturbed by other
work on a shared machine): what the fault-tolerant sweep of issue 11 costs (one task per
worker, a manifest checkpointed every 2 s with fsync, the input hashed, lines read with a
bound, duplicate keys and long numbers looked for).

Run from the repository: ``python benchmarks/compare_sweep_with_commit.py aa32b7b [--n 200000]``
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from lnunemp_rules.analyst.generate import generate_records

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench_sweep.py"


def _export(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src", "rules"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _run(src: Path, inputs: Path, workers: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("LNUNEMP_RULES_DIR", None)
    out = subprocess.run(
        [sys.executable, str(BENCH), "--input", str(inputs), "--workers", str(workers), "--json"],
        check=True, capture_output=True, text=True, env=env,
    ).stdout  # fmt: skip
    # The JSON line is the last one that is an object: bench_sweep.py prints its targets after
    # it (since issue 14).
    line = next(text for text in reversed(out.splitlines()) if text.startswith("{"))
    found: dict[str, float] = json.loads(line)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the commit to compare with, e.g. aa32b7b")
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lnunemp-compare-sweep-") as tmp:
        folder = Path(tmp)
        other = _export(args.rev, folder / "other")
        inputs = folder / "registrants.jsonl"
        with inputs.open("w", encoding="utf-8") as f:
            for record in generate_records("review", args.n, seed=2026):
                f.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        walls: dict[str, list[float]] = {args.rev: [], "this tree": []}
        cpus: dict[str, list[float]] = {args.rev: [], "this tree": []}
        for run in range(1, args.runs + 1):
            for label, src in ((args.rev, other), ("this tree", ROOT / "src")):
                found = _run(src, inputs, args.workers)
                walls[label].append(found["wall"])
                cpus[label].append(found["cpu"])
                print(f"run {run}: {label:<10} wall {found['wall']:>6.1f} s "
                      f"({args.n / found['wall']:,.0f}/s), CPU {found['cpu']:>6.1f} s",
                      flush=True)  # fmt: skip
    for name, figures in (("wall time", walls), ("CPU time", cpus)):
        before = statistics.median(figures[args.rev])
        after = statistics.median(figures["this tree"])
        print(f"median {name} {args.rev}: {before:.1f} s; this tree: {after:.1f} s; "
              f"this tree / {args.rev} = {after / before:.3f} "
              f"({(after / before - 1) * 100:+.1f}%)")  # fmt: skip
    print(f"({args.n:,} registrants, {args.workers} workers)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
