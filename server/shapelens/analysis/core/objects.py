"""Attributes of user objects as Python finds them: instances (their own, then their class's,
methods bound), classes, `super()`, and attribute assignment on instances, classes and modules.

An attribute a framework base class provides (a Keras Layer's `add_weight`) is asked of the
class protocol the plug-in registered; with none, it is Unknown with the reason.
"""

from __future__ import annotations

import ast
from typing import Any

from ...engine import Unknown
from .builtins import Builtin
from .context import Host, ModuleCtx
from .dispatch import ATTR, CLASS_PROTOCOL, SET_ATTR
from .scope import Env
from .values import (
    MISSING,
    BoundMethod,
    ClassVal,
    Descriptor,
    FuncVal,
    Instance,
    ModuleVal,
    SuperVal,
)


def _bind(an: Host, inst: Any, v: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
    """What `inst.attr` gives for a class attribute `v`: a bound method, a property's value."""
    if isinstance(v, FuncVal):
        return BoundMethod(inst, v)
    if isinstance(v, Descriptor):
        if v.kind == "staticmethod":
            return v.func
        cls = inst.cls if isinstance(inst, Instance) else inst
        if v.kind == "classmethod":
            return BoundMethod(cls, v.func)
        if isinstance(inst, Instance):  # a property, read on an instance: its getter runs
            return an.interp.call(v.func, [inst], {}, node, ctx, Env())
        return v
    return v


@ATTR.register(Instance)
def instance_attr(an: Host, inst: Instance, attr: str, node: ast.AST, ctx: ModuleCtx) -> Any:
    if attr in inst.attrs:
        return inst.attrs[attr]
    v = inst.cls.lookup(attr)
    if v is not MISSING:
        return _bind(an, inst, v, node, ctx)
    protocol = CLASS_PROTOCOL.ask(inst.cls)
    if protocol is not None:
        return protocol.attr(an, inst, attr)
    return Unknown(f"`{inst.cls.name}.{attr}` is not defined")


@ATTR.register(ClassVal)
def _class_attr(an: Host, cls: ClassVal, attr: str, node: ast.AST, ctx: ModuleCtx) -> Any:
    v = cls.lookup(attr)
    if v is MISSING:
        return Unknown(f"`{cls.name}.{attr}` is not known")
    return _bind(an, cls, v, node, ctx) if isinstance(v, Descriptor) else v


@ATTR.register(SuperVal)
def _super_attr(an: Host, sup: SuperVal, attr: str, node: ast.AST, ctx: ModuleCtx) -> Any:
    """`super().attr`: the next definition after the method's class in `self`'s MRO."""
    self_val = sup.self_val
    cls = self_val.cls if isinstance(self_val, Instance) else sup.owner
    v = cls.lookup_after(sup.owner, attr)
    if v is not MISSING:
        return _bind(an, self_val, v, node, ctx)
    protocol = CLASS_PROTOCOL.ask(sup.owner)
    if protocol is not None and isinstance(self_val, Instance):
        return protocol.super_attr(an, self_val, attr)
    if attr == "__init__":  # object.__init__ does nothing
        return Builtin("__init__", lambda *a: None)
    return Unknown(f"`super().{attr}` inherited from a class ShapeLens does not read")


@SET_ATTR.register(Instance, ClassVal)
def _set_object_attr(an: Host, obj: Any, attr: str, value: Any, ctx: ModuleCtx) -> None:
    obj.attrs[attr] = value


@SET_ATTR.register(ModuleVal)
def _set_module_attr(an: Host, obj: ModuleVal, attr: str, value: Any, ctx: ModuleCtx) -> None:
    obj.ctx.env.vars[attr] = value


@ATTR.register(Descriptor)
def _descriptor_attr(an: Host, d: Descriptor, attr: str, node: ast.AST, ctx: ModuleCtx) -> Any:
    """`@name.setter` / `.deleter` keep the property (its getter is what shapes depend on)."""
    if d.kind == "property" and attr in ("setter", "deleter", "getter"):
        return Builtin(attr, lambda *a: d)
    return Unknown(f"attribute `{attr}` of a {d.kind}")
