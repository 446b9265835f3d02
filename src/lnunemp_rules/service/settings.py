"""What a deployment may set: limits and the API key, from flags (``lnunemp-rules serve``) or
the environment, so that every uvicorn worker process reads the same values.

| variable | flag | default |
|---|---|---|
| ``LNUNEMP_API_KEY`` | ``--api-key-file`` | none: no key asked (loopback only, see cli/serve.py) |
| ``LNUNEMP_MAX_BODY_BYTES`` | ``--max-body-bytes`` | 1,048,576 |
| ``LNUNEMP_MAX_EVENTS`` | ``--max-events`` | 1,000 events per registrant |
| ``LNUNEMP_MAX_BATCH`` | ``--max-batch`` | 1,000 records per batch request |
| ``LNUNEMP_RULES_DIR`` | ``--rules`` | the packaged rules |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import InputError

__all__ = ["DEFAULTS", "ServiceSettings"]

#: The default limits. 1 MiB holds a registrant with the 1,000 events allowed by default
#: (about 80 bytes an event) several times over; no standard fixes these numbers.
DEFAULTS = {"max_body_bytes": 1_048_576, "max_events": 1_000, "max_batch": 1_000}

_ENV = {
    "max_body_bytes": "LNUNEMP_MAX_BODY_BYTES",
    "max_events": "LNUNEMP_MAX_EVENTS",
    "max_batch": "LNUNEMP_MAX_BATCH",
}


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    text = environ.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(name, f"{text!r} is not a whole number of 1 or more")
    return value


@dataclass(frozen=True)
class ServiceSettings:
    """The limits and key of one service process."""

    max_body_bytes: int = DEFAULTS["max_body_bytes"]
    max_events: int = DEFAULTS["max_events"]
    max_batch: int = DEFAULTS["max_batch"]
    api_key: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ServiceSettings:
        """The settings the environment gives (``os.environ`` by default)."""
        env = os.environ if environ is None else environ
        limits = {field: _positive(env, name, DEFAULTS[field]) for field, name in _ENV.items()}
        return cls(**limits, api_key=env.get("LNUNEMP_API_KEY") or None)
