"""Facts about a parsed module gathered in one pass, so that no later step walks the tree again:
which functions are generators and which names the module reads."""

from __future__ import annotations

import ast

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_GEN = "_shapelens_gen"  # the mark on a function node


def annotate(tree: ast.Module) -> set[str]:
    """Mark every function node with `_shapelens_gen` (it yields itself, not in a nested
    function) and return the names the module loads anywhere."""
    loaded: set[str] = set()
    # Iterative: a deeply nested file must not exhaust the interpreter's recursion limit here.
    stack: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]
    while stack:
        node, function = stack.pop()
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                loaded.add(node.id)
        elif isinstance(node, (ast.Yield, ast.YieldFrom)) and function is not None:
            setattr(function, _GEN, True)
        elif isinstance(node, _FUNCTIONS):
            setattr(node, _GEN, False)
            function = node
        stack.extend((child, function) for child in ast.iter_child_nodes(node))
    return loaded


def is_generator(node: ast.AST) -> bool:
    return bool(getattr(node, _GEN, False))
