"""The sweep's per-partition function runs unchanged on Spark (issue 5, docs/scaling.md).

Spark is not in the ``test`` extra (PySpark is a ~450 MB download and needs Java 17+): this
module is skipped where PySpark is absent. ``.ci/run`` installs PySpark into a separate
environment and runs it there; locally: ``pip install pyspark`` and ``pytest tests/test_spark.py``.
The job is the one docs/scaling.md shows: ``textFile`` -> ``json.loads`` -> ``mapPartitions``.
"""

from __future__ import annotations

import functools
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.batch import assess_partition, sweep

pyspark_sql = pytest.importorskip("pyspark.sql")

AS_OF = "2026-11-28"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("PySpark needs a Java runtime (17 or newer) on PATH")
    with pytest.MonkeyPatch.context() as patch:
        # The executors' Python must have the package: here, the test's own interpreter.
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        session = (
            pyspark_sql.SparkSession.builder.master("local[2]")
            .appName("lnunemp-rules-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate()
        )
        yield session
        session.stop()


def test_map_partitions_over_json_lines_equals_the_sweep(spark: Any, tmp_path: Path) -> None:
    """textFile -> json.loads -> mapPartitions(assess_partition) on two local executors gives
    the in-process sweep's results, in order, bad records included."""
    records = list(generate_records("review", 300, seed=19, bad_share=0.05))
    source = tmp_path / "register.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    lines = spark.sparkContext.textFile(str(source), minPartitions=4)
    assert lines.getNumPartitions() >= 2
    # A partial of the library function: the executors import nothing from the tests.
    review = functools.partial(assess_partition, kind="review", as_of=AS_OF)
    computed = lines.map(json.loads).mapPartitions(review).collect()
    expected = [
        {k: v for k, v in r.items() if k != "line"}
        for r in sweep(records, kind="review", as_of=AS_OF, workers=1)
    ]
    assert computed == expected
    assert any("error" in r for r in computed) and any("outcome" in r for r in computed)


def test_map_in_arrow_with_the_columnar_engine_equals_the_sweep(spark: Any, tmp_path: Path) -> None:
    """read.text -> mapInArrow(assess_arrow_batches) on the columnar engine gives the
    in-process per-record sweep's results, bad records included (issue 12, item 5)."""
    pytest.importorskip("pyarrow")
    from lnunemp_rules.batch.arrow import RESULT_SCHEMA, assess_arrow_batches

    records = list(generate_records("review", 300, seed=23, bad_share=0.05))
    source = tmp_path / "register.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    frame = spark.read.text(str(source)).repartition(1)
    review = functools.partial(assess_arrow_batches, kind="review", as_of=AS_OF)
    rows = frame.mapInArrow(review, RESULT_SCHEMA).collect()
    computed = [json.loads(row["result"]) for row in rows]
    expected = [
        {k: v for k, v in r.items() if k != "line"}
        for r in sweep(records, kind="review", as_of=AS_OF, workers=1)
    ]
    assert computed == expected


def test_map_in_pandas_with_assess_frame_equals_the_sweep(spark: Any, tmp_path: Path) -> None:
    """read.text -> mapInPandas(assess_frame on each pandas batch of 64 rows) gives the
    in-process per-record sweep's results, in order, bad records included (issue 12, item 5)."""
    pytest.importorskip("pyarrow")
    from lnunemp_rules.batch.arrow import RESULT_SCHEMA, assess_frame

    records = list(generate_records("review", 300, seed=37, bad_share=0.05))
    source = tmp_path / "register.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )

    # A nested function, not functools.partial(map, ...): Spark reads the function's
    # signature, which map has not. cloudpickle sends it by value; it calls only the library.
    def review(frames: Iterator[Any]) -> Iterator[Any]:
        return (assess_frame(f, kind="review", as_of=AS_OF) for f in frames)

    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
    try:
        rows = spark.read.text(str(source)).mapInPandas(review, RESULT_SCHEMA).collect()
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    computed = [json.loads(row["result"]) for row in rows]
    expected = [
        {k: v for k, v in r.items() if k != "line"}
        for r in sweep(records, kind="review", as_of=AS_OF, workers=1)
    ]
    assert computed == expected
