"""The one YAML reader of the project: line numbers kept, so every problem is file:line.

Rule, fact, clause, parameter, calendar and fixture files are all read here, and so are the
YAML documents a command is given (an input, a receipt). A key given twice in one mapping is
an error (YAML would keep the last silently), and so is an impossible date.

The reader is bounded: a file larger than :data:`MAX_YAML_BYTES`, a document that would expand
to more than :data:`MAX_YAML_NODES` values through its aliases (a 600-byte "billion laughs"
document expands to 10^9), one nested deeper than :data:`MAX_YAML_DEPTH`, and a number too
long for Python to read are refused with their line, before anything walks the document.

Plain scalars are read as YAML 1.2's core schema reads them: only ``true``/``false`` are
booleans (YAML 1.1 also took ``yes``, ``no``, ``on``, ``off``, ``y``, ``n``, so a typo could
turn into a boolean), integers are decimal and ``1:30`` is text, not 90 (base 60).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import yaml

from ..errors import Problem, RuleFileError

__all__ = [
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "SAFE_LOADER",
    "LineDict",
    "LineList",
    "line_of",
    "load_yaml",
    "parse_yaml",
    "plain",
    "unreadable",
]

#: The largest YAML file or document read, in bytes.
MAX_YAML_BYTES: Final = 8 * 1024 * 1024
#: The most values a document may hold once its aliases are expanded (the largest shipped
#: fixture file expands to about 3,000).
MAX_YAML_NODES: Final = 200_000
#: The deepest nesting of mappings and lists, aliases expanded (rule files use 6).
MAX_YAML_DEPTH: Final = 64


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
            first = result.key_lines[key]
            raise _Marked(
                f"duplicate key {key!r} (first on line {first})",
                f"a key is given twice in one mapping (first on line {first})",
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
        raise _Marked(
            f"{node.value!r} is not a real date: {exc}", "not a real date", node.start_mark
        ) from exc


class _Marked(yaml.constructor.ConstructorError):
    """A problem found by this reader, with its text for a rule file (which may quote the
    file) and for a caller's document (which quotes nothing of it)."""

    def __init__(self, problem: str, private: str, mark: Any) -> None:
        super().__init__(None, None, problem, mark)
        self.private = private


class _Refused(_Marked):
    """A document over one of the reader's bounds, marked where it starts going over."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem, problem, mark)


def _check_bounds(root: yaml.Node) -> None:
    """Refuse a node graph over :data:`MAX_YAML_NODES` once expanded or over
    :data:`MAX_YAML_DEPTH`, counting each node once (memoised) and without recursion, so
    that an alias bomb costs the size of its text, not of its expansion."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if not children_done:
            if key in on_path:
                raise _Refused("an alias refers to the value that holds it", node.start_mark)
            on_path.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        on_path.discard(key)
        sizes[key] = 1 + sum(sizes[id(child)] for child in children)
        depths[key] = 1 + max((depths[id(child)] for child in children), default=0)
        if sizes[key] > MAX_YAML_NODES:
            raise _Refused(f"expands to more than {MAX_YAML_NODES} values through its "
                           "aliases; accepted: fewer, or the values written out",
                           node.start_mark)  # fmt: skip
        if depths[key] > MAX_YAML_DEPTH:
            raise _Refused(f"nested deeper than {MAX_YAML_DEPTH} levels", node.start_mark)


def _bounded_single_data(loader: Any) -> Any:
    node = loader.get_single_node()
    if node is None:
        return None
    _check_bounds(node)
    return loader.construct_document(node)


# YAML 1.2 core schema for booleans and numbers (the module docstring says why).
_CORE_RESOLVERS: Final = (
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    ("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+.0123456789",
    ),
)


def _core_resolvers(base: Any) -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    replaced = {tag for tag, _, _ in _CORE_RESOLVERS}
    table = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in replaced]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    for tag, regexp, firsts in _CORE_RESOLVERS:
        for first in firsts:
            table.setdefault(first, []).append((tag, regexp))
    return table


def _line_loader(base: Any) -> Any:
    """A loader class on ``base`` (a safe loader) that keeps lines, rejects bad dates and
    refuses documents over its bounds."""
    loader: Any = type(
        "_LineLoader",
        (base,),
        {
            "yaml_implicit_resolvers": _core_resolvers(base),
            "get_single_data": _bounded_single_data,
        },
    )
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    return loader


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    """A decimal integer; one too long for Python to read (4,300 digits) is a marked error."""
    text = str(node.value).replace("_", "")
    try:
        return int(text)
    except ValueError as exc:
        problem = f"a number of {len(text)} characters cannot be read"
        raise _Marked(problem, problem, node.start_mark) from exc


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
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise RuleFileError([Problem(name, None, f"{size} bytes; accepted: at most "
                                         f"{MAX_YAML_BYTES} bytes")])  # fmt: skip
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


def parse_yaml(text: str, name: str, *, private: bool = False) -> Any:
    """Parse YAML text as :func:`load_yaml` does; ``name`` is the file named in problems.

    ``private``: the text is a caller's document (it may hold personal data), so problems
    give the line and quote nothing of it.
    """
    if len(text) > MAX_YAML_BYTES:
        raise RuleFileError([Problem(name, None, f"{len(text)} characters; accepted: at most "
                                     f"{MAX_YAML_BYTES}")])  # fmt: skip
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        if isinstance(exc, _Marked):
            said = exc.private if private else exc.problem
        else:
            said = "not valid YAML" if private else f"not valid YAML: {exc.problem}"
        raise RuleFileError([Problem(name, line, str(said))]) from exc
    except yaml.YAMLError as exc:
        raise RuleFileError([Problem(name, None, "not valid YAML")]) from exc
    except RecursionError as exc:  # the pure-Python parser, where libyaml is missing
        raise RuleFileError([Problem(name, None, f"nested deeper than {MAX_YAML_DEPTH} "
                                     "levels")]) from exc  # fmt: skip
