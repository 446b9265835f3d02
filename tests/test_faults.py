"""The fault matrix of file sweeps (issue 11, item 7; docs/reliability.md).

Each fault is injected into a real ``lnunemp-rules batch`` process (or ``run_batch`` where a
worker must be made to crash on a given record) and each test asserts the documented exit
code, that nothing hangs (every wait has a timeout), that every non-blank input line is in
exactly one of the output and error files, and -- for a sweep that stopped -- that
``--resume`` completes it into the very bytes of an undisturbed run.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lnunemp_rules import BatchSummary, SweepStoppedError, run_batch
from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.rulebook.folder import rules_dir

# The module (the package's name ``run_batch`` is a function).
run_module = importlib.import_module("lnunemp_rules.batch.run")

AS_OF = "2026-11-28"
CLI = "import sys; from lnunemp_rules.cli import main; sys.exit(main())"
N = 20_000  # records of the signal and disk faults: a sweep of a few seconds here
TIMEOUT = 300  # no fault may make a sweep wait this long


# -- helpers -------------------------------------------------------------------------------


def _write(path: Path, count: int, seed: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for record in generate_records("review", count, seed=seed, bad_share=0.01):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _argv(source: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-c", CLI, "batch", str(source), "--kind", "review", "--as-of",
            AS_OF, "-o", str(output), "--no-progress", "--workers", "2", *extra]  # fmt: skip


def _run(argv: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, check=False,
                          **options)  # fmt: skip


def _start(argv: list[str], **options: Any) -> subprocess.Popen[str]:
    # A session of its own: a signal to its group reaches the workers too, as Ctrl-C does.
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **options)  # fmt: skip


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=TIMEOUT)
    return process.returncode, out, err


def _wait_for_output(process: subprocess.Popen[str], partial: Path, size: int = 50_000) -> None:
    """Until the sweep has written ``size`` bytes of decisions (it is under way)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if partial.exists() and partial.stat().st_size >= size:
            return
        assert process.poll() is None, "the sweep ended before the fault could be injected"
        time.sleep(0.05)
    raise AssertionError("the sweep made no progress")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as f:
            found += [int(p) for p in f.read().split()]
    return found


def _in_session(sid: int) -> list[int]:
    """The live processes of session ``sid`` (the sweep and its workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _state(int(entry)) not in ("Z", "gone"):
            with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[4]) == sid:
                    found.append(int(entry))
    return found


def _lines_of(path: Path) -> list[int]:
    return [json.loads(line)["line"] for line in path.read_text(encoding="utf-8").splitlines()]


def _record_lines(source: Path) -> set[int]:
    with source.open("rb") as f:
        return {n for n, raw in enumerate(f, start=1) if raw.strip()}


def _assert_each_line_once(source: Path, output: Path, errors: Path) -> None:
    """Every non-blank input line is in exactly one of the two files, once."""
    decided, rejected = _lines_of(output), _lines_of(errors)
    assert len(decided) == len(set(decided)), "a line decided twice"
    assert len(rejected) == len(set(rejected)), "a line rejected twice"
    assert not set(decided) & set(rejected), "a line both decided and rejected"
    assert set(decided) | set(rejected) == _record_lines(source), "a line lost"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """N registrants and the files of an undisturbed sweep of them (the oracle of a resume)."""
    folder = tmp_path_factory.mktemp("reference")
    source = _write(folder / "in.jsonl", N, seed=21)
    output = folder / "out.jsonl"
    done = _run(_argv(source, output))
    assert done.returncode == 1, done.stderr  # 1% deliberately bad records
    errors = Path(str(output) + ".errors.jsonl")
    _assert_each_line_once(source, output, errors)
    return {"source": source, "output": _digest(output), "errors": _digest(errors),
            "summary": done.stdout}  # fmt: skip


def _same_as_reference(reference: dict[str, Any], output: Path) -> None:
    errors = Path(str(output) + ".errors.jsonl")
    _assert_each_line_once(reference["source"], output, errors)
    assert _digest(output) == reference["output"]
    assert _digest(errors) == reference["errors"]


def _resume(reference: dict[str, Any], output: Path) -> None:
    done = _run([*_argv(reference["source"], output), "--resume"])
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    _same_as_reference(reference, output)


# -- worker faults -------------------------------------------------------------------------


def test_a_killed_worker_is_replaced_and_its_chunk_decided_again(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    """SIGKILL of a worker mid-sweep: detected, replaced, its chunk retried; the files are
    those of an undisturbed sweep and the summary counts one restart."""
    output = tmp_path / "out.jsonl"
    process = _start(_argv(reference["source"], output))
    _wait_for_output(process, Path(str(output) + ".partial"))
    workers = _children(process.pid)
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    code, out, err = _finish(process)
    assert code == 1, err
    assert "worker processes replaced (died, or stopped after task_timeout): 1" in out
    _same_as_reference(reference, output)


# A sweep in a fresh interpreter whose deciding function SIGKILLs its own worker on a record
# of region 219999 (every time, or only while the file ``once`` does not exist). A fresh
# interpreter: the workers must be forked to inherit the patch, and a process that ran other
# tests may hold threads (Dask's), which make the sweep spawn its workers instead.
KILLER = """
import importlib, json, os, signal, sys
from pathlib import Path
from lnunemp_rules import run_batch
sweep_module = importlib.import_module("lnunemp_rules.batch.sweep")
source, output, once = sys.argv[1], sys.argv[2], sys.argv[3]
real = sweep_module._assess_one
def assess(record, *args):
    if isinstance(record, dict) and record.get("residence_region") == "219999":
        if once == "-" or not Path(once).exists():
            if once != "-":
                Path(once).touch()
            os.kill(os.getpid(), signal.SIGKILL)
    return real(record, *args)
sweep_module._assess_one = assess
summary = run_batch(source, output, kind="review", as_of="2026-11-28", workers=2,
                    chunk_size=100, progress=False)
print(json.dumps(summary.to_dict()))
"""


def _sweep_with_killer(source: Path, output: Path, once: Path | None) -> dict[str, Any]:
    done = _run([sys.executable, "-c", KILLER, str(source), str(output), str(once or "-")])
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def _with_region(count: int, poisoned: set[int], tmp_path: Path) -> Path:
    source = tmp_path / "in.jsonl"
    with source.open("w", encoding="utf-8") as f:
        for n, record in enumerate(generate_records("review", count, seed=5, bad_share=0), 1):
            if n in poisoned:
                record["residence_region"] = "219999"
            f.write(json.dumps(record) + "\n")
    return source


def test_a_chunk_that_kills_its_worker_once_is_decided_on_the_retry(tmp_path: Path) -> None:
    """A worker that dies once (the OOM killer, say): the chunk is decided by a fresh one."""
    source = _with_region(2_000, {777}, tmp_path)
    output = tmp_path / "out.jsonl"
    summary = _sweep_with_killer(source, output, tmp_path / "once")
    assert (tmp_path / "once").exists()
    assert summary["worker_restarts"] == 1
    assert summary["decided"] == 2_000 and summary["errors"] == 0
    _assert_each_line_once(source, output, Path(str(output) + ".errors.jsonl"))


def test_a_chunk_that_kills_its_worker_twice_goes_to_the_error_file(tmp_path: Path) -> None:
    """A poison record that kills every worker deciding it: its chunk (lines 701-800) goes to
    the error file with its line numbers, marked internal, after two deaths; the rest is
    decided and the sweep finishes."""
    source = _with_region(2_000, {777}, tmp_path)
    output = tmp_path / "out.jsonl"
    summary = _sweep_with_killer(source, output, None)
    errors = Path(str(output) + ".errors.jsonl")
    _assert_each_line_once(source, output, errors)
    rejected = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in rejected] == list(range(701, 801))
    assert all(r["internal"] and "died 2 times" in r["error"] for r in rejected)
    assert "SIGKILL" in rejected[0]["error"]
    assert summary["worker_restarts"] == 2
    assert summary["internal_errors"] == 100 and summary["decided"] == 1_900


# -- the parent stopped ----------------------------------------------------------------------


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_sweep_cleanly_and_resume_completes_it(
    reference: dict[str, Any], tmp_path: Path, signum: int, code: int
) -> None:
    """SIGINT (to the whole group, as Ctrl-C) or SIGTERM: exit 130/143, no traceback, a
    summary of what was done, the work kept under temporary names with a manifest; the
    output name does not exist yet; --resume gives the files of an undisturbed sweep."""
    output = tmp_path / "out.jsonl"
    process = _start(_argv(reference["source"], output))
    _wait_for_output(process, Path(str(output) + ".partial"))
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    got, out, err = _finish(process)
    assert got == code, err
    assert "Traceback" not in err
    assert f"stopped by {signal.Signals(signum).name} after line" in err
    assert out.startswith("review sweep as of 2026-11-28:")
    assert not output.exists()
    manifest = json.loads(Path(str(output) + ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "stopped"
    assert manifest["stopped_by"] == signal.Signals(signum).name
    assert 0 < manifest["checkpoint"]["lines"] < N
    assert _in_session(process.pid) == [], "a worker outlived the sweep"
    _resume(reference, output)


@pytest.mark.parametrize("interrupt", [False, True])
def test_a_sweep_to_standard_output_writes_each_line_once(
    reference: dict[str, Any], tmp_path: Path, interrupt: bool
) -> None:
    """With -o - (decisions to standard output, rejected records to standard error: no
    temporary files, no manifest), a worker killed and replaced: each line is written once,
    to the end (exit 1) or up to a SIGINT (exit 130, the message after the last line)."""
    argv = _argv(reference["source"], Path("-"))
    with (tmp_path / "out").open("wb") as out, (tmp_path / "err").open("wb") as err:
        process = subprocess.Popen(argv, stdout=out, stderr=err, start_new_session=True)
        deadline = time.monotonic() + TIMEOUT
        while (tmp_path / "out").stat().st_size < 200_000:
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(_children(process.pid)[0], signal.SIGKILL)
        if interrupt:
            while (tmp_path / "out").stat().st_size < 1_000_000:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=TIMEOUT) == (130 if interrupt else 1)
    decided = _lines_of(tmp_path / "out")
    text = (tmp_path / "err").read_text(encoding="utf-8")
    rejected = [json.loads(line)["line"] for line in text.splitlines() if line.startswith("{")]
    assert "Traceback" not in text
    if interrupt:
        assert text.rstrip().splitlines()[-1].startswith("lnunemp-rules batch: stopped by SIGINT")
    assert len(decided) == len(set(decided)) and len(rejected) == len(set(rejected))
    assert not set(decided) & set(rejected)
    done = set(decided) | set(rejected)
    expected = _record_lines(reference["source"])
    assert done == ({n for n in expected if n <= max(done)} if interrupt else expected)


def test_a_killed_parent_is_resumed_with_nothing_lost_or_written_twice(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    """SIGKILL of the sweep itself (no chance to clean up): its workers go away, and
    --resume continues from the last checkpoint, truncating what came after it."""
    output = tmp_path / "out.jsonl"
    process = _start(_argv(reference["source"], output))
    _wait_for_output(process, Path(str(output) + ".partial"), size=400_000)
    workers = _children(process.pid)
    process.kill()
    _finish(process)
    deadline = time.monotonic() + 30
    while any(os.path.exists(f"/proc/{w}") and _state(w) != "Z" for w in workers):
        assert time.monotonic() < deadline, "orphaned workers did not exit"
        time.sleep(0.05)
    manifest = json.loads(Path(str(output) + ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "running"
    _resume(reference, output)


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


# -- files that cannot be written ------------------------------------------------------------


def _limit_file_size(limit: int) -> Any:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails: EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_file_size_limit_stops_the_sweep_with_exit_4_and_resume_completes_it(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    """A write that fails half-way (RLIMIT_FSIZE: 'File too large', as a full disk): exit 4,
    the manifest at the last checkpoint, no half line counted; --resume without the limit
    gives the files of an undisturbed sweep."""
    output = tmp_path / "out.jsonl"
    done = _run(_argv(reference["source"], output), preexec_fn=_limit_file_size(1_000_000))
    assert done.returncode == 4, done.stderr
    assert "Traceback" not in done.stderr
    assert "File too large" in done.stderr and "--resume" in done.stderr
    assert not output.exists()
    _resume(reference, output)


@contextlib.contextmanager
def _tmpfs(path: Path, options: str) -> Iterator[bool]:
    """A tmpfs mounted at ``path`` (root only); False where mounting is not allowed."""
    path.mkdir()
    mounted = False
    if os.geteuid() == 0 and shutil.which("mount"):
        mounted = _run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)]).returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            _run(["umount", "-l", str(path)])


def test_a_full_disk_stops_the_sweep_with_exit_4_and_resume_completes_it(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    """A real full disk (a 1 MiB tmpfs): exit 4 'No space left on device'; the tmpfs made
    larger, --resume gives the files of an undisturbed sweep."""
    small = tmp_path / "small"
    with _tmpfs(small, "size=1m") as mounted:
        if not mounted:
            pytest.skip("no tmpfs can be mounted here (not root): the file-size limit test "
                        "covers a write failing half-way")  # fmt: skip
        output = small / "out.jsonl"
        done = _run(_argv(reference["source"], output))
        assert done.returncode == 4, done.stderr
        assert "No space left on device" in done.stderr
        assert "Traceback" not in done.stderr
        assert _run(["mount", "-o", "remount,size=64m", str(small)]).returncode == 0
        _resume(reference, output)


def test_a_read_only_folder_is_refused_before_anything_is_written(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    """An output in a folder that cannot be written: exit 2 naming the file, no traceback."""
    folder = tmp_path / "ro"
    with _tmpfs(folder, "size=1m,ro") as mounted:
        if not mounted:
            if os.geteuid() == 0:
                pytest.skip("root ignores permissions and no read-only tmpfs can be mounted")
            folder.chmod(0o555)
        done = _run(_argv(reference["source"], folder / "out.jsonl"))
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert str(folder / "out.jsonl") in done.stderr
        assert list(folder.iterdir()) == []


# -- the input ---------------------------------------------------------------------------------


def test_a_truncated_input_rejects_its_cut_line_and_decides_the_rest(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    """An input cut in the middle of a line (a copy that stopped): the cut line is rejected as
    not JSON, with its number; every other line is decided as before."""
    data = reference["source"].read_bytes()
    cut = data.rfind(b"\n", 0, len(data) // 2) + 40
    source = tmp_path / "cut.jsonl"
    source.write_bytes(data[:cut])
    output = tmp_path / "out.jsonl"
    done = _run(_argv(source, output))
    assert done.returncode == 1, done.stderr
    errors = Path(str(output) + ".errors.jsonl")
    _assert_each_line_once(source, output, errors)
    last = json.loads(errors.read_text(encoding="utf-8").splitlines()[-1])
    assert last["line"] == data[:cut].count(b"\n") + 1
    assert last["error"].startswith("not valid JSON")


POISONS: list[tuple[str, bytes, str]] = [
    ("nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
    ("a 5,000-digit number", b'{"minimum_wage_tier": ' + b"9" * 5_000 + b"}", "characters"),
    ("a key given twice", b'{"registration_date": "2026-01-01", "registration_date": "x"}',
     "repeats an earlier key"),
    ("NaN", b'{"minimum_wage_tier": NaN}', "NaN"),
    ("bytes that are not UTF-8", b'{"a": "\xff\xfe"}', "UTF-8"),
    ("a line of 5 MB", b'{"x": "' + b"a" * 5_000_000 + b'"}', "longer than"),
    ("a JSON array", b"[1, 2, 3]", "expected a JSON object"),
    ("a control character", b'{"a": "\x00"}', "not valid JSON"),
]  # fmt: skip


def test_poison_records_among_100000_go_to_the_error_file_and_the_sweep_goes_on(
    tmp_path: Path,
) -> None:
    """Eight poison lines spread among 100,000 records: each in the error file with its line
    and a message saying what is wrong, in bounded time; all else decided."""
    source = tmp_path / "in.jsonl"
    at = {12_345 + 11_111 * n: poison for n, poison in enumerate(POISONS)}
    with source.open("wb") as f:
        records = generate_records("review", 100_000 - len(at), seed=8, bad_share=0)
        for n in range(1, 100_001):
            f.write(at[n][1] if n in at else json.dumps(next(records)).encode())
            f.write(b"\n")
    output = tmp_path / "out.jsonl"
    started = time.monotonic()
    done = _run(_argv(source, output))
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "100000 records, 99992 decided, 8 rejected" in done.stdout
    errors = Path(str(output) + ".errors.jsonl")
    _assert_each_line_once(source, output, errors)
    found = {e["line"]: e for e in map(json.loads, errors.read_text("utf-8").splitlines())}
    assert set(found) == set(at)
    for line, (what, _, words) in at.items():
        assert words in found[line]["error"], (what, found[line])
    assert elapsed < TIMEOUT


# -- arguments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "role"),
    [
        (("-o", "{input}"), "output"),
        (("-o", "{tmp}/out.jsonl", "--summary", "{tmp}/out.jsonl"), "summary"),
        (("-o", "{tmp}/out.jsonl", "--errors", "{tmp}/out.jsonl"), "errors"),
        (("-o", "{tmp}/out.jsonl", "--errors", "{input}"), "errors"),
        (("-o", "{tmp}/link.jsonl"), "output"),
        (("-o", "{tmp}/out.jsonl", "--summary", "{tmp}/out.jsonl.partial"), "temporary output"),
    ],
)  # fmt: skip
def test_arguments_naming_the_same_file_are_refused_before_anything_is_opened(
    tmp_path: Path, extra: tuple[str, ...], role: str
) -> None:
    """Input, output, errors, summary (and their temporary files) naming one file, directly
    or through a hard link: exit 2 naming the clash; the input is untouched."""
    source = _write(tmp_path / "in.jsonl", 50, seed=3)
    os.link(source, tmp_path / "link.jsonl")
    before = _digest(source)
    argv = [sys.executable, "-c", CLI, "batch", str(source), "--kind", "review", "--as-of",
            AS_OF, "--no-progress"]  # fmt: skip
    argv += [part.format(input=source, tmp=tmp_path) for part in extra]
    done = _run(argv)
    assert done.returncode == 2, done.stderr
    assert f"{role}:" in done.stderr and "is also the" in done.stderr
    assert _digest(source) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "link.jsonl"]


def test_resume_refuses_what_is_not_the_stopped_sweep(tmp_path: Path) -> None:
    """--resume without a manifest, with other options, on a changed input or changed
    rules is refused (exit 2); a stopped sweep is not overwritten by a new one."""
    source = _write(tmp_path / "in.jsonl", 300, seed=4)
    output = tmp_path / "out.jsonl"
    kwargs: dict[str, Any] = {"kind": "review", "as_of": AS_OF, "workers": 2,
                              "chunk_size": 50, "progress": False}  # fmt: skip
    from lnunemp_rules import InputError

    with pytest.raises(InputError, match="nothing to resume"):
        run_batch(str(source), str(output), resume=True, **kwargs)
    _stopped_sweep(source, output, kwargs)
    with pytest.raises(InputError, match="continue it with --resume"):
        run_batch(str(source), str(output), **kwargs)
    with pytest.raises(InputError, match="as_of"):
        run_batch(str(source), str(output), resume=True, **{**kwargs, "as_of": "2026-11-27"})
    changed = source.read_bytes().replace(b"2026-", b"2025-", 1)
    other = tmp_path / "other.jsonl"
    other.write_bytes(changed)
    with pytest.raises(InputError, match=r"first \d+ bytes differ"):
        run_batch(str(other), str(output), resume=True, **kwargs)
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    with (rules / "manifest.yaml").open("a", encoding="utf-8") as f:
        f.write("# changed\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LNUNEMP_RULES_DIR", str(rules))
        with pytest.raises(InputError, match="the rules changed"):
            run_batch(str(source), str(output), resume=True, **kwargs)
    summary = run_batch(str(source), str(output), resume=True, **kwargs)
    assert summary.records == 300
    again = run_batch(str(source), str(output), resume=True, **kwargs)  # complete: a no-op
    assert again.to_dict() == summary.to_dict()


def _stopped_sweep(source: Path, output: Path, kwargs: dict[str, Any], records: int = 300) -> None:
    """Stop a sweep once its first chunk is written, as SIGINT would (the handler's flag)."""
    merged = {"chunks": 0}
    real_merge = BatchSummary._merge

    def merge(self: BatchSummary, other: BatchSummary) -> None:
        merged["chunks"] += 1
        real_merge(self, other)

    def stop_after_first_chunk(self: Any) -> bool:
        if merged["chunks"] >= 1:
            self.reason = "SIGINT"
        return self.reason is not None

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BatchSummary, "_merge", merge)
        patch.setattr(run_module._Stop, "__call__", stop_after_first_chunk)
        with pytest.raises(SweepStoppedError) as info:
            run_batch(str(source), str(output), **kwargs)
    assert info.value.reason == "SIGINT"
    assert 50 <= info.value.last_line < records


def test_a_csv_sweep_stopped_and_resumed_gives_the_files_of_an_undisturbed_one(
    tmp_path: Path,
) -> None:
    """A CSV register (records split on raw bytes, a quoted events cell over several lines
    included): stopped after its first chunk and resumed, it gives byte for byte the files of
    a sweep that was not stopped; the header is not read again as a record."""
    import csv

    from lnunemp_rules.batch.records import record_to_row
    from lnunemp_rules.decide import procedure

    source = tmp_path / "in.csv"
    columns = procedure("review").csv_columns
    with source.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for n, record in enumerate(generate_records("review", 600, seed=9), start=1):
            row = record_to_row(record, "review")
            if n % 50 == 0:  # a cell holding a newline: one record over two lines
                row["events"] = row["events"].replace(",", ",\n", 1)
            writer.writerow(row)
    kwargs: dict[str, Any] = {"kind": "review", "as_of": AS_OF, "workers": 2,
                              "chunk_size": 50, "progress": False}  # fmt: skip
    clean = tmp_path / "clean.jsonl"
    run_batch(str(source), str(clean), **kwargs)
    output = tmp_path / "out.jsonl"
    _stopped_sweep(source, output, kwargs, records=600)
    run_batch(str(source), str(output), resume=True, **kwargs)
    assert output.read_bytes() == clean.read_bytes()
    errors = Path(str(output) + ".errors.jsonl")
    assert errors.read_bytes() == Path(str(clean) + ".errors.jsonl").read_bytes()
    lines = _lines_of(output) + _lines_of(errors)
    assert len(lines) == len(set(lines)) == 600 and 1 not in lines  # line 1: the header
