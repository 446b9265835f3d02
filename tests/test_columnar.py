"""Differential test: the columnar engine decides exactly as the per-record engine (issue 12).

Every fixture, 10,000 hypothesis inputs per procedure and a generated register of 200,000
records go through both: the decision JSON (outcome, categories or triggers with their dates,
citations, reasons, notices, deadline, next review date, missing facts, derivations and the
trace) must be identical apart from ``meta.engine``; a sweep's compact lines must be identical.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lnunemp_rules import assess_deregistration, assess_registration
from lnunemp_rules.analyst.fixtures import load_fixture_cases
from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.batch import assess_partition
from lnunemp_rules.decide import procedure
from strategies import registrants, registration_applications

pytest.importorskip("pyarrow")

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES_PER_KIND = 10_000
REGISTER_SIZE = 200_000
AS_OF = "2026-11-28"
_SETTINGS = settings(
    max_examples=EXAMPLES_PER_KIND,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _without_engine(decision: Any) -> dict[str, Any]:
    found: dict[str, Any] = decision.to_dict()
    meta = dict(found["meta"])
    meta.pop("engine")
    return {**found, "meta": meta}


def _decide_together(kind: str, cases: list[tuple[Any, str | None]]) -> list[dict[str, Any]]:
    """The columnar decisions of all cases, evaluated as one partition."""
    chosen = procedure(kind)
    prepared = [chosen.prepare(data, as_of=as_of) for data, as_of in cases]
    decisions = chosen.decide_prepared(prepared)
    assert all(d.meta.engine == "columnar" for d in decisions)
    return [_without_engine(d) for d in decisions]


def test_every_fixture_is_decided_identically_by_the_columnar_engine() -> None:
    """Each fixture case gets the same decision JSON alone and within one partition."""
    cases = load_fixture_cases([FIXTURES])
    assert cases, "no fixture cases found"
    by_kind: dict[str, list[tuple[Any, str | None]]] = {}
    expected: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        if case.kind == "registration":
            python = assess_registration(case.input, engine="python")
            alone = assess_registration(case.input, engine="columnar")
        else:
            python = assess_deregistration(case.input, as_of=case.as_of, engine="python")
            alone = assess_deregistration(case.input, as_of=case.as_of, engine="columnar")
        assert alone.meta.engine == "columnar"
        assert _without_engine(alone) == _without_engine(python), case.name
        by_kind.setdefault(case.kind, []).append((case.input, case.as_of))
        expected.setdefault(case.kind, []).append(_without_engine(python))
    for kind, inputs in by_kind.items():
        assert _decide_together(kind, inputs) == expected[kind]


@pytest.mark.slow
def test_generated_applications_are_decided_identically_by_the_columnar_engine() -> None:
    """10,000 hypothesis applications, decided one by one and then as one partition, agree."""
    cases: list[tuple[Any, str | None]] = []
    expected: list[dict[str, Any]] = []

    @_SETTINGS
    @given(registration_applications())
    def collect(application: dict[str, Any]) -> None:
        expected.append(_without_engine(assess_registration(application, engine="python")))
        cases.append((application, None))

    collect()
    assert len(cases) >= EXAMPLES_PER_KIND
    assert {d["outcome"] for d in expected} == {"eligible", "ineligible", "needs_review",
                                                 "incomplete"}  # fmt: skip
    assert _decide_together("registration", cases) == expected


@pytest.mark.slow
def test_generated_registrants_are_decided_identically_by_the_columnar_engine() -> None:
    """10,000 hypothesis registrants, each with its own review date, agree as one partition."""
    cases: list[tuple[Any, str | None]] = []
    expected: list[dict[str, Any]] = []

    @_SETTINGS
    @given(registrants())
    def collect(case: tuple[dict[str, Any], str]) -> None:
        registrant, as_of = case
        decision = assess_deregistration(registrant, as_of=as_of, engine="python")
        expected.append(_without_engine(decision))
        cases.append((registrant, as_of))

    collect()
    assert len(cases) >= EXAMPLES_PER_KIND
    assert {d["outcome"] for d in expected} == {"deregister", "remain_registered", "needs_review"}
    assert _decide_together("review", cases) == expected


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "size"), [("review", REGISTER_SIZE), ("registration", 20_000)])
def test_a_generated_register_sweeps_identically_on_the_columnar_engine(
    kind: str, size: int
) -> None:
    """A generated register (1% defective records) gives the same compact line, or the same
    error entry, for every record on both engines, partition by partition."""
    as_of = AS_OF if kind == "review" else None
    records = generate_records(kind, size, seed=12, bad_share=0.01)
    compared = errors = 0
    while chunk := [r for _, r in zip(range(5_000), records, strict=False)]:
        python = assess_partition(chunk, kind=kind, as_of=as_of, engine="python")
        columnar = assess_partition(chunk, kind=kind, as_of=as_of, engine="columnar")
        assert columnar == python
        compared += len(chunk)
        errors += sum("error" in r for r in python)
    assert compared == size
    assert errors > 0


def test_the_collector_is_paused_during_a_columnar_partition_and_restored_after() -> None:
    """Nested pauses leave the garbage collector as it was before the first."""
    import gc

    from lnunemp_rules import state

    assert gc.isenabled()
    with state.collector_paused():
        with state.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with state.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_condition_truths_are_read_back_only_when_a_trace_asks() -> None:
    """A columnar partition's truths stay in Arrow until a trace reads one; then each
    subject's truths, whole, sliced or indexed, are the per-record engine's tuple."""
    from lnunemp_rules.engines.columnar import evaluate_many
    from lnunemp_rules.engines.evaluation import evaluate, plan_for

    chosen = procedure("review")
    records = list(generate_records("review", 300, seed=5, bad_share=0))
    prepared = [chosen.prepare(r, as_of=AS_OF) for r in records]
    book = prepared[0].book
    columnar = evaluate_many(book, "review", [p.subjects for p in prepared])
    holders = {id(row[3]._truths) for e in columnar for row in e.rows}  # type: ignore[attr-defined]
    assert all(row[3]._truths._rows is None for e in columnar for row in e.rows)  # type: ignore[attr-defined]
    plan = plan_for(book, "review")
    for p, mine in zip(prepared, columnar, strict=True):
        theirs = evaluate(plan, p.subjects)
        for (_, _, flags, truths), (_, _, their_flags, their_truths) in zip(
            mine.rows, theirs.rows, strict=True
        ):
            assert flags == their_flags
            assert tuple(truths) == their_truths and len(truths) == len(their_truths)
            assert tuple(truths[1:4]) == their_truths[1:4] and truths[-1] == their_truths[-1]
            assert tuple(truths[::2]) == their_truths[::2]
    assert len(holders) == 2  # one per subject kind: registrants and events
