"""Data as model code loads and prepares it: `keras.datasets.<name>.load_data()` with each data
set's documented shapes, `keras.utils.to_categorical`, `pad_sequences`, and `tf.data.Dataset`
element shapes through `from_tensor_slices(...).batch(n)` and friends.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from ...engine import Unknown
from ..core.builtins import Builtin
from ..core.context import Host, ModuleCtx
from ..core.dispatch import ATTR, EXTERNAL_CALLS, TRUTH
from .arrays import as_array
from .bind import REQ, register
from .numpy_api import array_arg
from .values import DatasetVal, HostArray, unknown_array


@dataclass(frozen=True)
class DataSet:
    """A data set's documented arrays: sample counts (train, test) or the total and a split."""

    train: int
    test: int
    x: tuple[int, ...]
    x_dtype: str | None
    y: tuple[int, ...]
    y_dtype: str | None
    total: int | None = None  # split by `test_split` (train = int(total * (1 - test_split)))
    filtered: bool = False  # `maxlen=` drops longer sequences: the counts are then unknown


# From each module's docstring in keras/src/datasets (tests check them against the source).
DATASETS = {
    "mnist": DataSet(60000, 10000, (28, 28), "uint8", (), "uint8"),
    "fashion_mnist": DataSet(60000, 10000, (28, 28), "uint8", (), "uint8"),
    "cifar10": DataSet(50000, 10000, (32, 32, 3), "uint8", (1,), None),
    "cifar100": DataSet(50000, 10000, (32, 32, 3), "uint8", (1,), None),
    # ragged sequences of word indices: 1-d arrays of Python lists (dtype object)
    "imdb": DataSet(25000, 25000, (), "object", (), None, filtered=True),
    "reuters": DataSet(0, 0, (), "object", (), None, total=11228, filtered=True),
    "boston_housing": DataSet(0, 0, (13,), "float64", (), "float64", total=506),
    "california_housing": DataSet(0, 0, (8,), "float64", (), "float64", total=20640),
}


def _counts(ds: DataSet, kwargs: dict[str, Any], name: str) -> tuple[Any, Any]:
    if ds.filtered and kwargs.get("maxlen") not in (None, 0):
        why = "`maxlen=` drops the longer sequences: how many remain is not known statically"
        return Unknown(why), Unknown(why)
    if ds.total is None:
        return ds.train, ds.test
    total = ds.total
    if name == "california_housing":
        version = kwargs.get("version", "large")
        if version not in ("large", "small"):
            return Unknown("the data set version is not known statically"), Unknown("")
        total = 600 if version == "small" else total
    split = kwargs.get("test_split", 0.2)
    if not isinstance(split, (int, float)) or isinstance(split, bool) or not 0 <= split < 1:
        why = "`test_split` is not known statically"
        return Unknown(why), Unknown(why)
    train = int(total * (1 - split))
    return train, total - train


def _array(n: Any, rest: tuple[int, ...], dtype: str | None) -> HostArray:
    if isinstance(n, Unknown):
        return HostArray((None, *rest), dtype, why=n.reason)
    return HostArray((n, *rest), dtype)


def _load_data(name: str) -> Any:
    def run(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
            ctx: ModuleCtx) -> Any:
        ds = DATASETS[name]
        train, test = _counts(ds, kwargs, name)
        x = ds.x
        if len(x) == 3 and an.options.image_data_format == "channels_first":
            x = (x[2], x[0], x[1])  # Keras transposes the images to the configured format
        # CIFAR-10's y_train is uint8 as documented, but its y_test is built from a list
        # (int64 in the source): the dtype of y_test is left unknown rather than guessed.
        y_train_dtype = "uint8" if name == "cifar10" else ds.y_dtype
        return ((_array(train, x, ds.x_dtype), _array(train, ds.y, y_train_dtype)),
                (_array(test, x, ds.x_dtype), _array(test, ds.y, ds.y_dtype)))

    return run


for _name in DATASETS:
    EXTERNAL_CALLS.register(f"keras.datasets.{_name}.load_data")(_load_data(_name))


@register(["keras.utils.to_categorical", "keras.utils.np_utils.to_categorical"],
          [("x", REQ), ("num_classes", None)])
def _to_categorical(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    x = array_arg(a["x"])
    n = a["num_classes"]
    if n is None and x.values is not None:
        flat = [v for v in _flat(x.values) if isinstance(v, int)]
        n = max(flat) + 1 if flat else None
    if x.shape is None:
        return unknown_array(x.why or "the labels' shape is not known statically")
    shape = x.shape[:-1] if len(x.shape) > 1 and x.shape[-1] == 1 else x.shape
    if not isinstance(n, int) or isinstance(n, bool):
        why = "`num_classes` is not given: the largest label is not known statically"
        return HostArray((*shape, None), "float64", why=why)
    return HostArray((*shape, n), "float64", why=x.why)


def _flat(v: Any) -> list[Any]:
    return [y for item in v for y in _flat(item)] if isinstance(v, list) else [v]


@register(["keras.utils.pad_sequences", "keras.preprocessing.sequence.pad_sequences"],
          [("sequences", REQ), ("maxlen", None), ("dtype", "int32"), ("**", None)])
def _pad_sequences(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    seqs = a["sequences"]
    n: Any = None
    if isinstance(seqs, HostArray) and seqs.shape:
        n = seqs.shape[0]
    elif isinstance(seqs, (list, tuple)):
        n = len(seqs)
    maxlen = a["maxlen"] if isinstance(a["maxlen"], int) else None
    why = None if n is not None and maxlen is not None else (
        "the longest sequence is not known statically" if maxlen is None else
        "the number of sequences is not known statically")
    return HostArray((n, maxlen), a["dtype"] if isinstance(a["dtype"], str) else None, why=why)


# --- tf.data ----------------------------------------------------------------------------------


def _map_structure(v: Any, fn: Any) -> Any:
    if isinstance(v, tuple):
        return tuple(_map_structure(x, fn) for x in v)
    if isinstance(v, list):
        return tuple(_map_structure(x, fn) for x in v)  # tf.data reads a list as a tuple
    if isinstance(v, dict):
        return {k: _map_structure(x, fn) for k, x in v.items()}
    return fn(v)


def _slice(v: Any) -> Any:
    a = as_array(v)
    if a is None or a.shape is None:
        return unknown_array(a.why if a and a.why else "an element not known statically")
    if not a.shape:
        return unknown_array("tf.data cannot slice a 0-d tensor")
    return HostArray(a.shape[1:], a.dtype, why=a.why, eager=True)


def _whole(v: Any) -> Any:
    a = as_array(v)
    return HostArray(a.shape, a.dtype, why=a.why, eager=True) if a else unknown_array(
        "an element not known statically")


@EXTERNAL_CALLS.register("tf.data.Dataset.from_tensor_slices", "tf.data.Dataset.from_tensors")
def _from_tensors(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any],
                  node: ast.AST, ctx: ModuleCtx) -> Any:
    v = args[0] if args else kwargs.get("tensors")
    if v is None:
        return DatasetVal(None, "no tensors given")
    if isinstance(v, list) and all(isinstance(x, (int, float)) for x in v):
        v = as_array(v)  # a list of numbers is one tensor, not a structure
    fn = _slice if qualname.endswith("slices") else _whole
    return DatasetVal(_map_structure(v, fn))


def _batched(element: Any, n: Any, drop: Any) -> Any:
    dim = n if drop is True and isinstance(n, int) else None
    why = None if dim is not None else "the last batch may be smaller: `drop_remainder=False`"

    def batch(e: Any) -> Any:
        if not isinstance(e, HostArray) or e.shape is None:
            return unknown_array("an element not known statically")
        return HostArray((dim, *e.shape), e.dtype, why=e.why or why, eager=True)

    return _map_structure(element, batch)


def _unbatched(element: Any) -> Any:
    def unbatch(e: Any) -> Any:
        if not isinstance(e, HostArray) or not e.shape:
            return unknown_array("an element not known statically")
        return HostArray(e.shape[1:], e.dtype, why=e.why, eager=True)

    return _map_structure(element, unbatch)


_SAME = {"shuffle", "prefetch", "repeat", "cache", "take", "skip", "filter", "with_options",
         "apply_options", "shard", "ignore_errors", "take_while"}


@ATTR.register(DatasetVal)
def _dataset_attr(an: Host, ds: DatasetVal, attr: str, node: ast.AST | None = None,
                  ctx: ModuleCtx | None = None) -> Any:
    def method(fn: Any) -> Builtin:
        return Builtin(attr, lambda an_, args, kwargs, n, c, env: fn(args, kwargs, n, c, env))

    if ds.element is None:
        return method(lambda *r: DatasetVal(None, ds.why))
    if attr in _SAME:
        return method(lambda *r: DatasetVal(ds.element))
    if attr in ("batch", "padded_batch"):
        return method(lambda args, kwargs, *r: DatasetVal(_batched(
            ds.element, args[0] if args else kwargs.get("batch_size"),
            args[1] if len(args) > 1 else kwargs.get("drop_remainder", False))))
    if attr == "unbatch":
        return method(lambda *r: DatasetVal(_unbatched(ds.element)))
    if attr == "map":
        return method(lambda args, kwargs, n, c, env: _map(an, ds, args, kwargs, n, c, env))
    if attr == "element_spec":
        return ds.element
    return Unknown(f"`Dataset.{attr}` is not modelled")


def _map(an: Host, ds: DatasetVal, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
         ctx: ModuleCtx, env: Any) -> DatasetVal:
    """`ds.map(fn)`: fn runs on an element's components (a tuple is passed as arguments)."""
    fn = args[0] if args else kwargs.get("map_func")
    parts = list(ds.element) if isinstance(ds.element, tuple) else [ds.element]
    out = an.interp.call(fn, parts, {}, node, ctx, env)
    if isinstance(out, list):
        out = tuple(out)
    ok = _all_arrays(out)
    return DatasetVal(out) if ok else DatasetVal(
        None, "the function given to `Dataset.map` gives values ShapeLens cannot follow")


def _all_arrays(v: Any) -> bool:
    if isinstance(v, (tuple, list)):
        return bool(v) and all(_all_arrays(x) for x in v)
    if isinstance(v, dict):
        return all(_all_arrays(x) for x in v.values())
    return isinstance(v, HostArray) and v.shape is not None


@TRUTH.register(DatasetVal)
def _dataset_truth(ds: DatasetVal) -> bool:
    return True

