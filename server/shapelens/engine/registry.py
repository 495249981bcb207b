"""One lookup by layer or op name over the family modules, and the two moments of checking.

`construct` binds and validates a layer's constructor arguments (Keras' `__init__`); `call` computes
what calling it on input shapes gives (Keras' `build` + `compute_output_shape`); `apply_op` does
both for a function such as `tf.nn.conv2d` or `keras.ops.reshape`. Both are pure, so each
answer on plain arguments is kept (`MEMO`): an edit's analysis asks again for the same layers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .args import bind_layer, canonical_layer
from .kept import ABSENT, Kept
from .types import MaybeShape, NotKnown, Result

# init(name, bound_args) -> config; call(config, inputs, call_kwargs) -> Result
InitFn = Callable[[str, dict[str, Any]], Any]
CallFn = Callable[[Any, Any, Mapping[str, Any]], Result]
OpFn = Callable[[Sequence[Any], Mapping[str, Any]], Result]


@dataclass(frozen=True)
class LayerSpec:
    name: str  # canonical Keras class name, e.g. "Conv2D"
    family: str  # module that holds it, e.g. "conv"
    init: InitFn
    call: CallFn
    # How many input tensors the call takes: 1, or "list" for merging/attention-style layers.
    inputs: str = "one"


@dataclass
class Constructed:
    """A layer object as the analyser holds it: its spec and normalised config, or why unknown."""

    spec: LayerSpec
    config: Any = None
    bound: dict[str, Any] = field(default_factory=dict)
    unknown: str | None = None
    key: Any = None  # its `construct` arguments as a memo key (None: not plain, not kept)


# Answers of `construct` and `call` on plain arguments (ints, strs, ... and tuples/lists of
# them, compared with their types: 1, 1.0 and True differ); a ShapeError is not kept.
MEMO = Kept()
_PLAIN = frozenset((int, str, bool, type(None)))


def _plain(value: Any) -> Any:
    """`value` as a hashable key that equals another's only for an equal engine argument, or
    `_NOT_PLAIN` (an Unknown, a Tensor, a callable, a symbolic size: asked afresh)."""
    t = type(value)
    if t in _PLAIN:
        return (t, value)
    if t is float:
        return (t, repr(value))  # -0.0 is not 0.0
    if t is tuple or t is list:
        return _plain_items(t, value)
    if t is dict:
        return _plain_pairs(value)
    return _NOT_PLAIN


# The two containers' keys without a copy of the container first (every construct and call).
# Most sequences hold literals only (a shape, `(3, 3)`, a layer's arguments): their key is the
# items with their types (`_FLAT`, tagged so it never equals a key of the general form),
# made without a call per item.
def _plain_items(t: type, items: Sequence[Any]) -> Any:
    types = tuple(map(type, items))
    if _PLAIN.issuperset(types):
        return (_FLAT, t, types, tuple(items))
    keys = tuple(map(_plain, items))
    return _NOT_PLAIN if _NOT_PLAIN in keys else (t, keys)


def _plain_pairs(value: Mapping[str, Any]) -> Any:
    pairs = []
    for k, v in value.items():
        t = type(v)
        key = (t, v) if t in _PLAIN else _plain(v)  # `_plain(v)`, a literal without the call
        if type(k) is not str or key is _NOT_PLAIN:
            return _NOT_PLAIN
        pairs.append((k, key))
    return (dict, tuple(pairs))


_NOT_PLAIN = ("not plain",)
_FLAT = "flat"
_NO_PAIRS = (dict, ())  # `_plain_pairs({})`


_LAYERS: dict[str, LayerSpec] = {}
_OPS: dict[str, OpFn] = {}


def register_layer(
    *names: str, family: str, init: InitFn, call: CallFn, inputs: str = "one"
) -> None:
    for name in names:
        _LAYERS[name] = LayerSpec(name, family, init, call, inputs)


def register_op(*names: str, fn: OpFn) -> None:
    """Register an op under its qualified names, e.g. "tf.nn.conv2d", "keras.ops.reshape"."""
    for name in names:
        _OPS[name] = fn


def _load_families() -> None:
    # Importing the family modules runs their register_* calls; done lazily, once.
    from . import families  # noqa: F401


def layer_spec(name: str) -> LayerSpec | None:
    _load_families()
    canon = canonical_layer(name) or name
    return _LAYERS.get(canon)


def op_fn(qualname: str) -> OpFn | None:
    _load_families()
    return _OPS.get(qualname)


def known_layers() -> list[str]:
    _load_families()
    return sorted(_LAYERS)


def known_ops() -> list[str]:
    _load_families()
    return sorted(_OPS)


def construct(name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Constructed | None:
    """Bind and check a layer constructor call. None if the engine does not cover `name`.

    Raises ShapeError(at='init') when Keras' constructor would raise.
    """
    key = ("construct", name, _plain_items(list, args), _plain_pairs(kwargs))
    if _NOT_PLAIN in key:
        return _construct(name, args, kwargs, None)
    kept = MEMO.get(key)
    if kept is ABSENT:
        kept = MEMO.put(key, _construct(name, args, kwargs, key))
    made: Constructed | None = kept
    return made


def _construct(
    name: str, args: Sequence[Any], kwargs: Mapping[str, Any], key: Any
) -> Constructed | None:
    spec = layer_spec(name)
    if spec is None:
        return None
    bound = bind_layer(name, args, kwargs)
    try:
        config = spec.init(spec.name, bound)
    except NotKnown as e:
        return Constructed(spec, None, bound, unknown=e.reason, key=key)
    return Constructed(spec, config, bound, key=key)


def call(
    layer: Constructed, inputs: MaybeShape | list[Any], call_kwargs: Mapping[str, Any] | None = None
) -> Result:
    """The result of calling a constructed layer on input shape(s). Raises ShapeError(at='call')."""
    if layer.unknown is not None:
        return Result.of_unknown(layer.unknown)
    # (the keys of one input shape and of no keyword argument, most calls, without their calls)
    key = ("call", layer.key,
           _plain_items(tuple, inputs) if type(inputs) is tuple else _plain(inputs),
           _plain_pairs(call_kwargs) if call_kwargs else _NO_PAIRS)
    if layer.key is None or _NOT_PLAIN in key:
        return _call(layer, inputs, call_kwargs)
    kept = MEMO.get(key)
    if kept is ABSENT:
        kept = MEMO.put(key, _call(layer, inputs, call_kwargs))
    return _copy(kept)  # the analyser may add to its lists


def _call(
    layer: Constructed, inputs: MaybeShape | list[Any], call_kwargs: Mapping[str, Any] | None
) -> Result:
    try:
        return layer.spec.call(layer.config, inputs, call_kwargs or {})
    except NotKnown as e:
        return Result.of_unknown(e.reason)


def _fresh(outputs: Any) -> Any:
    return [_fresh(o) for o in outputs] if isinstance(outputs, list) else outputs


def _copy(r: Result) -> Result:
    outputs = r.outputs  # one shape (a tuple, not copied) for most layers: no `_fresh` call
    return Result(_fresh(outputs) if isinstance(outputs, list) else outputs, r.params,
                  list(r.derivation), list(r.notes), r.unknown, list(r.warnings))


def apply_op(qualname: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Result | None:
    """The result of an op call (tensor arguments as `Tensor`). None if not covered."""
    fn = op_fn(qualname)
    if fn is None:
        return None
    try:
        return fn(args, kwargs)
    except NotKnown as e:
        return Result.of_unknown(e.reason)
