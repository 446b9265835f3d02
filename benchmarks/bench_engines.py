"""Decisions per second of the two engines on the same inputs (docs/engines.md: the default).

Both facade functions are timed end to end from a plain dict (validation, derived facts,
evaluation, decision building), once with ``engine="python"`` and once with
``engine="durable"``, on the same seeded synthetic records (``random.Random``, no
hypothesis: ``lnunemp_rules.analyst.generate``). ``to_dict()`` is not part of the timing.
Each engine is warmed up first (rule book loaded, durable rulesets compiled). Afterwards the
first 500 outcomes of the two engines are compared (a disagreement exits 1).

The baseline is the durable engine, measured in the same run on the same records: without
durable_rules (Python 3.13+, or no C compiler at install) the script exits 2. Target
(docs/engines.md, why the default is python; ``--check`` exits 1 when missed): the python
engine at least as fast as durable_rules for both functions.

Run: ``PYTHONPATH=src python benchmarks/bench_engines.py [--n 5000] [--seed 7] [--check]``
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from targets import Targets, add_check_option, require_baseline

import lnunemp_rules as L
from lnunemp_rules.analyst.generate import DEFAULT_AS_OF, generate_records

__all__ = ["main", "measure"]


def measure(decide: Callable[[dict[str, Any]], Any], records: Sequence[dict[str, Any]]) -> float:
    """Decisions per second of ``decide`` over ``records`` (after a short warm-up)."""
    for record in records[:50]:
        decide(record)
    start = time.perf_counter()
    for record in records:
        decide(record)
    return len(records) / (time.perf_counter() - start)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="records per kind (default 5000)")
    parser.add_argument("--seed", type=int, default=7)
    add_check_option(parser)
    args = parser.parse_args(argv)

    engines = L.available_engines()
    require_baseline(
        "durable engine", "durable" in engines, "durable_rules needs Python < 3.13 and a C compiler"
    )
    targets = Targets(args.check)
    print(f"lnunemp-rules {L.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, engines: {', '.join(engines)}")  # fmt: skip
    applications = list(generate_records("registration", args.n, seed=args.seed, bad_share=0))
    registrants = list(generate_records("review", args.n, seed=args.seed, bad_share=0))
    kinds: dict[str, tuple[Callable[[str], Callable[[dict[str, Any]], Any]], list[Any]]] = {
        "assess_registration": (
            lambda e: lambda r: L.assess_registration(r, engine=e),
            applications,
        ),
        "assess_deregistration": (
            lambda e: lambda r: L.assess_deregistration(r, as_of=DEFAULT_AS_OF, engine=e),
            registrants,
        ),
    }
    print(f"{'function':<24}{'engine':<9}{'decisions/s':>12}{'us/decision':>13}")
    for name, (make, records) in kinds.items():
        rates: dict[str, float] = {}
        for engine in engines:
            rates[engine] = rate = measure(make(engine), records)
            print(f"{name:<24}{engine:<9}{rate:>12,.0f}{1e6 / rate:>13,.0f}")
        print(f"{name:<24}{'ratio':<9}{rates['python'] / rates['durable']:>11.2f}x "
              "(python / durable, the baseline of this run)")  # fmt: skip
        same = all(make("python")(r).outcome == make("durable")(r).outcome for r in records[:500])
        if not same:
            print(f"{name}: the engines disagree on an outcome", file=sys.stderr)
            return 1
        targets.at_least(f"{name} python / durable", rates["python"] / rates["durable"], 1.0, "x")
    return targets.finish()


if __name__ == "__main__":
    raise SystemExit(main())
