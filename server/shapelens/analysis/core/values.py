"""The Python kinds of abstract values: functions, classes, instances, modules, external names.

Python literals (int, str, tuple, list, dict, None) stand for themselves; `Unknown` (from the
engine) for anything that cannot be known without running the code, always with its reason.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...engine import Unknown
from .scope import MISSING, Env

if TYPE_CHECKING:
    from .sites import Pos

__all__ = ["MISSING", "BoundMethod", "ClassVal", "Descriptor", "ExternalRef", "FieldSpec",
           "FuncVal", "Instance", "ModuleVal", "Partial", "SuperVal", "is_unknown"]


@dataclass(eq=False)
class FuncVal:
    """A user function or lambda, with the scope it closes over."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    env: Env  # where it was defined (closures see it)
    module: Any  # the ModuleCtx it was defined in
    qualname: str
    defaults: list[Any] = field(default_factory=list)  # evaluated at definition, as Python does
    kw_defaults: dict[str, Any] = field(default_factory=dict)
    owner: Any = None  # the ClassVal whose body defined it (for `super()`)


@dataclass(eq=False)
class BoundMethod:
    self_val: Any
    func: FuncVal


@dataclass(eq=False)
class Partial:
    """`functools.partial(func, *args, **kwargs)`: a factory called with more arguments later."""

    func: Any
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Descriptor:
    """`property(f)`, `staticmethod(f)`, `classmethod(f)` in a class body."""

    kind: str  # "property" | "staticmethod" | "classmethod"
    func: Any


@dataclass(eq=False)
class FieldSpec:
    """`dataclasses.field(default=..., default_factory=...)` in a dataclass body."""

    kwargs: dict[str, Any]


@dataclass(eq=False)
class ClassVal:
    """A class the user defined; `bases` are values (ClassVal or ExternalRef)."""

    node: ast.ClassDef
    name: str
    bases: list[Any]
    attrs: dict[str, Any]
    module: Any
    fields: list[str] | None = None  # a dataclass's fields, in order (its generated __init__)

    def lookup(self, name: str) -> Any:
        """The attribute along the bases, depth first (enough for model code's hierarchies)."""
        if name in self.attrs:
            return self.attrs[name]
        for b in self.bases:
            if isinstance(b, ClassVal):
                found = b.lookup(name)
                if found is not MISSING:
                    return found
        return MISSING

    def lookup_after(self, owner: ClassVal, name: str) -> Any:
        """What `super()` inside `owner` finds: the attribute in the bases after `owner`."""
        chain = self.mro()
        idx = next((i for i, c in enumerate(chain) if c is owner), None)
        for c in chain[(idx + 1 if idx is not None else 1) :]:
            if isinstance(c, ClassVal) and name in c.attrs:
                return c.attrs[name]
        return MISSING

    def mro(self) -> list[Any]:
        """Python's C3 linearisation over user classes; external bases close the list."""
        seqs = [[self], *[b.mro() if isinstance(b, ClassVal) else [b] for b in self.bases],
                list(self.bases)]
        out: list[Any] = []
        while True:
            seqs = [s for s in seqs if s]
            if not seqs:
                return out
            for s in seqs:
                head = s[0]
                if not any(head in t[1:] for t in seqs):
                    break
            else:  # inconsistent hierarchy: Python rejects it; depth first is our best reading
                head = seqs[0][0]
            out.append(head)
            seqs = [t[1:] if t[0] is head else t for t in seqs]

    def external_bases(self) -> list[ExternalRef]:
        """The external classes this class derives from, through its user-defined bases."""
        return [b for b in self.mro() if isinstance(b, ExternalRef)]


@dataclass(eq=False)
class Instance:
    """An instance of a user class; `state` is what a framework plug-in keeps for it (a layer's
    weights and outputs), so that no magic attribute names couple distant modules."""

    cls: ClassVal
    attrs: dict[str, Any] = field(default_factory=dict)
    pos: Pos | None = None
    name: str = ""
    built: bool = False
    params: int | None = None
    called: bool = False
    state: Any = None


@dataclass(eq=False)
class SuperVal:
    """`super()` inside a method of `owner`, bound to `self_val`."""

    owner: ClassVal
    self_val: Any


@dataclass(frozen=True, init=False)
class ExternalRef:
    """A name from a module we never read (keras, tensorflow, numpy), known by qualified name."""

    qualname: str

    def __init__(self, qualname: str) -> None:
        # As `Pos`: straight into __dict__, not through object.__setattr__ (every attribute of an
        # external name read makes one).
        self.__dict__["qualname"] = qualname


@dataclass(eq=False)
class ModuleVal:
    """A project module (or installed helper module) read from source."""

    name: str
    ctx: Any  # ModuleCtx


def is_unknown(v: Any) -> bool:
    return isinstance(v, Unknown)
