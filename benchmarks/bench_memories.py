"""What each memory of a rule book saves (issue 9, item 2: keep one only where it pays > 5%).

One process, the same seeded synthetic inputs (``lnunemp_rules.analyst.generate``): 20,000
registration applications and 5,000 registrants reviewed as of 2026-11-28. Each is decided with
every memory in use (the baseline, measured in this run), then with one memory switched off at a
time (the rule book hands out a fresh, forgotten memory for it on every call). Printed per
memory: mean microseconds per decision without it, and the share of a decision it saves.

Target (issue 9, item 2; ``--check`` exits 1 when missed): each memory saves more than 5% of
a decision of a procedure that uses it.

Run: ``python benchmarks/bench_memories.py [--n 20000] [--reviews 5000] [--rounds 3] [--check]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from targets import Targets, add_check_option

from lnunemp_rules import assess_deregistration, assess_registration, load_rule_book
from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.decide import citations, derivations, registration, review
from lnunemp_rules.rulebook.book import RuleBook
from lnunemp_rules.rulebook.memos import Memo

__all__ = ["main"]

AS_OF = dt.date(2026, 11, 28)
MEMORIES: dict[str, Memo[Any, Any]] = {
    "citations": citations._CITED,
    "registration verdicts": registration._VERDICTS,
    "retirement by birth month": derivations._RETIREMENT,
    "contact lapses": review._LAPSES,
}


@contextmanager
def forgotten(spec: Memo[Any, Any] | None) -> Iterator[None]:
    """Every rule book hands out an empty, unkept memory for ``spec`` while inside."""
    original = RuleBook.memo
    if spec is None:
        yield
        return

    def memo(self: RuleBook, wanted: Memo[Any, Any]) -> dict[Any, Any]:
        return {} if wanted is spec else original(self, wanted)

    RuleBook.memo = memo  # type: ignore[method-assign]
    try:
        yield
    finally:
        RuleBook.memo = original  # type: ignore[method-assign]


def _mean_us(decide: Callable[[Any], object], records: list[Any], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for record in records:
            decide(record)
        best = min(best, (time.perf_counter() - start) / len(records))
    return best * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--reviews", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    add_check_option(parser)
    args = parser.parse_args(argv)
    targets = Targets(args.check)
    applications = list(generate_records("registration", args.n, seed=1, bad_share=0.0))
    registrants = list(generate_records("review", args.reviews, seed=1, bad_share=0.0))
    book = load_rule_book()
    kinds: dict[str, tuple[Callable[[Any], object], list[Any]]] = {
        "registration": (lambda r: assess_registration(r, rule_book=book), applications),
        "review": (lambda r: assess_deregistration(r, as_of=AS_OF, rule_book=book), registrants),
    }
    for decide, records in kinds.values():  # warm up: compiled rules, calendar, tables
        for record in records[:500]:
            decide(record)
    baseline = {kind: _mean_us(d, r, args.rounds) for kind, (d, r) in kinds.items()}
    print(f"{args.n:,} applications, {args.reviews:,} registrants; best of {args.rounds} rounds")
    for kind, us in baseline.items():
        print(f"  every memory in use   {kind:<13} {us:7.2f} us/decision (baseline)")
    for name, spec in MEMORIES.items():
        shares = []
        for kind, (decide, records) in kinds.items():
            with forgotten(spec):
                us = _mean_us(decide, records, args.rounds)
            share = (us - baseline[kind]) / us * 100
            shares.append(share)
            print(f"  without {name:<26} {kind:<13} {us:7.2f} us/decision, "
                  f"saves {share:5.1f}% of a decision")  # fmt: skip
        targets.at_least(f"memory '{name}' saves of a decision", max(shares), 5.0, "%")
    return targets.finish()


if __name__ == "__main__":
    raise SystemExit(main())
