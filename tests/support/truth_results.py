"""What the truth recorder sees beyond layer and op calls: calls of the model file's own functions
(their results, traced) and concrete data assigned from a call (the module's assignments wrapped).

The analyser's rule (server/shapelens/analysis/core/results.py), checked against TensorFlow:
a user-function call shows a result that is a tensor or a tuple/list of tensors only; an
assignment `name = call(...)` shows concrete data (a numpy array, an eager tensor, a variable)
of rank > 0, or a tuple/list of such only.
"""

from __future__ import annotations

import ast
import dis
import functools
import inspect
import sys
import types
from collections.abc import Callable
from typing import Any

#: the name the instrumented module calls with each assigned value
HOOK = "__shapelens_assigned__"
_GENERATOR = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
_CALLS = {"CALL", "CALL_FUNCTION_EX", "CALL_KW"}
_UNKNOWN = object()


def instrument(tree: ast.Module) -> ast.Module:
    """`x = f(...)` -> `x = HOOK(f(...), line, col)` everywhere in the module, positions kept:
    the wrapper takes the call's own location, so tracebacks and call positions are unchanged."""

    class Wrap(ast.NodeTransformer):
        def _wrap(self, value: ast.expr) -> ast.expr:
            hook = ast.Call(
                ast.Name(HOOK, ast.Load()),
                [value, ast.Constant(value.lineno), ast.Constant(value.col_offset + 1)],
                [],
            )
            for n in ast.walk(hook):
                if n is not value and not _inside(n, value):
                    ast.copy_location(n, value)
            return hook

        def visit_Assign(self, node: ast.Assign) -> ast.AST:
            self.generic_visit(node)
            if isinstance(node.value, ast.Call):
                node.value = self._wrap(node.value)
            return node

        def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
            self.generic_visit(node)
            if isinstance(node.value, ast.Call):
                node.value = self._wrap(node.value)
            return node

    return ast.fix_missing_locations(Wrap().visit(tree))


def _inside(n: ast.AST, value: ast.expr) -> bool:
    return any(n is m for m in ast.walk(value))


def is_concrete(value: Any) -> bool:
    """Concrete data whose every dim is known, of rank > 0 (or a non-empty tuple/list of it
    only), as the analyser's host arrays: numpy arrays, eager TF tensors and variables; never a
    symbolic KerasTensor, nor a graph tensor made inside a layer's `call` while Keras builds
    the model (the analyser's symbolic tensor there: `ops.arange(0, ops.shape(x)[-1])`)."""
    # Imported here as in the recorder: TensorFlow loads only once a file is recorded.
    import numpy as np
    import tensorflow as tf

    if isinstance(value, (list, tuple)):
        return bool(value) and all(is_concrete(v) for v in value)
    if isinstance(value, tf.Tensor) and tf.is_symbolic_tensor(value):
        return False
    if isinstance(value, (np.ndarray, tf.Tensor, tf.Variable)):
        dims = getattr(value.shape, "rank", len(value.shape))
        return bool(dims) and all(d is not None for d in tuple(value.shape))
    return False


def is_tensor_result(value: Any) -> bool:
    """A user function's result that shows: a symbolic tensor (a KerasTensor, or a graph tensor
    inside a layer's `call`) or concrete data as `is_concrete` says, or a non-empty tuple/list
    of those only."""
    import keras  # as above: TensorFlow loads only once a file is recorded
    import tensorflow as tf

    if isinstance(value, (list, tuple)):
        return bool(value) and all(is_tensor_result(v) for v in value)
    if isinstance(value, keras.KerasTensor) or (
            isinstance(value, tf.Tensor) and tf.is_symbolic_tensor(value)):
        return True
    return is_concrete(value)


def traced(code: types.CodeType) -> bool:
    """A function body whose return is a call's result: not a generator, class body, module or
    comprehension (those run from the caller's frame without a call of the user's own)."""
    if code.co_flags & _GENERATOR:
        return False
    return not code.co_name.startswith("<") or code.co_name == "<lambda>"


def at_call(frame: types.FrameType) -> bool:
    """The frame is executing a call instruction (not an attribute load running a property).

    Python 3.11 leaves `f_lasti` on the call's last inline CACHE entry: step back over them."""
    co_code, i = frame.f_code.co_code, frame.f_lasti
    while 0 < i < len(co_code) and dis.opname[co_code[i]] == "CACHE":
        i -= 2
    return 0 <= i < len(co_code) and dis.opname[co_code[i]] in _CALLS


def calls_code(node: ast.Call, frame: types.FrameType, code: types.CodeType) -> bool:
    """Whether the call `node`, run in `frame`, is the call of `code` itself rather than of a
    builtin that calls it (`list(map(f, xs))`). The callee expression is looked up without side
    effects where it is a name, an attribute or an index; otherwise assumed to be the call."""
    obj = _static(node.func, frame)
    if obj is _UNKNOWN:
        return True
    for _ in range(8):
        if isinstance(obj, functools.partial):
            obj = obj.func
        elif isinstance(obj, (staticmethod, classmethod)) or inspect.ismethod(obj):
            obj = obj.__func__
        elif inspect.isfunction(obj):
            if obj.__code__ is code:
                return True
            obj = getattr(obj, "__wrapped__", None)
        elif obj is not None and not isinstance(obj, type):
            call = inspect.getattr_static(type(obj), "__call__", None)
            return inspect.isfunction(call) and call.__code__ is code
        else:
            return False
    return False


def _static(node: ast.expr, frame: types.FrameType) -> Any:
    if isinstance(node, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
            if node.id in scope:
                return scope[node.id]
        return _UNKNOWN
    if isinstance(node, ast.Attribute):
        owner = _static(node.value, frame)
        if owner is _UNKNOWN:
            return _UNKNOWN
        try:
            found = inspect.getattr_static(owner, node.attr)
        except AttributeError:
            return _UNKNOWN
        if isinstance(found, property):
            return _UNKNOWN
        if inspect.isfunction(found) and not isinstance(owner, (type, types.ModuleType)):
            return getattr(owner, node.attr)  # a plain method: bind it, no code runs
        return found
    if isinstance(node, ast.Subscript):
        owner = _static(node.value, frame)
        key = (node.slice.value if isinstance(node.slice, ast.Constant)
               else _static(node.slice, frame))
        if type(owner) in (list, tuple, dict) and key is not _UNKNOWN:
            try:
                return owner[key]
            except (LookupError, TypeError):
                return _UNKNOWN
    return _UNKNOWN


def run_main(main: str, source: str, hook: Callable[..., Any], trace: Any) -> dict[str, Any]:
    """Run the model file as `__main__` (as runpy.run_path does: a fresh module in
    sys.modules, argv[0] the file), its assignments calling `hook` and `trace` as the
    sys.settrace function while it runs; returns its namespace."""
    code = compile(instrument(ast.parse(source, main)), main, "exec")
    module = types.ModuleType("__main__")
    module.__dict__.update(__file__=main, __cached__=None, __loader__=None, __package__=None,
                           __spec__=None, __builtins__=__builtins__)
    module.__dict__[HOOK] = hook
    saved_main, saved_argv = sys.modules.get("__main__"), list(sys.argv)
    saved_trace = sys.gettrace()
    sys.modules["__main__"] = module
    sys.argv[:1] = [main]
    sys.settrace(trace)
    try:
        exec(code, module.__dict__)
    finally:
        sys.settrace(saved_trace)
        sys.argv[:] = saved_argv
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
    return module.__dict__
