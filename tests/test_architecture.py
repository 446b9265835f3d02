"""The house keeps its shape: imports run one way between rooms, no module imports itself back
through another, and no module keeps process-wide state but the one that says it does
(docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import lnunemp_rules

PACKAGE = Path(lnunemp_rules.__file__).resolve().parent

# Each room and the rooms it may import from (errors and state: every room may).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "state": set(),
    "law": set(),
    "inputs": set(),
    "rulebook": {"law"},
    "engines": {"rulebook"},
    "explain": {"inputs", "law", "rulebook"},
    "decide": {"engines", "explain", "inputs", "law", "rulebook"},
    "report": {"decide", "engines", "inputs", "rulebook"},  # engines: which run here (replay)
    "batch": {"decide", "inputs", "rulebook"},
    "analyst": {"decide", "inputs", "law", "rulebook"},
    "service": {"batch", "decide", "inputs", "report", "rulebook"},
    "cli": {"analyst", "batch", "decide", "engines", "explain", "inputs", "law", "report",
            "rulebook", "service"},
    # ``python -m lnunemp_rules``: the command line and nothing else.
    "__main__": {"cli"},
}  # fmt: skip


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(("lnunemp_rules", *parts))] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every module of the package ``name`` imports, at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("lnunemp_rules"):
                # ``from pkg import module`` imports the module; ``from pkg import name`` the
                # module pkg (callers below keep only names that are modules).
                out.update(f"{target}.{alias.name}" for alias in node.names)
                out.add(target)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("lnunemp_rules"))
    return out


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_room_imports_only_from_the_rooms_below_it() -> None:
    """cli -> service -> batch / report / analyst -> decide -> engines, explain, inputs,
    rulebook -> law -> errors: no import against that direction, and every room is known."""
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        room = _room(name)
        if room is None:  # the package's own __init__: lazy public names
            continue
        assert room in ALLOWED, f"{name}: a room docs/architecture.md does not describe"
        for target in _imports(name, path):
            other = _room(target)
            if target not in modules or other in (None, room, "errors", "state"):
                continue
            if other not in ALLOWED[room]:
                wrong.append(f"{name} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_itself_back() -> None:
    """The module import graph has no cycle."""
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        targets = _imports(name, path)
        # ``from pkg import module`` names the module: the edge goes there, not to pkg.
        graph[name] = {
            t for t in targets
            if t in modules and t != name
            and not any(o.startswith(t + ".") and o in modules for o in targets)
        }  # fmt: skip
    # The package's own __init__ only names its public API lazily (PEP 562): importing it
    # imports nothing else, so it is not a node of the graph.
    graph.pop("lnunemp_rules")
    for targets in graph.values():
        targets.discard("lnunemp_rules")
    # A package's __init__ re-exports its modules: an edge into a package is an edge into
    # the modules it names, which the edges of the __init__ itself already give.
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, trail: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if nxt in trail or (state.get(nxt) == 1 and nxt in trail):
                cycle.extend([*trail[trail.index(nxt) :], nxt])
                return True
            if state.get(nxt) is None and visit(nxt, [*trail, nxt]):
                return True
        state[node] = 2
        return False

    for node in sorted(graph):
        if state.get(node) is None and visit(node, [node]):
            break
    assert not cycle, " -> ".join(cycle)


def test_each_room_says_what_it_is_and_what_it_exports() -> None:
    """Every subpackage has a docstring and an ``__all__`` whose names exist."""
    for path in sorted(PACKAGE.glob("*/__init__.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.parent.name}: no docstring"
        names = [
            node for node in tree.body
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        ]  # fmt: skip
        assert names, f"{path.parent.name}: no __all__"


def test_only_the_state_module_keeps_module_level_memories() -> None:
    """No module outside lnunemp_rules.state assigns a dict, list or set at module level that
    it then changes, nor uses functools caches or ``global``."""
    offenders = []
    for name, path in _modules().items():
        if name == "lnunemp_rules.state":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                offenders.append(f"{name}: global {', '.join(node.names)}")
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    call = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if ast.unparse(call).split(".")[-1] in ("cache", "lru_cache"):
                        offenders.append(f"{name}: {node.name} is cached for the process")
        for node in tree.body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(value, ast.Dict | ast.List | ast.Set) and not (
                isinstance(value, ast.Dict | ast.List | ast.Set) and _filled(value)
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                offenders.append(f"{name}: empty {type(value).__name__.lower()} "
                                 f"{ast.unparse(targets[0])}")  # fmt: skip
    assert not offenders, "\n".join(offenders)


def _filled(value: ast.Dict | ast.List | ast.Set) -> bool:
    """A literal with entries is a table, not a memory that starts empty."""
    return bool(value.keys if isinstance(value, ast.Dict) else value.elts)
