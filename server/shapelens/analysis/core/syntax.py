"""Facts about a parsed module gathered in one pass, so that no later step walks the tree again:
which functions are generators, which names the module reads and which it uses as values."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_GEN = "_shapelens_gen"  # the mark on a function node


@dataclass
class Facts:
    loaded: set[str] = field(default_factory=set)  # names read anywhere
    # Names used as values anywhere: read other than as `name.attr` (`F.__doc__ = ...` is not
    # a use of F; `f = F`, `F()`, `Lambda(F)` are).
    used: set[str] = field(default_factory=set)
    yields: bool = False  # a yield outside any function (a statement walked alone: its own)


def annotate(tree: ast.Module) -> Facts:
    """Mark every function node with `_shapelens_gen` (it yields itself, not in a nested
    function) and return the names the module reads and uses anywhere."""
    facts = Facts()
    owners: set[int] = set()  # the `name` of `name.attr` (a parent is seen before its children)
    # Iterative: a deeply nested file must not exhaust the interpreter's recursion limit here.
    stack: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]
    while stack:
        node, function = stack.pop()
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                facts.loaded.add(node.id)
                if id(node) not in owners:
                    facts.used.add(node.id)
        elif isinstance(node, ast.Attribute):
            owners.add(id(node.value))
        elif isinstance(node, (ast.Yield, ast.YieldFrom)):
            if function is not None:
                setattr(function, _GEN, True)
            else:
                facts.yields = True
        elif isinstance(node, _FUNCTIONS):
            setattr(node, _GEN, False)
            function = node
        stack.extend((child, function) for child in ast.iter_child_nodes(node))
    return facts


def is_generator(node: ast.AST) -> bool:
    return bool(getattr(node, _GEN, False))


def mark_generator(node: ast.AST, generator: bool) -> None:
    """The mark `annotate` leaves, for a function node made from another (core/reparse.py)."""
    setattr(node, _GEN, generator)

