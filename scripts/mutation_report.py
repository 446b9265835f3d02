"""Code mutation testing of the law and decision code: figures, report and check (docs/testing.md).

mutmut (configured in pyproject.toml, ``[tool.mutmut]``) makes one-change mutants of the
files it lists (calendar, periods, retirement, minimum wage, ID numbers, the facts and the
combination policies of registration and review) and runs, for each, the tests that call the
mutated function. This script reads its results from ``mutants/`` and classifies each mutant:

- **killed**: a test failed (or the mutant ran past its time limit);
- **equivalent**: survived, and listed in ``tests/code_mutants.yaml`` with the reason no
  test can tell it apart (it changes no behaviour);
- **survived**: survived and not listed; or no test calls its function ("no tests").

The target is at most 5% survivors among the mutants that are not equivalent.

    mutmut run --max-children 2                          # the full run, by hand (CPU-heavy)
    python scripts/mutation_report.py                    # figures per file
    python scripts/mutation_report.py --write docs/mutation-report.md --check
    python scripts/mutation_report.py --sample           # CI: a bounded sample, checked

``--sample`` runs mutmut itself on one mutant in five of the functions in
``SAMPLE_FUNCTIONS`` (the engine cross-check, the combination policies, the minimum-wage
comparison, the review's facts and as-of filter, the calendar's counting, the ID number's
check sum; ~100 mutants) and fails on any survivor that is not equivalent.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

__all__ = ["SAMPLE", "SAMPLE_FUNCTIONS", "classify", "main"]

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
EQUIVALENTS = ROOT / "tests" / "code_mutants.yaml"
LIMIT = 0.05

#: The functions whose mutants CI samples (``--sample``): where the decisions of the standard
#: are combined and compared, and the four behaviours issue 14 found unpinned.
SAMPLE_FUNCTIONS = (
    "lnunemp_rules.engines.select.x_decide_rules",
    "lnunemp_rules.engines.select.x_compare_fired",
    "lnunemp_rules.decide.registration.x__combine",
    "lnunemp_rules.decide.review.x__basis",
    "lnunemp_rules.decide.review.x_registrant_facts",
    "lnunemp_rules.decide.derivations.x_minimum_wage_for",
    "lnunemp_rules.law.calendar.xǁWorkingDayCalendarǁadd_working_days",
    "lnunemp_rules.law.calendar.xǁWorkingDayCalendarǁworking_days_between",
    "lnunemp_rules.inputs.idnumber.x__weighted_sum",
)
#: One mutant in five of each (numbers ending in 0 or 5): ~100 of their ~500 mutants.
SAMPLE = tuple(f"{function}__mutmut_*[05]" for function in SAMPLE_FUNCTIONS)

_KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test, or past the time limit
_SURVIVED = {0}
_NO_TESTS = {5, 33}


def _results() -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        found.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return found


def _equivalents() -> dict[str, str]:
    data = yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8")) or {}
    return {item["mutant"]: item["reason"] for item in data.get("equivalent") or ()}


def _moved_entries(names: set[str]) -> list[str]:
    """Listed equivalents whose ``change`` is not in the mutant of that number any more:
    mutmut numbers a function's mutants in order, so an edit of the function renumbers them
    and the entry would vouch for another change (issue 14's list, made on its branch, had 19
    such entries after the merge with issue 10)."""
    data = yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8")) or {}
    sources: dict[Path, str] = {}
    moved = []
    for item in data.get("equivalent") or ():
        name = item["mutant"]
        if name not in names:
            continue
        module, _, function = name.rpartition(".")
        path = MUTANTS / "src" / (module.replace(".", "/") + ".py")
        if path not in sources:
            sources[path] = path.read_text(encoding="utf-8") if path.exists() else ""
        text = sources[path]
        start = text.find(f"def {function}(")
        end = text.find("\ndef ", start + 1) if start >= 0 else -1
        body = text[start : end if end >= 0 else len(text)] if start >= 0 else ""
        parts = [p.strip() for p in str(item["change"]).split("...") if p.strip()]
        if not body or not all(p in body for p in parts):
            moved.append(name)
    return moved


def classify(code: int | None, equivalent: bool) -> str:
    """killed, equivalent, survived, no tests or not checked (mutmut's exit code)."""
    if code is None:
        return "not checked"
    if code in _KILLED:
        return "killed" if not equivalent else "killed but listed equivalent"
    if code in _SURVIVED:
        return "equivalent" if equivalent else "survived"
    if code in _NO_TESTS:
        return "no tests"
    return f"other ({code})"


def _module_of(name: str) -> str:
    return name.split(".x", 1)[0].replace("ǁ", ".")


def _show(name: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", name],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = [
        line
        for line in done.stdout.splitlines()
        if line[:1] in "+-" and not line.startswith(("---", "+++"))
    ]
    return " / ".join(line.strip() for line in lines) or "(no diff)"


def _report(only: tuple[str, ...], write: Path | None, show_diffs: bool) -> tuple[int, int, int]:
    """Print (and write) the figures; (survivors, stale equivalent entries, mutants considered)."""
    results = _results()
    if not results:
        raise SystemExit("no mutmut results in mutants/: run `mutmut run` first")
    if only:
        results = {k: v for k, v in results.items() if any(fnmatch.fnmatch(k, g) for g in only)}
    equivalents = _equivalents()
    status = {k: classify(v, k in equivalents) for k, v in results.items()}
    per_module: dict[str, Counter[str]] = {}
    for name, kind in status.items():
        per_module.setdefault(_module_of(name), Counter())[kind] += 1
    totals: Counter[str] = Counter(status.values())
    considered = len(status) - totals["equivalent"] - totals["not checked"]
    bad = totals["survived"] + totals["no tests"]
    share = bad / considered if considered else 0.0
    lines = [
        "| module | mutants | killed | equivalent | survived | no tests | not checked |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for module, c in sorted(per_module.items()):
        lines.append(
            f"| `{module}` | {sum(c.values())} | {c['killed']} | {c['equivalent']} | "
            f"{c['survived']} | {c['no tests']} | {c['not checked']} |"
        )
    lines.append(
        f"| **all** | {len(status)} | {totals['killed']} | {totals['equivalent']} | "
        f"{totals['survived']} | {totals['no tests']} | {totals['not checked']} |"
    )
    summary = (
        f"{len(status)} mutants: {totals['killed']} killed, {totals['equivalent']} equivalent, "
        f"{totals['survived']} survived, {totals['no tests']} with no test, "
        f"{totals['not checked']} not checked; survivors among the non-equivalent: "
        f"{bad}/{considered} = {share:.1%} (limit {LIMIT:.0%})"
    )
    print("\n".join(lines))
    print(summary)
    stale = sorted(k for k, kind in status.items() if kind == "killed but listed equivalent")
    for name in _moved_entries(set(status)):
        print(f"listed as equivalent, but mutant {name} is not the change listed (renumbered)")
        stale.append(name)
    missing = sorted(set(equivalents) - set(results)) if not only else []
    for name in stale:
        print(f"listed as equivalent but killed (remove it from {EQUIVALENTS.name}): {name}")
    for name in missing:
        print(f"listed as equivalent but not a mutant of this code (stale entry): {name}")
    survivors = sorted(k for k, kind in status.items() if kind in ("survived", "no tests"))
    diffs = {name: _show(name) for name in survivors} if show_diffs or write else {}
    for name in survivors:
        print(f"{status[name]}: {name}" + (f"  [{diffs[name]}]" if name in diffs else ""))
    if write is not None:
        text = [
            "# Code mutation report (generated)",
            "",
            "Written by `python scripts/mutation_report.py --write docs/mutation-report.md`",
            "after `mutmut run` (pyproject.toml `[tool.mutmut]`); how to read it: "
            "docs/testing.md. Equivalent mutants and their reasons: "
            "`tests/code_mutants.yaml`.",
            "",
            *lines,
            "",
            summary + ".",
            "",
            "## Mutants that survived (no test fails)",
            "",
            *(f"- `{n}` ({status[n]}): `{diffs[n]}`" for n in survivors),
            *(["- none"] if not survivors else []),
            "",
            "## Equivalent mutants",
            "",
            *(
                f"- `{n}`: {equivalents[n]}"
                for n in sorted(k for k, kind in status.items() if kind == "equivalent")
            ),
            "",
        ]
        write.write_text("\n".join(text), encoding="utf-8")
        print(f"wrote {write}")
    return bad, len(stale) + len(missing), considered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the Markdown report to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 above the 5%% limit")
    parser.add_argument("--diffs", action="store_true", help="show each survivor's change")
    parser.add_argument(
        "--sample",
        action="store_true",
        help="run mutmut on the SAMPLE functions, then fail on any non-equivalent survivor",
    )
    args = parser.parse_args(argv)
    if args.sample:
        done = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", "2", *SAMPLE], cwd=ROOT
        )
        if done.returncode != 0:
            print(f"mutmut run exited {done.returncode}", file=sys.stderr)
            return 1
        bad, stale, considered = _report(SAMPLE, args.write, show_diffs=True)
        if considered == 0:
            print("the sample held no mutant: SAMPLE names functions that no longer exist")
            return 1
        return 1 if bad or stale else 0
    bad, stale, considered = _report((), args.write, args.diffs)
    over = considered == 0 or bad / considered > LIMIT
    return 1 if args.check and (over or stale) else 0


if __name__ == "__main__":
    raise SystemExit(main())
