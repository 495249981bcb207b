"""Keras 3's first error on Keras-2-era code: a `tf.*` op called on a KerasTensor while a functional
model is built ("A KerasTensor cannot be used as input to a TensorFlow function"), with its fix.

The guard is asked by the op-call handler (externals.py) and wraps `tf.shape` (specials.py).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ...engine.tfargs import determinable
from ..core.context import Host, ModuleCtx
from ..core.dispatch import EXTERNAL_CALLS
from ..core.modules import canonical
from ..core.sites import Pos
from ..core.values import ExternalRef
from .fixes import add_fix, segment, span
from .siteops import is_site_op
from .symbolic import Tracing, is_symbolic
from .tensors import unknown_tensor
from .values import TensorVal, leaves

# TF 2.21's words (ValueError), shortened; the rest of its message explains Keras 3's split.
TF_MESSAGE = "A KerasTensor cannot be used as input to a TensorFlow function"

# Namespaces of TensorFlow ops that convert their inputs to tf tensors (each raises on a
# KerasTensor in TF 2.21: tests/analysis/keras/test_migration.py runs them).
_OP_NAMESPACES = ("nn", "math", "linalg", "image", "signal", "dtypes", "random", "strings")
# Top-level `tf.` functions that accept a KerasTensor (or never see one) in TF 2.21: not flagged.
_ACCEPTS = {"print", "is_tensor", "TensorShape", "TensorSpec", "function", "name_scope", "device",
            "py_function", "numpy_function", "get_static_value", "executing_eagerly", "range",
            "constant", "custom_gradient", "GradientTape", "Module", "map_fn", "cond",
            "while_loop", "vectorized_map", "switch_case", "case", "group", "no_op"}


@dataclass(frozen=True)
class Equivalent:
    """The `keras.ops` function that does what a tf op does, and its keyword names."""

    name: str  # keras.ops.<name>
    keywords: dict[str, str] = field(default_factory=dict)  # tf keyword -> keras.ops keyword
    positional: int = 9  # at most this many positional arguments keep their meaning
    needs: tuple[str, ...] = ()  # keywords the call must pass for the meaning to match


def _eq(name: str, positional: int = 9, needs: tuple[str, ...] = (), **keywords: str) -> Equivalent:
    return Equivalent(name, keywords, positional, needs)


# tf op -> its keras.ops equivalent; every row is run on both sides by the test, a KerasTensor
# given to the keras.ops one. Rows whose defaults differ (tf.argmax's axis=0 against keras'
# None) require the argument that makes them agree.
EQUIVALENTS: dict[str, Equivalent] = {
    "tf.reshape": _eq("reshape", 2, tensor="x", shape="newshape"),
    "tf.concat": _eq("concatenate", 2, values="xs", axis="axis"),
    "tf.stack": _eq("stack", 2, values="x", axis="axis"),
    "tf.unstack": _eq("unstack", 3, value="x", num="num", axis="axis"),
    "tf.expand_dims": _eq("expand_dims", 2, input="x", axis="axis"),
    "tf.squeeze": _eq("squeeze", 2, input="x", axis="axis"),
    "tf.transpose": _eq("transpose", 2, a="x", perm="axes"),
    "tf.matmul": _eq("matmul", 2, a="x1", b="x2"),
    "tf.linalg.matmul": _eq("matmul", 2, a="x1", b="x2"),
    "tf.tile": _eq("tile", 2, input="x", multiples="repeats"),
    "tf.broadcast_to": _eq("broadcast_to", 2, input="x", shape="shape"),
    "tf.einsum": _eq("einsum"),
    "tf.where": _eq("where", 3, condition="condition", x="x1", y="x2"),
    "tf.gather": _eq("take", 3, params="x", indices="indices", axis="axis"),
    "tf.one_hot": _eq("one_hot", 2, indices="x", depth="num_classes"),
    "tf.zeros_like": _eq("zeros_like", 1, input="x"),
    "tf.ones_like": _eq("ones_like", 1, input="x"),
    "tf.cast": _eq("cast", 2, x="x", dtype="dtype"),
    "tf.clip_by_value": _eq("clip", 3, t="x", clip_value_min="x_min", clip_value_max="x_max"),
    "tf.argmax": _eq("argmax", 2, needs=("axis",), input="x", axis="axis"),
    "tf.argmin": _eq("argmin", 2, needs=("axis",), input="x", axis="axis"),
    "tf.math.argmax": _eq("argmax", 2, needs=("axis",), input="x", axis="axis"),
    "tf.cumsum": _eq("cumsum", 2, needs=("axis",), x="x", axis="axis"),
    "tf.sort": _eq("sort", 2, values="x", axis="axis"),
    "tf.math.top_k": _eq("top_k", 2, input="x", k="k"),
    "tf.nn.top_k": _eq("top_k", 2, input="x", k="k"),
    "tf.image.resize": _eq("image.resize", 2, images="images", size="size"),
    "tf.nn.relu": _eq("relu", 1, features="x"),
    "tf.nn.relu6": _eq("relu6", 1, features="x"),
    "tf.nn.elu": _eq("elu", 1, features="x"),
    "tf.nn.selu": _eq("selu", 1, features="x"),
    "tf.nn.softplus": _eq("softplus", 1, features="x"),
    "tf.nn.leaky_relu": _eq("leaky_relu", 2, features="x", alpha="negative_slope"),
    "tf.nn.silu": _eq("silu", 1, features="x"),
    "tf.nn.swish": _eq("silu", 1, features="x"),
    "tf.nn.softmax": _eq("softmax", 2, logits="x", axis="axis"),
    "tf.nn.log_softmax": _eq("log_softmax", 2, logits="x", axis="axis"),
}
for _name, _ops in (("add", "add"), ("subtract", "subtract"), ("multiply", "multiply"),
                    ("divide", "divide"), ("maximum", "maximum"), ("minimum", "minimum"),
                    ("pow", "power")):
    for _ns in ("tf.", "tf.math."):
        EQUIVALENTS[_ns + _name] = _eq(_ops, 2, x="x1", y="x2")
for _name, _ops in (("reduce_sum", "sum"), ("reduce_mean", "mean"), ("reduce_max", "max"),
                    ("reduce_min", "min"), ("reduce_prod", "prod"), ("reduce_any", "any"),
                    ("reduce_all", "all"), ("reduce_logsumexp", "logsumexp")):
    for _ns in ("tf.", "tf.math."):
        EQUIVALENTS[_ns + _name] = _eq(_ops, 3, input_tensor="x", axis="axis",
                                       keepdims="keepdims")
_UNARY_TOP = ("exp", "sqrt", "square", "abs", "sigmoid", "tanh", "sin", "cos", "floor", "round",
              "sign", "negative")
for _name in (*_UNARY_TOP, "ceil", "log", "log1p", "expm1", "rsqrt"):
    for _ns in ("tf.", "tf.math.") if _name in _UNARY_TOP else ("tf.math.",):
        EQUIVALENTS[_ns + _name] = _eq(_name, 1, x="x")
EQUIVALENTS["tf.nn.sigmoid"] = _eq("sigmoid", 1, x="x")
EQUIVALENTS["tf.nn.tanh"] = _eq("tanh", 1, x="x")


def is_tf_op(qualname: str) -> bool:
    """A canonical `tf.` function that converts its tensor inputs (raises on a KerasTensor); also
    `keras.backend.X` spelled `tf.keras.backend.X`: Keras 2's backend functions run tf ops."""
    if qualname.startswith("keras.backend."):
        return determinable(qualname)
    rest = qualname[len("tf."):] if qualname.startswith("tf.") else None
    if rest is None:
        return False
    if rest.startswith("compat.v1."):
        rest = rest[len("compat.v1."):]
    if "." not in rest:
        return rest not in _ACCEPTS and rest[:1].islower()
    namespace, _, name = rest.partition(".")
    return namespace in _OP_NAMESPACES and "." not in name and name != "set_seed"


# --- where a KerasTensor reaches a TF op -------------------------------------------------------


def _protected_lines(an: Host, ctx: ModuleCtx) -> list[tuple[int, int]]:
    """Lines where TF ops see tf tensors whatever calls them: a `@tf.function`, and the `call` or
    `build` method of a class (Keras traces them); read from the module's syntax, again only when
    a new slice of a big file was added."""
    cache = an.state(Tracing).protected
    got = cache.get(id(ctx))
    if got is not None and got[0] is ctx and got[1] == len(ctx.tree.body):
        return got[2]
    spans: list[tuple[int, int]] = []
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.ClassDef):
            spans += [(f.lineno, f.end_lineno or f.lineno) for f in node.body
                      if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                      and f.name in ("call", "build", "compute_output_shape")]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(_names_function(d) for d in node.decorator_list):
                spans.append((node.lineno, node.end_lineno or node.lineno))
    cache[id(ctx)] = (ctx, len(ctx.tree.body), spans)
    return spans


def _names_function(d: ast.expr) -> bool:
    target = d.func if isinstance(d, ast.Call) else d
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name == "function"


def keras_tensor_in_tf_op(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any],
                          node: ast.AST, ctx: ModuleCtx) -> Any:
    """The error and the unknown result when a TF op gets a KerasTensor, else None (go on)."""
    if not is_tf_op(qualname) or an.state(Tracing).depth:
        return None
    tensors = [v for v in leaves([args, kwargs]) if isinstance(v, TensorVal)]
    if not any(is_symbolic(an, t) for t in tensors):
        return None
    line = getattr(node, "lineno", 0)
    if any(a <= line <= b for a, b in _protected_lines(an, ctx)):
        return None
    pos = Pos.of(ctx.path, node)
    short = qualname[len("tf."):] if qualname.startswith("tf.") else qualname
    eq = EQUIVALENTS.get(qualname.replace("tf.compat.v1.", "tf.", 1))
    data = _ops_fix(qualname, eq, node, ctx) if eq is not None else None
    wrap = ("wrap the call in a `keras.layers.Lambda` (or a custom layer), where it runs on tf "
            "tensors")
    advice = (f"use `keras.ops.{eq.name}`, which takes a KerasTensor" if eq is not None else
              f"{wrap}, or use its `keras.ops` counterpart" if short.startswith("keras.") else
              f"Keras 3 has no `keras.ops` equivalent here: {wrap}")
    an.report(pos, "keras-tensor-in-tf-op",
              f"tf.{short}: {TF_MESSAGE} (Keras 3 raises ValueError here, building the model); "
              f"{advice}", data)
    if is_site_op(qualname):
        an.record(pos, qualname, None, None, 0)
    return unknown_tensor(f"`tf.{short}` raises on a KerasTensor in Keras 3 (see the error)")


def _ops_fix(qualname: str, eq: Equivalent, node: ast.AST, ctx: ModuleCtx) -> dict[str, Any] | None:
    """Rename the function (and its keywords) to the keras.ops one, when the meaning is kept."""
    if not isinstance(node, ast.Call) or len(node.args) > eq.positional:
        return None
    given = {k.arg for k in node.keywords}
    if not given <= set(eq.keywords):
        return None  # `name=`, `**kw`, or a keyword keras.ops has no name for: no certain rename
    # `eq.keywords` lists tf's parameters in their order: a needed one comes by position or name
    order = list(eq.keywords)
    if any(n not in given and order.index(n) >= len(node.args) for n in eq.needs):
        return None
    prefix, edits = _ops_prefix(node, ctx)
    new = f"{prefix}{eq.name}"
    edits.append({"range": span(node.func), "text": new})
    for k in node.keywords:
        value = segment(ctx.source, k.value)
        if value is None or k.arg is None:
            return None
        if eq.keywords[k.arg] != k.arg:
            edits.append({"range": span(k), "text": f"{eq.keywords[k.arg]}={value}"})
    return add_fix(None, f"Use {new}", edits)


def _ops_prefix(node: ast.Call, ctx: ModuleCtx) -> tuple[str, list[dict[str, Any]]]:
    """How this file spells keras.ops: `keras.ops.`, `ops.`, `tf.keras.ops.`, or an import."""
    names = ctx.env.vars

    def bound(name: str, qualname: str) -> bool:
        ref = names.get(name)
        return isinstance(ref, ExternalRef) and canonical(ref.qualname) == qualname

    if bound("keras", "keras"):
        return "keras.ops.", []
    if bound("ops", "keras.ops"):
        return "ops.", []
    root = node.func
    while isinstance(root, ast.Attribute):
        root = root.value
    if isinstance(root, ast.Name) and bound(root.id, "tf"):
        return f"{root.id}.keras.ops.", []  # Keras 3 is tf.keras in TF 2.16+
    last = max((n.end_lineno or n.lineno for n in ctx.tree.body
                if isinstance(n, (ast.Import, ast.ImportFrom))), default=0)
    return "keras.ops.", [{"range": [last + 1, 1, last + 1, 1], "text": "import keras\n"}]


def guard_specials(*names: str) -> None:
    """Put the guard before the handlers of TF functions registered by exact name (`tf.shape`);
    called once the specials are registered."""
    for name in names:
        previous = EXTERNAL_CALLS.find(name)
        if previous is not None:
            EXTERNAL_CALLS.register(name)(_guarded(previous))


def _guarded(previous: Any) -> Any:
    def handler(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
                ctx: ModuleCtx) -> Any:
        blocked = keras_tensor_in_tf_op(an, qualname, args, kwargs, node, ctx)
        return blocked if blocked is not None else previous(an, qualname, args, kwargs, node, ctx)
    return handler
