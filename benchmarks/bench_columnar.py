"""The columnar engine against the per-record engine, on the same register, in one run (issue 12).

N synthetic registrants (1% deliberately bad) are written to JSON Lines (not timed); then the
same ``run_batch`` that ``lnunemp-rules batch --kind review`` runs sweeps the file with one
worker on each engine (CPU seconds of this process, records/s per core, ratio), and with two
workers on the columnar engine (wall seconds, peak RSS of all processes). The phases of the
columnar path are then timed one by one on a sample, to show where the time goes.

Every figure is printed as measured in this run, so ratios hold on a loaded machine.
Targets (issue 12, item 3; ``--check`` exits 1 when one is missed): CPU time of the
per-record sweep / the columnar sweep >= 10 (one worker each); >= 250,000 records/s per core
on the columnar sweep (reading JSONL and writing output included); the two-worker columnar
sweep at the rate of 1,000,000 records in 8 s wall (>= 125,000 records/s); peak RSS of all
processes <= 1 GB, and flat: the RSS three quarters into the two-worker sweep within 10% of
the RSS a quarter in.

Run: ``PYTHONPATH=src python benchmarks/bench_columnar.py [--n 200000] [--sample 20000] [--check]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time

from bench_sweep import _cpu, _sample_once_pooled, _Sampler
from targets import Targets, add_check_option

__all__ = ["main"]

AS_OF = "2026-11-28"


def _sweep(path: str, engine: str, workers: int) -> tuple[float, float, float, list[float]]:
    """(CPU seconds of this process and its ended children, wall seconds, peak tree RSS MB,
    tree RSS MB at 1/4, 1/2 and 3/4 of the wall time).

    The RSS sampler thread starts with the first worker (bench_sweep.py says why); with one
    worker the sweep runs in this process, sampled from the start."""
    from lnunemp_rules.batch import run_batch

    sampler = _Sampler()
    undo = _sample_once_pooled(sampler) if workers > 1 else None
    if workers == 1:
        sampler.start()
    output = os.path.join(os.path.dirname(path), f"out-{engine}-{workers}.jsonl")
    before = _cpu()
    started = time.perf_counter()
    try:
        run_batch(path, output, kind="review", as_of=AS_OF, workers=workers, engine=engine,
                  progress=False)  # fmt: skip
    finally:
        wall = time.perf_counter() - started
        sampler.done.set()
        if undo is not None:
            undo()
    if sampler.is_alive():
        sampler.join()
    cpu = _cpu() - before
    quarters = [sampler.at(started + wall * q) for q in (0.25, 0.5, 0.75)]
    for made in (output, output + ".errors.jsonl", output + ".manifest.json"):
        os.remove(made)
    return cpu, wall, sampler.peak, quarters


def _phases(path: str, sample: int) -> dict[str, float]:
    """Microseconds per record of each phase of the columnar path, on the first records."""
    from lnunemp_rules.batch.sweep import _result
    from lnunemp_rules.decide import procedure

    chosen = procedure("review")
    with open(path, "rb") as f:
        lines = [line for _, line in zip(range(sample), f, strict=False)]
    spent: dict[str, float] = {}

    def timed(name: str, started: float) -> float:
        now = time.process_time()
        spent[name] = (now - started) / len(lines) * 1e6
        return now

    from lnunemp_rules.batch.records import record_of

    t = time.process_time()
    # As a sweep reads a line: the bounded parser (a key twice, NaN, too long, too deep).
    records = [record_of(n, line, "review") for n, line in enumerate(lines, start=1)]
    t = timed("read JSON (the sweep's bounded parser)", t)
    models = []
    for record in records:
        try:
            models.append(chosen.validate(record))
        except Exception:
            continue
    t = timed("validate (pydantic)", t)
    prepared = [chosen.prepare(m, as_of=AS_OF) for m in models]
    t = timed("derive facts", t)
    from lnunemp_rules.engines.columnar import evaluate_many

    book = prepared[0].book
    evaluations = evaluate_many(book, "review", [p.subjects for p in prepared])
    t = timed("evaluate rules (Arrow)", t)
    decisions = [chosen.conclude(p, e, "columnar") for p, e in zip(prepared, evaluations,
                                                                   strict=True)]  # fmt: skip
    t = timed("combine into decisions", t)
    texts = [json.dumps(_result(chosen, m.residence_region, d, False), ensure_ascii=False)
             for m, d in zip(models, decisions, strict=True)]  # fmt: skip
    t = timed("compact line + JSON", t)
    from lnunemp_rules.engines.evaluation import evaluate, plan_for

    plan = plan_for(book, "review")
    for p in prepared:
        evaluate(plan, p.subjects)
    timed("(per-record evaluation, for comparison)", t)
    assert len(texts) == len(decisions)
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="registrants (default 200,000)")
    parser.add_argument("--sample", type=int, default=20_000, help="records for the phases")
    add_check_option(parser)
    args = parser.parse_args(argv)
    from lnunemp_rules.analyst.generate import generate_records

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "registrants.jsonl")
        with open(path, "w", encoding="utf-8") as out:
            for record in generate_records("review", args.n, seed=1, bad_share=0.01):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{args.n:,} registrants, review as of {AS_OF}; one process run\n")
        rows: dict[str, tuple[float, float, float, list[float]]] = {}
        for engine in ("python", "columnar"):
            rows[engine] = _sweep(path, engine, workers=1)
        rows["columnar, 2 workers"] = _sweep(path, "columnar", workers=2)
        print(f"{'sweep':<22}{'CPU s':>9}{'wall s':>9}{'rec/s/core':>12}{'peak RSS MB':>13}")
        for name, (cpu, wall, rss, quarters) in rows.items():
            print(
                f"{name:<22}{cpu:>9.1f}{wall:>9.1f}{args.n / cpu:>12,.0f}{rss:>13.0f}"
                f"   RSS at 1/4, 1/2, 3/4: {' / '.join(f'{q:.0f}' for q in quarters)} MB"
            )
        # Flat: the tree's RSS three quarters into the two-worker sweep is within 10% of its
        # RSS a quarter in (memory bounded by the partitions in flight, not by the records).
        early, _, late = rows["columnar, 2 workers"][3]
        growth = late / early - 1 if early else float("inf")
        ratio = rows["python"][0] / rows["columnar"][0]
        print(f"\nCPU ratio per-record / columnar (1 worker): {ratio:.2f}x")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of this process over the run: {peak:.0f} MB\n")
        print(f"where the time goes (columnar path, {args.sample:,} records, us/record CPU):")
        from lnunemp_rules import state

        with state.collector_paused():  # as the sweep does
            phases = _phases(path, args.sample)
        for name, micro in phases.items():
            print(f"  {name:<42}{micro:>8.1f}")
        rules = phases["evaluate rules (Arrow)"]
        per_record = phases["(per-record evaluation, for comparison)"]
        print(f"  rules over Arrow / per-record evaluation: {rules / per_record:.2f}x the time")
        # What stays per record while a bad record must be rejected with its line and field:
        # reading each line strictly and validating it with the input models. If everything
        # else cost nothing, these alone would bound the columnar sweep.
        floor = phases["read JSON (the sweep's bounded parser)"] + phases["validate (pydantic)"]
        sweep_per_record = rows["python"][0] / args.n * 1e6
        print(
            f"\nper-record reading and validation alone: {floor:.1f} us/record, at most "
            f"{1e6 / floor:,.0f} records/s per core and a CPU ratio of at most "
            f"{sweep_per_record / floor:.1f}x over the per-record sweep "
            f"({sweep_per_record:.1f} us/record), even if all else cost nothing"
        )
    targets = Targets(args.check)
    targets.at_least("CPU per-record / columnar", ratio, 10.0, "x")
    targets.at_least("columnar records/s per core", args.n / rows["columnar"][0], 250_000, "/s")
    two = rows["columnar, 2 workers"]
    targets.at_least("columnar records/s on 2 workers (1,000,000 in 8 s)", args.n / two[1],
                     1_000_000 / 8, "/s")  # fmt: skip
    targets.at_most("peak RSS, all processes", max(r[2] for r in rows.values()), 1024.0, " MB")
    targets.at_most("RSS growth from 1/4 to 3/4 of the 2-worker sweep", growth * 100, 10.0, "%")
    return targets.finish()


if __name__ == "__main__":
    raise SystemExit(main())
