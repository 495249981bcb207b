"""Keras-2 arguments and methods Keras 3 renamed or dropped (`Model(input=...)`, `Adam(lr=...)`,
`fit_generator`, `layer.output_shape`, `Input(shape=784)`), and what Keras 3 only warns about.

Each is worded as TensorFlow 2.21 raises (or warns) and carries its quick fix when one is certain.
"""

from __future__ import annotations

import ast
from typing import Any

from ...engine import Unknown
from ...engine.args import takes
from ..core.context import Host, ModuleCtx
from ..core.dispatch import EXTERNAL_CALLS
from ..core.sites import Pos
from .fixes import add_fix, segment, span

# Model/Layer methods Keras 3 removed -> what replaces them (AttributeError in TF 2.21).
REMOVED_METHODS: dict[str, dict[str, str | None]] = {
    "Model": {"fit_generator": "fit", "predict_generator": "predict",
              "evaluate_generator": "evaluate", "train_on_batch_generator": None},
    "Layer": {"output_shape": "output.shape", "input_shape": "input.shape"},
}
# Optimizer classes whose Keras-2 `lr=` Keras 3 rejects ("Argument(s) not recognized").
OPTIMIZERS = ("Adam", "AdamW", "SGD", "RMSprop", "Adadelta", "Adagrad", "Adamax", "Nadam", "Ftrl",
              "Lion", "Adafactor")
# Keyword renames Keras 3 needs, per call: (canonical callee, old keyword) -> new keyword.
RENAMED_KEYWORDS = {("keras.Model", "input"): "inputs", ("keras.Model", "output"): "outputs",
                    **{(f"keras.optimizers.{o}", "lr"): "learning_rate" for o in OPTIMIZERS}}
# Keras-1/2 layer keywords Keras 3 rejects -> today's name, renamed for a layer that takes it.
LAYER_KEYWORDS = {"output_dim": "units", "nb_filter": "filters", "init": "kernel_initializer",
                  "border_mode": "padding", "subsample": "strides", "p": "rate",
                  "W_regularizer": "kernel_regularizer", "b_regularizer": "bias_regularizer",
                  "W_constraint": "kernel_constraint", "b_constraint": "bias_constraint",
                  "dim_ordering": "data_format", "nb_row": None, "nb_col": None}
# Layer arguments Keras 3 accepts with a warning (never an error): the warning's words.
WARNED = {"input_length": ("Embedding", "Argument `input_length` is deprecated. Just remove it."),
          "input_shape": (None, "Do not pass an `input_shape`/`input_dim` argument to a layer. "
                                "When using Sequential models, prefer using an `Input(shape)` "
                                "object as the first layer in the model instead."),
          "input_dim": (None, "Do not pass an `input_shape`/`input_dim` argument to a layer. "
                              "When using Sequential models, prefer using an `Input(shape)` "
                              "object as the first layer in the model instead.")}


def call_at(an: Host, pos: Pos) -> ast.Call | None:
    """The call expression at `pos`, its positions made absolute (the analysis keeps positions,
    not nodes, for the calls it reports on)."""
    source = an.module_at(pos.path).source
    node = ast.Pass(lineno=pos.line, col_offset=pos.column - 1, end_lineno=pos.end_line,
                    end_col_offset=pos.end_column - 1)
    text = segment(source, node)
    try:
        call = ast.parse(text or "", mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(call, ast.Call):
        return None
    for n in ast.walk(call):
        if hasattr(n, "lineno"):
            for attr, col in (("lineno", "col_offset"), ("end_lineno", "end_col_offset")):
                if getattr(n, attr) == 1:
                    setattr(n, col, getattr(n, col) + pos.column - 1)
                setattr(n, attr, getattr(n, attr) + pos.line - 1)
    return call


def rename_keywords(an: Host, callee: str, pos: Pos,
                    data: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The fix renaming the Keras-2 keywords of the call at `pos` (`input=` -> `inputs=`)."""
    call = call_at(an, pos)
    if call is None:
        return data
    source = an.module_at(pos.path).source
    given = {k.arg or "" for k in call.keywords}
    renames = {k.arg: RENAMED_KEYWORDS[(callee, k.arg)] for k in call.keywords
               if k.arg is not None and (callee, k.arg) in RENAMED_KEYWORDS}
    edits: list[dict[str, Any]] = [
        {"range": span(k), "text": f"{renames[k.arg]}={segment(source, k.value)}"}
        for k in call.keywords if k.arg in renames]
    if not edits or given & set(renames.values()):  # `Model(inputs=a, input=b)`: no rename
        return data
    names = ", ".join(f"{new}=" for new in renames.values())
    return add_fix(data, f"Rename to {names}", edits)


def layer_keywords(an: Host, kind: str, pos: Pos, data: dict[str, Any] | None) -> Any:
    """The fix for a layer's Keras-1/2 keywords (`Dense(output_dim=3)` -> `units=3`), when every
    old keyword of the call has a name the layer takes (`dim_ordering='th'` values differ)."""
    call = call_at(an, pos)
    if call is None:
        return data
    old = [k for k in call.keywords if k.arg in LAYER_KEYWORDS]
    given = {k.arg for k in call.keywords}
    if not old or any(LAYER_KEYWORDS[k.arg or ""] is None or LAYER_KEYWORDS[k.arg or ""] in given
                      or not takes(kind, LAYER_KEYWORDS[k.arg or ""] or "") for k in old):
        return data
    source = an.module_at(pos.path).source
    if any(k.arg == "dim_ordering" or (k.arg == "border_mode" and not isinstance(
            k.value, ast.Constant)) for k in old):
        return data  # 'th'/'tf' are not data_format values; keep to what is certain
    edits = [{"range": span(k), "text": f"{LAYER_KEYWORDS[k.arg or '']}={segment(source, k.value)}"}
             for k in old]
    names = ", ".join(f"{LAYER_KEYWORDS[k.arg or '']}=" for k in old)
    return add_fix(data, f"Rename to {names}", edits)


def _optimizer(name: str) -> Any:
    def handler(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
                ctx: ModuleCtx) -> Any:
        if "lr" in kwargs:
            pos = Pos.of(ctx.path, node)
            an.report(pos, "unknown-argument",
                      f"{name}: Argument(s) not recognized: {{'lr': ...}} (Keras 3 raises "
                      "ValueError; Keras 2 spelled the learning rate `lr=`)",
                      rename_keywords(an, qualname, pos))
        if "decay" in kwargs:
            an.report(Pos.of(ctx.path, node), "keras-warning",
                      f"{name}: Argument `decay` is no longer supported and will be ignored. "
                      "(Keras 3 warns; use a `keras.optimizers.schedules` learning rate)")
        return Unknown(f"an optimizer (`{name}`): no shape")
    return handler


for _name in OPTIMIZERS:
    EXTERNAL_CALLS.register(f"keras.optimizers.{_name}")(_optimizer(_name))


def removed_method(an: Host, kind: str, owner: str, attr: str, node: ast.AST | None,
                   ctx: ModuleCtx | None) -> Any:
    """A Keras-2 method or attribute of a Model/Layer that Keras 3 dropped: the error (Python
    raises AttributeError there) and an unknown value; None when `attr` is not one."""
    if attr not in REMOVED_METHODS[kind] or node is None or ctx is None:
        return None
    now = REMOVED_METHODS[kind][attr]
    data = None
    base = segment(ctx.source, node.value) if isinstance(node, ast.Attribute) else None
    if now is not None and base is not None:
        data = add_fix(None, f"Use .{now}", [{"range": span(node), "text": f"{base}.{now}"}])
    an.report(Pos.of(ctx.path, node), "removed-api",
              f"`{attr}` does not exist in Keras 3 (AttributeError: '{owner}' object has no "
              f"attribute '{attr}')" + (f"; use `.{now}`" if now else ""), data)
    return Unknown(f"`{attr}` was removed in Keras 3")


def int_shape_fix(an: Host, pos: Pos, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """`Input(shape=784)` -> `Input(shape=(784,))`: Keras 3 wants a tuple."""
    shape = args[0] if args else kwargs.get("shape")
    call = call_at(an, pos)
    if not isinstance(shape, int) or isinstance(shape, bool) or call is None:
        return None
    arg = call.args[0] if call.args else next(
        (k.value for k in call.keywords if k.arg == "shape"), None)
    text = segment(an.module_at(pos.path).source, arg) if arg is not None else None
    if arg is None or text is None:
        return None
    return add_fix(None, f"Use shape=({text},)", [{"range": span(arg), "text": f"({text},)"}])


def layer_warnings(an: Host, kind: str, kwargs: dict[str, Any], pos: Pos) -> None:
    """What Keras 3 only warns about when a layer is made (a warning, never an error)."""
    if WARNED.keys().isdisjoint(kwargs):  # nearly every layer: none of those arguments
        return
    for arg, (only, words) in WARNED.items():
        if arg not in kwargs or (only is not None and only != kind) or takes(kind, arg):
            continue  # `Embedding(input_dim=...)` is its own argument: Keras does not warn
        data = None
        call = call_at(an, pos) if arg == "input_length" else None
        kw = next((k for k in call.keywords if k.arg == arg), None) if call else None
        if kw is not None:
            data = _drop_keyword(an, pos, call, kw)  # type: ignore[arg-type]
        # input_shape and input_dim give the same words: one warning, as Keras gives
        an.report(pos, "keras-warning", f"{kind}: {words} (Keras 3 warns; it still builds)", data)


def _drop_keyword(an: Host, pos: Pos, call: ast.Call, kw: ast.keyword) -> dict[str, Any] | None:
    """Remove `, input_length=5` (with the comma before it)."""
    items: list[Any] = sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))
    i = items.index(kw)
    if i == 0:
        return None
    before = items[i - 1]
    start = [before.end_lineno, (before.end_col_offset or 0) + 1]
    end = span(kw)[2:]
    return add_fix(None, f"Remove {kw.arg}=", [{"range": [*start, *end], "text": ""}])
