"""What every benchmark promises (docs/performance.md): its baseline measured in the same run,
a loud failure when a baseline it needs is absent, and ``--check`` to exit non-zero when a
target is missed.

A benchmark prints its figures as before, then one line per target, ``met`` or ``MISSED``
(or ``NOT MEASURED`` when what it concerns cannot run here, e.g. durable_rules on Python
3.13). With ``--check`` a missed or unmeasured target makes the script exit 1; without it the
script only reports. A baseline that is absent (zen-engine not installed) exits 2 at once,
naming how to install it: a ratio is never silently left out.

Figures depend on the machine and its load; run a benchmark a few times on a quiet machine
before reading a miss as a regression.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

__all__ = ["BaselineMissing", "Targets", "add_check_option", "require_baseline"]

EXIT_MISSED = 1
EXIT_NO_BASELINE = 2


class BaselineMissing(SystemExit):
    """A baseline the benchmark needs cannot be measured here (exit status 2)."""


def add_check_option(parser: argparse.ArgumentParser) -> None:
    """``--check``: exit 1 when a target is missed or cannot be measured."""
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a target is missed or cannot be measured here (default: only report)",
    )


def require_baseline(name: str, available: bool, how: str) -> None:
    """Exit 2 with a message on stderr unless the baseline ``name`` can be measured."""
    if not available:
        print(f"baseline {name} is not available here: {how}", file=sys.stderr)
        raise BaselineMissing(EXIT_NO_BASELINE)


@dataclass
class Targets:
    """The targets of one benchmark run, checked as their figures are measured."""

    check: bool
    results: list[tuple[str, bool | None]] = field(default_factory=list)

    def _record(self, what: str, met: bool | None, detail: str) -> None:
        verdict = {True: "met", False: "MISSED", None: "NOT MEASURED"}[met]
        print(f"target {what}: {detail} -> {verdict}")
        self.results.append((what, met))

    def at_least(self, what: str, value: float, limit: float, unit: str = "") -> None:
        self._record(what, value >= limit, f"{value:,.2f}{unit} (at least {limit:,.2f}{unit})")

    def at_most(self, what: str, value: float, limit: float, unit: str = "") -> None:
        self._record(what, value <= limit, f"{value:,.2f}{unit} (at most {limit:,.2f}{unit})")

    def not_measured(self, what: str, why: str) -> None:
        self._record(what, None, why)

    def finish(self) -> int:
        """The exit status: 1 under ``--check`` when any target was missed or not measured."""
        missed = [what for what, met in self.results if met is not True]
        if missed:
            print(f"{len(missed)} of {len(self.results)} targets not met: {', '.join(missed)}")
        else:
            print(f"all {len(self.results)} targets met")
        return EXIT_MISSED if self.check and missed else 0
