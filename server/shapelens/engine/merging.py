"""Merging layers: Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot, and their
functional forms `concatenate`, `add`, ... `dot` (Keras' `keras.layers.add(inputs, **kwargs)`).

Each mirrors Keras 3 (TF 2.21): `init` is the constructor's checks; `call` is the layer's `build`
plus `compute_output_shape` on the list of input shapes (what a symbolic call runs). None of these
layers has weights: params are always 0.

Functional forms: the signature table binds `inputs` as the first argument. `init` takes every
other argument as the class does (`axis`, `axes`); `call` receives the shapes of `inputs`. When the
bound `inputs` is a list of `Tensor`s, `init` keeps their shapes and `call(config, None, {})` uses
them, so construct + call can be done in one go.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .args import bind_layer, known
from .registry import register_layer
from .symdims import broadcast_open, is_sym
from .types import Dim, NotKnown, Result, Shape, ShapeError, Tensor, fmt_shape

_ELEMWISE = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")
_FUNCTIONS = {
    "add": "Add", "subtract": "Subtract", "multiply": "Multiply", "average": "Average",
    "maximum": "Maximum", "minimum": "Minimum", "concatenate": "Concatenate", "dot": "Dot",
}


# --- shared helpers -------------------------------------------------------------------------------


def _class_args(name: str, a: dict[str, Any]) -> dict[str, Any]:
    """A functional form's arguments, checked as the class constructor it calls checks them.

    `keras.layers.add(inputs, **kwargs)` is `Add(**kwargs)(inputs)`: the signature table lets any
    keyword through for the function, so bind them again against the class (unknown keywords,
    base-layer keywords such as `name`).
    """
    if name not in _FUNCTIONS:
        return a
    rest = {k: v for k, v in a.items() if k != "inputs"}
    return bind_layer(_FUNCTIONS[name], [], rest)


def _given_inputs(a: dict[str, Any]) -> list[Shape] | None:
    """Shapes of a functional form's bound `inputs`, when they are all known tensors."""
    value = a.get("inputs")
    if isinstance(value, (list, tuple)) and all(
        isinstance(v, Tensor) and v.shape is not None for v in value
    ):
        return [tuple(v.shape) for v in value if v.shape is not None]
    return None


def input_list(inputs: Any, given: list[Shape] | None, owner: str, rule: str) -> list[Shape]:
    """The list of input shapes of a merge layer, as Keras' `build` requires it."""
    if inputs is None and given is not None:
        inputs = given
    if inputs is None:
        raise NotKnown("the inputs are not known")
    if not isinstance(inputs, list):
        raise ShapeError(
            "incompatible-shape",
            f"{owner} {rule}. Received a single tensor of shape {fmt_shape(inputs)}",
        )
    if not inputs:
        raise ShapeError("incompatible-shape", f"{owner} {rule}. Received an empty list")
    inputs = [s.shape if isinstance(s, Tensor) else s for s in inputs]
    for s in inputs:
        if s is None:
            raise NotKnown("the rank of an input is not known")
    shapes: list[Shape] = [tuple(s) for s in inputs]
    for i, s in enumerate(shapes):
        if not s:
            raise ShapeError(
                "invalid-input-rank",
                f"{owner}: input {i} is a scalar (shape ()); merge layers need a batch axis",
            )
    return shapes


def _fmt_list(shapes: list[Shape]) -> str:
    return "[" + ", ".join(fmt_shape(s) for s in shapes) + "]"


def _fmt_axes(axes: list[int]) -> str:
    """[1, 2] -> 'axes 1-2'; [1, 3] -> 'axes 1, 3'; [2] -> 'axis 2'."""
    if len(axes) == 1:
        return f"axis {axes[0]}"
    if axes == list(range(axes[0], axes[-1] + 1)):
        return f"axes {axes[0]}-{axes[-1]}"
    return "axes " + ", ".join(str(a) for a in axes)


def _notes(shapes: list[Shape], out: Shape) -> list[str]:
    return [f"{_fmt_list(shapes)} -> {fmt_shape(out)}", "params = 0"]


# --- Add, Subtract, Multiply, Average, Maximum, Minimum (Keras' Merge base) ---------------------


@dataclass(frozen=True)
class MergeConfig:
    owner: str
    given: list[Shape] | None = None


def _elemwise(
    s1: tuple[Dim, ...], s2: tuple[Dim, ...], full1: Shape, full2: Shape, owner: str
) -> tuple[Dim, ...]:
    """Keras' `_compute_elemwise_op_output_shape` (batch axis excluded), worded for the user.

    `full1`/`full2` are what the user sees for the two operands (the batched shapes).
    """
    if len(s1) < len(s2):
        return _elemwise(s2, s1, full2, full1, owner)
    if not s2:
        return s1
    out: list[Dim] = list(s1[: -len(s2)])
    offset = len(s1) - len(s2)
    for k, (i, j) in enumerate(zip(s1[-len(s2):], s2, strict=True)):
        if i is None or j is None:
            out.append(None)
        elif is_sym(i) or is_sym(j):
            out.append(broadcast_open(i, j))
        elif i == 1:
            out.append(j)
        elif j == 1:
            out.append(i)
        elif i != j:
            bad = [
                1 + offset + m
                for m, (x, y) in enumerate(zip(s1[-len(s2):], s2, strict=True))
                if x is not None and y is not None and x != 1 and y != 1 and x != y
            ]
            raise ShapeError(
                "shape-mismatch",
                f"{owner}: {fmt_shape(full1)} and {fmt_shape(full2)} differ on {_fmt_axes(bad)} "
                f"({i} vs {j} on axis {1 + offset + k}); inputs must have equal sizes or 1 on "
                "every axis (aligned from the last axis, batch excluded)",
            )
        else:
            out.append(i)
    return tuple(out)


def _merge_init(name: str, a: dict[str, Any]) -> MergeConfig:
    _class_args(name, a)
    return MergeConfig(_FUNCTIONS.get(name, name), _given_inputs(a))


def _merge_call(cfg: MergeConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    owner = cfg.owner
    exactly_two = owner == "Subtract"
    rule = (
        "should be called on a list of exactly 2 inputs"
        if exactly_two else "should be called on a list of at least 1 input"
    )
    shapes = input_list(inputs, cfg.given, owner, rule)
    batch_sizes = {s[0] for s in shapes} - {None}
    if len(batch_sizes) > 1:
        raise ShapeError(
            "shape-mismatch",
            f"{owner}: cannot merge tensors with different batch sizes "
            f"{sorted(b for b in batch_sizes if b is not None)}. "
            f"Received: {_fmt_list(shapes)}",
        )
    out: tuple[Dim, ...] = shapes[0][1:]
    acc_full: Shape = shapes[0]
    for s in shapes[1:]:
        out = _elemwise(out, s[1:], acc_full, s, owner)
        acc_full = (None, *out)
    if exactly_two and len(shapes) != 2:
        raise ShapeError(
            "incompatible-shape",
            f"A `Subtract` layer should be called on exactly 2 inputs. "
            f"Received {len(shapes)}: {_fmt_list(shapes)}",
        )
    batch: Dim = next(iter(batch_sizes)) if len(batch_sizes) == 1 else None
    result: Shape = (batch, *out)
    deriv = []
    if len({len(s) for s in shapes}) > 1:
        deriv.append("inputs of lower rank get axes of size 1 inserted after the batch axis")
    deriv.append(
        f"element-wise {owner.lower()} of {_fmt_list(shapes)} (sizes equal, or 1 broadcast)"
        f" -> {fmt_shape(result)}"
    )
    return Result(outputs=result, params=0, derivation=deriv, notes=_notes(shapes, result))


for _name in _ELEMWISE:
    register_layer(_name, family="merging", init=_merge_init, call=_merge_call, inputs="list")
for _fn, _cls in _FUNCTIONS.items():
    if _cls in _ELEMWISE:
        register_layer(_fn, family="merging", init=_merge_init, call=_merge_call, inputs="list")


# --- Concatenate ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConcatConfig:
    axis: Any
    given: list[Shape] | None = None


def _concat_init(name: str, a: dict[str, Any]) -> ConcatConfig:
    # Keras does not check `axis` in the constructor.
    given = _given_inputs(a)
    a = _class_args(name, a)
    return ConcatConfig(known(a["axis"], "axis"), given)


def _concat_call(cfg: ConcatConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shapes = input_list(
        inputs, cfg.given, "Concatenate", "should be called on a list of at least 1 input"
    )
    axis = cfg.axis
    if isinstance(axis, float) and len(shapes) == 1 and len(shapes[0]) <= axis:
        # Keras never indexes with `axis` here: one input, no axis dropped, nothing summed.
        return Result(outputs=shapes[0], params=0, derivation=["a single input: unchanged"],
                      notes=_notes(shapes, shapes[0]))
    if not isinstance(axis, int):
        raise ShapeError(
            "invalid-argument",
            f"Concatenate: `axis` must be an integer. Received: axis={axis!r}",
            arg="axis",
        )
    axis = int(axis)
    # Keras' build: drop the concatenation axis (when the shape has it), then compare.
    reduced: list[tuple[Dim, ...]] = []
    dropped: list[int | None] = []
    for s in shapes:
        lst = list(s)
        pos: int | None = None
        if len(lst) > axis:
            if axis < -len(lst):
                raise ShapeError(
                    "invalid-argument",
                    f"Concatenate: axis={axis} is out of range for the input {fmt_shape(s)} "
                    f"of rank {len(s)}",
                    arg="axis",
                )
            pos = axis % len(lst)
            del lst[pos]
        reduced.append(tuple(lst))
        dropped.append(pos)

    def original_axes(i: int, rs: list[int]) -> list[int]:
        p = dropped[i]
        return [r if p is None or r < p else r + 1 for r in rs]

    rule = (
        "inputs must match on every axis except the concatenation axis "
        f"(axis={cfg.axis})"
    )
    if len(set(reduced)) != 1:
        ranks = {len(r) for r in reduced}
        if len(ranks) != 1:
            j = next(k for k in range(1, len(shapes)) if len(reduced[k]) != len(reduced[0]))
            raise ShapeError(
                "shape-mismatch",
                f"Concatenate: {fmt_shape(shapes[0])} and {fmt_shape(shapes[j])} have different "
                f"ranks ({len(shapes[0])} vs {len(shapes[j])}); {rule}",
            )
        (rank,) = ranks
        for r in range(rank):
            dims = {red[r] for red in reduced if red[r] is not None}
            if len(dims) <= 1:
                continue
            i = next(k for k, red in enumerate(reduced) if red[r] is not None)
            j = next(
                k for k, red in enumerate(reduced)
                if red[r] is not None and red[r] != reduced[i][r]
            )
            bad = [
                m for m in range(rank)
                if reduced[i][m] is not None and reduced[j][m] is not None
                and reduced[i][m] != reduced[j][m]
            ]
            raise ShapeError(
                "shape-mismatch",
                f"Concatenate: {fmt_shape(shapes[i])} and {fmt_shape(shapes[j])} differ on "
                f"{_fmt_axes(original_axes(i, bad))}; {rule}",
            )
    # Keras' compute_output_shape.
    out: list[Dim] = list(shapes[0])

    def at(s: Shape | list[Dim], what: str) -> Dim:
        if not -len(s) <= axis < len(s):
            raise ShapeError(
                "invalid-argument",
                f"Concatenate: axis={axis} is out of range for {what} of rank {len(s)}",
                arg="axis",
            )
        return s[axis]

    parts: list[str] = []
    first = at(out, f"the input {fmt_shape(shapes[0])}") if len(shapes) > 1 else None
    if first is not None:
        parts.append(str(first))
    for s in shapes[1:]:
        cur = at(out, f"the input {fmt_shape(shapes[0])}")
        nxt = None if cur is None else at(s, f"the input {fmt_shape(s)}")
        if cur is None or nxt is None:
            out[axis] = None
            parts.append("None")
            break
        out[axis] = cur + nxt
        parts.append(str(nxt))
    result: Shape = tuple(out)
    if len(shapes) > 1:
        line = f"axis {axis}: " + " + ".join(parts) + f" = {out[axis]}"
    else:
        line = "a single input: unchanged"
    return Result(outputs=result, params=0, derivation=[line], notes=_notes(shapes, result))


register_layer("Concatenate", family="merging", init=_concat_init, call=_concat_call,
               inputs="list")
register_layer("concatenate", family="merging", init=_concat_init, call=_concat_call,
               inputs="list")


# --- Dot -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DotConfig:
    axes: Any
    normalize: Any
    given: list[Shape] | None = None


def _dot_init(name: str, a: dict[str, Any]) -> DotConfig:
    given = _given_inputs(a)
    a = _class_args(name, a)
    axes = known(a["axes"], "axes")
    if not isinstance(axes, int):
        if not isinstance(axes, (list, tuple)):
            raise ShapeError(
                "invalid-argument",
                "Invalid type for argument `axes`: it should be a list or an int. "
                f"Received: axes={axes!r}",
                arg="axes", at="init",
            )
        if len(axes) != 2:
            raise ShapeError(
                "invalid-argument",
                "Invalid format for argument `axes`: it should contain two elements. "
                f"Received: axes={axes!r}",
                arg="axes", at="init",
            )
        if not isinstance(axes[0], int) or not isinstance(axes[1], int):
            raise ShapeError(
                "invalid-argument",
                "Invalid format for argument `axes`: list elements should be integers. "
                f"Received: axes={axes!r}",
                arg="axes", at="init",
            )
    # `normalize` only changes values, and Keras does not check it.
    return DotConfig(axes, a.get("normalize", False), given)


def _dot_call(cfg: DotConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    rule = "should be called on a list of 2 inputs"
    shapes = input_list(inputs, cfg.given, "Dot", rule)
    if len(shapes) != 2:
        raise ShapeError(
            "incompatible-shape",
            f"A `Dot` layer should be called on a list of 2 inputs. "
            f"Received {len(shapes)}: {_fmt_list(shapes)}",
        )
    s1, s2 = shapes
    if isinstance(cfg.axes, int):
        axes = (
            [cfg.axes % len(s1), cfg.axes % len(s2)] if cfg.axes < 0 else [int(cfg.axes)] * 2
        )
    else:
        axes = [int(cfg.axes[0]), int(cfg.axes[1])]
    for k, (s, ax) in enumerate(zip(shapes, axes, strict=True)):
        if not -len(s) <= ax < len(s):
            raise ShapeError(
                "invalid-argument",
                f"Dot: axes={cfg.axes!r} -> axis {ax} is out of range for input {k} "
                f"{fmt_shape(s)} of rank {len(s)}",
                arg="axes",
            )
    d1, d2 = s1[axes[0]], s2[axes[1]]
    if d1 != d2:
        raise ShapeError(
            "shape-mismatch",
            f"Dot: the contracted axes must have equal sizes: axis {axes[0]} of "
            f"{fmt_shape(s1)} is {d1} but axis {axes[1]} of {fmt_shape(s2)} is {d2} "
            f"(axes={cfg.axes!r})",
        )
    l1, l2 = list(s1), list(s2)
    l1.pop(axes[0])
    l2.pop(axes[1])
    if not l2:
        raise ShapeError(
            "invalid-input-rank",
            f"Dot: input 1 {fmt_shape(s2)} has no axis left besides the contracted one "
            f"(axes={cfg.axes!r})",
        )
    l2.pop(0)
    out = l1 + l2
    deriv = [
        f"contract axis {axes[0]} of {fmt_shape(s1)} with axis {axes[1]} of {fmt_shape(s2)} "
        f"(size {d1})",
        f"{fmt_shape(tuple(l1))} + {fmt_shape(tuple(l2))} (input 1 without its batch axis)",
    ]
    if len(out) == 1:
        out.append(1)
        deriv.append("one axis left -> a trailing axis of size 1 is added")
    result: Shape = tuple(out)
    notes = _notes(shapes, result)
    if cfg.normalize:
        notes.insert(0, "normalize=True: L2-normalised along the contracted axes (no shape change)")
    return Result(outputs=result, params=0, derivation=deriv, notes=notes)


register_layer("Dot", family="merging", init=_dot_init, call=_dot_call, inputs="list")
register_layer("dot", family="merging", init=_dot_init, call=_dot_call, inputs="list")
