"""Import time of the package and latency of the first decision (issue 5, item 3).

Each figure is the best of ``--runs`` fresh interpreters (subprocesses), so nothing is cached
in memory between runs (the OS file cache is warm, as it is on a server):

- ``import lnunemp_rules`` (target 300 ms or less);
- the first ``assess_registration`` after the import: loading the modules it needs, the rule
  book (YAML), the calendar and the parameter files;
- the first ``assess_deregistration`` likewise, and the import plus both first decisions.

The baseline, measured in the same run the same way, is the bare interpreter
(``python -c pass``, best of ``--runs``): the figures above exclude its start-up, and the
ratio shows what the import adds to it. Target (issue 5; ``--check`` exits 1 when missed):
``import lnunemp_rules`` <= 300 ms. The first decision is reported, with no target.

Run: ``PYTHONPATH=src python benchmarks/bench_import.py [--runs 5] [--check]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from targets import Targets, add_check_option

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent

_PROBE = r"""
import json, time
t0 = time.perf_counter()
import lnunemp_rules as L
t1 = time.perf_counter()
from lnunemp_rules.inputs.idnumber import make_id_number
import datetime as dt
app = {"applicant": {"id_number": make_id_number("210102", dt.date(1990, 5, 1), 3),
                     "residence_region": "210102", "habitual_urban_resident": True},
       "voluntary": True, "cause": {"category": "resignation"},
       "unemployment_date": "2026-10-01", "application_date": "2026-11-02",
       "channel": "online"}
t2 = time.perf_counter()
L.assess_registration(app)
t3 = time.perf_counter()
L.assess_deregistration({"person": {"birth_date": "1985-04-01", "sex": "male"},
                         "registration_date": "2026-01-05", "residence_region": "210102",
                         "events": [{"type": "contact", "date": "2026-03-01"}]},
                        as_of="2026-11-28")
t4 = time.perf_counter()
L.assess_registration(app)
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first_registration": t3 - t2,
                  "first_review": t4 - t3, "second_registration": t5 - t4,
                  "total": (t1 - t0) + (t4 - t2)}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    add_check_option(parser)
    args = parser.parse_args(argv)
    env = {**os.environ}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    runs = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, check=True
        )
        runs.append(json.loads(out.stdout))
    starts = []
    for _ in range(args.runs):
        begin = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        starts.append(time.perf_counter() - begin)
    startup = min(starts)
    best = {key: min(r[key] for r in runs) * 1000 for key in runs[0]}
    print(f"best of {args.runs} fresh interpreters ({sys.version.split()[0]}):")
    print(f"  import lnunemp_rules              {best['import']:8.1f} ms (target <= 300 ms)")
    print(f"  first assess_registration         {best['first_registration']:8.1f} ms")
    print(f"  first assess_deregistration       {best['first_review']:8.1f} ms")
    print(f"  second assess_registration        {best['second_registration']:8.1f} ms")
    print(f"  import + both first decisions     {best['total']:8.1f} ms")
    ratio = best["import"] / (startup * 1000)
    print(f"baseline (this run): bare interpreter start-up {startup * 1000:.1f} ms, not "
          f"included above; import / start-up = {ratio:.2f}x")  # fmt: skip
    targets = Targets(args.check)
    targets.at_most("import lnunemp_rules", best["import"], 300.0, " ms")
    return targets.finish()


if __name__ == "__main__":
    raise SystemExit(main())
