"""Run a command with CPU-bound processes beside it: the flake check of docs/testing.md.

Starts ``--burners`` processes that spin in a loop (each stops by itself after ``--limit``
seconds, and is ended when the command ends), runs the command, and exits with its status.
It prints the load average before and after, and the command's wall time.

    python scripts/under_load.py --burners 6 -- python -m pytest -q -p no:cacheprovider
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

__all__ = ["main"]

_SPIN = "import time\nend = time.monotonic() + {limit}\nwhile time.monotonic() < end: pass\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burners", type=int, default=6, help="CPU-bound processes beside it")
    parser.add_argument("--limit", type=int, default=3600, help="seconds a burner lives at most")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    spin = _SPIN.format(limit=args.limit)
    burners = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(args.burners)]
    print(f"{len(burners)} CPU-bound processes started on {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    start = time.perf_counter()
    try:
        status = subprocess.run(command, check=False).returncode
    finally:
        for burner in burners:
            burner.terminate()
        for burner in burners:
            burner.wait()
    print(f"command exited {status} after {time.perf_counter() - start:.0f} s; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    return status


if __name__ == "__main__":
    raise SystemExit(main())
