"""Run a Keras model file under real TensorFlow 2.21 and record the output shape seen at each site.

This is the ground truth that `shapelens check --json` is compared with, line by line.

Sites (keyed by the 1-based line and 1-based column = ast ``col_offset + 1`` of the START of the
whole call expression):

* every layer call ``layer(x)`` made from the model file (a model called as a layer, and each call
  of a shared layer, included);
* every ``Input(...)`` / ``keras.Input(...)`` call and every functional merge helper
  (``concatenate``, ``add``, ... in ``keras.layers``);
* every shape op call listed in ``TF_OPS`` / ``TF_NN_OPS`` / ``KERAS_OPS`` / ``KERAS_BACKEND_OPS``
  made from the model file;
* every call of a function (method, callable object) of the model file's folder made from the
  model file whose result is a tensor or a tuple/list of tensors only (``x = conv_bn(x, 32)``),
  traced with ``sys.settrace``; and every ``name = call(...)`` of the model file whose value is
  concrete data (numpy array, eager tensor, variable) of rank > 0 (truth_results.py);
* a layer that Keras calls itself from a Sequential/Functional model (the layers of
  ``Sequential([...])`` / ``model.add(...)``) is recorded at the expression that CONSTRUCTED it,
  unless that layer object was ever called directly from the model file.

A call is *direct* when the frame that calls it is in the model file (or in a file of the model
file's folder it imports); calls made by Keras/TF internals (e.g. the EinsumDense layers inside
MultiHeadAttention, the ``Concatenate`` layer inside ``concatenate(...)``) are not sites.

The value of a site is the list of its distinct outputs in order of first evaluation; one output is
a shape (list of int / None) or, for calls returning several tensors, a list of shapes.

If running the file raises, ``error`` is ``{"line", "column", "message"}`` of the innermost site of
the model file that was executing (or, when no site was executing, e.g. a layer constructor raising,
of the innermost call expression of the model file in the traceback) and recording stops there.

After the module body (run as ``__main__``), every top-level function whose parameters all have
defaults and whose name is never used as a value (read other than as ``name.attr``) is called
with no arguments, in
definition order (the analyser does the same).

API: ``record(path)`` (in this process), ``record_many(paths)``, ``record_in_subprocess(path)``;
CLI (from tests/): ``python -m support.truth_recorder [--subprocess] FILE...`` prints JSON.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import types
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# --- the op functions that are sites (only when called directly from the model file) -----------

#: functional helpers of keras.layers that are sites like a layer call
KERAS_LAYER_FUNCTIONS = (
    "Input",
    "concatenate",
    "add",
    "subtract",
    "multiply",
    "average",
    "maximum",
    "minimum",
    "dot",
)

# Which op functions are sites: one table, shared with the analyser (the shapes stay TF's own).
from shapelens.analysis.keras.siteops import (  # noqa: E402
    KERAS_BACKEND_OPS,
    KERAS_OPS,
    TF_NN_OPS,
    TF_OPS,
)

from . import truth_results  # noqa: E402
from .truth_positions import Positions  # noqa: E402


class _State:
    """Per-file recording state."""

    def __init__(self, model_files: set[str]) -> None:
        self.model_files = model_files  # absolute co_filenames treated as "the model file"
        self.main_file = ""
        self.sites: dict[tuple[str, int, int], list[Any]] = {}
        self.constructed: dict[int, tuple[Any, tuple[str, int, int] | None]] = {}
        self.called_directly: dict[int, Any] = {}  # id -> layer (kept alive: ids stay unique)
        self.stack: list[tuple[str, int, int]] = []
        self.where = Positions()


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_STATE: _State | None = None
_LOCK = threading.RLock()
_INSTALLED = False


# --- positions ------------------------------------------------------------------------------


def _position(
    state: _State, frame: types.FrameType, lasti: int | None = None
) -> tuple[str, int, int]:
    """(file, 1-based line, 1-based column) of the call expression `frame` is executing."""
    return state.where.position(frame, lasti)


def _in_model(state: _State, frame: types.FrameType | None) -> bool:
    return frame is not None and frame.f_code.co_filename in state.model_files


# --- shapes ---------------------------------------------------------------------------------


def _shape_of(value: Any) -> Any:
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, (int, float)):
        if hasattr(shape, "rank") and shape.rank is None:  # tf.TensorShape of unknown rank
            return None
        try:
            dims = list(shape)
        except TypeError:
            return None
        out = []
        for d in dims:
            d = getattr(d, "value", d)  # TF1 Dimension
            out.append(None if d is None else int(d))
        return out
    if isinstance(value, (list, tuple)):
        return [_shape_of(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _shape_of(v) for k, v in value.items()}
    return None


def _has_tensor(value: Any) -> bool:
    if hasattr(value, "shape") and not isinstance(value, (int, float)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_tensor(v) for v in value)
    if isinstance(value, dict):
        return any(_has_tensor(v) for v in value.values())
    return False


def _add(state: _State, site: tuple[str, int, int], value: Any) -> None:
    if not _has_tensor(value):
        return
    shape = _shape_of(value)
    outs = state.sites.setdefault(site, [])
    if shape not in outs:
        outs.append(shape)


# --- wrappers -------------------------------------------------------------------------------


def _inner_site(exc: BaseException) -> tuple[str, int, int] | None:
    """The site of an exception Keras caught and re-raised as `exc` (its __context__/__cause__)."""
    seen: set[int] = set()
    inner = exc.__cause__ or exc.__context__
    while inner is not None and id(inner) not in seen:
        seen.add(id(inner))
        site = getattr(inner, "_shapelens_site", None)
        if site is not None:
            return site
        inner = inner.__cause__ or inner.__context__
    return None


def _tag(exc: BaseException, site: tuple[str, int, int]) -> None:
    if getattr(exc, "_shapelens_site", None) is None:
        # Keras re-raises errors of a layer's call() as new exceptions ("Exception encountered
        # when calling ..."): keep the innermost site, which the original exception carries.
        site = _inner_site(exc) or site
        with contextlib.suppress(Exception):  # exceptions without __dict__: use the traceback
            exc._shapelens_site = site  # type: ignore[attr-defined]


def _run_site(state: _State, site: tuple[str, int, int], fn: Any, args: Any, kwargs: Any) -> Any:
    state.stack.append(site)
    try:
        out = fn(*args, **kwargs)
    except BaseException as e:
        _tag(e, site)
        raise
    finally:
        state.stack.pop()
    _add(state, site, out)
    return out


def _wrap_function(fn: Any) -> Any:
    if getattr(fn, "_shapelens_wrapped", False):
        return fn

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        state = _STATE
        if state is None:
            return fn(*args, **kwargs)
        caller = sys._getframe(1)
        if not _in_model(state, caller):
            return fn(*args, **kwargs)
        return _run_site(state, _position(state, caller), fn, args, kwargs)

    wrapper._shapelens_wrapped = True  # type: ignore[attr-defined]
    wrapper._shapelens_original = fn  # type: ignore[attr-defined]
    return wrapper


def _trace_call(frame: types.FrameType, event: str, arg: Any) -> Any:
    """sys.settrace: a new frame is traced (its return recorded) when the model file calls a
    function of its own folder; every other frame runs untraced."""
    state = _STATE
    code = frame.f_code
    if (state is None or event != "call" or code.co_filename not in state.model_files
            or not _in_model(state, frame.f_back) or not truth_results.traced(code)):
        return None
    frame.f_trace_lines = False
    return _trace_return


def _trace_return(frame: types.FrameType, event: str, arg: Any) -> Any:
    state = _STATE
    caller = frame.f_back
    if (event == "return" and state is not None and caller is not None
            and truth_results.is_tensor_result(arg) and truth_results.at_call(caller)):
        hit = state.where.call_at(caller)
        if hit is not None and truth_results.calls_code(hit[1], caller, frame.f_code):
            _add(state, hit[0], arg)
    return _trace_return


def _assigned(value: Any, line: int, column: int) -> Any:
    """The instrumented module's `name = call(...)`: concrete data is a site of the main file."""
    state = _STATE
    if state is not None and truth_results.is_concrete(value):
        _add(state, (state.main_file, line, column), value)
    return value


def _direct_caller(start: types.FrameType | None, skip_name: str) -> types.FrameType | None:
    """The first frame above `start` that is not a Keras-internal `skip_name` override."""
    f = start
    while f is not None and f.f_code.co_name == skip_name and "/keras/" in f.f_code.co_filename:
        f = f.f_back
    return f


def _install() -> None:
    global _INSTALLED
    if _INSTALLED:
        return
    import keras
    import tensorflow as tf
    from keras.src.layers.layer import Layer
    from keras.src.ops.function import Function

    container_types: tuple[type, ...] = (Function,)
    try:
        from keras.src.models.sequential import Sequential

        container_types = (Function, Sequential)
    except ImportError:  # pragma: no cover
        pass

    # Layer construction sites.
    orig_new = Layer.__dict__["__new__"]
    orig_new_fn = orig_new.__func__ if isinstance(orig_new, staticmethod) else orig_new

    def new_wrapper(cls: Any, *args: Any, **kwargs: Any) -> Any:
        obj = orig_new_fn(cls, *args, **kwargs)
        state = _STATE
        if state is not None:
            direct = _direct_caller(sys._getframe(1), "__new__")
            site = _position(state, direct) if _in_model(state, direct) else None
            state.constructed[id(obj)] = (obj, site)
        return obj

    Layer.__new__ = staticmethod(new_wrapper)  # type: ignore[assignment]

    # Layer calls.
    orig_call = Layer.__call__

    @functools.wraps(orig_call)
    def call_wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        state = _STATE
        if state is None:
            return orig_call(self, *args, **kwargs)
        caller = _direct_caller(sys._getframe(1), "__call__")
        if _in_model(state, caller):
            state.called_directly[id(self)] = self
            return _run_site(state, _position(state, caller), orig_call, (self, *args), kwargs)
        # Internal call: a layer of a Sequential/Functional model, recorded at its construction.
        if id(self) not in state.called_directly and caller is not None:
            owner = caller.f_locals.get("self")
            entry = state.constructed.get(id(self))
            if isinstance(owner, container_types) and entry is not None and entry[1] is not None:
                return _run_site(state, entry[1], orig_call, (self, *args), kwargs)
        return orig_call(self, *args, **kwargs)

    Layer.__call__ = call_wrapper  # type: ignore[method-assign]

    # Functions: replace the public bindings everywhere they are exported.
    targets: list[Any] = []
    for name in KERAS_LAYER_FUNCTIONS:
        targets.append(getattr(keras.layers, name))
    for name in KERAS_OPS:
        obj: Any = keras.ops
        for part in name.split("."):
            obj = getattr(obj, part, None)
        if obj is not None:
            targets.append(obj)
    for name in TF_OPS:
        obj = tf
        for part in name.split("."):
            obj = getattr(obj, part, None)
        if obj is not None:
            targets.append(obj)
    for name in TF_NN_OPS:
        obj = getattr(tf.nn, name, None)
        if obj is not None:
            targets.append(obj)
    for name in KERAS_BACKEND_OPS:  # tf.keras.backend: Keras 2's backend functions
        obj = getattr(tf.keras.backend, name, None)
        if obj is not None:
            targets.append(obj)
    originals = {id(t): t for t in targets if callable(t)}
    # Make sure tf.keras (lazily loaded) and the keras public API modules are imported.
    for attr in ("layers", "ops", "models", "backend"):
        with contextlib.suppress(Exception):
            getattr(tf.keras, attr)
    # `from tensorflow.keras import layers` imports modules of its own: load them before patching.
    for mod_name in ("keras.layers", "keras.ops", "keras.models", "keras.ops.image",
                     "tensorflow.keras", "tensorflow.keras.layers", "tensorflow.keras.models",
                     "tensorflow.keras.ops", "tensorflow.keras.backend"):
        with contextlib.suppress(Exception):
            __import__(mod_name)
    wrappers: dict[int, Any] = {}
    for mod_name, mod in list(sys.modules.items()):
        if mod is None or not isinstance(mod, types.ModuleType):
            continue
        # keras.src.layers / keras.src.ops: the names keras.applications call (`layers.Input`).
        public_keras = (mod_name.startswith("keras") and not mod_name.startswith("keras.src")) or (
            mod_name in ("keras.src.layers", "keras.src.ops")
        )
        public_tf = mod_name == "tensorflow" or mod_name.startswith(
            ("tensorflow._api.", "tensorflow.keras")
        )
        if not (public_keras or public_tf):
            continue
        try:
            items = list(vars(mod).items())
        except TypeError:
            continue
        for attr, value in items:
            if id(value) in originals and originals[id(value)] is value:
                w = wrappers.setdefault(id(value), _wrap_function(value))
                with contextlib.suppress(Exception):
                    setattr(mod, attr, w)
    _INSTALLED = True


# --- running a file -------------------------------------------------------------------------


def uncalled_default_functions(tree: ast.Module) -> list[str]:
    """Top-level functions whose params all have defaults and whose name the module never uses
    as a value: a builder only decorated, or only read as `F.__doc__`, still counts."""
    owners = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    loaded = {
        n.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in owners
    }
    names = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        a = node.args
        positional = a.posonlyargs + a.args
        if len(a.defaults) != len(positional):
            continue
        if any(d is None for d in a.kw_defaults):
            continue
        if node.name in loaded:
            continue
        names.append(node.name)
    return names


def _error_position(state: _State, exc: BaseException) -> tuple[str, int, int] | None:
    site = getattr(exc, "_shapelens_site", None) or _inner_site(exc)
    if site is not None:
        return site
    # No site executing: innermost call expression of the model file in the traceback.
    found = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in state.model_files:
            found = _position(state, tb.tb_frame, tb.tb_lasti)
        tb = tb.tb_next
    return found


def record(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Run one model file in this process and return {"sites": [...], "error": ... | None}."""
    global _STATE
    import keras

    _install()
    main = str(Path(path).resolve())
    folder = os.path.dirname(main)
    model_files = {str(p.resolve()) for p in Path(folder).glob("*.py")} | {main}
    state = _State(model_files)
    state.main_file = main
    source = Path(main).read_text(encoding="utf-8")
    tree = ast.parse(source, main)
    to_call = uncalled_default_functions(tree)
    keras.backend.clear_session()
    before_modules = set(sys.modules)
    error: dict[str, Any] | None = None
    with _LOCK:
        _STATE = state
        sys.path.insert(0, folder)
        sink = io.StringIO()
        try:
            with contextlib.redirect_stdout(sink):
                namespace = truth_results.run_main(main, source, _assigned, _trace_call)
                saved_trace = sys.gettrace()
                sys.settrace(_trace_call)
                try:
                    for name in to_call:
                        fn = namespace.get(name)
                        if callable(fn):
                            fn()
                finally:
                    sys.settrace(saved_trace)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            pos = _error_position(state, exc)
            msg = _ANSI.sub("", f"{type(exc).__name__}: {exc}")
            if pos is None or pos[0] != main:
                error = {"line": None, "column": None, "message": msg}
                if pos is not None:
                    error.update(file=os.path.basename(pos[0]), line=pos[1], column=pos[2])
            else:
                error = {"line": pos[1], "column": pos[2], "message": msg}
        finally:
            _STATE = None
            with contextlib.suppress(ValueError):
                sys.path.remove(folder)
            # Forget modules imported from the model folder: the next file gets fresh ones.
            for name in set(sys.modules) - before_modules:
                file = getattr(sys.modules.get(name), "__file__", None)
                if file and os.path.dirname(os.path.abspath(file)) == folder:
                    del sys.modules[name]
    keras.backend.clear_session()
    sites = [
        {"line": line, "column": col, "outputs": outs}
        for (file, line, col), outs in sorted(state.sites.items(), key=lambda kv: kv[0][1:])
        if file == main and outs
    ]
    result: dict[str, Any] = {"sites": sites, "error": error}
    other = sorted(
        (os.path.basename(f), ln, c, o) for (f, ln, c), o in state.sites.items() if f != main and o
    )
    if other:
        result["imported_sites"] = [
            {"file": f, "line": ln, "column": c, "outputs": o} for f, ln, c, o in other
        ]
    return result


def record_many(paths: list[str | os.PathLike[str]]) -> dict[str, dict[str, Any]]:
    """Record several files in this process (fresh namespace and Keras session per file)."""
    return {str(p): record(p) for p in paths}


def record_in_subprocess(path: str | os.PathLike[str], timeout: float = 300) -> dict[str, Any]:
    """Record one file in a fresh Python process (isolation, e.g. for files that fail)."""
    tests_dir = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = tests_dir + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    proc = subprocess.run(
        [sys.executable, "-m", "support.truth_recorder", str(Path(path).resolve())],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=tests_dir,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"truth recorder failed on {path}:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)[str(Path(path).resolve())]


def dumps(results: dict[str, Any]) -> str:
    """JSON of {path: result} with one line per site (readable diffs)."""
    parts = []
    for path, res in results.items():
        lines = [json.dumps(site) for site in res["sites"]]
        body = ",\n   ".join(lines)
        extra = "".join(
            f", {json.dumps(k)}: {json.dumps(v)}" for k, v in res.items() if k not in ("sites",)
        )
        parts.append(f' {json.dumps(path)}: {{"sites": [\n   {body}\n  ]{extra}}}')
    return "{\n" + ",\n".join(parts) + "\n}"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    isolate = "--subprocess" in args
    files = [a for a in args if not a.startswith("--")]
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    for f in files:
        key = str(Path(f).resolve()) if not isolate else f
        out[key] = record_in_subprocess(f) if isolate else record(f)
    sys.stdout.write(dumps(out) + "\n")
    print(f"recorded {len(files)} file(s) in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
