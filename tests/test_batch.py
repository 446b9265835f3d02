"""Batch sweeps (issue 5, standard 4.3.1 and 4.3.2): streaming, error file, summary, processes."""

from __future__ import annotations

import csv
import itertools
import json
import os
import time
import typing
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lnunemp_rules import assess_deregistration, assess_registration
from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.batch import (
    assess_partition,
    record_to_row,
    row_to_record,
    run_batch,
    sweep,
)
from lnunemp_rules.cli import main
from lnunemp_rules.decide.registration import APPLICATION_COLUMNS
from lnunemp_rules.decide.review import REGISTRANT_COLUMNS
from lnunemp_rules.errors import InputError
from lnunemp_rules.inputs.idnumber import make_id_number
from lnunemp_rules.inputs.models import Registrant, RegistrationApplication
from lnunemp_rules.inputs.validation import validate_input

AS_OF = "2026-11-28"


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def _write_csv(path: Path, records: list[dict[str, Any]], kind: Any) -> None:
    columns = APPLICATION_COLUMNS if kind == "registration" else REGISTRANT_COLUMNS
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(record_to_row(r, kind) for r in records)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _registrant(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "person": {
            "id_number": make_id_number("210102", __import__("datetime").date(1985, 3, 4), 7)
        },
        "registration_date": "2026-02-01",
        "residence_region": "210102",
        "events": [{"type": "contact", "date": "2026-10-01"}],
    }
    record.update(changes)
    return record


@pytest.mark.parametrize("kind", ["registration", "review"])
def test_jsonl_and_csv_inputs_give_the_decisions_of_the_facade(tmp_path: Path, kind: Any) -> None:
    """Each JSONL or CSV record gets the facade's outcome and rules, or goes to the error file."""
    records = list(generate_records(kind, 150, seed=9, bad_share=0.1))
    _write_jsonl(tmp_path / "in.jsonl", records)
    _write_csv(tmp_path / "in.csv", records, kind)
    as_of = AS_OF if kind == "review" else None
    for name, offset in (("in.jsonl", 0), ("in.csv", 1)):  # a CSV's header is line 1
        out = tmp_path / f"{name}.out"
        summary = run_batch(str(tmp_path / name), str(out), kind=kind, as_of=as_of, workers=1)
        decided, errors = _lines(out), _lines(Path(f"{out}.errors.jsonl"))
        assert summary.records == len(records) == len(decided) + len(errors)
        assert errors, "the sample has bad records"
        for result in decided:
            record = records[result["line"] - 1 - offset]
            if kind == "registration":
                expected = assess_registration(record)
                assert result["rules"] == [m.rule_id for m in expected.categories] + [
                    r.rule_id for r in expected.reasons
                ]
            else:
                expected = assess_deregistration(record, as_of=AS_OF)
                assert result["rules"] == [m.rule_id for m in expected.triggers] + [
                    r.rule_id for r in expected.reasons
                ]
            assert result["outcome"] == expected.outcome
            assert result["subject"] == expected.meta.subject_masked
        model = RegistrationApplication if kind == "registration" else Registrant
        for error in errors:
            with pytest.raises(InputError):
                validate_input(model, records[error["line"] - 1 - offset])


def test_csv_columns_map_back_to_the_same_record() -> None:
    """A record written as a CSV row and read back validates to the same model."""
    for kind, model in (("registration", RegistrationApplication), ("review", Registrant)):
        for record in generate_records(kind, 200, seed=2, bad_share=0.0):  # type: ignore[call-overload]
            row = record_to_row(record, kind)  # type: ignore[arg-type]
            back = row_to_record(row, kind)  # type: ignore[arg-type]
            assert model.model_validate(back) == model.model_validate(record)


def test_csv_columns_cover_every_model_field() -> None:
    """Every input field of the models has a CSV column and no column names an unknown field."""

    def paths(model: Any, prefix: str = "") -> set[str]:
        out: set[str] = set()
        for name, info in model.model_fields.items():
            types = [info.annotation, *typing.get_args(info.annotation)]
            nested = [t for t in types if hasattr(t, "model_fields")]
            if nested and name != "events":
                out |= paths(nested[0], f"{prefix}{name}.")
            else:
                out.add(prefix + name)
        return out

    reg = paths(RegistrationApplication) - {"cause"}
    assert (
        set(APPLICATION_COLUMNS) - {c for c in APPLICATION_COLUMNS if c.startswith("cause.")} == reg
    )
    assert set(REGISTRANT_COLUMNS) == paths(Registrant)


def test_error_file_names_the_line_and_masks_the_id(tmp_path: Path) -> None:
    """Bad JSON, a non-object, a bad ID and a bad date go to the error file by line."""
    good = _registrant()
    number = good["person"]["id_number"]
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    lines = [
        json.dumps(good),
        "{not json",
        "",
        json.dumps([1, 2]),
        json.dumps(_registrant(person={"id_number": wrong})),
        json.dumps(_registrant(registration_date="2026-02-30")),
        json.dumps(good),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    summary = run_batch(str(source), str(out), kind="review", as_of=AS_OF,
                        errors_path=str(errors), workers=1)  # fmt: skip
    assert [r["line"] for r in _lines(out)] == [1, 7]
    rejected = _lines(errors)
    assert [(e["line"], e["field"]) for e in rejected] == [
        (2, "line"), (4, "line"), (5, "person.id_number"), (6, "registration_date"),
    ]  # fmt: skip
    assert number not in errors.read_text(encoding="utf-8")
    assert wrong not in errors.read_text(encoding="utf-8")
    assert number not in out.read_text(encoding="utf-8")
    assert (summary.records, summary.decided, summary.errors) == (6, 2, 4)


def test_csv_with_undecodable_bytes_sends_that_row_to_the_error_file(tmp_path: Path) -> None:
    """A CSV row with non-UTF-8 bytes is rejected by line and column; other rows are decided."""
    records = [_registrant(), _registrant(), _registrant()]
    path = tmp_path / "in.csv"
    _write_csv(path, records, "review")
    data = path.read_bytes().splitlines(keepends=True)
    data[2] = data[2].replace(b"210102,", b"21\xff\xfe02,", 1)
    path.write_bytes(b"".join(data))
    out = tmp_path / "out.jsonl"
    summary = run_batch(str(path), str(out), kind="review", as_of=AS_OF, workers=1)
    assert [r["line"] for r in _lines(out)] == [2, 4]
    [error] = _lines(Path(f"{out}.errors.jsonl"))
    assert error["line"] == 3
    assert error["field"] == "residence_region"
    assert "UTF-8" in error["error"]
    assert summary.errors == 1


def test_summary_counts_add_up_and_are_written_as_json_and_csv(tmp_path: Path) -> None:
    """Outcome and prefecture counts sum to the decided records; clause counts match the output."""
    records = list(generate_records("review", 400, seed=21, bad_share=0.05))
    _write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    summary = run_batch(str(tmp_path / "in.jsonl"), str(out), kind="review", as_of=AS_OF,
                        summary_path=str(tmp_path / "s.json"), workers=1)  # fmt: skip
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    decided = _lines(out)
    assert data["records"] == 400 == data["decided"] + data["errors"]
    assert data["decided"] == len(decided)
    assert sum(data["by_outcome"].values()) == data["decided"]
    assert sum(data["by_prefecture"].values()) == data["decided"]
    assert data["by_outcome"] == dict(Counter(r["outcome"] for r in decided))
    assert data["by_clause"] == dict(Counter(c for r in decided for c in r["clauses"]))
    assert data["by_prefecture"] == dict(Counter(r["prefecture"] for r in decided))
    assert all(len(p) == 4 and p.startswith("21") for p in data["by_prefecture"])
    summary_csv = tmp_path / "s.csv"
    from lnunemp_rules.batch import write_summary

    write_summary(summary, str(summary_csv))
    with summary_csv.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by = {(r["dimension"], r["key"]): int(r["count"]) for r in rows}
    assert by[("total", "records")] == 400
    assert {k: v for (d, k), v in by.items() if d == "outcome"} == data["by_outcome"]


def test_one_and_two_workers_write_the_same_files(tmp_path: Path) -> None:
    """Two worker processes with small chunks write byte-identical output to one process."""
    records = list(generate_records("registration", 300, seed=8, bad_share=0.05))
    _write_jsonl(tmp_path / "in.jsonl", records)
    for workers in (1, 2):
        run_batch(str(tmp_path / "in.jsonl"), str(tmp_path / f"out{workers}.jsonl"),
                  kind="registration", workers=workers, chunk_size=7)  # fmt: skip
    assert (tmp_path / "out1.jsonl").read_bytes() == (tmp_path / "out2.jsonl").read_bytes()
    one = (tmp_path / "out1.jsonl.errors.jsonl").read_bytes()
    assert one == (tmp_path / "out2.jsonl.errors.jsonl").read_bytes()


def test_sweep_reads_only_a_bounded_window_ahead() -> None:
    """From an endless input, two workers return results having read a bounded number of records."""
    pulled = 0

    def endless() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for record in itertools.cycle(list(generate_records("review", 50, seed=1, bad_share=0))):
            pulled += 1
            yield record

    results = sweep(endless(), kind="review", as_of=AS_OF, workers=2, chunk_size=10)
    first = list(itertools.islice(results, 500))
    results.close()  # type: ignore[attr-defined]
    assert [r["line"] for r in first] == list(range(1, 501))
    assert pulled <= 500 + 10 * (4 * 2 + 2)


def test_assess_partition_equals_the_sweep() -> None:
    """The per-partition function gives the sweep's results without line numbers."""
    records = list(generate_records("review", 120, seed=4, bad_share=0.1))
    swept = [{k: v for k, v in r.items() if k != "line"} for r in sweep(records, kind="review",
             as_of=AS_OF, workers=1)]  # fmt: skip
    assert assess_partition(records, kind="review", as_of=AS_OF) == swept


def test_review_sweep_without_a_date_is_an_input_error() -> None:
    """A review sweep needs the review date: without it no record is decided."""
    with pytest.raises(InputError) as caught:
        list(sweep([_registrant()], kind="review"))
    assert caught.value.field == "as_of"


def test_batch_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 0 when all are decided, 1 when some are rejected, 2 on usage and header errors."""
    clean, mixed = tmp_path / "clean.jsonl", tmp_path / "mixed.jsonl"
    _write_jsonl(clean, [_registrant()])
    mixed.write_text(json.dumps(_registrant()) + "\n{oops\n", encoding="utf-8")
    base = ["batch", "--kind", "review", "--as-of", AS_OF, "--workers", "1"]
    assert main([*base, str(clean), "-o", str(tmp_path / "a.jsonl")]) == 0
    assert main([*base, str(mixed), "-o", str(tmp_path / "b.jsonl"),
                 "--summary", str(tmp_path / "b.csv")]) == 1  # fmt: skip
    assert (tmp_path / "b.csv").read_text(encoding="utf-8").startswith("dimension,key,count")
    assert main(["batch", "--kind", "review", str(clean)]) == 2
    bad_header = tmp_path / "h.csv"
    bad_header.write_text("residence_region,shoe_size\n210102,42\n", encoding="utf-8")
    assert main([*base, str(bad_header), "-o", str(tmp_path / "c.jsonl")]) == 2
    assert main([*base, str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "d.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "unknown review column(s) at position 2" in err
    assert "shoe_size" not in err  # a header cell is named by its position, never echoed


@pytest.mark.durable
def test_durable_engine_in_worker_processes_matches_the_python_engine() -> None:
    """Forked workers each run their own durable_rules host and decide as the Python engine does."""
    pytest.importorskip("durable.engine")
    records = list(generate_records("review", 60, seed=6, bad_share=0.05))
    python = list(sweep(records, kind="review", as_of=AS_OF, workers=1, chunk_size=9))
    durable = list(sweep(records, kind="review", as_of=AS_OF, engine="durable", workers=2,
                         chunk_size=9))  # fmt: skip
    assert durable == python


def test_csv_rows_made_into_records_by_worker_processes_equal_read_csv(tmp_path: Path) -> None:
    """run_batch sends a CSV's rows to the workers as cells; over 2 processes the decisions and
    the error file (line numbers, fields, messages) equal the in-process sweep of read_csv's
    records, with blank rows, a quoted cell over two lines, a short row, bad UTF-8 and a bad
    events cell."""
    from lnunemp_rules.batch import read_csv, sweep_items

    records = list(generate_records("review", 400, seed=29, bad_share=0.05))
    path = tmp_path / "in.csv"
    _write_csv(path, records, "review")
    lines = path.read_bytes().splitlines(keepends=True)
    lines[5] = b"\n"  # blank
    lines[9] = b",,,,,,,,\n"  # only empty cells
    lines[12] = lines[12].replace(b",2", b",2\xff", 1)  # bad UTF-8
    lines[15] = b"only,three,cells\n"
    lines[21] = lines[21].rstrip(b"\n") + b',"a\nb"\n'  # too many cells, one over two lines
    lines[30] = b'210102,,,,,2026-01-01,,,"[not json"\n'
    path.write_bytes(b"".join(lines))

    out = tmp_path / "out.jsonl"
    summary = run_batch(str(path), str(out), kind="review", as_of=AS_OF, workers=2, chunk_size=7)
    got = sorted(_lines(out) + _lines(Path(f"{out}.errors.jsonl")), key=lambda r: r["line"])

    with path.open("rb") as f:
        items = list(read_csv(f, "review"))
    expected = [
        {"line": line, **result}
        for line, result in sweep_items(items, kind="review", as_of=AS_OF, workers=1)
    ]
    assert got == expected
    assert summary.records == len(items) == len(lines) - 1 - 2  # header, two blank rows
    errors = {r["line"]: r for r in got if "error" in r}
    assert "UTF-8" in errors[13]["error"]
    assert "cells but the header" in errors[16]["error"]
    assert "cells but the header" in errors[22]["error"]
    assert errors[32]["field"] == "events"  # lines[30]: line 32, as lines[21] spans two lines
    assert 24 in {r["line"] for r in got}  # numbering goes on after the two-line row


class _NumpyScalar:
    """Stands for a numpy scalar (numpy is not a dependency): its module and ``item()``."""

    __module__ = "numpy"

    def __init__(self, value: Any) -> None:
        self.value = value

    def item(self) -> Any:
        return self.value


def test_a_pandas_row_is_read_as_the_strict_models_want_it() -> None:
    """Numpy scalars are the Python values they hold, a whole float in an integer column is an
    integer, text is read by the column's type; a bad spelling stays text for the model."""
    row = {"voluntary": _NumpyScalar(True), "insurance_contribution_months": _NumpyScalar(3),
           "current_situation.monthly_income": "2.5", "applicant.female_retirement_group": 50.0,
           "current_situation.employed": "false", "current_situation.in_school": "yes",
           "applicant.name": ""}  # fmt: skip
    record = row_to_record(row, "registration")
    assert record == {
        "voluntary": True, "insurance_contribution_months": 3,
        "current_situation": {"monthly_income": 2.5, "employed": False, "in_school": "yes"},
        "applicant": {"female_retirement_group": 50},
    }  # fmt: skip
    assert type(record["applicant"]["female_retirement_group"]) is int


def _square(n: int) -> int:
    return n * n


def test_a_worker_that_dies_between_tasks_is_replaced_without_blaming_a_task() -> None:
    """A worker killed while idle (between two tasks) is replaced and the next task runs in
    the new one: every result comes back, none is reported as having killed a worker."""
    import signal

    from lnunemp_rules.batch.pool import WorkerDied, ordered_map

    restarts: list[int | None] = []

    def tasks() -> Any:
        yield 1
        time.sleep(0.5)  # task 1 is done: its worker now waits for the next
        for pid in _children(os.getpid()):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        yield from range(2, 6)

    # retries=0: a task blamed for the death would come back as WorkerDied at once.
    results = list(ordered_map(_square, tasks(), workers=1, window=1, retries=0,
                               on_restart=restarts.append))  # fmt: skip
    assert [r for _, r in results] == [1, 4, 9, 16, 25]
    assert not any(isinstance(r, WorkerDied) for _, r in results)
    assert restarts == [-signal.SIGKILL]


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
            found += [int(p) for p in f.read().split()]
    return found
