"""How long turning a State Council notice into a checked calendar file takes (issue 16).

One process, the twelve published texts of tests/data/notices (2017-2026 and two amendments).
For each round: the conversion as ``calendar from-notice`` does it (read the notice, build the
file, write its YAML, read that back with the library's reader and compare), then the
baseline measured in the same run: the library reading the same YAML files alone, as it does
when a rule book loads its calendar. Printed: microseconds per notice for each, and the ratio.
Then the whole command, ``lnunemp-rules calendar from-notice`` in a fresh interpreter (what an
operator waits for), against ``lnunemp-rules --version`` (starting the command line), median
of ``--runs`` runs each.

Run: ``python benchmarks/bench_notice.py [--rounds 50] [--runs 5]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lnunemp_rules.rulebook.calendar_files import dump_calendar_file, parse_calendar_text
from lnunemp_rules.rulebook.notice import parse_notice
from lnunemp_rules.rulebook.notice_file import amend_calendar_file, calendar_file_from_notice

__all__ = ["main"]

NOTICES = Path(__file__).resolve().parent.parent / "tests" / "data" / "notices"
RUN_CLI = "import sys; from lnunemp_rules.cli import main; sys.exit(main())"
NUMBER = "国办发明电〔2000〕{}号"  # texts lacking a 文号 get a stand-in: for timing only


def _convert(texts: dict[str, str]) -> list[str]:
    """Every year's file as from-notice (and amend) write it, checked by reading it back."""
    written = []
    for year in range(2017, 2027):
        notice = parse_notice(texts[f"{year}.txt"], year)
        number = notice.number or NUMBER.format(year)
        content = calendar_file_from_notice(notice, number=number, source="s")
        for kind in ("adjustment", "extension"):
            text = texts.get(f"{year}-{kind}.txt")
            if text is not None:
                other = parse_notice(text, year)
                content = amend_calendar_file(
                    content, other, number=other.number or NUMBER.format(1), source="s", name=kind
                )
        yaml_text = dump_calendar_file(content)
        problems: list[Any] = []
        assert parse_calendar_text(yaml_text, f"{year}.yaml", problems) == content
        written.append(yaml_text)
    return written


def _read(files: list[str]) -> None:
    for year, yaml_text in zip(range(2017, 2027), files, strict=True):
        problems: list[Any] = []
        assert parse_calendar_text(yaml_text, f"{year}.yaml", problems) is not None


def _per_notice(fn: Any, arg: Any, rounds: int, n: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - start)
    return best / n * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    texts = {p.name: p.read_bytes().decode("utf-8") for p in NOTICES.glob("*.txt")}
    files = _convert(texts)  # warm up
    n = len(texts)
    convert = _per_notice(_convert, texts, args.rounds, n)
    read = _per_notice(_read, files, args.rounds, n)
    print(f"{n} notices, best of {args.rounds} rounds")
    print(f"  convert, write and check a notice: {convert:8.1f} us")
    print(f"  baseline, read the written file:   {read:8.1f} us")
    print(f"  ratio convert / read:              {convert / read:8.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        command = [
            sys.executable, "-c", RUN_CLI, "calendar", "from-notice",
            str(NOTICES / "2026.txt"), "--year", "2026", "--number", "国办发明电〔2025〕7号",
            "--source", "s", "--force", "-o", str(Path(tmp) / "2026.yaml"),
        ]  # fmt: skip
        walls = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
        version = [sys.executable, "-c", RUN_CLI, "--version"]
        bare = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(version, check=True, capture_output=True)
            bare.append(time.perf_counter() - start)
    print(f"lnunemp-rules calendar from-notice (2026 notice), median of {args.runs} runs:")
    print(f"  whole command:                     {statistics.median(walls) * 1e3:8.0f} ms")
    whole, start = statistics.median(walls), statistics.median(bare)
    print(f"  baseline, lnunemp-rules --version: {start * 1e3:8.0f} ms")
    print(f"  ratio:                             {whole / start:8.2f}")


if __name__ == "__main__":
    main()
