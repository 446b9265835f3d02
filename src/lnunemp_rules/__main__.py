"""``python -m lnunemp_rules``: the ``lnunemp-rules`` command line (docs/cli.md)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
