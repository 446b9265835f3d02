"""lnunemp-rules: the Liaoning unemployment-registration standard as executable rules."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._errors import (
    CalendarCoverageError,
    EngineUnavailableError,
    InputError,
    LnunempError,
    RuleFileError,
)

try:
    __version__ = version("lnunemp-rules")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0+unknown"

__all__ = [
    "CalendarCoverageError",
    "EngineUnavailableError",
    "InputError",
    "LnunempError",
    "RuleFileError",
    "__version__",
]
