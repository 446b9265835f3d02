"""The golden snapshots (tests/snapshots) still describe what the library decides and says.

A failure lists each snapshot file that changed. If the change is meant, regenerate with
``python scripts/generate_snapshots.py``, read ``git diff tests/snapshots`` and explain it in
the commit message.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate_snapshots.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_snapshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_snapshots", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _generator()


def test_every_snapshot_file_equals_a_fresh_computation(generator: ModuleType) -> None:
    """Every decision, explanation and error of the snapshot set is byte-identical to the
    committed file, and no file is new or gone."""
    fresh = generator.snapshot_files()
    committed = generator._committed()
    found = generator.differences(fresh, committed)
    assert not found, "snapshots differ (regenerate and review the diff):\n" + "\n".join(found[:40])


def test_the_snapshot_set_holds_every_form_and_some_rejected_inputs(generator: ModuleType) -> None:
    """Each decided case has its five forms; some generated inputs are rejected ones."""
    committed = generator._committed()
    cases = {name.split(".", 1)[0] for name in committed if name != "index.json"}
    assert len(cases) >= 146 + 200
    errors = [c for c in cases if f"{c}.error.txt" in committed]
    assert errors, "no rejected input among the snapshots"
    for case in sorted(cases - set(errors)):
        for form in ("json", "zh.txt", "en.txt", "zh.md", "en.html"):
            assert f"{case}.{form}" in committed, f"{case}.{form} is missing"


def test_a_changed_explanation_is_reported_by_name(generator: ModuleType) -> None:
    """The comparison names a file whose text differs, and new and gone files."""
    committed = {"a.json": "{}\n", "b.zh.txt": "x\n"}
    fresh = {"a.json": "{}\n", "b.zh.txt": "y\n", "c.en.txt": "z\n"}
    assert generator.differences(fresh, committed) == ["changed: b.zh.txt", "new: c.en.txt"]
    assert generator.differences({}, {"a.json": ""}) == ["gone: a.json"]
