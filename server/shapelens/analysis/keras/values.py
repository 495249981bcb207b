"""The Keras kinds of abstract values: symbolic tensors, layer objects and models.

Each carries the fields Keras itself keeps (a layer's output, its parameter count, a model's
inputs and outputs); a subclassed layer's own state is `LayerState`, kept on its Instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...engine import Constructed, MaybeShape, Unknown
from ...engine.symdims import Sym

if TYPE_CHECKING:
    from ..sites import Pos


@dataclass
class SymShape:
    """A tensor's shape with the sizes its Input left open as formulas (`(None, ceil(H/2), 64)`),
    the formulas along its history (each is at least 1 for a size to work) and their derivation."""

    dims: tuple[Any, ...]
    positive: frozenset[Sym]
    derivation: list[str] = field(default_factory=list)


@dataclass(eq=False)
class TensorVal:
    """A symbolic tensor: its shape and, for model summaries and re-running a graph, its history."""

    shape: MaybeShape
    layer: Any = None  # the LayerObj / ModelObj / Instance that produced it, if any
    inputs: Any = None  # the input TensorVal(s) of that call
    call_kwargs: dict[str, Any] = field(default_factory=dict)
    index: int = 0  # which output of a multi-output call
    why: str | None = None  # why the shape is unknown, for hover
    error: Any = None  # the Finding for a call Keras rejects (fixes verified on the graph join it)
    # A join of branches: the shape each path gives (None: not a join; (): too many to know).
    # An error on it is reported only when every path gives it.
    paths: tuple[MaybeShape, ...] | None = None
    derivation: list[str] = field(default_factory=list)  # how the engine computed its shape
    mask: Any = None  # the Keras mask it carries: None, a TensorVal, or Unknown (masks.py)
    sym: SymShape | None = None  # its shape in the Input's open sizes (symshapes.py)

    @property
    def rank(self) -> int | None:
        return None if self.shape is None else len(self.shape)


@dataclass(eq=False)
class LayerObj:
    """A Keras layer object built from the engine; `pos` is its constructor expression."""

    kind: str  # canonical class name, "Conv2D"
    constructed: Constructed | None  # None when construction failed (an error was reported)
    pos: Pos
    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    params: int | None = None  # set at first build
    called: bool = False
    error: str | None = None  # why calling it gives unknown (a reported constructor error)
    input_spec: tuple[Any, ...] | None = None  # shape(s) it was first built with
    output: Any = None  # the last output (the summary's shape), and an InputLayer's tensor
    node_output: Any = None  # its first call on symbolic tensors: what `layer.output` reads
    # The entry-file user calls (serial, line, callee) in progress when it was created, outermost
    # first: the helper-call groups of the model graph (graphjson.py).
    via: tuple[tuple[int, int, str], ...] = ()


@dataclass(eq=False)
class ModelObj:
    """A functional or Sequential model."""

    kind: str  # "Functional" | "Sequential"
    pos: Pos
    name: str
    inputs: list[TensorVal] = field(default_factory=list)
    outputs: Any = None  # TensorVal or list of TensorVal
    layers: list[Any] = field(default_factory=list)  # Sequential: layer objects in order
    built: bool = False
    error: str | None = None
    called: bool = False  # called directly by user code (then Keras' own calls are not sites)


@dataclass
class KerasConfig:
    """Keras' global configuration as the file sets it (`K.set_image_data_format(...)`)."""

    image_data_format: str | None = None  # None: the configured default (Options)


@dataclass
class LayerState:
    """What Keras keeps for a subclassed Layer/Model instance: its weights and last output."""

    weights: list[int | None] = field(default_factory=list)  # sizes from `add_weight`
    last_output: Any = None
    node_output: Any = None  # its first call on symbolic tensors: what `layer.output` reads
    base_layer: Any = None  # the built-in layer a subclass of one (`class D(layers.Dense)`) is


def leaves(v: Any) -> list[Any]:
    """The values inside nested lists, tuples and dicts (a call's arguments), in order."""
    if isinstance(v, (list, tuple)):
        items: Any = v
    elif isinstance(v, dict):
        items = v.values()
    else:
        return [v]
    out = []
    for item in items:  # a value that is no container is its own leaf, without a call for it
        if isinstance(item, (list, tuple, dict)):
            out.extend(leaves(item))
        else:
            out.append(item)
    return out


@dataclass(frozen=True)
class DynamicDim(Unknown):
    """A size known only at run time: `tf.shape(x)[i]` where the static dim is None (and what
    arithmetic on it gives: the core keeps an Unknown operand). TensorFlow reads it as -1 in a
    shape it infers statically (`tf.reshape(x, [b, -1, c])`)."""
