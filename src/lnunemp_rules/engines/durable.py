"""The durable_rules (Rete) engine, used safely (docs/engines.md has what was measured).

- No background threads: ``Host._run`` is overridden.
- Rulesets are compiled from data (never the decorator DSL) once per process and rule book,
  under a name that carries the rule book's digest; the host that holds them is the process's
  (:mod:`lnunemp_rules.state`: rulesets cannot be unregistered, re-registering leaks).
- Every decision uses a fresh sid and deletes its state in ``finally``; one lock serialises
  calls, because the C engine is not safe under concurrent use.
- Every rule condition carries the guard ``kind == <subject>`` so the re-asserted context
  state can never satisfy a rule.
- Every decision first asserts a session fact that one extra rule always handles: in
  durable_rules 2.0.28, ``delete_state`` on a sid for which no action ever ran (every fact
  raised ``MessageNotHandledException``) crashes the process (segfault or "double free",
  measured here with a review whose registrant triggers nothing), and skipping the delete
  leaks the state (``MemoryError`` after 1024 live states).
- durable_rules has no type checks and no ``$in``: values are typed by the fact catalogue
  before they reach it, membership is expanded to ``$or``, and a comparison between two facts
  is pre-computed as the sign of their difference.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import os
from collections.abc import Sequence
from typing import Any

from .. import state
from ..errors import EngineUnavailableError
from ..rulebook.rules import DURABLE_SESSION_RULE, AnyOf, Comparison, Condition, Rule
from .evaluation import Subject

__all__ = ["DurableEngine", "durable_available", "sessions_opened"]

_DURABLE_OP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
# The session-opening rule and its fact kind (not a subject of facts.yaml); the id is reserved.
SESSION_RULE = DURABLE_SESSION_RULE
SESSION_KIND = "lnunemp:session"


def durable_available() -> bool:
    """Whether durable_rules imports here (it does not on Python >= 3.13)."""
    try:
        import durable.engine  # noqa: F401
    except Exception:
        return False
    return True


def ref_field(c: Comparison) -> str:
    """The pre-computed field holding sign(fact - ref) for a comparison between two facts."""
    return f"cmp__{c.fact}__{c.ref}"


def _compile_comparison(c: Comparison) -> dict[str, Any]:
    present = {"$ex": {c.fact: 1}}
    if c.op == "present":
        return present
    if c.op == "absent":
        return {"$nex": {c.fact: 1}}
    if c.ref is not None:
        field = ref_field(c)
        op = {"==": None, "!=": "$neq", **_DURABLE_OP}[c.op]
        test = {field: 0} if op is None else {op: {field: 0}}
        return {"$and": [{"$ex": {field: 1}}, test]}
    if c.op == "==":
        return {c.fact: c.value}
    if c.op == "!=":
        return {"$and": [present, {"$neq": {c.fact: c.value}}]}
    if c.op == "in":
        return {"$or": [{c.fact: v} for v in c.value]}
    if c.op == "not in":
        return {"$and": [present, *({"$neq": {c.fact: v}} for v in c.value)]}
    return {_DURABLE_OP[c.op]: {c.fact: c.value}}


def _compile_condition(condition: Condition) -> dict[str, Any]:
    if isinstance(condition, AnyOf):
        return {"$or": [_compile_comparison(o) for o in condition.options]}
    return _compile_comparison(condition)


def compile_ruleset(rules: Sequence[Rule]) -> dict[str, Any]:
    """The durable_rules JSON form of a ruleset: one rule per rule, guarded by subject kind."""
    compiled: dict[str, Any] = {SESSION_RULE: {"all": [{"m": {"kind": SESSION_KIND}}],
                                               "run": SESSION_RULE}}  # fmt: skip
    for rule in rules:
        if rule.id == SESSION_RULE:
            raise ValueError(f"rule id {SESSION_RULE!r} is reserved by the durable engine")
        tests = [{"kind": rule.subject}, *(_compile_condition(c) for c in rule.when)]
        compiled[rule.id] = {"all": [{"m": {"$and": tests}}], "run": rule.id}
    return compiled


def _ref_comparisons(rules: Sequence[Rule]) -> list[Comparison]:
    found: dict[str, Comparison] = {}
    for rule in rules:
        for condition in rule.when:
            options = condition.options if isinstance(condition, AnyOf) else (condition,)
            for c in options:
                if c.ref is not None:
                    found[ref_field(c)] = c
    return list(found.values())


def _new_host() -> Any:
    from durable import engine

    class _QuietHost(engine.Host):  # type: ignore[misc]
        def _run(self) -> None:
            """No background dispatch threads: everything runs in the caller."""

        def get_action(self, action_name: str) -> Any:
            def record(c: Any) -> None:
                if action_name == SESSION_RULE:
                    return
                c.s.fired = f"{c.s.fired or ''}{action_name}@{c.m['idx']};"

            return record

    host = _QuietHost()
    host.lnunemp_registered = {}  # ruleset name -> its fact-to-fact comparisons
    host.lnunemp_sids = itertools.count()
    host.lnunemp_sessions = 0  # sessions opened in this process (sessions_opened)
    return host


def sessions_opened() -> int:
    """How many durable_rules sessions this process has opened: one per decision made with
    ``engine="durable"`` (tests prove with it that the Rete engine is consulted)."""
    if not durable_available():
        return 0
    with state.durable_lock():
        count: int = state.durable_host(_new_host).lnunemp_sessions
    return count


class DurableEngine:
    """Decides which rules fire with durable_rules' Rete network."""

    name = "durable"

    def __init__(self) -> None:
        if not durable_available():
            raise EngineUnavailableError(
                "engine 'durable': durable_rules does not import here (it needs Python < 3.13 "
                "and its C extension built); use engine='python'"
            )

    def fired(
        self, ruleset_key: str, rules: Sequence[Rule], subjects: Sequence[Subject]
    ) -> frozenset[tuple[str, int]]:
        """(rule id, subject index) of every rule durable_rules fires for these subjects."""
        from durable.engine import MessageNotHandledException

        with state.durable_lock():
            host = state.durable_host(_new_host)
            refs = host.lnunemp_registered.get(ruleset_key)
            if refs is None:
                # register_rulesets mutates its input: always give it a fresh copy.
                host.register_rulesets({ruleset_key: copy.deepcopy(compile_ruleset(rules))})
                refs = host.lnunemp_registered[ruleset_key] = _ref_comparisons(rules)
            sid = f"d{os.getpid()}-{next(host.lnunemp_sids)}"
            host.lnunemp_sessions += 1
            try:
                # Always handled (SESSION_RULE): makes delete_state safe, see the docstring.
                host.assert_fact(ruleset_key, {"sid": sid, "kind": SESSION_KIND})
                for subject in subjects:
                    fact = _fact_payload(subject, refs)
                    fact["sid"] = sid
                    # No rule matched this subject: an empty result, not an error.
                    with contextlib.suppress(MessageNotHandledException):
                        host.assert_fact(ruleset_key, fact)
                state_of_sid = host.get_state(ruleset_key, sid)
            finally:
                with contextlib.suppress(Exception):
                    host.delete_state(ruleset_key, sid)
        if state_of_sid.get("exception"):
            raise RuntimeError(f"durable_rules action failed: {state_of_sid['exception']}")
        fired: set[tuple[str, int]] = set()
        for item in str(state_of_sid.get("fired") or "").split(";"):
            if item:
                rule_id, _, index = item.rpartition("@")
                fired.add((rule_id, int(index)))
        return frozenset(fired)


def _fact_payload(subject: Subject, refs: Sequence[Comparison]) -> dict[str, Any]:
    fact: dict[str, Any] = {k: v for k, v in subject.facts.items() if v is not None}
    for c in refs:
        assert c.ref is not None
        a, b = fact.get(c.fact), fact.get(c.ref)
        if a is not None and b is not None:
            fact[ref_field(c)] = (a > b) - (a < b)
    fact["kind"] = subject.kind
    fact["idx"] = subject.index
    return fact
