"""The benchmarks keep their promise (docs/performance.md): each script imports and offers
``--check``; a missed or unmeasured target makes ``--check`` exit 1; an absent baseline exits
2. The benchmarks themselves are never timed here (they are scripts run by hand)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPTS = sorted(p.name for p in BENCHMARKS.glob("*.py") if p.name != "targets.py")


def _targets() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_targets", BENCHMARKS / "targets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_targets", module)  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module


def test_every_benchmark_is_listed() -> None:
    """The scripts this test knows are the ones in benchmarks/ (a new one is checked too)."""
    assert {"bench_registration.py", "bench_sweep.py", "bench_import.py"} <= set(SCRIPTS)
    assert len(SCRIPTS) == 13


#: Scripts that measure without a target to check (each prints its ratios against a baseline
#: of the same run): converting a holiday notice (issue 16), the service under load (issue 15:
#: its figures, under a shared machine's load, are reported in docs/performance.md), and
#: the sweep against an older commit (issue 11), Dask DataFrames against the library's own
#: sweep (issue 12, item 5: figures in docs/scaling.md). They still must run.
NO_TARGET = {"bench_dask.py", "bench_notice.py", "bench_service.py",
             "compare_sweep_with_commit.py"}  # fmt: skip


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_benchmark_imports_and_offers_check(script: str) -> None:
    """``--help`` runs (the script's imports resolve against this version of the library) and
    lists ``--check``."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--help"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert ("--check" in done.stdout) != (script in NO_TARGET)


def test_a_missed_target_fails_only_under_check(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --check a miss is reported and the status is 0; with it the status is 1."""
    targets = _targets()
    report = targets.Targets(check=False)
    report.at_least("rate", 24_999.0, 25_000, "/s")
    assert report.finish() == 0
    checked = targets.Targets(check=True)
    checked.at_least("rate", 24_999.0, 25_000, "/s")
    checked.at_most("memory", 300.0, 300.0, " MB")
    assert checked.finish() == 1
    out = capsys.readouterr().out
    assert "target rate: 24,999.00/s (at least 25,000.00/s) -> MISSED" in out
    assert "target memory: 300.00 MB (at most 300.00 MB) -> met" in out


def test_met_targets_pass_and_an_unmeasured_one_fails_under_check() -> None:
    """All targets met: 0. A target that cannot be measured here is not a pass."""
    targets = _targets()
    ok = targets.Targets(check=True)
    ok.at_least("ratio", 3.0, 3.0, "x")
    assert ok.finish() == 0
    unmeasured = targets.Targets(check=True)
    unmeasured.not_measured("durable rate", "durable_rules does not import here")
    assert unmeasured.finish() == 1


def test_an_absent_baseline_exits_2_naming_how_to_get_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A baseline that cannot be measured stops the benchmark with status 2."""
    targets = _targets()
    targets.require_baseline("zen-engine", True, "pip install zen-engine")
    with pytest.raises(SystemExit) as stopped:
        targets.require_baseline("zen-engine", False, "pip install zen-engine")
    assert stopped.value.code == 2
    assert "baseline zen-engine is not available here: pip install zen-engine" in (
        capsys.readouterr().err
    )
