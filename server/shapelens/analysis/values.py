"""Abstract values the analyser computes with: tensors, layer and model objects, user functions.

Python literals (int, str, tuple, list, dict, None) stand for themselves; `Unknown` (from the
engine) for anything that cannot be known without running the code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..engine import Constructed, MaybeShape, Unknown

if TYPE_CHECKING:
    from .scope import Env
    from .sites import Pos


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
    output: Any = None  # the last output (layer.output), and an InputLayer's tensor


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


@dataclass(eq=False)
class FuncVal:
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    env: Env  # where it was defined (closures see it)
    module: Any  # ModuleCtx it was defined in
    qualname: str
    defaults: list[Any] = field(default_factory=list)  # evaluated at definition, as Python does
    kw_defaults: dict[str, Any] = field(default_factory=dict)
    owner: Any = None  # the ClassVal whose body defined it (for `super()`)


@dataclass(eq=False)
class BoundMethod:
    self_val: Any
    func: FuncVal


@dataclass(eq=False)
class ClassVal:
    node: ast.ClassDef
    name: str
    bases: list[Any]
    attrs: dict[str, Any]
    module: Any

    def lookup(self, name: str) -> Any:
        if name in self.attrs:
            return self.attrs[name]
        for b in self.bases:
            if isinstance(b, ClassVal):
                found = b.lookup(name)
                if found is not _MISSING:
                    return found
        return _MISSING

    def keras_base(self) -> str | None:
        """'Model' or 'Layer' when this class derives from keras.Model / keras.layers.Layer."""
        for b in self.bases:
            if isinstance(b, ExternalRef):
                from .imports import canonical

                name = canonical(b.qualname)
                if name == "keras.Model":
                    return "Model"
                if name.startswith("keras.layers.") or name == "keras.Layer":
                    return "Layer"
            elif isinstance(b, ClassVal):
                kb = b.keras_base()
                if kb:
                    return kb
        return None


@dataclass(eq=False)
class Instance:
    cls: ClassVal
    attrs: dict[str, Any] = field(default_factory=dict)
    pos: Pos | None = None
    name: str = ""
    built: bool = False
    params: int | None = None
    called: bool = False


@dataclass(eq=False)
class SuperVal:
    """`super()` inside a method of `owner`, bound to `self_val`."""

    owner: ClassVal
    self_val: Any


@dataclass(frozen=True)
class ExternalRef:
    """A name from a module we never read (keras, tensorflow, numpy), known by qualified name."""

    qualname: str


@dataclass(eq=False)
class ModuleVal:
    """A project module (or installed helper module) read from source."""

    name: str
    ctx: Any  # ModuleCtx


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()
MISSING = _MISSING


def unknown(reason: str) -> Unknown:
    return Unknown(reason)


def is_unknown(v: Any) -> bool:
    return isinstance(v, Unknown)
