"""The compiled evaluation against an interpreted walk over the same conditions (issue 9, item 3).

``lnunemp_rules.engines.evaluation`` compiles each ruleset into one generated Python function
(facts -> fired flag per rule, truth per condition). The baseline, measured in the same run on
the same facts, is the straightforward alternative: a loop over the rule objects that
evaluates each condition with an operator table, giving the same two tuples. Both are checked
to agree on every input before timing.

Target (issue 9, item 3: generated code stays only if it pays; ``--check`` exits 1 when
missed): the compiled function at least 2x faster than the walk for both rulesets
(docs/performance.md measured 8-10x).

Run: ``python benchmarks/bench_evaluator.py [--n 5000] [--rounds 7] [--check]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import operator
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from targets import Targets, add_check_option

from lnunemp_rules import load_rule_book
from lnunemp_rules.analyst.generate import generate_records
from lnunemp_rules.decide.registration import application_facts
from lnunemp_rules.decide.review import registrant_facts
from lnunemp_rules.engines.evaluation import compile_rules
from lnunemp_rules.inputs.models import Registrant, RegistrationApplication
from lnunemp_rules.rulebook.rules import AnyOf, Comparison, Condition, Rule

__all__ = ["interpreted", "main"]

_OPS: Mapping[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
}  # fmt: skip


def _holds(c: Comparison, facts: Mapping[str, Any]) -> bool:
    actual = facts.get(c.fact)
    if c.op == "present":
        return actual is not None
    if c.op == "absent":
        return actual is None
    other = facts.get(c.ref) if c.ref is not None else c.value
    return actual is not None and other is not None and _OPS[c.op](actual, other)


def _truth(condition: Condition, facts: Mapping[str, Any]) -> bool:
    if isinstance(condition, AnyOf):
        return any(_holds(o, facts) for o in condition.options)
    return _holds(condition, facts)


def interpreted(
    rules: Sequence[Rule], facts: Mapping[str, Any]
) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """(fired flag per rule, truth per condition), walking the rule objects."""
    truths: list[bool] = []
    flags: list[bool] = []
    for rule in rules:
        own = [_truth(c, facts) for c in rule.when]
        truths.extend(own)
        flags.append(all(own))
    return tuple(flags), tuple(truths)


def _time(function: Callable[[Any], object], inputs: list[Any], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for item in inputs:
            function(item)
        best = min(best, (time.perf_counter() - start) / len(inputs))
    return best * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=7)
    add_check_option(parser)
    args = parser.parse_args(argv)
    targets = Targets(args.check)
    book = load_rule_book()
    on = dt.date(2026, 11, 28)
    subjects = {
        "registration": [
            application_facts(RegistrationApplication.model_validate(r), book).subject
            for r in generate_records("registration", args.n, seed=1, bad_share=0.0)
        ],
        "review": [
            s
            for r in generate_records("review", args.n // 5, seed=1, bad_share=0.0)
            for s in registrant_facts(Registrant.model_validate(r), on, book).subjects
        ],
    }
    for ruleset, items in subjects.items():
        plan = compile_rules(book.rules_for(ruleset))
        by_kind = {kind: compiled.rules for kind, compiled in plan.items()}
        for s in items:
            assert plan[s.kind].evaluate(s.facts) == interpreted(by_kind[s.kind], s.facts)
        compiled = _time(lambda s, p=plan: p[s.kind].evaluate(s.facts), items, args.rounds)
        walked = _time(lambda s, k=by_kind: interpreted(k[s.kind], s.facts), items, args.rounds)
        print(f"{ruleset:<13} {len(items):>6,} subjects: compiled {compiled:6.2f} us, "
              f"interpreted {walked:6.2f} us per subject; "
              f"ratio {walked / compiled:4.1f}x")  # fmt: skip
        targets.at_least(f"{ruleset} interpreted walk / compiled", walked / compiled, 2.0, "x")
    return targets.finish()


if __name__ == "__main__":
    raise SystemExit(main())
