"""Thread safety: concurrent decisions equal the single-threaded ones on each engine.

A smaller version of issue 5's 4 threads x 25,000: 4 threads x 500 decisions per engine.
The durable engine serialises its calls with a lock (durable-rules.md: the C engine is not
safe under concurrent use); the python engine shares only the immutable, cached rule book.
"""

from __future__ import annotations

from typing import Any

import pytest

from lnunemp_rules import assess_deregistration, assess_registration, available_engines
from lnunemp_rules.analyst.generate import DEFAULT_AS_OF, generate_records
from threaded import run_threads

THREADS = 4
PER_THREAD = 500
# Half applications, half registrants: 250 of each per thread.
_APPLICATIONS = list(generate_records("registration", PER_THREAD // 2, seed=3, bad_share=0.0))
_REGISTRANTS = list(generate_records("review", PER_THREAD // 2, seed=4, bad_share=0.0))

ENGINES = [
    pytest.param(name, marks=pytest.mark.durable) if name == "durable" else name
    for name in available_engines()
]


def _decide_all(engine: str) -> list[dict[str, Any]]:
    """Every decision of the shared input list, as JSON-like dicts, in input order."""
    out = [assess_registration(a, engine=engine).to_dict() for a in _APPLICATIONS]
    out += [
        assess_deregistration(r, as_of=DEFAULT_AS_OF, engine=engine).to_dict() for r in _REGISTRANTS
    ]
    return out


@pytest.mark.parametrize("engine", ENGINES)
def test_concurrent_decisions_equal_single_threaded_ones(engine: str) -> None:
    """4 threads deciding the same 500 inputs at once each get the single-threaded decisions."""
    expected = _decide_all(engine)
    assert len({d["outcome"] for d in expected}) >= 4, "the inputs must reach varied outcomes"
    for got in run_threads([lambda: _decide_all(engine)] * THREADS):
        assert got == expected


@pytest.mark.durable
@pytest.mark.skipif("durable" not in available_engines(), reason="durable_rules unavailable")
def test_both_engines_at_once_in_threads_agree() -> None:
    """Threads running python and durable at the same time all decide as python alone does."""
    expected = [{**d, "meta": None} for d in _decide_all("python")]
    engines = ["python", "durable", "durable", "python"]
    works = [lambda e=e: _decide_all(e) for e in engines]
    for engine, got in zip(engines, run_threads(works), strict=True):
        assert {d["meta"]["engine"] for d in got} == {engine}
        assert [{**d, "meta": None} for d in got] == expected
