"""Registration decisions per second on one core, with p50/p99 latency (issue 5, item 3).

Every measured call starts from a plain dict, so validation is included. Baselines measured
in the same run on the same synthetic applications:

- ``if-chain``: a hand-written chain of the bars, missing-information checks and the 13
  categories of 4.1.2, with no validation, trace, citations or deadline (the floor), and the
  same chain after the pydantic validation every decision does (``validate + if-chain``);
- ``zen``: zen-engine (``pip install zen-engine``, the ``bench`` extra) evaluating the
  equivalent decision table ``benchmarks/zen_registration.json`` (hit policy "first"). It is
  required: without it the script exits 2 (``targets.require_baseline``), except under
  ``--only-python``, which measures no baseline.

Both baselines get the same flattening of the dict (age from the ID number, the current
situation as one flag), timed with them. They are simplified (a retirement age of 60/50/55
without the 2025 delays, no minimum-wage tiers), so they are a speed floor, not an oracle.

The applications are ``lnunemp_rules.analyst.generate``'s (seeded, all valid), or read from
``--inputs FILE`` (one JSON application per line): ``benchmarks/compare_with_commit.py`` runs
this script against another commit's code on the same file, through the public API only.

Targets (issue 5; ``--check`` exits 1 when one is missed): python engine >= 25,000/s; python
>= 3x zen-engine; the validated if-chain at most 5x the python engine; durable >= 2,500/s.

Run: ``python benchmarks/bench_registration.py [--n 20000] [--durable-n 5000] [--inputs F]
[--check]``
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from targets import Targets, add_check_option, require_baseline

import lnunemp_rules as L

HERE = Path(__file__).resolve().parent

__all__ = ["flatten", "if_chain", "main"]

_SITUATIONS = ("employed", "licensed_business", "public_welfare_post",
               "flexible_employment_insured", "receiving_pension", "in_school",
               "military_service", "emigrated", "imprisoned")  # fmt: skip
_CATEGORIES = {
    "enterprise_bankruptcy": "category.enterprise-bankruptcy",
    "public_sector_dismissal": "category.public-sector-dismissal",
    "private_business_closed": "category.private-business-closed",
    "self_employment_exit": "category.self-employment-exit",
    "public_welfare_post_exit": "category.public-welfare-post-exit",
    "resignation": "category.resignation",
    "flexible_employment_exit": "category.flexible-employment-exit",
}


def flatten(app: dict[str, Any]) -> dict[str, Any]:
    """The facts the baselines test, from the raw dict (no validation)."""
    applicant = app["applicant"]
    number = applicant["id_number"]
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    on = dt.date.fromisoformat(app["application_date"])
    age = on.year - birth.year - ((on.month, on.day) <= (birth.month, birth.day))
    male = int(number[16]) % 2 == 1
    limit = 60 if male else applicant.get("female_retirement_group", 50)
    situation = app.get("current_situation", {})
    cause = app.get("cause") or {}
    facts = {
        "voluntary": app["voluntary"],
        "habitual_urban_resident": applicant.get("habitual_urban_resident"),
        "hukou": applicant.get("hukou"),
        "residence_region": applicant.get("residence_region"),
        "able_to_work": applicant.get("able_to_work"),
        "unemployment_date": app.get("unemployment_date"),
        "age_years": age,
        "retired": age >= limit,
        "situation": any(situation.get(name, False) for name in _SITUATIONS),
        "income_not_below_minimum": "minimum_wage_amount" in situation
        and situation.get("monthly_income", 0) >= situation["minimum_wage_amount"],
        "cause": cause.get("category"),
        "school_status": cause.get("school_status"),
        "contract_ending": cause.get("contract_ending"),
        "transfer_intent": cause.get("transfer_intent"),
        "state_placement": cause.get("state_placement"),
        "land_local_conditions": cause.get("meets_local_conditions"),
        "release_type": cause.get("release_type"),
    }
    return {k: v for k, v in facts.items() if v is not None}


def if_chain(f: dict[str, Any]) -> tuple[str, str]:
    """(outcome, rule) by a hand-written chain, in the order of zen_registration.json."""
    g = f.get
    cause = g("cause")
    if g("voluntary") is False:
        return "ineligible", "bar.not-voluntary"
    if g("habitual_urban_resident") is False and cause != "rural_labour":
        return "ineligible", "bar.not-habitual-urban-resident"
    if f["age_years"] < 16:
        return "ineligible", "bar.under-working-age"
    if g("retired"):
        return "ineligible", "bar.retirement-age-reached"
    if g("able_to_work") is False:
        return "ineligible", "bar.unable-to-work"
    if g("situation"):
        return "ineligible", "bar.current-situation"
    if g("income_not_below_minimum"):
        return "ineligible", "bar.income-not-below-minimum-wage"
    if cause is None:
        return "incomplete", "incomplete.unemployment-cause"
    if g("residence_region") is None:
        return "incomplete", "incomplete.personal-information"
    if g("unemployment_date") is None:
        return "incomplete", "incomplete.unemployment-date"
    if g("habitual_urban_resident") is None and cause != "rural_labour":
        return "incomplete", "incomplete.habitual-urban-residence"
    if cause == "land_requisition" and g("land_local_conditions") == "unknown":
        return "needs_review", "review.land-requisition-local-conditions"
    if cause == "graduate" and g("school_status") in ("graduated", "dropped_out"):
        return "eligible", "category.graduate"
    if cause == "enterprise_contract_ended" and g("contract_ending") in ("terminated", "expired"):
        return "eligible", "category.enterprise-contract-ended"
    if cause == "rural_labour" and g("hukou") == "rural" and g("transfer_intent") is True:
        return "eligible", "category.rural-labour"
    if cause == "veteran" and g("state_placement") is False:
        return "eligible", "category.veteran"
    if cause == "land_requisition" and g("land_local_conditions") == "yes":
        return "eligible", "category.land-requisition"
    if cause == "released_from_prison" and g("release_type") in (
        "sentence_completed", "parole", "serving_outside_prison"
    ):  # fmt: skip
        return "eligible", "category.released-from-prison"
    if cause in _CATEGORIES:
        return "eligible", _CATEGORIES[cause]
    return "needs_review", "policy.outside-categories"


def measure(label: str, call: Callable[[Any], Any], items: list[Any]) -> dict[str, float]:
    """Time ``call`` on each item; decisions/s over the summed latencies, p50 and p99."""
    for item in items[:200]:  # warm-up: rule book, calendar, compiled rules
        call(item)
    latencies = []
    clock = time.perf_counter
    for item in items:
        start = clock()
        call(item)
        latencies.append(clock() - start)
    latencies.sort()
    total = sum(latencies)
    row = {
        "rate": len(items) / total,
        "p50_us": latencies[len(latencies) // 2] * 1e6,
        "p99_us": latencies[int(len(latencies) * 0.99)] * 1e6,
        "mean_us": statistics.fmean(latencies) * 1e6,
    }
    print(f"{label:<24} {row['rate']:>10,.0f}/s  p50 {row['p50_us']:8.1f} us  "
          f"p99 {row['p99_us']:8.1f} us  (n={len(items):,})")  # fmt: skip
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="applications per engine")
    parser.add_argument("--durable-n", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inputs", type=Path, help="JSON Lines of applications to use")
    parser.add_argument(
        "--only-python", action="store_true", help="time the python engine alone (no baselines)"
    )
    add_check_option(parser)
    args = parser.parse_args(argv)
    zen = None
    if not args.only_python:  # fail before measuring anything if the baseline is absent
        with contextlib.suppress(ImportError):
            import zen
        require_baseline(
            "zen-engine", zen is not None, "pip install -e '.[bench]' (or pip install zen-engine)"
        )
    if args.inputs is not None:
        with args.inputs.open(encoding="utf-8") as f:
            apps = [json.loads(line) for line in f if line.strip()][: args.n]
        print(f"{len(apps):,} applications from {args.inputs}; one process, one core")
    else:
        from lnunemp_rules.analyst.generate import generate_records

        apps = list(generate_records("registration", args.n, seed=args.seed, bad_share=0.0))
        print(f"{len(apps):,} synthetic applications (seed {args.seed}); one process, one core")
    results: dict[str, dict[str, float]] = {}
    if args.only_python:
        results["python"] = measure(
            "lnunemp python", lambda a: L.assess_registration(a, engine="python"), apps
        )
        print(json.dumps({k: {m: round(v, 1) for m, v in r.items()} for k, r in results.items()}))
        return 0
    results["if-chain"] = measure("if-chain (floor)", lambda a: if_chain(flatten(a)), apps)
    validate = L.RegistrationApplication.model_validate
    results["validated if-chain"] = measure(
        "validate + if-chain", lambda a: (validate(a), if_chain(flatten(a))), apps
    )
    graph = (HERE / "zen_registration.json").read_text(encoding="utf-8")
    table = zen.ZenEngine().create_decision(graph)
    agree = sum(
        table.evaluate(flatten(a))["result"]["rule"] == if_chain(flatten(a))[1] for a in apps[:2000]
    )
    print(f"zen-engine agrees with the if-chain on {agree}/2000 applications")
    results["zen"] = measure("zen-engine table", lambda a: table.evaluate(flatten(a)), apps)
    for engine in L.available_engines():
        items = apps if engine == "python" else apps[: args.durable_n]
        results[engine] = measure(
            f"lnunemp {engine}", lambda a, e=engine: L.assess_registration(a, engine=e), items
        )
    py = results["python"]["rate"]
    print()
    print(f"baselines, this run: if-chain {results['if-chain']['rate']:,.0f}/s, validate + "
          f"if-chain {results['validated if-chain']['rate']:,.0f}/s, zen-engine "
          f"{results['zen']['rate']:,.0f}/s")  # fmt: skip
    print(f"bare if-chain / python = {results['if-chain']['rate'] / py:.1f}x (no validation)")
    targets = Targets(args.check)
    targets.at_least("python engine, decisions/s", py, 25_000, "/s")
    targets.at_least("python / zen-engine", py / results["zen"]["rate"], 3.0, "x")
    vif = results["validated if-chain"]["rate"]
    targets.at_most("validate + if-chain / python", vif / py, 5.0, "x")
    if "durable" in results:
        targets.at_least("durable engine, decisions/s", results["durable"]["rate"], 2_500, "/s")
    else:
        targets.not_measured("durable engine, decisions/s", "durable_rules does not import here")
    print(json.dumps({k: {m: round(v, 1) for m, v in r.items()} for k, r in results.items()}))
    return targets.finish()


if __name__ == "__main__":
    raise SystemExit(main())
