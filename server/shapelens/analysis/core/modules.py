"""Modules: `import` and `from ... import` over abstract values, reading project modules from
source (never importing them) and names that nothing in scope defines (builtins, star imports).

Which modules are external APIs modelled by name (keras, numpy) and how their names are spelled
is asked of the plug-ins (`EXTERNAL_MODULE`, `CANONICAL`, `STAR_EXPORTS`).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

from ...engine import Unknown
from . import builtins as pybuiltins
from .builtins import Builtin
from .context import Host, ModuleCtx
from .dispatch import (
    ATTR,
    CANONICAL,
    EXTERNAL_ATTRS,
    EXTERNAL_MODULE,
    NAME_CHECK,
    NOT_FOLLOWED,
    STAR_EXPORTS,
)
from .imports import find_module_file, project_root, resolve_relative
from .installed import deferred_imports, parsed
from .scope import Env
from .signals import Frame
from .source import ParseFailure
from .values import MISSING, ClassVal, ExternalRef, ModuleVal


def canonical(qualname: str) -> str:
    """The one spelling of an external name (`tensorflow.keras.layers.Conv2D` ->
    `keras.layers.Conv2D`), as the plug-ins define it."""
    return CANONICAL.ask(qualname) or qualname


def is_external(module: str) -> bool:
    """A module modelled by name and never read (keras, numpy), as the plug-ins say."""
    return EXTERNAL_MODULE.ask(module) is True


def reads_installed(module: str) -> bool:
    """An installed module whose source we read (never import), as the plug-ins say."""
    return EXTERNAL_MODULE.ask(module) is False


def search_roots(an: Host, ctx: ModuleCtx) -> list[str]:
    """Where a module's absolute imports are looked up: its folder, the project root Python
    would see when the project's script runs, then the configured extra paths. An installed
    module read from source sees only `sys.path` (what else it imports stays opaque)."""
    if ctx.installed:
        return []
    here = os.path.dirname(os.path.abspath(ctx.path))
    roots = [here]
    top = project_root(here)
    if top != here:
        roots.append(top)
    return roots + [p for p in an.options.extra_paths if p not in roots]


def import_module(an: Host, name: str, ctx: ModuleCtx, node: ast.AST) -> Any:
    if is_external(name):
        if not reads_installed(canonical(name)):
            return ExternalRef(name)
        name = canonical(name)  # `tensorflow.keras.applications`: the module read is Keras'
    roots = search_roots(an, ctx)
    path = find_module_file(name, roots, reads_installed(name))
    if path is None:
        return ExternalRef(name)
    # Found on sys.path, not in the project (a project's own `kimm/` is the user's code).
    installed = reads_installed(name) and not any(path.is_relative_to(r) for r in roots)
    mod = load_module(an, path, name, installed)
    return ModuleVal(name, mod) if mod is not None else Unknown(f"module {name} did not parse")


def load_module(an: Host, path: Path, name: str, installed: bool = False) -> ModuleCtx | None:
    key = str(path.resolve())
    if key in an.modules:
        return an.modules[key]
    package = path.name == "__init__.py"
    ctx = ModuleCtx(str(path), name, ast.Module(body=[], type_ignores=[]), Env(kind="module"),
                    is_package=package)
    ctx.env.vars["__name__"] = name
    ctx.installed = installed
    an.modules[key] = ctx  # an import cycle sees the half-run module
    try:
        if installed:
            _run_installed(an, ctx, path, name)
        else:
            an.run_module(ctx, path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ParseFailure):
        an.modules[key] = None
        return None
    return ctx


def _run_installed(an: Host, ctx: ModuleCtx, path: Path, name: str) -> None:
    """An installed module read from source: parsed once per package version; an API package's
    imports deferred until a name is read; what a library does not let us follow (a download)
    replaced by its reason."""
    tree = parsed(path, name)
    deferred = deferred_imports(tree, path)
    if deferred is not None:
        ctx.deferred = deferred
        kept = [s for s in tree.body if not isinstance(s, ast.Import | ast.ImportFrom)
                or getattr(s, "module", None) == "__future__"]
        tree = ast.Module(body=kept, type_ignores=[])
    an.run_module(ctx, "", tree)
    for value in list(ctx.env.vars.values()):
        if isinstance(value, ClassVal) and value.module is ctx:
            for attr in list(value.attrs):
                reason = NOT_FOLLOWED.ask(name, attr)
                if reason is not None:
                    value.attrs[attr] = _not_followed(reason)


def _not_followed(reason: str) -> Builtin:
    return Builtin("not followed", lambda an, a, k, n, c, e: Unknown(reason))


def _run_deferred(an: Host, ctx: ModuleCtx, attr: str) -> None:
    """Bind a deferred name of an API package by running its import now (once)."""
    stmt = ctx.deferred.pop(attr, None)
    if stmt is not None:
        an.interp.exec_stmt(stmt, ctx.env, ctx, Frame())


def import_from(an: Host, node: ast.ImportFrom, env: Env, ctx: ModuleCtx) -> None:
    module = resolve_relative(
        node.module, node.level, ctx.name if not ctx.entry else "", ctx.is_package
    )
    if node.level and ctx.entry:
        module = node.module or ""
    mod = import_module(an, module, ctx, node) if module else Unknown("relative import")
    if isinstance(mod, ExternalRef):
        for alias in node.names:
            NAME_CHECK.ask(an, f"{module}.{alias.name}", node, ctx, True)
    for alias in node.names:
        if alias.name == "*":
            if isinstance(mod, ModuleVal):
                for k in list(mod.ctx.deferred):
                    _run_deferred(an, mod.ctx, k)
                for k, v in mod.ctx.env.vars.items():
                    if not k.startswith("_"):
                        env.assign(k, v)
            elif isinstance(mod, ExternalRef):
                ctx.star_modules.append(mod.qualname)
            continue
        full = f"{module}.{alias.name}"
        if isinstance(mod, ExternalRef) and not is_external(full):
            # `from keras.src.applications import imagenet_utils`: a module we read.
            env.assign(alias.asname or alias.name, import_module(an, full, ctx, node))
            continue
        value = an.interp.get_attr(mod, alias.name, node, ctx)
        if isinstance(value, Unknown) and isinstance(mod, ModuleVal):
            sub = import_module(an, f"{module}.{alias.name}", ctx, node)
            value = sub if not isinstance(sub, ExternalRef) else value
        env.assign(alias.asname or alias.name, value)


def missing_name(an: Host, name: str, ctx: ModuleCtx) -> Any:
    """A name no scope binds: a builtin, a name from a star import, or undefined."""
    b = pybuiltins.lookup(name)
    if b is not MISSING:
        return b
    for star in reversed(ctx.star_modules):
        if STAR_EXPORTS.ask(canonical(star), name):
            return ExternalRef(f"{star}.{name}")
    if ctx.star_modules:
        return ExternalRef(f"{ctx.star_modules[-1]}.{name}")
    if ctx.entry:
        an.undefined.add(name)
    return Unknown(f"name `{name}` is not defined here")


@ATTR.register(ModuleVal)
def _module_attr(an: Host, obj: ModuleVal, attr: str, node: ast.AST, ctx: ModuleCtx) -> Any:
    if attr in obj.ctx.deferred and attr not in obj.ctx.env.vars:
        _run_deferred(an, obj.ctx, attr)
    v = obj.ctx.env.vars.get(attr, MISSING)
    return Unknown(f"`{obj.name}.{attr}` is not defined") if v is MISSING else v


@ATTR.register(ExternalRef)
def _external_attr(an: Host, ref: ExternalRef, attr: str, node: ast.AST, ctx: ModuleCtx) -> Any:
    qualname = f"{ref.qualname}.{attr}"
    NAME_CHECK.ask(an, qualname, node, ctx, False)
    name = canonical(qualname)  # every attribute of keras/tf passes here: asked once
    if reads_installed(name):  # `keras.applications`: a module read from source
        return import_module(an, name, ctx, node)
    handler = EXTERNAL_ATTRS.find(name)
    answer = handler(an, name) if handler is not None else None
    return ExternalRef(qualname) if answer is None else answer
