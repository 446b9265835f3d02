"""The sweep's per-partition function runs unchanged under Dask (issue 5, docs/scaling.md)."""

from __future__ import annotations

import json
from pathlib import Path
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
    tmp_path: Path,
) -> None:
    """The columnar engine runs unchanged as a Dask bag's partition function over partitions
    read from a JSON Lines file (issue 12, item 5), with the per-record sweep's results."""
    pytest.importorskip("pyarrow")
    records = list(generate_records("review", 400, seed=19, bad_share=0.05))
    path = tmp_path / "registrants.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    bag = db.read_text(str(path), blocksize=8_000).map(json.loads)
    assert bag.npartitions > 1
    computed = bag.map_partitions(
        assess_partition, kind="review", as_of=AS_OF, engine="columnar"
    ).compute(scheduler="processes", num_workers=2)
    assert list(computed) == _in_process(records, "review")


# -- Dask DataFrames: one JSON text per record in a column "value" (issue 12, item 5) ---------


def _frame_results(frame: Any) -> list[dict[str, Any]]:
    """The results of ``assess_frame`` over a Dask DataFrame of texts, on two processes."""
    pytest.importorskip("pyarrow")
    from lnunemp_rules.batch.arrow import RESULT_META, assess_frame

    results = frame.map_partitions(assess_frame, kind="review", as_of=AS_OF, meta=RESULT_META)
    computed = results.compute(scheduler="processes", num_workers=2)
    assert list(computed.columns) == ["result"]
    return [json.loads(text) for text in computed["result"]]


# dask's Parquet reader calls ``reset_index(inplace=True)``, which pandas 3.1 deprecates.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_data_frame_partitions_read_from_parquet_equal_the_per_record_sweep(
    tmp_path: Path,
) -> None:
    """read_parquet of a string column over three files of several row groups, then
    map_partitions(assess_frame) on two worker processes, gives the per-record sweep's results
    in order, bad records included."""
    dd = pytest.importorskip("dask.dataframe")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    records = list(generate_records("review", 300, seed=29, bad_share=0.05))
    texts = [json.dumps(r, ensure_ascii=False) for r in records]
    folder = tmp_path / "register"
    folder.mkdir()
    for number, start in enumerate(range(0, len(texts), 100)):
        table = pa.table({"value": pa.array(texts[start : start + 100], pa.string())})
        pq.write_table(table, folder / f"part-{number}.parquet", row_group_size=40)
    frame = dd.read_parquet(str(folder), split_row_groups=True)
    assert frame.npartitions == 9  # three files of three row groups each
    computed = _frame_results(frame)
    assert computed == _in_process(records, "review")
    assert any("error" in r for r in computed) and any("outcome" in r for r in computed)


def test_data_frame_partitions_read_from_json_lines_equal_the_per_record_sweep(
    tmp_path: Path,
) -> None:
    """A JSON Lines file read in several blocks, each line a one-cell row of a Dask DataFrame,
    then map_partitions(assess_frame) on two worker processes, gives the per-record sweep's
    results in order."""
    pytest.importorskip("dask.dataframe")
    records = list(generate_records("review", 200, seed=31, bad_share=0.05))
    path = tmp_path / "register.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    # str.splitlines makes each line a row of one cell without its newline, and pickles by
    # reference (a lambda of this module would not import in a worker process).
    lines = db.read_text(str(path), blocksize=8_000).map(str.splitlines)
    frame = lines.to_dataframe(meta={"value": "str"})
    assert frame.npartitions > 1
    assert _frame_results(frame) == _in_process(records, "review")
