"""The rule book: the only code that reads a file under ``rules/``.

Rules, facts, clauses, parameters and calendar files, each read once by one YAML reader that
keeps line numbers, validated, and held by a :class:`RuleBook` with its digest.
"""

from __future__ import annotations

from .book import FolderTables, RuleBook, load_rule_book, read_rule_book, rule_file_hashes
from .clauses import Clause, ClauseRegistry
from .facts import FactCatalogue, FactSpec
from .folder import rules_dir
from .memos import Memo, remember
from .rules import AnyOf, Comparison, Condition, Rule

__all__ = [
    "AnyOf",
    "Clause",
    "ClauseRegistry",
    "Comparison",
    "Condition",
    "FactCatalogue",
    "FactSpec",
    "FolderTables",
    "Memo",
    "Rule",
    "RuleBook",
    "load_rule_book",
    "read_rule_book",
    "remember",
    "rule_file_hashes",
    "rules_dir",
]
