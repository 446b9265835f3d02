"""Every named convention of the parameter files is listed in docs/rules.md (issue 10)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from lnunemp_rules.rulebook.book import load_rule_book

ROOT = Path(__file__).resolve().parent.parent
PARAMETERS = ROOT / "rules" / "parameters"
SECTION = "## Decisions taken where the standard is silent"


def _entries(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping of a parameter file that carries a ``convention_id``."""
    if isinstance(node, dict):
        if "convention_id" in node:
            yield node
        for value in node.values():
            yield from _entries(value)
    elif isinstance(node, list):
        for value in node:
            yield from _entries(value)


def _conventions() -> dict[str, tuple[str, dict[str, Any]]]:
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(PARAMETERS.glob("*.yaml")):
        for entry in _entries(yaml.safe_load(path.read_text(encoding="utf-8"))):
            cid = entry["convention_id"]
            assert cid not in found, f"{cid} named twice ({found[cid][0]}, {path.name})"
            found[cid] = (path.name, entry)
    return found


def _listed() -> set[str]:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([a-z0-9]+(?:[.-][a-z0-9]+)+)`", section))


def test_every_named_convention_is_listed_in_docs_rules() -> None:
    """A convention_id in any parameter file appears in the docs' list of decisions."""
    missing = sorted(set(_conventions()) - _listed())
    assert missing == [], f"not in docs/rules.md '{SECTION[3:]}': {missing}"


def test_the_docs_list_no_convention_that_no_file_holds() -> None:
    """An id-shaped name in the list that looks like a convention is one of the files'."""
    prefixes = ("reading.", "review.", "periods.", "retirement.", "province.")
    listed = {c for c in _listed() if c.startswith(prefixes)}
    rules = {r.id for rs in load_rule_book().rules.values() for r in rs}
    stale = sorted(c for c in listed - set(_conventions()) if c not in rules)
    assert stale == []


def test_every_convention_names_its_basis_and_its_alternative() -> None:
    """Each named convention says why (basis, or the options it chooses among) and what the
    other reading is."""
    for cid, (name, entry) in _conventions().items():
        assert (
            entry.get("basis")
            or entry.get("choices")
            or entry.get("options")
            or entry.get("source")
        ), f"{name}: {cid} has no basis"
        assert isinstance(entry.get("alternative"), str) and entry["alternative"].strip(), (
            f"{name}: {cid} has no alternative"
        )


def test_the_readings_name_rules_that_exist() -> None:
    """Every rule a reading of rules/parameters/readings.yaml names is in the rule book."""
    rules = {r.id for rs in load_rule_book().rules.values() for r in rs}
    data = yaml.safe_load((PARAMETERS / "readings.yaml").read_text(encoding="utf-8"))
    named = [r for entry in data["readings"] for r in entry["rules"]]
    assert named and sorted(set(named) - rules) == []
