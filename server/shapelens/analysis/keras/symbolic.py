"""Where code runs on KerasTensors: how deep the analysis is inside code Keras runs on tf tensors,
whether a tensor certainly is a KerasTensor, and the layer-name number a keras.ops call takes.

Keras names layers and the Operations a keras.ops call on a KerasTensor builds from one counter
per snake-case class name: after `ops.reshape(x, ...)` the next `layers.Reshape` is `reshape_1`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ... import engine
from ..core.context import Host
from .masks import mask_of
from .values import LayerObj, TensorVal, leaves


@dataclass
class Tracing:
    """How deep the analysis is inside code Keras runs on tf tensors (a Layer's build/call, a
    Lambda's function): there a KerasTensor is never what a TF op sees."""

    depth: int = 0
    symbolic: dict[int, tuple[TensorVal, bool]] = field(default_factory=dict)  # by id, kept alive
    protected: dict[int, tuple[Any, int, list[tuple[int, int]]]] = field(default_factory=dict)


@contextmanager
def tracing(an: Host) -> Iterator[None]:
    """Run a Layer's build/call or a Lambda's function: its TF ops see tf tensors."""
    state = an.state(Tracing)
    state.depth += 1
    try:
        yield
    finally:
        state.depth -= 1


def is_symbolic(an: Host, t: TensorVal) -> bool:
    """Whether `t` certainly comes from a `keras.Input` through layer calls and ops (a KerasTensor):
    a tensor with no history (a join of branches, an index, `tf.range`) is not certain."""
    cache = an.state(Tracing).symbolic
    todo, seen, found = [t], set[int](), False
    while todo and len(seen) < 20_000:
        v = todo.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if id(v) in cache:
            found = cache[id(v)][1]
        elif isinstance(v.layer, LayerObj) and v.layer.kind == "InputLayer":
            found = True
        else:  # a layer's, model's or op's output: symbolic when one of its inputs is
            todo.extend(x for x in leaves(v.inputs) if isinstance(x, TensorVal))
        if found:
            break
    cache[id(t)] = (t, found)
    return found


def name_operation(an: Host, operation: str | None, operands: Any) -> None:
    """A keras.ops function (or an operator, `x + y` is `keras.ops.add`) applied to a KerasTensor
    while a model is built makes an Operation, named from the layers' counter: take its number.
    Inside a layer's call or a Lambda Keras runs it on tf tensors, which builds none."""
    if operation is None or an.state(Tracing).depth:
        return
    if any(isinstance(t, TensorVal) and is_symbolic(an, t) for t in leaves(operands)):
        an.auto_name(operation)


#: the Operation a Python operator on a KerasTensor builds (KerasTensor's dunder methods)
OPERATORS: dict[type, str] = {
    ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply", ast.Div: "true_divide",
    ast.FloorDiv: "floor_divide", ast.Mod: "mod", ast.Pow: "power", ast.MatMult: "matmul",
    ast.BitAnd: "logical_and", ast.BitOr: "logical_or", ast.BitXor: "logical_xor",
    ast.USub: "negative", ast.Invert: "logical_not",
}
GET_ITEM = "get_item"  # `x[...]`


def name_op_call(an: Host, qualname: str, operands: Any) -> None:
    """`name_operation` for a call of the keras.ops function `qualname` (any path it has)."""
    name_operation(an, engine.operation_name(qualname), operands)


# Built-in layers that make layers of their own with no name given: those take numbers from the
# same counters, when the layer is made (TextVectorization's StringLookup) or when it is first
# built, on its first call (MultiHeadAttention's Softmax and Dropout). Read in Keras' sources.
MADE_WHEN_CONSTRUCTED: dict[str, tuple[str, ...]] = {"TextVectorization": ("string_lookup",)}
MADE_WHEN_BUILT: dict[str, tuple[str, ...]] = {"MultiHeadAttention": ("softmax", "dropout")}


@dataclass
class Built:
    """The layer objects built so far (by id, kept alive)."""

    layers: dict[int, LayerObj] = field(default_factory=dict)


def name_own_layers(an: Host, lo: LayerObj) -> None:
    """The numbers the layers a built-in layer makes when constructed take."""
    for prefix in MADE_WHEN_CONSTRUCTED.get(lo.kind, ()):
        an.auto_name(prefix)


def name_layers_built(an: Host, lo: LayerObj) -> None:
    """On a layer's first call (Keras builds it): the numbers the layers its build makes take."""
    if lo.kind not in MADE_WHEN_BUILT:  # most layers: no state to look up
        return
    built = an.state(Built).layers
    if id(lo) not in built:
        built[id(lo)] = lo
        for prefix in MADE_WHEN_BUILT[lo.kind]:
            an.auto_name(prefix)


# Built-in layers whose `compute_mask` joins the masks of their inputs with a keras.ops function
# (Keras runs it after the call, on the KerasTensor masks): it takes a number from the counter.
MASKS_JOINED_BY: dict[str, str] = {"Concatenate": "concatenate"}


def name_mask_ops(an: Host, lo: LayerObj, first: Any) -> None:
    """A layer called on inputs some of which certainly carry a mask: the Operation its
    `compute_mask` builds (`Concatenate`: `ops.concatenate` of the masks) takes its number."""
    operation = MASKS_JOINED_BY.get(lo.kind)
    if operation is None or an.state(Tracing).depth or not isinstance(first, (list, tuple)):
        return
    mask = mask_of(first)
    if isinstance(mask, list) and any(isinstance(m, TensorVal) for m in mask):
        an.auto_name(operation)
