"""The analyser's structure as a specification: no import cycle inside `analysis/`, no import
hidden inside a function to dodge one, and a Python core that never imports the Keras plug-in.

Imports are read with `ast` from the source (TYPE_CHECKING imports count too), never executed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import shapelens.analysis
from shapelens.analysis.analyzer import PLUGINS
from shapelens.analysis.core.interpreter import EXPRESSIONS, STATEMENTS

PACKAGE = Path(shapelens.analysis.__file__).parent
ROOT = "shapelens.analysis"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join([ROOT, *parts])


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of `analysis/` that `name` imports (`from .x import y` may name module x.y)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    out.add(f"{target}.{alias.name}")
                elif target in known:
                    out.add(target)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
    out.discard(name)
    return out


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imported(name, path, known) for name, path in mods.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return [*stack[stack.index(m) :], m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def test_the_finder_sees_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_is_read_from_the_real_package() -> None:
    graph = import_graph()
    assert f"{ROOT}.core.dispatch" in graph[f"{ROOT}.core.interpreter"]
    assert f"{ROOT}.keras.values" in graph[f"{ROOT}.keras.layers"]


def test_no_import_cycle_inside_analysis() -> None:
    assert find_cycle(import_graph()) is None


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_function_local_import(name: str) -> None:
    tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
    local = [
        inner.lineno
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for inner in ast.walk(node)
        if isinstance(inner, (ast.Import, ast.ImportFrom))
    ]
    assert local == [], f"{name} imports inside a function on lines {local}"


def test_the_python_core_never_imports_keras_knowledge() -> None:
    graph = import_graph()
    core = [n for n in graph if n.startswith(f"{ROOT}.core")]
    assert core
    leaks = {n: sorted(m for m in graph[n] if not m.startswith(f"{ROOT}.core")) for n in core}
    assert {n: m for n, m in leaks.items() if m} == {}


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_stay_small(name: str) -> None:
    lines = modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= 520, f"{name} has {lines} lines"


def _node_kinds(base: type) -> list[type]:
    # Python's own node classes only: TensorFlow's `gast`, once imported by another test in the
    # same process, subclasses them with its own (never produced by `ast.parse`).
    kinds = [c for c in base.__subclasses__() if c.__module__ == "ast"]
    return sorted(kinds, key=lambda c: c.__name__)


@pytest.mark.parametrize("kind", _node_kinds(ast.stmt) + _node_kinds(ast.expr),
                         ids=lambda c: c.__name__)
def test_every_node_of_this_python_has_a_handler(kind: type) -> None:
    """A node with no handler would be Unknown (and fail strict mode): none is left without."""
    assert PLUGINS  # the composition root registered the handlers
    table = STATEMENTS if issubclass(kind, ast.stmt) else EXPRESSIONS
    assert table.find(kind.__new__(kind)) is not None
