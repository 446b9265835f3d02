"""The files of a file sweep: arguments that must name different files, outputs written under
temporary names, what an input's first bytes hash to (to know a resumed input is the same)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import IO, Any

from ..errors import InputError
from .manifest import partial_path

__all__ = ["Sink", "check_distinct", "count_lines", "hash_prefix", "open_sink"]


def check_distinct(named: dict[str, str | None]) -> None:
    """Refuse two roles (input, output, errors, summary, and their temporary files) naming the
    same file, before anything is opened for writing."""
    seen: list[tuple[str, str]] = []
    for role, path in named.items():
        if path is None or path == "-":
            continue
        real = os.path.realpath(path)
        for other_role, other in seen:
            same = real == other or (
                os.path.exists(real) and os.path.exists(other) and os.path.samefile(real, other)
            )
            if same:
                raise InputError(role, f"{path} is also the {other_role}; accepted: a different "
                                 "file for each of input, output, errors and summary")  # fmt: skip
        seen.append((role, real))


@dataclass
class Sink:
    """One output of the sweep: its final and temporary names, its stream and size."""

    final: str | None
    stream: IO[bytes]
    written: int = 0

    @property
    def temporary(self) -> str | None:
        return partial_path(self.final) if self.final is not None else None

    def write(self, data: bytes) -> None:
        self.stream.write(data)
        self.written += len(data)

    def sync(self) -> None:
        self.stream.flush()
        if self.final is not None:
            os.fsync(self.stream.fileno())


def open_sink(path: str | None, standard: IO[Any], resume_at: int | None) -> Sink:
    if path is None or path == "-":
        return Sink(None, standard.buffer if hasattr(standard, "buffer") else standard)
    temporary = partial_path(path)
    if resume_at is None:
        return Sink(path, open(temporary, "wb"))
    stream = open(temporary, "r+b")  # noqa: SIM115
    stream.truncate(resume_at)  # what was written after the checkpoint is written again
    stream.seek(resume_at)
    return Sink(path, stream, resume_at)


def count_lines(path: str, skip: int) -> int | None:
    if path == "-" or not os.path.isfile(path):
        return None
    lines = 0
    with open(path, "rb") as f:
        f.seek(skip)
        while block := f.read(1 << 20):
            lines += block.count(b"\n")
    return lines


def hash_prefix(path: str, size: int) -> tuple[Any, int]:
    """SHA-256 of the first ``size`` bytes of ``path`` (and how many there were)."""
    hasher = hashlib.sha256()
    done = 0
    with open(path, "rb") as f:
        while done < size and (block := f.read(min(1 << 20, size - done))):
            hasher.update(block)
            done += len(block)
    return hasher, done
