"""Concurrent decisions equal single-threaded ones on each engine (issue 5, item 4).

4 threads x 2,500 decisions (registration and review mixed) run at the same time and each
decision's JSON must equal the one made single-threaded for the same input. The full
4 x 25,000 run is ``scripts/threads_check.py``, recorded in docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import Any

import builders
from lnunemp_rules import assess_deregistration, assess_registration
from threaded import run_threads

THREADS = 4
PER_THREAD = 2_500
POOL = 500
_CAUSES = [
    {"category": "resignation"},
    {"category": "graduate", "school_status": "graduated"},
    {"category": "veteran", "state_placement": True},
    None,
    {"category": "land_requisition", "meets_local_conditions": "unknown"},
    {"category": "other", "description": "unlisted"},
]
_EVENTS = ["contact", "hired", "refusal", "death", "withdrawal"]


def _cases() -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(3)
    cases: list[tuple[str, dict[str, Any]]] = []
    for _ in range(POOL // 2):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(18_000))
        on = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600))
        cause = rng.choice(_CAUSES)
        drop = ("cause",) if cause is None else ()
        app = builders.application(
            birth=birth, on=on, sex=rng.choice(["male", "female"]), cause=cause or {}, drop=drop
        )
        cases.append(("registration", app))
        registered = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))
        events = [
            builders.event(rng.choice(_EVENTS), registered + dt.timedelta(days=d))
            for d in sorted(rng.sample(range(60), rng.randrange(3)))
        ]
        cases.append(("review", builders.registrant(*events, registered=registered)))
    return cases


def _decide(case: tuple[str, dict[str, Any]], engine: str) -> str:
    kind, data = case
    if kind == "registration":
        return assess_registration(data, engine=engine).to_json(sort_keys=True)
    return assess_deregistration(data, as_of="2026-11-28", engine=engine).to_json(sort_keys=True)


def test_concurrent_decisions_equal_single_threaded(engine: str) -> None:
    """4 threads x 2,500 concurrent decisions each equal the single-threaded decision."""
    cases = _cases()
    expected = [_decide(c, engine) for c in cases]
    assert len(set(expected)) > POOL // 2, "the inputs should give many distinct decisions"

    def work(t: int) -> list[int]:
        """The pool indices whose concurrent decision differs from the single-threaded one."""
        differ = []
        for i in range(PER_THREAD):
            k = (i + t * (POOL // THREADS)) % POOL
            if _decide(cases[k], engine) != expected[k]:
                differ.append(k)
        return differ

    differing = run_threads([functools.partial(work, t) for t in range(THREADS)])
    mismatches = [k for found in differing for k in found]
    assert mismatches == []
