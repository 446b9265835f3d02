"""The durable_rules soak script runs clean at CI scale (issue 5, item 4).

The full run (1,000,000 decisions, ~12 minutes here) is recorded in docs/performance.md; CI
runs 20,000 decisions in a fresh interpreter and requires exit 0: no crash of the C
extension and RSS growth after warm-up within 10 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lnunemp_rules import available_engines

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.durable,
    pytest.mark.skipif(
        "durable" not in available_engines(), reason="durable_rules does not import here"
    ),
]


def test_durable_soak_script_exits_zero_on_20000_decisions() -> None:
    """20,000 durable decisions in a subprocess finish with exit 0 and report flat RSS."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "durable_soak.py"), "--n", "20000"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "20,000 decisions in" in run.stdout
    assert "growth after warm-up" in run.stdout
