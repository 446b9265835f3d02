"""Deadline computations per second: this library vs. calling holidays directly.

The baseline, measured in the same run on the same 50,000 submission days (checked to give
the same deadlines first), is the direct ``holidays.China(...).get_nth_working_day(d, 3)``.
Not a timed test. Targets (issue 2, item 7; ``--check`` exits 1 when one is missed):
>= 1,000,000 online deadlines per second, and >= 10x the baseline.

Run: ``python benchmarks/bench_calendar.py [--check]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable

import holidays
from targets import Targets, add_check_option

from lnunemp_rules import add_working_days, load_rule_book, processing_deadline


def per_second(call: Callable[[dt.date], object], days: list[dt.date], min_seconds: float) -> float:
    """Best of several rounds of calling ``call`` on every day."""
    best = 0.0
    deadline = time.perf_counter() + min_seconds
    while time.perf_counter() < deadline or best == 0.0:
        start = time.perf_counter()
        for day in days:
            call(day)
        best = max(best, len(days) / (time.perf_counter() - start))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_check_option(parser)
    args = parser.parse_args(argv)
    rng = random.Random(2026)
    first, last = dt.date(2004, 1, 1).toordinal(), dt.date(2026, 12, 20).toordinal()
    days = [dt.date.fromordinal(rng.randint(first, last)) for _ in range(50_000)]

    started = time.perf_counter()
    _ = load_rule_book().calendar
    processing_deadline(days[0], "online")
    print(
        f"one-off build (holidays import, schedule, deadline table): "
        f"{time.perf_counter() - started:.3f} s"
    )

    china = holidays.country_holidays("CN", years=range(2004, 2028), language="en_US")
    for day in days:  # both sides must agree before timing anything
        assert processing_deadline(day, "online").date == china.get_nth_working_day(day, 3)

    ours = per_second(lambda d: processing_deadline(d, "online"), days, 2.0)
    general = per_second(lambda d: add_working_days(d, 3), days, 2.0)
    direct = per_second(lambda d: china.get_nth_working_day(d, 3), days[:5_000], 2.0)
    print(f"processing_deadline(d, 'online'): {ours:14,.0f} deadlines/s")
    print(f"add_working_days(d, 3) (bisect):  {general:14,.0f} /s")
    print(f"holidays get_nth_working_day(d, 3): {direct:12,.0f} /s")
    print(f"baseline (this run): holidays get_nth_working_day {direct:,.0f}/s")
    targets = Targets(args.check)
    targets.at_least("online deadlines per second", ours, 1_000_000, "/s")
    targets.at_least("processing_deadline / holidays", ours / direct, 10.0, "x")
    return targets.finish()


if __name__ == "__main__":
    raise SystemExit(main())
