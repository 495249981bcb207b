"""Keras masks on symbolic tensors: made by Embedding(mask_zero=True) and Masking, passed on by
the layers that support masking, dropped by the others, handed to a `call(self, x, mask=None)`
(Keras 3's `Layer.__call__` step 6) and set on its outputs by `compute_mask`.

A tensor's `mask` is None (none), a TensorVal (the mask), or Unknown (not known statically).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from ...engine import Unknown
from ..core.calls import call_function
from ..core.context import Host, ModuleCtx
from ..core.values import FuncVal, Instance
from .values import LayerObj, TensorVal

_MAYBE = Unknown("whether the tensor carries a mask, and its shape, is not known statically")

# Built-in layers whose `supports_masking` is set and whose `compute_mask` is Keras' default:
# the output carries the input's mask.
PASS_THROUGH = frozenset({
    "Dense", "Identity", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax",
    "Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise", "ActivityRegularization",
    "BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
    "Rescaling", "Normalization", "TimeDistributed",
})
# Built-in layers with a `compute_mask` of their own that ShapeLens does not follow.
_OWN_RULE = frozenset({
    "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot",
    "Lambda", "Attention", "AdditiveAttention", "MultiHeadAttention", "GroupQueryAttention",
    "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "ReversibleEmbedding",
})
_RNNS = frozenset({"RNN", "SimpleRNN", "LSTM", "GRU"})
# Built-in layers whose `call` takes `mask=`: Keras fills it from the input's mask.
CALL_TAKES_MASK = frozenset({
    *_RNNS, "Bidirectional", "TimeDistributed", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
    "GlobalAveragePooling1D", "BatchNormalization", "Softmax", "Lambda", "Pipeline",
})


def mask_of(x: Any) -> Any:
    """The mask(s) Keras reads from a call's first argument (a list maps to a list)."""
    if isinstance(x, TensorVal):
        return x.mask
    if isinstance(x, (list, tuple)):
        masks = [mask_of(v) for v in x]
        return None if all(m is None for m in masks) else masks
    return None


def populate(lo: LayerObj, first: Any, call_kwargs: dict[str, Any]) -> dict[str, Any]:
    """A built-in layer's call arguments with the `mask` Keras fills in (a Node input too)."""
    if lo.kind not in CALL_TAKES_MASK or "mask" in call_kwargs:
        return call_kwargs
    mask = mask_of(first) if isinstance(first, TensorVal) else None
    return {**call_kwargs, "mask": mask} if isinstance(mask, TensorVal) else call_kwargs


def _embedding(lo: LayerObj, first: Any, previous: Any) -> Any:
    zero = lo.kwargs.get("mask_zero", False)
    if zero is False or zero is None:
        return None
    if zero is not True or not isinstance(first, TensorVal):
        return _MAYBE
    return TensorVal(first.shape, None, first)  # `not_equal(inputs, 0)`: an op on the input


def _masking(lo: LayerObj, first: Any, previous: Any) -> Any:
    if not isinstance(first, TensorVal) or first.shape is None:
        return _MAYBE
    return TensorVal(first.shape[:-1], None, first)  # `any(not_equal(inputs, v), axis=-1)`


def _pooling_1d(lo: LayerObj, first: Any, previous: Any) -> None:
    return None


_STATES = {"LSTM": 2, "GRU": 1, "SimpleRNN": 1}  # the states `return_state=True` adds


def _rnn(lo: LayerObj, first: Any, previous: Any) -> Any:
    """Keras' RNN.compute_mask: the input's mask on the sequence output, none on the states."""
    seq, state = lo.kwargs.get("return_sequences", False), lo.kwargs.get("return_state", False)
    if not isinstance(seq, bool) or not isinstance(state, bool) or (
            state and lo.kind not in _STATES):
        return _MAYBE if previous is not None else None
    mask = previous[0] if isinstance(previous, list) else previous
    out = mask if seq else None
    return [out] + [None] * _STATES[lo.kind] if state else out


def _bidirectional(lo: LayerObj, first: Any, previous: Any) -> Any:
    """Keras' Bidirectional.compute_mask: the input's mask on each sequence output (a list of
    two with `merge_mode=None`), none when the wrapped layer returns its last step only."""
    inner = lo.args[0] if lo.args else lo.kwargs.get("layer")
    merge = lo.args[1] if len(lo.args) > 1 else lo.kwargs.get("merge_mode", "concat")
    if not isinstance(inner, LayerObj) or not (merge is None or isinstance(merge, str)):
        return _MAYBE if previous is not None else None
    seq = inner.kwargs.get("return_sequences", False)
    state = inner.kwargs.get("return_state", False)
    if not isinstance(seq, bool) or not isinstance(state, bool) or state:
        return _MAYBE if previous is not None else None
    mask = previous[0] if isinstance(previous, list) else previous
    out = mask if seq else None
    return [out, out] if merge is None else out


def _concatenate(lo: LayerObj, first: Any, previous: Any) -> Any:
    """Keras' Concatenate.compute_mask on the last axis: each mask widened to its input (all
    true where an input has none), joined, then `any` over that axis: the inputs' leading axes."""
    if previous is None:
        return None
    if not isinstance(previous, list) or not isinstance(first, (list, tuple)):
        return _MAYBE
    axis = lo.args[0] if lo.args else lo.kwargs.get("axis", -1)
    shapes = [t.shape if isinstance(t, TensorVal) else None for t in first]
    if any(s is None for s in shapes) or any(isinstance(m, Unknown) for m in previous):
        return _MAYBE
    rank = len(shapes[0] or ())
    if axis not in (-1, rank - 1) or any(
            isinstance(m, TensorVal) and (m.shape is None or len(m.shape) not in (rank - 1, rank))
            for m in previous):
        return _MAYBE
    present = [m for m in previous if isinstance(m, TensorVal)]
    return TensorVal((shapes[0] or ())[:-1], None, [list(first), present])


# kind -> rule(layer, first input, previous mask) -> the output's mask
RULES: dict[str, Callable[[LayerObj, Any, Any], Any]] = {
    "Embedding": _embedding,
    "Masking": _masking,
    "GlobalAveragePooling1D": _pooling_1d,
    **dict.fromkeys(_RNNS, _rnn),
    "Bidirectional": _bidirectional,
    "Concatenate": _concatenate,
}


def output_mask(lo: LayerObj, first: Any, call_kwargs: dict[str, Any]) -> Any:
    """The mask Keras sets on a built-in layer's output."""
    # `call_kwargs.get("mask", mask_of(first))`, the input's mask read only when needed
    if "mask" in call_kwargs:
        previous = call_kwargs["mask"]
    else:
        previous = first.mask if isinstance(first, TensorVal) else mask_of(first)
    rule = RULES.get(lo.kind)
    if rule is not None:
        return rule(lo, first, previous)
    if previous is None:
        return None
    if lo.kind in PASS_THROUGH:
        return previous
    return _MAYBE if lo.kind in _OWN_RULE else None


def attach(out: Any, mask: Any) -> Any:
    """Set `mask` on a call's output tensor (several outputs: only a known None is spread)."""
    if isinstance(out, TensorVal):
        out.mask = mask
    elif isinstance(out, list) and isinstance(mask, list) and len(mask) == len(out):
        for t, m in zip(out, mask):  # one mask per output (Bidirectional(merge_mode=None))
            if isinstance(t, TensorVal):
                t.mask = m
    elif isinstance(out, list) and mask is not None:
        for t in out:
            if isinstance(t, TensorVal):
                t.mask = _MAYBE
    return out


def _params(fn: FuncVal) -> list[str]:
    a = fn.node.args
    return [p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]]


def call_mask_kwargs(call: FuncVal, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Keras fills a `mask` parameter the caller left out with the input's mask (one tensor
    argument, or one list of them)."""
    names = _params(call)
    if "mask" not in names or "mask" in kwargs:
        return kwargs
    positional = names[1:1 + len(args)]  # after `self`
    if "mask" in positional:
        return kwargs
    mask = mask_of(args[0] if args else kwargs.get(names[1] if len(names) > 1 else "inputs"))
    return kwargs if mask is None else {**kwargs, "mask": mask}


def instance_mask(an: Host, inst: Instance, first: Any, previous: Any, node: ast.AST,
                  ctx: ModuleCtx) -> Any:
    """What Keras sets on a subclassed layer's output: `compute_mask(inputs, previous_mask)`
    when it supports masking (it defines compute_mask, or sets supports_masking), else none."""
    own = inst.cls.lookup("compute_mask")
    supports = inst.attrs.get("supports_masking", isinstance(own, FuncVal))
    if supports is not True:
        return None if supports is False or previous is None else _MAYBE
    if not isinstance(own, FuncVal):
        return previous
    result = call_function(an, own, [inst, first, previous], {}, node, ctx)
    if result is None or isinstance(result, TensorVal):
        return result
    return _MAYBE
