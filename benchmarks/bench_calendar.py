"""Deadline computations per second: this module vs. calling holidays directly.

Run from the repository: ``PYTHONPATH=src python benchmarks/bench_calendar.py``. Not a timed
test. Targets (issue 2, item 7): >= 1,000,000 online deadlines per second, and >= 10x the
direct ``holidays.China(...).get_nth_working_day(d, 3)`` call on the same submission days.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

import holidays
from lnunemp_rules._calendar import _default_calendar, add_working_days, processing_deadline


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


def main() -> None:
    rng = random.Random(2026)
    first, last = dt.date(2004, 1, 1).toordinal(), dt.date(2026, 12, 20).toordinal()
    days = [dt.date.fromordinal(rng.randint(first, last)) for _ in range(50_000)]

    started = time.perf_counter()
    _default_calendar()
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
    print(
        f"ratio processing_deadline / holidays: {ours / direct:.1f}x "
        f"(targets: >= 1,000,000/s and >= 10x)"
    )


if __name__ == "__main__":
    main()
