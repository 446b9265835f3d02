"""Golden snapshots: decisions and their explanations, committed so behaviour changes are diffs.

As vacanza/holidays keeps ``snapshots/countries/*.json``: every fixture case of
``tests/fixtures`` and 200 seeded synthetic inputs (frozen in
``tests/data/snapshot_inputs.jsonl``) are decided on the default (python) engine, and each
decision is written in every form a reader meets:

- ``<id>.json``: ``decision.to_dict()`` (outcome, citations, derivations, trace, meta);
- ``<id>.zh.txt`` and ``<id>.en.txt``: ``decision.explain(lang)``;
- ``<id>.zh.md``: the Markdown page of ``lnunemp-rules explain --format md --lang zh``;
- ``<id>.en.html``: the HTML page of ``lnunemp-rules explain --format html --lang en``.

An input the library rejects is kept as ``<id>.error.txt`` (the InputError's field and every
problem), so error messages are under the same contract. ``index.json`` maps each id to where
its input came from.

Run from the repository root after a change that is meant to alter decisions or explanations,
then review ``git diff tests/snapshots`` and explain it in the commit message::

    python scripts/generate_snapshots.py            # rewrite tests/snapshots
    python scripts/generate_snapshots.py --check    # exit 1 and list what differs
    python scripts/generate_snapshots.py --freeze-inputs   # new synthetic inputs, on purpose

``tests/test_snapshots.py`` runs the check.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lnunemp_rules as L
from lnunemp_rules.analyst.fixtures import load_fixture_cases
from lnunemp_rules.analyst.generate import DEFAULT_AS_OF, iter_synthetic

__all__ = ["SNAPSHOTS", "compact_json", "main", "snapshot_files"]

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "snapshots"
FIXTURES = ROOT / "tests" / "fixtures"
#: Synthetic inputs per procedure: seeded, a share of them deliberately invalid.
GENERATED = 100
GENERATED_SEED = 20261201
GENERATED_BAD_SHARE = 0.05
#: The synthetic inputs, frozen: a change to the generator (analyst/generate.py) does not
#: change the snapshots' inputs; ``--freeze-inputs`` rewrites them on purpose.
GENERATED_INPUTS = ROOT / "tests" / "data" / "snapshot_inputs.jsonl"
_WIDTH = 120


def compact_json(value: Any, indent: str = "") -> str:
    """JSON with one member per line, except that a value whose one-line form fits in
    ``_WIDTH`` characters stays on one line: short lines, small diffs."""
    flat = json.dumps(value, ensure_ascii=False, sort_keys=False)
    if len(indent) + len(flat) <= _WIDTH or not isinstance(value, dict | list) or not value:
        return flat
    inner = indent + " "
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {compact_json(v, inner)}"
                 for k, v in value.items()]  # fmt: skip
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    items = [inner + compact_json(v, inner) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + indent + "]"


def _forms(decision: Any) -> dict[str, str]:
    data = decision.to_dict()
    return {
        "json": compact_json(data) + "\n",
        "zh.txt": decision.explain("zh") + "\n",
        "en.txt": decision.explain("en") + "\n",
        "zh.md": decision.render("md", "zh"),
        "en.html": decision.render("html", "en"),
    }


def _decide(kind: str, data: Any, as_of: Any) -> dict[str, str]:
    try:
        if kind == "registration":
            decision = L.assess_registration(data)
        else:
            decision = L.assess_deregistration(data, as_of=as_of)
    except L.InputError as exc:
        lines = [f"field: {exc.field}"] + [f"{field}: {message}" for field, message in exc.problems]
        return {"error.txt": "\n".join(lines) + "\n"}
    return _forms(decision)


def _cases() -> Iterator[tuple[str, dict[str, Any], str, Any, Any]]:
    """(id, index entry, kind, input, as_of) of every snapshot case, in a fixed order."""
    counters: dict[str, int] = {}
    for case in load_fixture_cases([FIXTURES]):
        stem = Path(case.file).relative_to(FIXTURES).with_suffix("").as_posix().replace("/", "-")
        counters[stem] = counters.get(stem, 0) + 1
        where = {"fixture": Path(case.file).relative_to(ROOT).as_posix(), "line": case.line,
                 "name": case.name}  # fmt: skip
        yield f"fixtures/{stem}-{counters[stem]:03d}", where, case.kind, case.input, case.as_of
    with GENERATED_INPUTS.open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            kind, n = item["kind"], item["number"]
            where = {"generated": kind, "seed": GENERATED_SEED, "number": n,
                     "defect": item["defect"]}  # fmt: skip
            as_of = DEFAULT_AS_OF if kind == "review" else None
            yield f"generated/{kind}-{n:03d}", where, kind, item["record"], as_of


def freeze_generated_inputs() -> None:
    """Write GENERATED_INPUTS afresh from the generator (``--freeze-inputs``): only when the
    snapshot inputs are meant to change, never as a side effect of a generator change."""
    with GENERATED_INPUTS.open("w", encoding="utf-8") as out:
        for kind in ("registration", "review"):
            records = iter_synthetic(kind, GENERATED, seed=GENERATED_SEED,  # type: ignore[arg-type]
                                     bad_share=GENERATED_BAD_SHARE)  # fmt: skip
            for n, item in enumerate(records, start=1):
                entry = {"kind": kind, "number": n, "defect": item.defect, "record": item.record}
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")


def snapshot_files() -> dict[str, str]:
    """Every snapshot file's path (relative to tests/snapshots) and text, freshly computed."""
    files: dict[str, str] = {}
    index: dict[str, Any] = {}
    for case_id, where, kind, data, as_of in _cases():
        index[case_id] = {"kind": kind, **where}
        for form, text in _decide(kind, data, as_of).items():
            files[f"{case_id}.{form}"] = text
    files["index.json"] = compact_json(index) + "\n"
    return files


def _committed() -> dict[str, str]:
    return {
        p.relative_to(SNAPSHOTS).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(SNAPSHOTS.rglob("*"))
        if p.is_file()
    }


def differences(fresh: dict[str, str], committed: dict[str, str]) -> list[str]:
    """One line per snapshot file that is new, gone or changed."""
    out = []
    for name in sorted(set(fresh) | set(committed)):
        if name not in committed:
            out.append(f"new: {name}")
        elif name not in fresh:
            out.append(f"gone: {name}")
        elif fresh[name] != committed[name]:
            out.append(f"changed: {name}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a diff")
    parser.add_argument(
        "--freeze-inputs", action="store_true", help="first rewrite the synthetic inputs"
    )
    args = parser.parse_args(argv)
    if args.freeze_inputs:
        freeze_generated_inputs()
    fresh = snapshot_files()
    if args.check:
        found = differences(fresh, _committed())
        print("\n".join(found) or f"{len(fresh)} snapshot files unchanged")
        return 1 if found else 0
    for name in differences(fresh, _committed()):
        if name.startswith("gone: "):
            (SNAPSHOTS / name.removeprefix("gone: ")).unlink()
    for name, text in fresh.items():
        path = SNAPSHOTS / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    print(f"{len(fresh)} snapshot files in {SNAPSHOTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
