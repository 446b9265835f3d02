"""Registration decisions per second of this tree beside another commit's, in one run.

Exports ``REV`` (``git archive``) into a temporary folder, writes one file of seeded synthetic
applications with this tree's generator, then runs ``benchmarks/bench_registration.py
--only-python --inputs FILE`` alternately against the two trees' code (``PYTHONPATH``), ``--runs``
times each, on one core. The bench script uses the public API only, so it runs unchanged on
the older code. Prints every run, the median rate of each tree and the ratio.

The baseline is the other commit, run in the same process tree on the same file. Targets
(issue 9; ``--check`` exits 1 when one is missed): this tree >= 25,000 decisions/s and >= 0.90
times the other commit.

Run from the repository: ``python benchmarks/compare_with_commit.py 597ed32 [--n 20000]
[--check]``
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

from targets import Targets, add_check_option

from lnunemp_rules.analyst.generate import generate_records

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench_registration.py"


def _export(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src", "rules"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _rate(src: Path, inputs: Path, n: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("LNUNEMP_RULES_DIR", None)
    out = subprocess.run(
        [sys.executable, str(BENCH), "--only-python", "--inputs", str(inputs), "--n", str(n)],
        check=True, capture_output=True, text=True, env=env,
    ).stdout  # fmt: skip
    rate: float = json.loads(out.strip().splitlines()[-1])["python"]["rate"]
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the commit to compare with, e.g. 597ed32")
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    add_check_option(parser)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lnunemp-compare-") as tmp:
        folder = Path(tmp)
        other = _export(args.rev, folder / "other")
        inputs = folder / "applications.jsonl"
        with inputs.open("w", encoding="utf-8") as f:
            for record in generate_records("registration", args.n, seed=1, bad_share=0.0):
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        rates: dict[str, list[float]] = {args.rev: [], "this tree": []}
        for run in range(1, args.runs + 1):
            for label, src in ((args.rev, other), ("this tree", ROOT / "src")):
                rates[label].append(_rate(src, inputs, args.n))
                print(f"run {run}: {label:<10} {rates[label][-1]:>9,.0f} decisions/s", flush=True)
    before = statistics.median(rates[args.rev])
    after = statistics.median(rates["this tree"])
    print(f"median {args.rev}: {before:,.0f}/s; this tree: {after:,.0f}/s; "
          f"this tree / {args.rev} = {after / before:.3f} "
          f"({(after / before - 1) * 100:+.1f}%)")  # fmt: skip
    targets = Targets(args.check)
    targets.at_least("this tree, decisions/s", after, 25_000, "/s")
    targets.at_least(f"this tree / {args.rev}", after / before, 0.90, "x")
    return targets.finish()


if __name__ == "__main__":
    raise SystemExit(main())
