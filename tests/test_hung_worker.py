"""A worker that hangs is stopped after ``task_timeout`` and its chunk treated like a chunk that
killed its worker (batch/pool.py; docs/batch.md, "Faults").

The hang is planted as tests/test_faults.py plants a worker's death: a fresh interpreter whose
deciding function, on a record of region 219999, sleeps for ever (every time, or only while
the file ``once`` does not exist), then runs the sweep; its workers are forked and inherit the
patch. Every wait has a timeout, so a limit that does not work fails the test instead of
hanging it.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from lnunemp_rules import InputError, run_batch, sweep
from lnunemp_rules.batch import pool
from lnunemp_rules.batch.pool import WorkerDied, ordered_map
from lnunemp_rules.batch.sweep import sweep_items
from test_faults import _start, _with_region  # a record in region 219999 is the planted one

AS_OF = "2026-11-28"
TIMEOUT = 60  # no test here may take this long: a limit that does not work fails, not hangs
LIMIT = 1.5  # the sweeps' task_timeout here, in seconds
# What each record of the hung chunk says: nothing of the record itself.
STOPPED = (f"the worker process deciding it took longer than {LIMIT:g} s 2 times and was "
           "stopped; not decided")  # fmt: skip

HANGER = """
import importlib, json, os, sys, time
from pathlib import Path
sweep_module = importlib.import_module("lnunemp_rules.batch.sweep")
mode, once = sys.argv[1], sys.argv[2]
real = sweep_module._assess_one
def assess(record, *args):
    if isinstance(record, dict) and record.get("residence_region") == "219999":
        if once == "-" or not Path(once).exists():
            if once != "-":
                Path(once).touch()
            time.sleep(3600)
    return real(record, *args)
sweep_module._assess_one = assess
if mode == "cli":
    from lnunemp_rules.cli import main
    sys.argv = ["lnunemp-rules", *sys.argv[3:]]
    sys.exit(main())
if mode == "run_batch":
    from lnunemp_rules import run_batch
    source, output = sys.argv[3], sys.argv[4]
    summary = run_batch(source, output, kind="review", as_of="2026-11-28", workers=2,
                        chunk_size=100, progress=False, task_timeout=1.5)
    print(json.dumps(summary.to_dict()))
if mode == "sweep":
    from lnunemp_rules import sweep
    records = [json.loads(line) for line in Path(sys.argv[3]).read_text("utf-8").splitlines()]
    for result in sweep(records, kind="review", as_of="2026-11-28", workers=2, chunk_size=100,
                        task_timeout=1.5):
        print(json.dumps(result))
"""


def _hang(mode: str, once: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    """Run HANGER in its own session; afterwards no process of that session may be left."""
    argv = [sys.executable, "-c", HANGER, mode, str(once or "-"), *args]
    process = _start(argv)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:  # the limit did not work: end the sweep and its workers
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"the sweep did not end within {TIMEOUT} s")
    deadline = time.monotonic() + 10
    while _in_session(process.pid):
        assert time.monotonic() < deadline, "a worker outlived the sweep"
        time.sleep(0.05)
    return subprocess.CompletedProcess(argv, process.returncode, out, err)


def _in_session(sid: int) -> list[int]:
    """The live processes of session ``sid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[4]) == sid:
            found.append(int(entry))
    return found


def _entries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _assert_hung_chunk_in_errors(source: Path, output: Path, errors: Path) -> None:
    """Lines 701-800 (the chunk of line 777) are error entries saying the worker took too
    long; every other line is decided, in order; no line lost or written twice."""
    decided, rejected = _entries(output), _entries(errors)
    assert [r["line"] for r in rejected] == list(range(701, 801))
    assert all(r == {"line": r["line"], "field": None, "error": STOPPED, "internal": True}
               for r in rejected)  # fmt: skip
    assert [d["line"] for d in decided] == [n for n in range(1, 2_001) if not 701 <= n <= 800]
    assert all("outcome" in d for d in decided)
    assert len(source.read_text(encoding="utf-8").splitlines()) == 2_000


# -- the sweeps --------------------------------------------------------------------------------


def test_a_chunk_that_hangs_its_worker_twice_goes_to_the_error_file(tmp_path: Path) -> None:
    """run_batch with task_timeout=1.5: the chunk of a record that hangs every worker is
    stopped twice, then written as 100 internal error entries; the sweep ends and decides
    the rest, in order."""
    source = _with_region(2_000, {777}, tmp_path)
    output = tmp_path / "out.jsonl"
    started = time.monotonic()
    done = _hang("run_batch", None, str(source), str(output))
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["worker_restarts"] == 2
    assert summary["internal_errors"] == 100 and summary["decided"] == 1_900
    assert summary["errors"] == 100 and summary["records"] == 2_000
    _assert_hung_chunk_in_errors(source, output, Path(str(output) + ".errors.jsonl"))
    manifest = json.loads(Path(str(output) + ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"


def test_a_chunk_that_hangs_once_is_decided_on_the_retry(tmp_path: Path) -> None:
    """A worker stuck once (a lock, a network file system): stopped, and a fresh worker
    decides the chunk; one restart, nothing in the error file."""
    source = _with_region(2_000, {777}, tmp_path)
    output = tmp_path / "out.jsonl"
    done = _hang("run_batch", tmp_path / "once", str(source), str(output))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "once").exists()
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["worker_restarts"] == 1
    assert summary["decided"] == 2_000 and summary["errors"] == 0
    assert [d["line"] for d in _entries(output)] == list(range(1, 2_001))


def test_the_cli_exits_3_with_the_hung_chunk_in_the_error_file(tmp_path: Path) -> None:
    """lnunemp-rules batch --task-timeout 1.5: exit 3 as for a chunk that killed two workers,
    the summary counting the restarts and internal errors, the error file holding the chunk."""
    source = _with_region(2_000, {777}, tmp_path)
    output = tmp_path / "out.jsonl"
    done = _hang("cli", None, "batch", str(source), "--kind", "review", "--as-of", AS_OF,
                 "-o", str(output), "--workers", "2", "--chunk-size", "100", "--no-progress",
                 "--task-timeout", f"{LIMIT:g}")  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "2000 records, 1900 decided, 100 rejected" in done.stdout
    assert "worker processes replaced (died, or stopped after task_timeout): 2" in done.stdout
    _assert_hung_chunk_in_errors(source, output, Path(str(output) + ".errors.jsonl"))


def test_sweep_gives_the_hung_chunk_as_error_entries_in_order(tmp_path: Path) -> None:
    """sweep(workers=2, task_timeout=1.5) over records in memory: the same, lazily."""
    source = _with_region(2_000, {777}, tmp_path)
    done = _hang("sweep", None, str(source))
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["line"] for r in results] == list(range(1, 2_001))
    hung = [r for r in results if 701 <= r["line"] <= 800]
    assert all(r == {"line": r["line"], "field": None, "error": STOPPED, "internal": True}
               for r in hung)  # fmt: skip
    assert all("outcome" in r for r in results if not 701 <= r["line"] <= 800)


# -- the pool ------------------------------------------------------------------------------------


# The pool's hung tasks sleep this long, not for ever: a limit that does not work makes the test
# fail after it, not hang.
HUNG = 30.0


def _sleepy(task: tuple[int, float]) -> int:
    number, seconds = task
    time.sleep(seconds)
    return number


def _deaf(task: int) -> int:
    """Hangs on task 1 with SIGTERM ignored: only SIGKILL ends it."""
    if task == 1:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(HUNG)
    return task


def test_the_pool_stops_a_hung_task_and_gives_the_others_back_in_order() -> None:
    """Task 2 hangs (sleeps 30 s): stopped after 1 s, retried once, given back as WorkerDied
    (SIGTERM, timed out twice); a task slower than the wait's poll but within the limit is
    not stopped; the rest come back in order."""
    restarts: list[int | None] = []
    tasks = iter([(0, 0.0), (1, 0.5), (2, HUNG), (3, 0.0), (4, 0.0)])
    started = time.monotonic()
    results = list(ordered_map(_sleepy, tasks, workers=2, window=4, task_timeout=1.0,
                               on_restart=restarts.append))  # fmt: skip
    assert time.monotonic() - started < 15
    assert [task[0] for task, _ in results] == [0, 1, 2, 3, 4]
    assert [r for _, r in results if not isinstance(r, WorkerDied)] == [0, 1, 3, 4]
    died = results[2][1]
    assert died == WorkerDied(-signal.SIGTERM, 2, timed_out=2, limit=1.0)
    assert isinstance(died, WorkerDied)
    assert died.describe() == "the worker process deciding it took longer than 1 s 2 times " \
        "and was stopped"  # fmt: skip
    assert restarts == [-signal.SIGTERM, -signal.SIGTERM]


def test_a_worker_that_ignores_sigterm_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hung worker that ignores SIGTERM gets SIGKILL after the grace period."""
    monkeypatch.setattr(pool, "_GRACE", 0.5)
    started = time.monotonic()
    results = list(ordered_map(_deaf, iter(range(3)), workers=1, window=2, retries=0,
                               task_timeout=0.5))  # fmt: skip
    assert time.monotonic() - started < 15
    assert results[0] == (0, 0) and results[2] == (2, 2)
    assert results[1] == (1, WorkerDied(-signal.SIGKILL, 1, timed_out=1, limit=0.5))


def test_a_spawned_workers_start_is_not_counted_against_its_first_task(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A spawned worker takes far longer than 0.2 s to start (a fresh interpreter importing
    the library); the clock of its first task starts when it is ready, so quick tasks are
    never stopped."""
    import multiprocessing

    monkeypatch.setattr(pool, "start_context", lambda: multiprocessing.get_context("spawn"))
    tasks = iter([(n, 0.0) for n in range(4)])
    results = list(ordered_map(_sleepy, tasks, workers=2, window=4, task_timeout=0.2))
    assert [r for _, r in results] == [0, 1, 2, 3]


def test_without_a_limit_a_slow_task_is_waited_for() -> None:
    """task_timeout=None (the pool's default): a task is never stopped for its time."""
    results = list(ordered_map(_sleepy, iter([(0, 1.0)]), workers=1, window=1))
    assert results == [((0, 1.0), 0)]


def test_describe_says_how_each_attempt_ended() -> None:
    """Both deaths counted: one worker killed, one stopped for its time."""
    mixed = WorkerDied(-signal.SIGKILL, 2, timed_out=1, limit=600.0)
    assert mixed.describe() == ("the worker process deciding it died once (killed by signal 9 "
                                "(SIGKILL)) and took longer than 600 s once (stopped)")  # fmt: skip
    assert WorkerDied(-9, 2).describe() == ("the worker process deciding it died 2 times "
                                            "(killed by signal 9 (SIGKILL))")  # fmt: skip


# -- the option ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -1, 0.0, True, False, "abc", "600", math.nan, math.inf])
def test_a_bad_task_timeout_is_refused_naming_the_field(tmp_path: Path, bad: Any) -> None:
    """run_batch, sweep and sweep_items refuse anything but a finite number > 0 or None,
    before anything is written, with an InputError on ``task_timeout`` saying what is
    accepted."""
    source = _with_region(3, set(), tmp_path)
    with pytest.raises(InputError) as info:
        run_batch(str(source), str(tmp_path / "out.jsonl"), kind="review", as_of=AS_OF,
                  workers=2, task_timeout=bad)  # fmt: skip
    assert info.value.field == "task_timeout"
    assert "accepted: a number of seconds greater than 0" in info.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]
    records = [{"x": 1}]
    with pytest.raises(InputError, match="task_timeout"):
        list(sweep(records, kind="review", as_of=AS_OF, workers=2, task_timeout=bad))
    with pytest.raises(InputError, match="task_timeout"):
        list(sweep_items(enumerate(records, 1), kind="review", as_of=AS_OF, workers=1,
                         task_timeout=bad))  # fmt: skip


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "nan", "inf", "true", ""])
def test_the_cli_refuses_a_bad_task_timeout(tmp_path: Path, bad: str) -> None:
    """--task-timeout 0, -1, abc...: exit 2 naming the option and what is accepted."""
    source = _with_region(3, set(), tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "lnunemp_rules", "batch", str(source), "--kind", "review",
         "--as-of", AS_OF, "-o", str(tmp_path / "out.jsonl"), "--no-progress",
         f"--task-timeout={bad}"],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "--task-timeout" in done.stderr
    assert "accepted: a number of seconds greater than 0, or 'off'" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_a_good_task_timeout_or_none_is_accepted(tmp_path: Path) -> None:
    """An int, a float, None (no limit); with workers=1 the in-process sweep takes it too."""
    source = _with_region(30, set(), tmp_path)
    for n, limit in enumerate((5, 2.5, None)):
        summary = run_batch(str(source), str(tmp_path / f"out{n}.jsonl"), kind="review",
                            as_of=AS_OF, workers=1, progress=False, task_timeout=limit)  # fmt: skip
        assert summary.decided == 30
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    assert len(list(sweep(records, kind="review", as_of=AS_OF, workers=1, task_timeout=1))) == 30
