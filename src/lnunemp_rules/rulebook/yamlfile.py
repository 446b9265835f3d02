"""The one YAML reader of the project: line numbers kept, so every problem is file:line.

Rule, fact, clause, parameter, calendar and fixture files are all read here. A key given twice
in one mapping is an error (YAML would keep the last silently), and so is an impossible date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, RuleFileError

__all__ = ["SAFE_LOADER", "LineDict", "LineList", "line_of", "load_yaml", "parse_yaml", "plain",
           "unreadable"]  # fmt: skip


class LineDict(dict[str, Any]):
    """A mapping from a YAML file that remembers the line it starts on (1-based)."""

    line: int | None = None
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence from a YAML file that remembers the line it starts on (1-based)."""

    line: int | None = None


# libyaml's parser (CSafeLoader) where PyYAML was built with it, the pure-Python one otherwise:
# the same nodes, marks and constructors, ~5x faster on the rule book (the first decision).
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result.key_lines:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {result.key_lines[key]})",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    """A YAML date; an impossible one (2026-02-30) is a marked error, so it gets a line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a real date: {exc}", node.start_mark
        ) from exc


def _line_loader(base: Any) -> Any:
    """A loader class on ``base`` (a safe loader) that keeps lines and rejects bad dates."""
    loader: Any = type("_LineLoader", (base,), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return loader


_LineLoader = _line_loader(SAFE_LOADER)


def line_of(value: object, key: str | None = None) -> int | None:
    """The line a YAML mapping (or one of its keys) or sequence starts on, if known."""
    if isinstance(value, LineDict):
        if key is not None and key in value.key_lines:
            return value.key_lines[key]
        return value.line
    if isinstance(value, LineList):
        return value.line
    return None


def plain(value: Any) -> Any:
    """``value`` with every LineDict and LineList made a plain dict and list (to dump again)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def load_yaml(path: Path, *, display_name: str | None = None) -> Any:
    """Parse a YAML file, keeping line numbers; a syntax error becomes a RuleFileError."""
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError([Problem(name, None, unreadable(exc))]) from exc
    return parse_yaml(text, name)


def unreadable(exc: OSError | UnicodeDecodeError) -> str:
    """Why a file could not be read, in words (not an exception's name)."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start} cannot be decoded)"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot be read ({exc.strerror or exc.__class__.__name__})"


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text as :func:`load_yaml` does; ``name`` is the file named in problems."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise RuleFileError([Problem(name, line, f"not valid YAML: {exc.problem}")]) from exc
    except yaml.YAMLError as exc:
        raise RuleFileError([Problem(name, None, f"not valid YAML: {exc}")]) from exc
