"""Meta-tests: the public surface imports and the wheel ships its data."""

from __future__ import annotations

from pathlib import Path

import lnunemp_rules
from lnunemp_rules.rulebook import folder


def test_every_public_name_imports() -> None:
    """Every name in __all__ is an attribute of the package."""
    missing = [name for name in lnunemp_rules.__all__ if not hasattr(lnunemp_rules, name)]
    assert missing == []
    assert lnunemp_rules.__all__ == sorted(lnunemp_rules.__all__, key=str)


def test_rules_folder_is_found_and_shipped_inside_an_installed_package() -> None:
    """Installed from the wheel, the rules come from inside the package, not the repo."""
    package_dir = Path(lnunemp_rules.__file__).resolve().parent
    rules = folder.rules_dir()
    assert rules.is_dir()
    if package_dir.parent.name != "src":  # installed wheel, as in CI
        assert rules == package_dir / "rules"
        assert (package_dir / "py.typed").is_file()
