"""The sweep's per-partition function runs unchanged under Dask (issue 5, docs/scaling.md)."""

from __future__ import annotations

from typing import Any

import pytest

from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.batch import assess_partition, sweep

db = pytest.importorskip("dask.bag")

AS_OF = "2026-11-28"


def _in_process(records: list[dict[str, Any]], kind: Any) -> list[dict[str, Any]]:
    as_of = AS_OF if kind == "review" else None
    results = sweep(records, kind=kind, as_of=as_of, workers=1)
    return [{k: v for k, v in r.items() if k != "line"} for r in results]


@pytest.mark.parametrize("kind", ["registration", "review"])
def test_bag_map_partitions_with_processes_equals_the_sweep(kind: Any) -> None:
    """A Dask bag over worker processes gives the in-process sweep's results, in order."""
    records = list(generate_records(kind, 240, seed=13, bad_share=0.05))
    bag = db.from_sequence(records, npartitions=4)
    as_of = AS_OF if kind == "review" else None
    computed = bag.map_partitions(assess_partition, kind=kind, as_of=as_of).compute(
        scheduler="processes", num_workers=2
    )
    assert list(computed) == _in_process(records, kind)


def test_local_cluster_equals_the_sweep() -> None:
    """On a local distributed cluster of two worker processes the results equal the sweep's."""
    distributed = pytest.importorskip("distributed")
    records = list(generate_records("review", 200, seed=17, bad_share=0.05))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        bag = db.from_sequence(records, npartitions=4)
        future = bag.map_partitions(assess_partition, kind="review", as_of=AS_OF)
        computed = future.compute(scheduler=client.get)
    assert list(computed) == _in_process(records, "review")


def test_columnar_partitions_read_from_json_lines_equal_the_per_record_sweep(
    tmp_path: Any,
) -> None:
    """The columnar engine runs unchanged as a Dask bag's partition function over partitions
    read from a JSON Lines file (issue 12, item 5), with the per-record sweep's results."""
    pytest.importorskip("pyarrow")
    import json

    records = list(generate_records("review", 400, seed=19, bad_share=0.05))
    path = tmp_path / "registrants.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    bag = db.read_text(str(path), blocksize=8_000).map(json.loads)
    assert bag.npartitions > 1
    computed = bag.map_partitions(
        assess_partition, kind="review", as_of=AS_OF, engine="columnar"
    ).compute(scheduler="processes", num_workers=2)
    assert list(computed) == _in_process(records, "review")
