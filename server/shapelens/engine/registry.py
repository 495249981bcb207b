"""One lookup by layer or op name over the family modules, and the two moments of checking.

`construct` binds and validates a layer's constructor arguments (Keras' `__init__`); `call` computes
what calling it on input shapes gives (Keras' `build` + `compute_output_shape`); `apply_op` does
both for a function such as `tf.nn.conv2d` or `keras.ops.reshape`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .args import bind_layer, canonical_layer
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
    spec = layer_spec(name)
    if spec is None:
        return None
    bound = bind_layer(name, args, kwargs)
    try:
        config = spec.init(spec.name, bound)
    except NotKnown as e:
        return Constructed(spec, None, bound, unknown=e.reason)
    return Constructed(spec, config, bound)


def call(
    layer: Constructed, inputs: MaybeShape | list[Any], call_kwargs: Mapping[str, Any] | None = None
) -> Result:
    """The result of calling a constructed layer on input shape(s). Raises ShapeError(at='call')."""
    if layer.unknown is not None:
        return Result.of_unknown(layer.unknown)
    try:
        return layer.spec.call(layer.config, inputs, call_kwargs or {})
    except NotKnown as e:
        return Result.of_unknown(e.reason)


def apply_op(qualname: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Result | None:
    """The result of an op call (tensor arguments as `Tensor`). None if not covered."""
    fn = op_fn(qualname)
    if fn is None:
        return None
    try:
        return fn(args, kwargs)
    except NotKnown as e:
        return Result.of_unknown(e.reason)
