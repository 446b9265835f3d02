"""The ``lnunemp-rules`` console script."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lnunemp-rules",
        description="Liaoning unemployment-registration rules (辽宁省失业登记管理服务规范).",
    )
    parser.add_argument("--version", action="version", version=f"lnunemp-rules {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    parser.parse_args(argv)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
