"""The long fault run of docs/reliability.md, by hand: a 1,000,000-record sweep that loses a
worker, is interrupted, and is resumed.

1. ``lnunemp_rules.analyst.generate`` writes N registrants (1% deliberately bad) and 5
   poison lines (deep nesting, a 5,000-digit number, a key twice, NaN, bytes that are not
   UTF-8) spread among them;
2. ``lnunemp-rules batch`` sweeps them on every CPU; at 20% of the input one worker is
   SIGKILLed, at 50% the sweep's process group gets SIGINT (as Ctrl-C);
3. the sweep must exit 130; ``--resume`` must finish it (exit 1: some records rejected);
4. every non-blank input line must be in exactly one of the output and error files, the five
   poison lines in the error file, and the summary must count one worker restart.

Prints each step with its time and the figures; exits 1 if a check fails.

Run: ``python scripts/fault_soak.py [--n 1000000] [--keep]`` (about 5 minutes for a million on
2 cores; several times that on a loaded machine).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

AS_OF = "2026-11-28"
CLI = "import sys; from lnunemp_rules.cli import main; sys.exit(main())"
POISONS = [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"minimum_wage_tier": ' + b"9" * 5_000 + b"}",
    b'{"registration_date": "2026-01-01", "registration_date": "2026-01-02"}',
    b'{"minimum_wage_tier": NaN}',
    b'{"a": "\xff\xfe"}',
]


def _say(started: float, text: str) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {text}", flush=True)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                found += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return found


def _lines(path: Path) -> list[int]:
    with path.open("rb") as f:
        return [json.loads(raw)["line"] for raw in f]


def _write(source: Path, n: int) -> dict[int, bytes]:
    from lnunemp_rules.analyst.generate import generate_records

    at = {n // 6 * (k + 1): poison for k, poison in enumerate(POISONS)}
    records = generate_records("review", n - len(at), seed=2026)
    with source.open("wb") as f:
        for line in range(1, n + 1):
            f.write(at[line] if line in at else json.dumps(next(records)).encode())
            f.write(b"\n")
    return at


def _wait_for(process: subprocess.Popen[bytes], partial: Path, size: int) -> None:
    while not partial.exists() or partial.stat().st_size < size:
        if process.poll() is not None:
            raise SystemExit(f"the sweep ended early (exit {process.returncode})")
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the files")
    args = parser.parse_args(argv)
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="lnunemp-soak-"))
    source, output = folder / "register.jsonl", folder / "out.jsonl"
    poisons = _write(source, args.n)
    _say(started, f"wrote {args.n:,} lines ({source.stat().st_size / 1e6:,.0f} MB), "
         f"{len(poisons)} poison lines")  # fmt: skip
    argv_ = [sys.executable, "-c", CLI, "batch", str(source), "--kind", "review", "--as-of",
             AS_OF, "-o", str(output), "--no-progress"]  # fmt: skip
    # The output is about 0.75 of the input: 20% and 50% of the input, in output bytes.
    expected = 0.75 * source.stat().st_size
    process = subprocess.Popen(argv_, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)  # fmt: skip
    partial = Path(str(output) + ".partial")
    _wait_for(process, partial, int(0.2 * expected))
    worker = _children(process.pid)[0]
    os.kill(worker, signal.SIGKILL)
    _say(started, f"SIGKILL to worker {worker}")
    _wait_for(process, partial, int(0.5 * expected))
    os.killpg(process.pid, signal.SIGINT)
    _say(started, "SIGINT to the sweep's process group")
    _, err = process.communicate(timeout=600)
    stopped = json.loads(Path(str(output) + ".manifest.json").read_text(encoding="utf-8"))
    _say(started, f"exit {process.returncode}; {err.decode().strip()}; manifest "
         f"{stopped['status']} after line {stopped['checkpoint']['lines']:,}")  # fmt: skip
    failures = []
    if process.returncode != 130:
        failures.append(f"the interrupted sweep exited {process.returncode}, not 130")
    resumed = subprocess.run([*argv_, "--resume"], capture_output=True, timeout=7200, check=False)
    summary = resumed.stdout.decode()
    _say(started, f"--resume: exit {resumed.returncode}; {summary.splitlines()[0]}")
    if resumed.returncode != 1:
        failures.append(f"the resumed sweep exited {resumed.returncode}, not 1")
    decided = _lines(output)
    rejected = _lines(Path(str(output) + ".errors.jsonl"))
    every = set(range(1, args.n + 1))
    if len(decided) + len(rejected) != args.n or set(decided) | set(rejected) != every:
        failures.append(f"{len(decided):,} decided + {len(rejected):,} rejected lines are not "
                        f"the {args.n:,} input lines, each once")  # fmt: skip
    if not set(poisons) <= set(rejected):
        failures.append("a poison line is not in the error file")
    if "worker processes replaced after dying: 1" not in summary:
        failures.append("the summary does not count one worker restart")
    _say(started, f"checked: {len(decided):,} decided, {len(rejected):,} rejected, each line "
         f"once; poison lines {sorted(poisons)} rejected")  # fmt: skip
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    else:
        print(f"files kept in {folder}")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
