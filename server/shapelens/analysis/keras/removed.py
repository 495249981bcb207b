"""Names Keras 3 and TensorFlow 2 removed (`keras.layers.core`, `keras.optimizers.adam`,
`tf.Session`): an error where Python raises, with the current name as the fix; shapes go on.

Tables of data; the core asks `check` on every import and external attribute (`NAME_CHECK`).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...engine.kept import ABSENT, Kept
from ..core.context import Host, ModuleCtx
from ..core.dispatch import EXTERNAL_ATTRS
from ..core.sites import Pos
from .fixes import add_fix, segment, span
from .names import canonical as keras_canonical
from .symbolic import Tracing


@dataclass(frozen=True)
class Gone:
    """A removed module or name: where it went (None: nowhere) and what to do instead."""

    to: str | None  # the current module (for a module) or name (for a name), without the root
    advice: str = ""


# Keras-2 modules (after `keras.` / `tensorflow.keras.`) -> the Keras 3 module of their names.
MODULES: dict[str, Gone] = {
    **{f"layers.{m}": Gone("layers") for m in (
        "core", "convolutional", "merge", "normalization", "pooling", "recurrent", "embeddings",
        "advanced_activations", "wrappers", "noise", "convolutional_recurrent", "experimental",
        "dense_attention", "preprocessing")},
    "layers.local": Gone(None, "Keras 3 has no LocallyConnected layers"),
    "layers.cudnn_recurrent": Gone(None, "use `keras.layers.LSTM`/`GRU`, which use cuDNN "
                                         "themselves"),
    **{f"utils.{m}": Gone("utils") for m in ("np_utils", "vis_utils", "generic_utils",
                                              "data_utils")},
    "utils.layer_utils": Gone(None),
    "engine": Gone(None, "`Layer` is in `keras.layers`, `Model` and `Sequential` in "
                         "`keras.models`, `Input` and `InputSpec` in `keras.layers`"),
    "objectives": Gone("losses"),
    "wrappers.scikit_learn": Gone(None, "use the `scikeras` package"),
    "preprocessing.text": Gone(None, "use `keras.layers.TextVectorization`"),
}
# Where each name of the removed `keras.engine` modules is now.
_FUNCTIONAL = {"concatenate", "add", "subtract", "multiply", "average", "maximum", "minimum", "dot"}
_ENGINE = {"Layer": "layers", "InputSpec": "layers", "Input": "layers", "InputLayer": "layers",
           "Model": "models", "Sequential": "models", "Functional": "models"}

# Names gone from modules that remain: (module, name) -> the current name in that module.
NAMES: dict[tuple[str, str], Gone] = {
    **{("optimizers", k.lower()): Gone(k) for k in (
        "Adam", "SGD", "RMSprop", "Adadelta", "Adagrad", "Nadam", "Adamax")},
    ("layers", "merge"): Gone(None, "use `keras.layers.concatenate`/`add`/... directly"),
    ("layers", "Merge"): Gone(None, "use `keras.layers.Concatenate`/`Add`/..."),
    ("layers", "experimental"): Gone(None, "the preprocessing layers are in `keras.layers`"),
    ("layers", "LocallyConnected1D"): Gone(None, "Keras 3 has no LocallyConnected layers"),
    ("layers", "LocallyConnected2D"): Gone(None, "Keras 3 has no LocallyConnected layers"),
    ("layers", "CuDNNLSTM"): Gone("LSTM"),
    ("layers", "CuDNNGRU"): Gone("GRU"),
    ("layers", "ThresholdedReLU"): Gone(None, "use `keras.layers.ReLU(threshold=...)`"),
    ("layers", "DenseFeatures"): Gone(None),
    ("utils", "np_utils"): Gone(None, "call `keras.utils.to_categorical` directly"),
    ("utils", "multi_gpu_model"): Gone(None, "use `tf.distribute.MirroredStrategy`"),
    ("preprocessing.image", "ImageDataGenerator"): Gone(
        None, "use `keras.utils.image_dataset_from_directory` and preprocessing layers"),
    ("legacy", "interfaces"): Gone(None),
    ("backend", "set_image_dim_ordering"): Gone(
        None, "use `keras.backend.set_image_data_format('channels_last')` ('tf' ordering) or "
              "'channels_first' ('th')"),
    ("backend", "image_dim_ordering"): Gone(None, "use `keras.backend.image_data_format()`"),
}

_DATA = json.loads((Path(__file__).parent / "data" / "removed_names.json").read_text("utf-8"))
TF1_MODULES = {*_DATA["modules"], "contrib"}
TF1_NAMES = set(_DATA["names"])
# Keras-2 backend functions Keras 3's `keras.backend` has no more -> the same-named keras.ops
# function, if any (TensorFlow's own `tf.keras.backend` keeps them: only `keras.backend` raises).
KERAS2_BACKEND: dict[str, str | None] = _DATA["keras_backend"]
# TF1 names whose TF 2 name is the same function (checked by the tests: `is`), the better fix.
TF2_NAMES = {
    "random_normal": "random.normal", "random_uniform": "random.uniform",
    "truncated_normal": "random.truncated_normal",
    "random_shuffle": "random.shuffle", "log": "math.log", "log1p": "math.log1p",
    "ceil": "math.ceil", "expm1": "math.expm1", "erf": "math.erf", "lgamma": "math.lgamma",
    "is_nan": "math.is_nan", "is_inf": "math.is_inf", "is_finite": "math.is_finite",
    "floormod": "math.floormod", "cumprod": "math.cumprod",
    "matrix_transpose": "linalg.matrix_transpose", "cholesky": "linalg.cholesky",
    "matrix_inverse": "linalg.inv", "matrix_determinant": "linalg.det",
}

_BACKEND_ADVICE = {"int_shape": "use `tensor.shape` (the same tuple)",
                   "permute_dimensions": "use `keras.ops.transpose`",
                   "batch_flatten": "use `keras.layers.Flatten`",
                   "pow": "use `keras.ops.power`", "gather": "use `keras.ops.take`"}
_KERAS_ROOTS = ("tensorflow.keras.", "tf.keras.", "keras.")
_TF_ROOTS = ("tensorflow.", "tf.")


def split_root(qualname: str) -> tuple[str, str] | None:
    """('keras', 'layers.core') or ('tf', 'Session'); None for names that are neither (or that
    already say `compat`, or `tensorflow.python.keras`, TF's own Keras 2 copy)."""
    for root in _KERAS_ROOTS:
        if qualname.startswith(root):
            return "keras", qualname[len(root):]
    for root in _TF_ROOTS:
        if qualname.startswith(root):
            rest = qualname[len(root):]
            if rest.startswith(("compat", "python", "keras")):
                return None
            return "tf", rest
    return None


def find(kind: str, rest: str, plain: bool = False) -> tuple[str, Gone, str] | None:
    """`_find`, its answers kept for the next analysis: asked for every external attribute read;
    the tables are constant (engine/kept.py)."""
    key = (kind, rest, plain)
    found = _FOUND.get(key)
    return _FOUND.put(key, _find(kind, rest, plain)) if found is ABSENT else found


_FOUND = Kept()


def _find(kind: str, rest: str, plain: bool = False) -> tuple[str, Gone, str] | None:
    """The removed part of a dotted name: (what is gone, how, the name's tail after it);
    `plain`: spelled `keras.` (Keras 3 itself), not `tf.keras.` (it keeps the Keras-2 backend)."""
    parts = rest.split(".")
    if plain and kind == "keras" and len(parts) >= 2 and parts[0] == "backend" and \
            parts[1] in KERAS2_BACKEND:
        ops = KERAS2_BACKEND[parts[1]]
        advice = _BACKEND_ADVICE.get(parts[1]) or (
            f"use `keras.ops.{ops}`" if ops else "use `keras.ops` or `tf.keras.backend`")
        return f"backend.{parts[1]}", Gone(None, advice), ".".join(parts[2:])
    for n in range(1, len(parts) + 1):
        head, tail = ".".join(parts[:n]), ".".join(parts[n:])
        if kind == "keras":
            if head in MODULES:
                return head, MODULES[head], tail
            if n >= 2 and (".".join(parts[:n - 1]), parts[n - 1]) in NAMES:
                return head, NAMES[(".".join(parts[:n - 1]), parts[n - 1])], tail
        elif head in TF1_MODULES or head in TF1_NAMES:
            return head, Gone(TF2_NAMES.get(head, f"compat.v1.{head}")), tail
    return None


def _removed(qualname: str) -> tuple[str, tuple[str, Gone, str]] | None:
    """The root kind and the removed part of `qualname` (None: nothing removed), kept for the
    next analysis by the whole name: `check` asks it for every external attribute read."""
    got = _REMOVED.get(qualname)
    if got is ABSENT:
        got = _REMOVED.put(qualname, _find_removed(qualname))
    removed: tuple[str, tuple[str, Gone, str]] | None = got
    return removed


def _find_removed(qualname: str) -> tuple[str, tuple[str, Gone, str]] | None:
    where = split_root(qualname)
    if where is None:
        return None
    kind, rest = where
    found = find(kind, rest, qualname.startswith("keras."))
    return None if found is None else (kind, found)


_REMOVED = Kept()


def check(an: Host, qualname: str, node: ast.AST, ctx: ModuleCtx, imported: bool) -> None:
    """Report a removed name where Python raises: the import, or the attribute read that is the
    first missing one (`tf.keras.layers.experimental`, not again for `.preprocessing.X`)."""
    removed = _removed(qualname)
    if removed is None:
        return None
    kind, found = removed
    if not imported and (found[2] or not isinstance(node, ast.Attribute)):
        return None  # read past the missing part, `from M import n` (reported), getattr(tf, n)
    if not imported and _guarded(an, ctx, getattr(node, "lineno", 0)):
        return None
    head, gone, _ = found
    root = "keras" if kind == "keras" else "tf"
    if imported:
        _report_import(an, root, head, gone, node, ctx)
    else:
        exc = "AttributeError"
        if an.state(Tracing).depth:  # Keras traces a Lambda's function and re-raises as its own
            exc += "; a Lambda reports it as NotImplementedError, unable to infer its shape"
        data = _attr_fix(root, head, gone, node, ctx)
        now = _now(root, head, gone)
        an.report(Pos.of(ctx.path, node), "removed-api",
                  f"`{root}.{head}` does not exist in {_version(root)} ({exc}); {now}", data)
    return None


@dataclass
class Guards:
    """Per module: the lines under a test of what exists (`if hasattr(tf, 'Session')`,
    `if tf.__version__ < '2'`), where TF 2 code need not run what TF 1 code would."""

    by_module: dict[int, tuple[ModuleCtx, int, list[tuple[int, int]]]] = field(
        default_factory=dict)


_GUARD = re.compile(r"\b(hasattr|getattr|__version__|VERSION|version)\b")


def _guarded(an: Host, ctx: ModuleCtx, line: int) -> bool:
    cache = an.state(Guards).by_module
    got = cache.get(id(ctx))
    if got is None or got[0] is not ctx or got[1] != len(ctx.tree.body):
        spans = [(n.lineno, n.end_lineno or n.lineno) for n in ast.walk(ctx.tree)
                 if isinstance(n, (ast.If, ast.IfExp, ast.While))
                 and _GUARD.search(ast.unparse(n.test))]
        got = cache[id(ctx)] = (ctx, len(ctx.tree.body), spans)
    return any(a <= line <= b for a, b in got[2])


def _version(root: str) -> str:
    return "Keras 3" if root == "keras" else "TensorFlow 2"


def _now(root: str, head: str, gone: Gone) -> str:
    if gone.to is None:
        return gone.advice or "it has no replacement"
    parent = head.rsplit(".", 1)[0] if "." in head else ""
    if head in MODULES:
        return f"its names are in `{root}.{gone.to}`" + (f" ({gone.advice})" if gone.advice else "")
    target = f"{parent}.{gone.to}" if parent and root == "keras" else gone.to
    return f"use `{root}.{target}`"


def _report_import(an: Host, root: str, head: str, gone: Gone, node: ast.AST,
                   ctx: ModuleCtx) -> None:
    is_module = head in MODULES
    # `from keras.layers.core import X` misses a module; `from keras.utils import np_utils` a name
    written = split_root(node.module or "") if isinstance(node, ast.ImportFrom) else None
    in_from = written is not None and (written[1] == head or written[1].startswith(head + "."))
    exc = "ModuleNotFoundError" if is_module and (in_from or isinstance(node, ast.Import)) \
        else "ImportError"
    data = None
    if isinstance(node, ast.ImportFrom) and node.module is not None:
        data = _module_fix(root, head, gone, node, ctx) if is_module else \
            _alias_fix(head, gone, node)
    an.report(Pos.of(ctx.path, node), "removed-api",
              f"`{root}.{head}` does not exist in {_version(root)} ({exc} on import); "
              f"{_now(root, head, gone)}", data)


def _module_fix(root: str, head: str, gone: Gone, node: ast.ImportFrom,
                ctx: ModuleCtx) -> dict[str, Any] | None:
    """`from keras.layers.core import Dense` -> `from keras.layers import Dense`."""
    module = node.module or ""
    to = gone.to
    if head == "engine" or head.startswith("engine."):
        places = {_ENGINE.get(a.name) for a in node.names}
        to = places.pop() if len(places) == 1 else None
    if to == "layers" and not all(a.name[:1].isupper() or a.name in _FUNCTIONAL
                                  for a in node.names):
        return None  # `from ...experimental import preprocessing`: no such name in keras.layers
    prefix = module[: module.find(head)] if head in module else None
    text = segment(ctx.source, node) or ""
    match = re.match(r"from\s+", text)
    if to is None or prefix is None or match is None or \
            text[match.end(): match.end() + len(module)] != module:
        return None
    col = node.col_offset + len(text[: match.end()].encode()) + 1
    new = prefix + to
    edit = {"range": [node.lineno, col, node.lineno, col + len(module.encode())], "text": new}
    return add_fix(None, f"Import from {new}", [edit])


def _alias_fix(head: str, gone: Gone, node: ast.ImportFrom) -> dict[str, Any] | None:
    """`from keras.optimizers import adam` -> `... import Adam as adam` (the code keeps it)."""
    name = head.rsplit(".", 1)[-1]
    alias = next((a for a in node.names if a.name == name), None)
    if gone.to is None or alias is None or not hasattr(alias, "lineno"):
        return None
    text = f"{gone.to} as {alias.asname or alias.name}"
    return add_fix(None, f"Import {gone.to}", [{"range": span(alias), "text": text}])


def _attr_fix(root: str, head: str, gone: Gone, node: ast.AST,
              ctx: ModuleCtx) -> dict[str, Any] | None:
    """`tf.Session` -> `tf.compat.v1.Session`, `keras.optimizers.adam` -> `...Adam`."""
    if gone.to is None or not isinstance(node, ast.Attribute):
        return None
    if root == "keras":
        if head in MODULES:
            return None  # the module's names moved: the fix is on the name, read further on
        base = segment(ctx.source, node.value)
        new = f"{base}.{gone.to}" if base else None
    else:
        depth = head.count(".")
        value: ast.expr = node.value
        for _ in range(depth):
            value = value.value if isinstance(value, ast.Attribute) else value
        base = segment(ctx.source, value)
        new = f"{base}.{gone.to}" if base else None
    if new is None:
        return None
    return add_fix(None, f"Use {new}", [{"range": span(node), "text": new}])


@lru_cache(maxsize=8192)  # asked for every external name the code uses; pure
def canonical(qualname: str) -> str | None:
    """A removed name, for shapes, as its current one (`keras.utils.np_utils.to_categorical` ->
    `keras.utils.to_categorical`); None: not removed (the next hook decides)."""
    where = split_root(qualname)
    if where is None:
        return None
    kind, rest = where
    found = find(kind, rest)
    if found is None:
        return None
    head, gone, tail = found
    if gone.to is None and head != "engine":
        return None
    parent = head.rsplit(".", 1)[0] if "." in head and head not in MODULES else ""
    if kind == "keras" and gone.to is not None:
        now = gone.to if not parent else f"{parent}.{gone.to}"
        new = ".".join(p for p in ("keras", now, tail) if p)
    elif kind == "keras":  # keras.engine.topology.Layer -> keras.layers.Layer
        name = tail.rsplit(".", 1)[-1]
        if name not in _ENGINE:
            return None
        new = f"keras.{_ENGINE[name]}.{name}"
    else:
        new = ".".join(p for p in ("tf", gone.to, tail) if p)
    return keras_canonical(new)


# The versions TensorFlow's truth is taken from: a `tf.__version__` test is decided as TF 2.21
# decides it, so a TF1-only branch is not run (nor its names reported).
VERSIONS = {"tf.__version__": "2.21.0", "keras.__version__": "3.15.1"}
for _name, _version_text in VERSIONS.items():
    EXTERNAL_ATTRS.register(_name)(lambda an, qualname, v=_version_text: v)
