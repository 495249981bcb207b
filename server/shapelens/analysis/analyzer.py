"""The analysis of one file: modules read, sites and findings collected, budget enforced.

`analyze(path, text)` is the entry point; `Analyzer` is the state the interpreter, the call
dispatch (calls.py) and the Keras model (keras_api.py) share.
"""

from __future__ import annotations

import ast
import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import Unknown
from . import builtins as pybuiltins
from . import calls, keras_api, syntax
from .imports import canonical, find_module_file, is_external, resolve_relative
from .interpreter import (
    BudgetExceeded,
    Cancelled,
    Frame,
    Interpreter,
    LoopSignal,
    ReturnSignal,
)
from .scope import Env
from .sites import Evaluation, Finding, Pos, Site
from .source import NoTime, ParseFailure, statements
from .values import (
    MISSING,
    BoundMethod,
    ClassVal,
    ExternalRef,
    FuncVal,
    Instance,
    LayerObj,
    ModelObj,
    ModuleVal,
    TensorVal,
)


@dataclass
class Options:
    extra_paths: list[str] = field(default_factory=list)
    image_data_format: str = "channels_last"
    time_budget: float = 1.0  # seconds for one file; then partial results + an info finding
    max_steps: int = 20_000_000
    max_depth: int = 60  # nested user-function calls
    strict: bool = False  # tests: an analyser bug raises instead of becoming Unknown
    cancelled: Callable[[], bool] | None = None  # polled; True stops the analysis (Cancelled)


@dataclass
class ModuleCtx:
    path: str
    name: str
    tree: ast.Module
    env: Env
    is_package: bool = False
    star_modules: list[str] = field(default_factory=list)
    entry: bool = False  # the file the user asked about
    source: str = ""  # the text, for fixes that quote it
    loaded: set[str] = field(default_factory=set)  # names the module reads (syntax.annotate)


@dataclass
class Analysis:
    """What one analysis found, per file path (the analysed file and the modules it read)."""

    path: str
    sites: dict[str, list[Site]]
    findings: dict[str, list[Finding]]
    models: list[Any]
    stopped: str | None = None
    # Names the analysed file uses that nothing defines (a half-typed `Conv2`): Python would stop
    # there with a NameError/AttributeError.
    undefined: frozenset[str] = frozenset()

    def sites_for(self, path: str | None = None) -> list[Site]:
        return self.sites.get(path or self.path, [])

    def findings_for(self, path: str | None = None) -> list[Finding]:
        return self.findings.get(path or self.path, [])


def _empty_module() -> ast.Module:
    return ast.Module(body=[], type_ignores=[])


class Analyzer:
    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self.interp = Interpreter(self)
        self._sites: dict[Pos, Site] = {}
        self._findings: dict[tuple[Any, ...], Finding] = {}
        self.modules: dict[str, ModuleCtx | None] = {}  # by file path
        self.models: list[Any] = []
        self.name_counts: dict[str, int] = {}
        self.depth = 0
        self.callers: list[int | None] = []  # user-function calls in progress: entry-file lines
        self.steps = 0
        self.deadline = 0.0
        self.stopped: str | None = None
        self.entry_path = ""
        self.errored = False  # an error was reported: Keras would have stopped there
        self.undefined: set[str] = set()  # names the entry file uses that nothing defines

    # --- entry --------------------------------------------------------------------------------

    def analyze(self, path: str, text: str | None = None) -> Analysis:
        # The cyclic collector's full passes over the hundreds of thousands of AST nodes of a big
        # file cannot be interrupted by the budget (they took up to 0.7 s of 1 s); reference
        # counting still frees most garbage (AST nodes hold no cycles), the rest after the analysis.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._analyze(path, text)
        finally:
            if collecting:
                gc.enable()

    def _analyze(self, path: str, text: str | None) -> Analysis:
        self.entry_path = path
        self.deadline = time.monotonic() + self.options.time_budget
        if text is None:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        name = Path(path).stem
        ctx = ModuleCtx(path, "__main__", _empty_module(), Env(kind="module"), entry=True,
                        source=text)
        ctx.env.vars["__name__"] = "__main__"
        ctx.env.vars["__file__"] = path
        self.modules[os.path.abspath(path)] = ctx
        ctx.env.vars["__shapelens_module__"] = name
        try:
            self.run_module(ctx, text)
            calls.call_entry_functions(self, ctx)
        except ParseFailure as e:
            line = max(1, e.line)
            self.report(
                Pos(path, line, 1, line, 1), "syntax-error", f"The file does not parse: {e.message}"
            )
        except Cancelled:
            raise
        except BudgetExceeded:
            pass
        except RecursionError:
            self.stopped = "the code is nested too deeply to follow"
            self.report(
                Pos(path, 1, 1, 1, 1),
                "analysis-stopped",
                f"Analysis stopped: {self.stopped}; shapes after this point are unknown.",
            )
        return self.result(path)

    def result(self, path: str) -> Analysis:
        sites: dict[str, list[Site]] = {}
        for site in self._sites.values():
            sites.setdefault(site.pos.path, []).append(site)
        for lst in sites.values():
            lst.sort(key=lambda s: (s.pos.line, s.pos.column, s.pos.end_line, s.pos.end_column))
        findings: dict[str, list[Finding]] = {}
        for f in self._findings.values():
            findings.setdefault(f.pos.path, []).append(f)
        for fl in findings.values():
            fl.sort(key=lambda f: (f.pos.line, f.pos.column))
        return Analysis(
            path, sites, findings, self.models, self.stopped, frozenset(self.undefined)
        )

    def run_module(self, ctx: ModuleCtx, text: str) -> None:
        """Parse and run a module's statements; a big file slice by slice (source.py).

        Raises ParseFailure when the text does not parse (after running the slices before it).
        """
        frame = Frame()
        try:
            for body in statements(text, ctx.path, lambda: self.deadline - time.monotonic()):
                ctx.tree.body.extend(body)
                ctx.loaded |= syntax.annotate(ast.Module(body=body, type_ignores=[]))
                self.interp.exec_block(body, ctx.env, ctx, frame)
        except NoTime as e:
            reason = f"the {self.options.time_budget:g} s budget for one file ran out"
            where = Pos(ctx.path, e.line, 1, e.line, 1)
            self.stop_at(f"{reason} while reading line {e.line}", where)
        except ReturnSignal:
            pass
        except LoopSignal as e:
            # `ast.parse` accepts a `break` outside any loop; Python's compiler refuses the file.
            self.report(
                Pos.of(ctx.path, e.node) if e.node is not None else Pos(ctx.path, 1, 1, 1, 1),
                "syntax-error",
                f"The file does not compile: '{e.keyword}' outside loop",
            )

    # --- budget and errors --------------------------------------------------------------------

    def tick(self, node: ast.AST, ctx: ModuleCtx) -> None:
        self.steps += 1
        if self.steps & 1023 == 0 and self.options.cancelled and self.options.cancelled():
            raise Cancelled("a newer version of the document arrived")
        if self.steps & 1023 == 0 and time.monotonic() > self.deadline:
            self.stop(f"the {self.options.time_budget:g} s budget for one file ran out", node, ctx)
        if self.steps > self.options.max_steps:
            self.stop("the step budget for one file ran out", node, ctx)

    def stop(self, reason: str, node: ast.AST, ctx: ModuleCtx) -> None:
        self.stop_at(reason, Pos.of(ctx.path, node))

    def stop_at(self, reason: str, pos: Pos) -> None:
        self.stopped = reason
        message = f"Analysis stopped: {reason}; shapes after this point are unknown."
        self.report(pos, "analysis-stopped", message)
        raise BudgetExceeded(reason)

    def internal_error(self, node: ast.AST, ctx: ModuleCtx, exc: Exception) -> None:
        if self.options.strict:
            raise exc
        self.report(
            Pos.of(ctx.path, node),
            "unknown-shape",
            f"ShapeLens could not follow this statement ({type(exc).__name__}: {exc})",
        )

    def report(
        self, pos: Pos, code: str, message: str, data: dict[str, Any] | None = None
    ) -> Finding:
        key = (pos, code, message)
        if key not in self._findings:
            self._findings[key] = Finding(pos, code, message, data)
            if self._findings[key].severity == "error":
                self.errored = True
        return self._findings[key]

    # --- user-function calls --------------------------------------------------------------------

    def enter(self, node: ast.AST, ctx: ModuleCtx) -> None:
        """A user function is entered from the call `node` (its line, if in the analysed file,
        tells hover which call gave which shape)."""
        self.depth += 1
        self.callers.append(getattr(node, "lineno", None) if ctx.entry else None)

    def leave(self) -> None:
        self.depth -= 1
        self.callers.pop()

    # --- sites --------------------------------------------------------------------------------

    def record(
        self, pos: Pos, op: str, name: str | None, ev: Evaluation | None, params: int | None = None
    ) -> Site:
        """Add what one evaluation of a site gave (None: the call failed, the site still shows)."""
        site = self._sites.get(pos)
        if site is None:
            site = self._sites[pos] = Site(pos, op, name, params)
        elif params is not None and site.params is None:
            site.params = params
        if ev is not None:
            ev.after_error = self.errored
            chain = tuple(line for line in self.callers if line is not None)
            ev.via = [chain] if chain else []
            site.add(ev)
        return site

    def auto_name(self, prefix: str) -> str:
        """Keras' automatic layer names: conv2d, conv2d_1, ... per prefix."""
        n = self.name_counts.get(prefix, 0)
        self.name_counts[prefix] = n + 1
        return prefix if n == 0 else f"{prefix}_{n}"

    # --- modules and names --------------------------------------------------------------------

    def import_module(self, name: str, ctx: ModuleCtx, node: ast.AST) -> Any:
        if is_external(name):
            return ExternalRef(name)
        base = os.path.dirname(os.path.abspath(ctx.path))
        path = find_module_file(name, base, self.options.extra_paths)
        if path is None:
            return ExternalRef(name)
        mod = self.load_module(path, name)
        return ModuleVal(name, mod) if mod is not None else Unknown(f"module {name} did not parse")

    def load_module(self, path: Path, name: str) -> ModuleCtx | None:
        key = str(path.resolve())
        if key in self.modules:
            return self.modules[key]
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            self.modules[key] = None
            return None
        package = path.name == "__init__.py"
        ctx = ModuleCtx(str(path), name, _empty_module(), Env(kind="module"), is_package=package)
        ctx.env.vars["__name__"] = name
        self.modules[key] = ctx  # an import cycle sees the half-run module
        try:
            self.run_module(ctx, text)
        except ParseFailure:
            self.modules[key] = None
            return None
        return ctx

    def import_from(self, node: ast.ImportFrom, env: Env, ctx: ModuleCtx) -> None:
        module = resolve_relative(
            node.module, node.level, ctx.name if not ctx.entry else "", ctx.is_package
        )
        if node.level and ctx.entry:
            module = node.module or ""
        mod = self.import_module(module, ctx, node) if module else Unknown("relative import")
        for alias in node.names:
            if alias.name == "*":
                if isinstance(mod, ModuleVal):
                    for k, v in mod.ctx.env.vars.items():
                        if not k.startswith("_"):
                            env.assign(k, v)
                elif isinstance(mod, ExternalRef):
                    ctx.star_modules.append(mod.qualname)
                continue
            full = f"{module}.{alias.name}"
            if isinstance(mod, ExternalRef) and not is_external(full):
                # `from keras.src.applications import imagenet_utils`: a module we read.
                env.assign(alias.asname or alias.name, self.import_module(full, ctx, node))
                continue
            value = self.get_attr(mod, alias.name, node, ctx)
            if isinstance(value, Unknown) and isinstance(mod, ModuleVal):
                sub = self.import_module(f"{module}.{alias.name}", ctx, node)
                value = sub if not isinstance(sub, ExternalRef) else value
            env.assign(alias.asname or alias.name, value)

    def missing_name(self, name: str, ctx: ModuleCtx) -> Any:
        b = pybuiltins.lookup(name)
        if b is not MISSING:
            return b
        for star in reversed(ctx.star_modules):
            ref = ExternalRef(f"{star}.{name}")
            if keras_api.star_has(star, name):
                return ref
        if ctx.star_modules:
            return ExternalRef(f"{ctx.star_modules[-1]}.{name}")
        if ctx.entry:
            self.undefined.add(name)
        return Unknown(f"name `{name}` is not defined here")

    def apply_decorator(self, dec: Any, value: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
        # Decorators from libraries (keras_export, tf.function, register_keras_serializable)
        # return the function unchanged as far as shapes go; user decorators are followed.
        if isinstance(dec, FuncVal):
            out = calls.call_function(self, dec, [value], {}, node, ctx)
            return value if isinstance(out, Unknown) else out
        return value

    # --- attribute access, subscripts ---------------------------------------------------------

    def get_attr(self, obj: Any, attr: str, node: ast.AST, ctx: ModuleCtx) -> Any:
        if isinstance(obj, ExternalRef):
            return keras_api.external_attr(self, obj, attr)
        if isinstance(obj, ModuleVal):
            v = obj.ctx.env.vars.get(attr, MISSING)
            return Unknown(f"`{obj.name}.{attr}` is not defined") if v is MISSING else v
        if isinstance(obj, Instance):
            if attr in obj.attrs:
                return obj.attrs[attr]
            v = obj.cls.lookup(attr)
            if isinstance(v, FuncVal):
                return BoundMethod(obj, v)
            if isinstance(v, property):
                return Unknown("a property")
            if v is not MISSING:
                return v
            return keras_api.instance_builtin_attr(self, obj, attr)
        if isinstance(obj, ClassVal):
            v = obj.lookup(attr)
            return Unknown(f"`{obj.name}.{attr}` is not known") if v is MISSING else v
        if isinstance(obj, TensorVal):
            return keras_api.tensor_attr(self, obj, attr)
        if isinstance(obj, (LayerObj, ModelObj)):
            return keras_api.layer_attr(self, obj, attr)
        if isinstance(obj, Unknown):
            return obj
        return pybuiltins.literal_attr(obj, attr)

    def subscript(self, obj: Any, key: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
        if isinstance(obj, TensorVal):
            return keras_api.tensor_getitem(self, obj, key, node, ctx)
        if isinstance(obj, Unknown):
            return obj
        if isinstance(key, Unknown):
            return key
        if isinstance(obj, (list, tuple, str, dict, range)):
            try:
                return obj[key]
            except Exception as e:
                return Unknown(f"{type(e).__name__}: {e}")
        if isinstance(obj, ExternalRef):
            return Unknown(f"subscript of `{obj.qualname}`")
        return Unknown("subscript of a value not known statically")

    # --- calls --------------------------------------------------------------------------------

    def call(
        self,
        func: Any,
        args: list[Any],
        kwargs: dict[str, Any],
        node: ast.Call,
        ctx: ModuleCtx,
        env: Env,
    ) -> Any:
        if isinstance(func, FuncVal):
            return calls.call_function(self, func, args, kwargs, node, ctx)
        if isinstance(func, BoundMethod):
            return calls.call_function(self, func.func, [func.self_val, *args], kwargs, node, ctx)
        if isinstance(func, ClassVal):
            return calls.instantiate(self, func, args, kwargs, node, ctx)
        if isinstance(func, ExternalRef):
            return keras_api.call_external(self, canonical(func.qualname), args, kwargs, node, ctx)
        if isinstance(func, LayerObj):
            return keras_api.call_layer(self, func, args, kwargs, node, ctx)
        if isinstance(func, ModelObj):
            return keras_api.call_model(self, func, args, kwargs, node, ctx)
        if isinstance(func, Instance):
            return calls.call_instance(self, func, args, kwargs, node, ctx)
        if isinstance(func, pybuiltins.Builtin):
            return func.fn(self, args, kwargs, node, ctx, env)
        if isinstance(func, Unknown):
            return keras_api.unknown_call(self, func, args, node, ctx)
        return Unknown("a call of a value not known statically")

    def tensor_binop(self, op: ast.operator, a: Any, b: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
        return keras_api.tensor_binop(self, op, a, b, node, ctx)
