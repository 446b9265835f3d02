"""Evaluating the rules: the compiled evaluation, the durable_rules engine, engine selection.

:func:`decide_rules` is what a decision calls: one evaluation of the rules (each condition's
truth and each rule's verdict), cross-checked against durable_rules when that engine is chosen.
"""

from __future__ import annotations

from .evaluation import (
    ConditionResult,
    Evaluation,
    RuleResult,
    Subject,
    compile_rules,
    evaluate,
    fired_keys,
    plan_for,
)
from .select import DEFAULT_ENGINE, ENGINES, available_engines, check_engine, decide_rules

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "ConditionResult",
    "Evaluation",
    "RuleResult",
    "Subject",
    "available_engines",
    "check_engine",
    "compile_rules",
    "decide_rules",
    "evaluate",
    "fired_keys",
    "plan_for",
]
