"""What a file sweep writes beside its output so that it is never mistaken for complete.

The decisions and rejected records are written to ``OUTPUT.partial`` and ``ERRORS.partial``
and renamed to their names only when the whole input is done. Beside them,
``OUTPUT.manifest.json`` says what the sweep is (its settings, the rules digest), how far it
got (a :class:`Checkpoint`: input bytes and lines done with the SHA-256 of those bytes, the
size of each partial file at that point, the counts so far) and how it ended (``running``,
``stopped``, ``failed`` or ``complete``). A checkpoint is recorded only after the partial
files were flushed and synced up to it, and the manifest is replaced atomically, so after any
stop -- a signal, a full disk, a killed process, a power cut -- the manifest on disk describes
a state the files contain: ``--resume`` truncates them to it, checks the input's first bytes
against the digest and continues, with nothing lost or written twice.
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from ..inputs.documents import parse_json

__all__ = [
    "MANIFEST_VERSION",
    "Checkpoint",
    "Manifest",
    "Status",
    "manifest_path",
    "partial_path",
    "read_manifest",
    "write_manifest",
]

MANIFEST_VERSION: Final[Literal[1]] = 1
Status = Literal["running", "stopped", "failed", "complete"]


def manifest_path(output: str) -> str:
    """Where the manifest of a sweep into ``output`` is written."""
    return output + ".manifest.json"


def partial_path(path: str) -> str:
    """The temporary name ``path`` is written under until the sweep is complete."""
    return path + ".partial"


class Checkpoint(BaseModel):
    """A point of a sweep that its files contain: everything before it is written, once."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    input_bytes: int = 0
    input_sha256: str = ""
    lines: int = 0
    output_bytes: int = 0
    errors_bytes: int = 0
    summary: dict[str, Any] = Field(default_factory=dict)


class Manifest(BaseModel):
    """The manifest of one sweep (the module docstring); read back strictly."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    status: Status
    stopped_by: str | None
    kind: str
    as_of: str | None
    format: Literal["jsonl", "csv"]
    full: bool
    engine: str | None
    input: str
    output: str
    errors: str | None
    header: list[str] | None
    rules_digest: str
    rules_version: str
    library_version: str
    checkpoint: Checkpoint
    input_size: int | None = None
    manifest_version: Literal[1] = MANIFEST_VERSION


def write_manifest(path: str, manifest: Manifest) -> None:
    """Write ``manifest`` to ``path`` atomically (a temporary file synced, then renamed)."""
    temporary = path + ".tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(manifest.model_dump(), f, ensure_ascii=False, indent=1)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_manifest(path: str) -> Manifest:
    """The manifest at ``path``, or an InputError saying why it cannot be used."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise InputError("--resume", f"cannot read {path}: {exc.strerror}") from None
    try:
        return Manifest.model_validate(parse_json(raw, "--resume"))
    except (ValueError, ValidationError):  # JSONDecodeError, InputError, ValidationError
        raise InputError("--resume", f"{path} is not a sweep manifest this library wrote; "
                         "start the sweep again without --resume") from None  # fmt: skip
