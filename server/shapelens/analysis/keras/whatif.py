"""What-if replays of a functional graph on the engine alone, to verify a fix before offering it.

When Keras would reject a join in a model (a U-Net skip that does not fit), offer the Input sizes
nearest to the written one for which every layer builds, and 'valid' convs switched to 'same'.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from typing import Any

from ... import engine
from ...engine import ShapeError
from ..core.context import Host, ModuleCtx
from ..core.convert import to_engine
from ..core.sites import Finding, Pos
from . import fixes
from .graph import CannotReplay, replay
from .graph import nodes as _nodes
from .values import LayerObj, ModelObj, TensorVal

# Layers whose inputs must agree: where a model that does not fit is rejected.
JOINS = {"Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"}
CONVS = {"Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D",
         "DepthwiseConv1D", "DepthwiseConv2D"}
SEARCH = 64  # how far from the written size to look for one that fits, each way


def offer_fixes(an: Host, model: ModelObj) -> None:
    """Attach verified fixes to the findings of the joins in `model` that Keras rejects."""
    try:
        nodes = _nodes(model.outputs)
        failed = [t.error for t in nodes if isinstance(t.error, Finding)
                  and isinstance(t.layer, LayerObj) and t.layer.kind in JOINS]
        ctx = an.modules.get(os.path.abspath(an.entry_path))
        if not failed or ctx is None:
            return
        size = _InputSize.of(model, nodes, ctx, an.options.image_data_format == "channels_first")
        found = _input_size_fixes(size) + _same_padding_fixes(model, nodes, ctx, size)
    except (CannotReplay, RecursionError):
        return
    for finding in failed:
        for title, edits in found:
            finding.data = fixes.add_fix(finding.data, title, edits)


# --- the Input size -----------------------------------------------------------------------------


Fix = tuple[str, list[dict[str, Any]]]


@dataclass
class _InputSize:
    """The model's one Input, its spatial axes and the tuple literal its shape is written in."""

    model: ModelObj
    tensor: TensorVal
    axes: list[int]
    literal: ast.Tuple | ast.List
    source: str

    @staticmethod
    def of(
        model: ModelObj, nodes: list[TensorVal], ctx: ModuleCtx, first: bool
    ) -> _InputSize | None:
        if len(model.inputs) != 1:
            return None
        inp = model.inputs[0]
        lo, shape = inp.layer, inp.shape
        if not isinstance(lo, LayerObj) or lo.kind != "InputLayer" or not shape or len(shape) < 3:
            return None
        first = first or any(_bound(t, "data_format") == "channels_first" for t in nodes)
        axes = list(range(2, len(shape)) if first else range(1, len(shape) - 1))
        literal = _shape_literal(ctx, lo.pos)
        if literal is None or any(not isinstance(shape[i], int) for i in axes):
            return None
        return _InputSize(model, inp, axes, literal, ctx.source)

    def nearest(self, layers: dict[int, engine.Constructed]) -> tuple[list[int], list[int]]:
        """Per spatial axis, the nearest size below and above the written one that builds
        (0: none within SEARCH)."""
        shape = list(self.tensor.shape or ())
        written = [int(shape[i] or 0) for i in self.axes]
        fits: dict[int, bool] = {}

        def fit(v: int) -> bool:
            # Spatial axes are independent through convs, pools, upsampling and crops: a size
            # that fits on a square input fits on that axis whatever the others are.
            if v not in fits:
                trial = list(shape)
                for i in self.axes:
                    trial[i] = v
                fits[v] = replay(self.model.outputs, {id(self.tensor): tuple(trial)}, layers)
            return fits[v]

        below = [next((s - d for d in range(1, SEARCH + 1) if s - d > 0 and fit(s - d)), 0)
                 for s in written]
        above = [next((s + d for d in range(1, SEARCH + 1) if fit(s + d)), 0) for s in written]
        return below, above

    def edit(self, sizes: list[int]) -> tuple[str, dict[str, Any]] | None:
        """The literal with the spatial sizes replaced, and the edit that writes it."""
        if not all(sizes):
            return None
        parts = [fixes.segment(self.source, e) for e in self.literal.elts]
        where = [i - 1 for i in self.axes]  # the literal has no batch axis
        if any(p is None for p in parts) or max(where) >= len(parts):
            return None
        texts = [str(p) for p in parts]
        for i, v in zip(where, sizes):
            texts[i] = str(v)
        inner = ", ".join(texts) + ("," if len(texts) == 1 else "")
        new = f"[{inner}]" if isinstance(self.literal, ast.List) else f"({inner})"
        return new, {"range": fixes.span(self.literal), "text": new}


def _input_size_fixes(size: _InputSize | None) -> list[Fix]:
    out: list[Fix] = []
    for sizes in size.nearest({}) if size else ():
        written = size.edit(sizes) if size else None
        if written is not None:
            out.append((f"Change the Input size to {written[0]}: every join fits", [written[1]]))
    return out


def _bound(t: TensorVal, arg: str) -> Any:
    c = t.layer.constructed if isinstance(t.layer, LayerObj) else None
    return c.bound.get(arg) if c is not None else None


def _call_at(ctx: ModuleCtx, pos: Pos) -> ast.Call | None:
    if pos.path != ctx.path:
        return None
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Call) and Pos.of(ctx.path, node) == pos:
            return node
    return None


def _shape_literal(ctx: ModuleCtx, pos: Pos) -> ast.Tuple | ast.List | None:
    """The tuple literal an `Input(...)` call takes its shape from: in the call, a parameter's
    default, or the one assignment of the name in the same function or module."""
    call = _call_at(ctx, pos)
    if call is None:
        return None
    expr = call.args[0] if call.args else next(
        (k.value for k in call.keywords if k.arg == "shape"), None)
    if isinstance(expr, ast.Name):
        expr = _definition(ctx.tree, call, expr.id)
    if isinstance(expr, (ast.Tuple, ast.List)) and all(
        isinstance(e, ast.Constant) for e in expr.elts
    ):
        return expr
    return None


def _definition(tree: ast.Module, call: ast.Call, name: str) -> ast.expr | None:
    scope: ast.AST = tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            node.lineno <= call.lineno <= (node.end_lineno or node.lineno)
        ):
            scope = node  # ast.walk is breadth-first: the last match is the innermost
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        a = scope.args
        positional = a.posonlyargs + a.args
        for arg, default in zip(positional[len(positional) - len(a.defaults):], a.defaults):
            if arg.arg == name:
                return default
        for arg, kw_default in zip(a.kwonlyargs, a.kw_defaults):
            if arg.arg == name:
                return kw_default
    values = [n.value for n in ast.walk(scope) if isinstance(n, ast.Assign)
              and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]
    return values[0] if len(values) == 1 else None


# --- padding='same' -----------------------------------------------------------------------------


def _same_padding_fixes(
    model: ModelObj, nodes: list[TensorVal], ctx: ModuleCtx, size: _InputSize | None
) -> list[Fix]:
    """Every 'valid' conv of the model switched to 'same', with the nearest Input size that then
    builds when the written one does not (a 'same' U-Net needs a multiple of 16)."""
    convs: dict[int, LayerObj] = {}
    for t in nodes:
        lo = t.layer
        if isinstance(lo, LayerObj) and lo.kind in CONVS and lo.constructed is not None:
            pad, kernel = _bound(t, "padding"), _bound(t, "kernel_size")
            if isinstance(pad, str) and pad.lower() == "valid" and kernel not in (1, (1,), [1]) \
                    and not (isinstance(kernel, (tuple, list)) and set(kernel) == {1}):
                convs[id(lo)] = lo
    if not convs:
        return []
    same = {}
    for key, lo in convs.items():
        try:
            c = engine.construct(lo.kind, to_engine(list(lo.args)),
                                 to_engine({**lo.kwargs, "padding": "same"}))
        except ShapeError:
            return []
        if c is None:
            return []
        same[key] = c
    resize: list[dict[str, Any]] = []
    also = ""
    if not replay(model.outputs, {}, same):
        if size is None:
            return []
        below, above = size.nearest(same)
        written_sizes = sum(int((size.tensor.shape or ())[i] or 0) for i in size.axes)
        # The nearer of the two; above on a tie (a larger tile loses nothing).
        nearer_below = all(below) and (
            not all(above) or written_sizes - sum(below) < sum(above) - written_sizes
        )
        written = size.edit(below if nearer_below else above)
        if written is None:
            return []
        also, resize = f" and the Input size to {written[0]}", [written[1]]
    edits: dict[Pos, dict[str, Any]] = {}
    for lo in convs.values():
        call = _call_at(ctx, lo.pos)
        edit = _padding_edit(call, 2 if "Depthwise" in lo.kind else 3) if call else None
        if edit is None:
            return []  # a conv we cannot edit here: the fix would not be the one verified
        edits[lo.pos] = edit
    n = len(edits)
    title = f"Switch the {n} 'valid' convolution{'s' if n > 1 else ''} to padding='same'{also}"
    ordered = [edits[p] for p in sorted(edits, key=lambda p: (p.line, p.column))]
    return [(title, resize + ordered)]


def _padding_edit(call: ast.Call, index: int) -> dict[str, Any] | None:
    """The edit that makes a conv constructor say padding='same' (`index`: its position)."""
    kw = next((k for k in call.keywords if k.arg == "padding"), None)
    if kw is not None:
        return {"range": fixes.span(kw.value), "text": "'same'"}
    if len(call.args) > index:  # Conv2D(filters, kernel_size, strides, padding, ...)
        return {"range": fixes.span(call.args[index]), "text": "'same'"}
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return None
    last = max([*call.args, *(k.value for k in call.keywords)],
               key=lambda n: (n.end_lineno or 0, n.end_col_offset or 0), default=None)
    if last is None:
        return None
    end = fixes.span(last)
    return {"range": [end[2], end[3], end[2], end[3]], "text": ", padding='same'"}
