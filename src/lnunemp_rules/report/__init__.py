"""What outlives a decision: receipts an auditor can replay, and the JSON Schemas of the forms.

A receipt records what a decision rested on (input digest, rule files' hashes, engine, result);
:func:`replay` re-decides it and says what changed.
"""

from __future__ import annotations

from .receipts import Difference, ReplayResult, input_digest, make_receipt, replay
from .schemas import SCHEMAS, json_schema

__all__ = [
    "SCHEMAS",
    "Difference",
    "ReplayResult",
    "input_digest",
    "json_schema",
    "make_receipt",
    "replay",
]
