"""The columnar engine inside the file sweep of issue 11 (issue 12, item 1): ``run_batch`` and
``lnunemp-rules batch --engine columnar`` reject bad records one by one with their line and
field, write the files the per-record engine writes, and stop and resume as any sweep does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lnunemp_rules import InputError, run_batch
from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.batch import read_manifest
from lnunemp_rules.cli import main
from test_faults import _stopped_sweep

pytest.importorskip("pyarrow")

AS_OF = "2026-11-28"
# Lines that cannot be read as records, and records the model refuses, among good ones.
POISON = {
    7: b"{not json",
    300: b'{"registration_date": "2026-01-01"}',
    301: b"[1, 2]",
    650: b'{"minimum_wage_tier": NaN}',
}


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """900 registrants (2% defective by the generator) with four poison lines and a blank."""
    source = tmp_path_factory.mktemp("columnar") / "in.jsonl"
    records = generate_records("review", 900, seed=31, bad_share=0.02)
    with source.open("wb") as f:
        for n in range(1, 901):
            f.write(POISON[n] if n in POISON else json.dumps(next(records)).encode())
            f.write(b"\n" if n != 800 else b"\n\n")
    return source


def _sweep(source: Path, output: Path, engine: str, **extra: Any) -> Any:
    return run_batch(source, output, kind="review", as_of=AS_OF, engine=engine, workers=2,
                     progress=False, **extra)  # fmt: skip


def test_a_columnar_sweep_writes_the_files_of_the_per_record_sweep(
    register: Path, tmp_path: Path
) -> None:
    """The decisions and the rejected records (each with its line and field) are byte for
    byte those of the per-record engine; the manifest says complete, engine columnar."""
    python = _sweep(register, tmp_path / "python.jsonl", "python", chunk_size=64)
    columnar = _sweep(register, tmp_path / "columnar.jsonl", "columnar")
    assert columnar.to_dict() == python.to_dict()
    for name in ("{}.jsonl", "{}.jsonl.errors.jsonl"):
        mine = (tmp_path / name.format("columnar")).read_bytes()
        assert mine == (tmp_path / name.format("python")).read_bytes(), name
    errors = [
        json.loads(x) for x in (tmp_path / "columnar.jsonl.errors.jsonl").read_bytes().splitlines()
    ]
    assert set(POISON) <= {e["line"] for e in errors}
    assert all(set(e) >= {"line", "field", "error"} for e in errors)
    assert any(e["field"] for e in errors if e["line"] not in POISON)
    manifest = read_manifest(tmp_path / "columnar.jsonl.manifest.json")
    assert manifest.status == "complete" and manifest.engine == "columnar"
    assert manifest.checkpoint.lines == 901


def test_a_stopped_columnar_sweep_resumes_into_the_files_of_an_undisturbed_one(
    register: Path, tmp_path: Path
) -> None:
    """Stopped after its first chunk and resumed, a columnar sweep gives the same bytes as one
    that was not stopped; resuming it with another engine is refused."""
    kwargs: dict[str, Any] = {
        "kind": "review", "as_of": AS_OF, "workers": 2, "chunk_size": 100, "progress": False,
        "engine": "columnar",
    }  # fmt: skip
    clean = tmp_path / "clean.jsonl"
    run_batch(str(register), str(clean), **kwargs)
    output = tmp_path / "out.jsonl"
    _stopped_sweep(register, output, kwargs, records=900)
    with pytest.raises(InputError, match="engine"):
        run_batch(str(register), str(output), resume=True, **{**kwargs, "engine": "python"})
    run_batch(str(register), str(output), resume=True, **kwargs)
    assert output.read_bytes() == clean.read_bytes()
    errors = Path(str(output) + ".errors.jsonl")
    assert errors.read_bytes() == Path(str(clean) + ".errors.jsonl").read_bytes()


def test_batch_engine_columnar_on_the_command_line(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``lnunemp-rules batch --engine columnar`` exits 1 (some records rejected) and prints
    the counts of the per-record sweep."""
    argv = ["batch", str(register), "--kind", "review", "--as-of", AS_OF, "--no-progress",
            "--workers", "1"]  # fmt: skip
    assert main([*argv, "-o", str(tmp_path / "p.jsonl"), "--engine", "python"]) == 1
    python = capsys.readouterr().out
    assert main([*argv, "-o", str(tmp_path / "c.jsonl"), "--engine", "columnar"]) == 1
    assert capsys.readouterr().out == python.replace(str(tmp_path / "p.jsonl"),
                                                     str(tmp_path / "c.jsonl"))  # fmt: skip
    assert (tmp_path / "c.jsonl").read_bytes() == (tmp_path / "p.jsonl").read_bytes()


def test_arrow_batches_reject_unreadable_texts_one_by_one() -> None:
    """The mapInArrow function reads each text as a file sweep reads a JSON line: text that is
    not JSON, NaN, or not an object is that record's error entry; blanks and nulls are skipped;
    the rest is what assess_partition gives."""
    import pyarrow

    from lnunemp_rules.batch import assess_partition
    from lnunemp_rules.batch.arrow import assess_arrow_batches

    good = [json.dumps(r) for r in generate_records("review", 40, seed=2, bad_share=0.1)]
    texts = [*good[:10], "{not json", "", None, '{"minimum_wage_tier": NaN}', "[1]", *good[10:]]
    batch = pyarrow.RecordBatch.from_arrays([pyarrow.array(texts, pyarrow.string())], ["value"])
    (out,) = assess_arrow_batches([batch], kind="review", as_of=AS_OF)
    results = [json.loads(r) for r in out.column("result").to_pylist()]
    assert len(results) == len(good) + 3
    bad = results[10:13]
    assert all(r["error"] for r in bad)
    assert bad[0]["error"].startswith("not valid JSON") and "NaN" in bad[1]["error"]
    expected = assess_partition([json.loads(t) for t in good], kind="review", as_of=AS_OF)
    assert results[:10] + results[13:] == expected


def test_arrow_batches_read_a_binary_column_as_its_text() -> None:
    """A Parquet file may store the JSON texts as binary: the results are those of the same
    texts as a string column."""
    import pyarrow

    from lnunemp_rules.batch.arrow import assess_arrow_batches

    texts = [json.dumps(r, ensure_ascii=False)
             for r in generate_records("review", 30, seed=4, bad_share=0.1)]  # fmt: skip
    as_text = pyarrow.RecordBatch.from_arrays([pyarrow.array(texts, pyarrow.string())], ["value"])
    as_bytes = pyarrow.RecordBatch.from_arrays(
        [pyarrow.array([t.encode("utf-8") for t in texts], pyarrow.binary())], ["value"]
    )
    (expected,) = assess_arrow_batches([as_text], kind="review", as_of=AS_OF)
    (found,) = assess_arrow_batches([as_bytes], kind="review", as_of=AS_OF)
    assert found.column("result").to_pylist() == expected.column("result").to_pylist()
    assert len(found) == 30


@pytest.mark.parametrize(("column", "values", "said"), [
    ("record", ["{}"], "is not a column"),
    ("value", [1, 2], "holds int64"),
])  # fmt: skip
def test_arrow_batches_name_a_missing_or_unreadable_column(
    column: str, values: list[Any], said: str
) -> None:
    """A column that is absent or holds no texts is an InputError on ``column``."""
    import pyarrow

    from lnunemp_rules.batch.arrow import assess_arrow_batches

    batch = pyarrow.RecordBatch.from_arrays([pyarrow.array(values)], ["value"])
    with pytest.raises(InputError) as caught:
        next(assess_arrow_batches([batch], kind="review", as_of=AS_OF, column=column))
    assert caught.value.field == "column" and said in caught.value.message
