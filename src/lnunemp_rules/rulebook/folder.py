"""Where the declarative files live.

The top-level ``rules/`` folder is shipped inside the wheel as ``lnunemp_rules/rules``. In a
source checkout (editable install) it is read from the repository instead. Operators may point
``LNUNEMP_RULES_DIR`` at a copy of the folder, e.g. to add a year's calendar file early.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PACKAGE_DIR", "folder_problem", "packaged_rules_dir", "rules_dir"]

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # lnunemp_rules/


def packaged_rules_dir() -> Path | None:
    """The rules folder inside the installed package, or None in a source checkout."""
    candidate = PACKAGE_DIR / "rules"
    return candidate if candidate.is_dir() else None


def rules_dir() -> Path:
    """The rules folder in use: ``LNUNEMP_RULES_DIR``, else the packaged one, else the repo's."""
    override = os.environ.get("LNUNEMP_RULES_DIR")
    if override:
        return Path(override).resolve()
    packaged = packaged_rules_dir()
    if packaged is not None:
        return packaged
    repo = PACKAGE_DIR.parent.parent / "rules"
    if repo.is_dir():
        return repo
    raise FileNotFoundError(
        "the rules folder was not found: reinstall lnunemp-rules or set LNUNEMP_RULES_DIR"
    )


def folder_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot be a rules folder, in words, or None if it may be one."""
    if not folder.exists():
        return "no such folder"
    if not folder.is_dir():
        return "not a folder"
    if not (folder / "facts.yaml").is_file() and not (folder / "manifest.yaml").is_file():
        return "not a rules folder (it has neither manifest.yaml nor facts.yaml)"
    return None
