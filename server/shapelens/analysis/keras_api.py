"""Keras and TensorFlow as the analyser sees them: layers, Input, models, ops, tensor attributes.

Every shape comes from the engine; this module turns analyser values into engine arguments,
records sites and turns engine errors into findings at the right expression.
"""

from __future__ import annotations

import ast
import copy
import math
from typing import TYPE_CHECKING, Any

from .. import engine
from ..engine import Result, ShapeError, Tensor, Unknown
from ..engine.args import canonical_layer
from . import fixes, models
from .builtins import Builtin
from .siteops import is_site_op
from .sites import Evaluation, Pos, shape_json
from .values import ExternalRef, FuncVal, Instance, LayerObj, ModelObj, TensorVal

if TYPE_CHECKING:
    from .analyzer import Analyzer, ModuleCtx

_MODEL_STARS = {"keras.models": {"Model", "Sequential", "load_model", "clone_model"}}


def star_has(module: str, name: str) -> bool:
    from .imports import canonical

    mod = canonical(module)
    if mod == "keras.layers":  # as in Keras: `Input`, but not `Model`/`Sequential`
        return canonical_layer(name) is not None or name == "Input"
    if mod == "keras":
        return canonical_layer(name) is not None or name in ("Input", "Model", "Sequential")
    return name in _MODEL_STARS.get(mod, set())


_MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau, "inf": math.inf}


def external_attr(an: Analyzer, ref: ExternalRef, attr: str) -> Any:
    if ref.qualname == "math" and attr in _MATH_CONSTANTS:
        return _MATH_CONSTANTS[attr]
    return ExternalRef(f"{ref.qualname}.{attr}")


# --- converting analyser values to engine arguments ------------------------------------------


def to_engine(v: Any) -> Any:
    if isinstance(v, TensorVal):
        return Tensor(v.shape)
    if isinstance(v, LayerObj):
        return v.constructed if v.constructed is not None else Unknown(v.error or "a layer")
    if isinstance(v, list):
        return [to_engine(x) for x in v]
    if isinstance(v, tuple):
        return tuple(to_engine(x) for x in v)
    if isinstance(v, dict):
        return {k: to_engine(x) for k, x in v.items()}
    if isinstance(v, (int, float, str, bool, type(None), Unknown, slice, type(Ellipsis))):
        return v
    if isinstance(v, (FuncVal, Builtin, ExternalRef)):
        return Unknown("a function")
    return Unknown(f"a {type(v).__name__} value")


def shape_of(v: Any) -> Any:
    """Engine input shape(s) from analyser tensors (nested lists kept)."""
    if isinstance(v, TensorVal):
        return v.shape
    if isinstance(v, (list, tuple)):
        return [shape_of(x) for x in v]
    if isinstance(v, dict):
        return [shape_of(x) for x in v.values()]
    return None


def tensors_from(result: Result, layer: Any, inputs: Any, call_kwargs: dict[str, Any]) -> Any:
    def build(out: Any, idx: list[int]) -> Any:
        if isinstance(out, list):
            return [build(o, idx) for o in out]
        t = TensorVal(out, layer, inputs, call_kwargs, idx[0], why=result.unknown)
        idx[0] += 1
        return t

    return build(result.outputs, [0])


def unknown_tensor(why: str, layer: Any = None, inputs: Any = None) -> TensorVal:
    return TensorVal(None, layer, inputs, why=why)


# --- external calls --------------------------------------------------------------------------


def call_external(
    an: Analyzer,
    qualname: str,
    args: list[Any],
    kwargs: dict[str, Any],
    node: ast.Call,
    ctx: ModuleCtx,
) -> Any:
    pos = Pos.of(ctx.path, node)
    if qualname == "keras.Input":
        return make_input(an, args, kwargs, pos)
    if qualname == "keras.Sequential":
        return models.make_sequential(an, args, kwargs, pos)
    if qualname == "keras.Model":
        return models.make_functional(an, args, kwargs, pos)
    if qualname.startswith("keras.layers."):
        name = qualname[len("keras.layers.") :]
        if name in _FUNCTIONAL_FORMS:
            return functional_merge(an, name, args, kwargs, node, ctx)
        return make_layer(an, name, args, kwargs, pos, node=node)
    special = _SPECIAL.get(qualname)
    if special is not None:
        return special(an, args, kwargs, node, ctx)
    if qualname.startswith("math.") or qualname in ("copy.deepcopy", "copy.copy"):
        return _pure_stdlib(qualname, args, kwargs)
    if qualname.startswith(("tf.", "keras.ops.", "keras.backend.", "numpy.")):
        return call_op(an, qualname, args, kwargs, node, ctx)
    if any(isinstance(a, TensorVal) for a in args):
        return unknown_tensor(f"`{qualname}` is not modelled")
    return Unknown(f"`{qualname}` is not modelled")


def make_input(an: Analyzer, args: list[Any], kwargs: dict[str, Any], pos: Pos) -> Any:
    try:
        c = engine.construct("Input", to_engine(args), to_engine(kwargs))
        assert c is not None
        result = engine.call(c, None)
    except ShapeError as e:
        an.report(pos, e.code, e.message)
        return unknown_tensor(f"Keras rejects this Input: {e.message}")
    lo = LayerObj("InputLayer", c, pos, _name(an, kwargs, "input_layer"))
    t = tensors_from(result, lo, None, {})
    lo.output = t
    lo.called = True
    an.record(
        pos,
        "Input",
        lo.name,
        Evaluation(shape_json(t), None, result.derivation, result.notes, result.unknown),
        0,
    )
    return t


def _name(an: Analyzer, kwargs: dict[str, Any], prefix: str) -> str:
    name = kwargs.get("name")
    return name if isinstance(name, str) else an.auto_name(prefix)


def snake(name: str) -> str:
    from .calls import _snake

    return _snake(name)


def make_layer(
    an: Analyzer,
    name: str,
    args: list[Any],
    kwargs: dict[str, Any],
    pos: Pos,
    kind: str | None = None,
    node: ast.AST | None = None,
) -> Any:
    """A layer object; `kind` names the class when `name` is a functional form (`concatenate`)."""
    spec_name = canonical_layer(name)
    if spec_name is None:
        if pos.path == an.entry_path:
            an.undefined.add(f"keras.layers.{name}")
        return Unknown(f"`keras.layers.{name}` is not a Keras 3 layer")
    kind = kind or spec_name
    lo = LayerObj(kind, None, pos, _name(an, kwargs, snake(kind)), tuple(args), dict(kwargs))
    try:
        c = engine.construct(spec_name, to_engine(args), to_engine(kwargs))
    except ShapeError as e:
        data: dict[str, Any] = {"arg": e.arg} if e.arg else {}
        if e.arg == "padding" and node is not None:
            allowed = ["valid", "same", "causal"] if kind.endswith("1D") else ["valid", "same"]
            data = fixes.fix_padding(node, kwargs.get("padding"), allowed, data)
        an.report(pos, e.code, f"{kind}: {e.message}", data or None)
        lo.error = f"Keras rejects this {kind}: {e.message}"
        return lo
    if c is None:
        lo.error = f"ShapeLens does not model `{kind}` yet"
    else:
        lo.constructed = c
        if kind == "InputLayer":
            res = engine.call(c, None)
            lo.output = tensors_from(res, lo, None, {})
            lo.called = True
    return lo


def layer_inputs(
    lo: LayerObj, args: list[Any], kwargs: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """Split a layer call into its input tensor(s) and the call's other keyword arguments."""
    kwargs = dict(kwargs)
    if lo.kind == "MultiHeadAttention" or lo.kind == "GroupQueryAttention":
        names = ["query", "value", "key"]
        vals = list(args[:3])
        for n in names[len(vals) :]:
            if n in kwargs:
                vals.append(kwargs.pop(n))
        while vals and vals[-1] is None:
            vals.pop()
        return vals, kwargs
    if args:
        first, rest = args[0], list(args[1:])
    else:
        first = kwargs.pop("inputs", None)
        rest = []
    if rest:
        kwargs["__positional__"] = rest
    return first, kwargs


def call_layer(
    an: Analyzer,
    lo: LayerObj,
    args: list[Any],
    kwargs: dict[str, Any],
    node: ast.AST | None,
    ctx: ModuleCtx | None,
    site: Pos | None = None,
    record: bool = True,
) -> Any:
    """Call a layer object; the site is the call expression, or `site` (Sequential: constructor)."""
    pos = site or Pos.of(ctx.path if ctx else lo.pos.path, node) if node is not None else lo.pos
    first, call_kwargs = layer_inputs(lo, args, kwargs)
    call_kwargs.pop("__positional__", None)
    if lo.kind == "Lambda" and lo.constructed is not None:
        return models.call_lambda(an, lo, first, call_kwargs, pos, record)
    if lo.constructed is None:
        out: Any = unknown_tensor(lo.error or "unknown layer", lo, first)
        result = Result.of_unknown(lo.error or "unknown layer")
    else:
        try:
            result = engine.call(lo.constructed, shape_of(first), to_engine(call_kwargs))
            if lo.params is not None and result.params is not None and result.params != lo.params:
                raise ShapeError(
                    "incompatible-shape",
                    f"Layer '{lo.name}' was built for input {lo.input_spec} and cannot be called "
                    f"on {_fmt_inputs(first)}: "
                    "its weights have fixed shapes",
                )
            out = tensors_from(result, lo, first, call_kwargs)
        except ShapeError as e:
            message = models.explain_error(lo, first, e)
            data = message.data
            if data and data.get("fix") == "insert-crop" and node is not None and ctx is not None:
                data = fixes.crop_skip(
                    node, getattr(ctx, "source", ""), data["input_index"], data["cropping"],
                    data, getattr(ctx, "tree", None), _resolves(an, ctx, "Cropping2D"))
            finding = an.report(pos, e.code, message.text, data)
            if record:
                an.record(pos, lo.kind, lo.name, None)
            out = unknown_tensor(f"Keras rejects this call: {e.message}", lo, first)
            out.error = finding
            return out
        zero = _zero_dims(result.outputs)
        if zero:
            an.report(
                pos,
                "zero-size-dim",
                f"{lo.kind}: the output {zero} has a dimension of size "
                "0; Keras builds it, but the tensor is empty",
            )
        for w in result.warnings:
            if "size 0" not in w and "has a 0" not in w:
                an.report(pos, "keras-note", f"{lo.kind}: {w}")
    if lo.params is None and result.params is not None and result.unknown is None:
        lo.params = result.params
        lo.input_spec = shape_of(first) if not isinstance(first, list) else None
    lo.output = out
    if record:
        lo.called = True
        an.record(
            pos,
            lo.kind,
            lo.name,
            Evaluation(
                shape_json(out), shape_json(first), result.derivation, result.notes, result.unknown
            ),
            lo.params,
        )
    return out


def _resolves(an: Analyzer, ctx: Any, name: str) -> bool:
    """Whether `name` means something in the module (bound, or from a star import)."""
    from .values import MISSING

    env = getattr(ctx, "env", None)
    if env is None:
        return True
    if env.lookup(name) is not MISSING:
        return True
    return any(star_has(m, name) for m in getattr(ctx, "star_modules", []))


def _fmt_inputs(first: Any) -> str:
    shapes = shape_of(first)
    if isinstance(first, list):
        return ", ".join(engine.fmt_shape(s) for s in shapes)
    return engine.fmt_shape(shapes)


def _zero_dims(outputs: Any) -> str | None:
    if isinstance(outputs, list):
        return next((z for z in (_zero_dims(o) for o in outputs) if z), None)
    if isinstance(outputs, tuple) and 0 in outputs:
        return engine.fmt_shape(outputs)
    return None


_FUNCTIONAL_FORMS = {
    "concatenate": "Concatenate",
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
    "dot": "Dot",
}


def functional_merge(
    an: Analyzer, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    """`concatenate([a, b], axis=3)`: Keras builds the layer and calls it; one site."""
    kwargs = dict(kwargs)
    inputs = args[0] if args else kwargs.pop("inputs", None)
    lo = make_layer(
        an, name, [None, *args[1:]], kwargs, Pos.of(ctx.path, node), kind=_FUNCTIONAL_FORMS[name]
    )
    if isinstance(lo, Unknown):
        return lo
    return call_layer(an, lo, [inputs], {}, node, ctx)


def call_model(
    an: Analyzer,
    model: ModelObj,
    args: list[Any],
    kwargs: dict[str, Any],
    node: ast.AST,
    ctx: ModuleCtx,
) -> Any:
    return models.call_model(an, model, args, kwargs, Pos.of(ctx.path, node))


def call_op(
    an: Analyzer,
    qualname: str,
    args: list[Any],
    kwargs: dict[str, Any],
    node: ast.Call,
    ctx: ModuleCtx,
) -> Any:
    pos = Pos.of(ctx.path, node)
    try:
        result = engine.apply_op(qualname, to_engine(args), to_engine(kwargs))
    except ShapeError as e:
        an.report(pos, e.code, f"{qualname.rsplit('.', 1)[-1]}: {e.message}")
        if is_site_op(qualname):
            an.record(pos, qualname, None, None, 0)
        return unknown_tensor(f"TensorFlow rejects this call: {e.message}")
    tensor_args = [a for a in [*args, *kwargs.values()] if isinstance(a, (TensorVal, list))]
    if result is None:
        if not any(isinstance(a, TensorVal) for a in args):
            return Unknown(f"`{qualname}` is not modelled")
        t = unknown_tensor(f"`{qualname}` is not modelled by ShapeLens")
        if is_site_op(qualname):
            an.record(pos, qualname, None, Evaluation(None, shape_json(args), unknown=t.why), 0)
        return t
    out = tensors_from(result, None, tensor_args, {})
    if tensor_args and is_site_op(qualname):
        an.record(
            pos,
            qualname,
            None,
            Evaluation(
                shape_json(out),
                [shape_json(a) for a in args if isinstance(a, TensorVal)],
                result.derivation,
                result.notes,
                result.unknown,
            ),
            None,
        )
    return out


def unknown_call(
    an: Analyzer, func: Unknown, args: list[Any], node: ast.AST, ctx: ModuleCtx
) -> Any:
    if any(isinstance(a, TensorVal) for a in args):
        return unknown_tensor(func.reason)
    return func


# --- special functions -----------------------------------------------------------------------


_MATH_FUNCS = {"ceil", "floor", "sqrt", "log", "log2", "log10", "exp", "pow", "prod", "gcd",
               "isclose", "fabs", "trunc", "lcm", "comb", "factorial", "isqrt"}


def _pure_stdlib(qualname: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """math.* on known numbers, copy.(deep)copy on literal structures: computed as Python does."""
    from .interpreter import is_literal

    if not all(is_literal(a) for a in [*args, *kwargs.values()]):
        return Unknown(f"`{qualname}` of a value not known statically")
    name = qualname.split(".", 1)[1]
    if qualname.startswith("copy."):
        return copy.deepcopy(args[0]) if args else Unknown("copy of nothing")
    if name not in _MATH_FUNCS:
        return Unknown(f"`{qualname}` is not modelled")
    big = any(isinstance(a, int) and a > 10_000 for a in args)
    if name in ("factorial", "comb", "pow") and big:
        return Unknown(f"`{qualname}` too large to evaluate")
    try:
        return getattr(math, name)(*args, **kwargs)
    except Exception as e:
        return Unknown(f"{type(e).__name__}: {e}")


def _linspace(an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call,
              ctx: ModuleCtx) -> Any:
    """numpy.linspace on known numbers: the values themselves (model code iterates them)."""
    names = ("start", "stop", "num")
    vals = {**dict(zip(names, args)), **{k: v for k, v in kwargs.items() if k in names}}
    start, stop, num = vals.get("start"), vals.get("stop"), vals.get("num", 50)
    nums = (start, stop, num)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nums):
        return Unknown("numpy.linspace of values not known statically")
    n = int(num)
    if n < 0 or n > MAX_LITERAL:
        return Unknown("numpy.linspace too large to evaluate")
    if n == 1:
        return [float(start)]  # type: ignore[arg-type]
    step = (stop - start) / (n - 1)  # type: ignore[operator]
    return [float(start + i * step) for i in range(n)]


MAX_LITERAL = 100_000


def _int_shape(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    t = args[0] if args else None
    if isinstance(t, TensorVal) and t.shape is not None:
        return tuple(t.shape)
    return Unknown("the shape of a tensor not known statically")


def _keras_shape(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    """keras.ops.shape(x) on a symbolic tensor: its static shape, None for dynamic dims."""
    return _int_shape(an, args, kwargs, node, ctx)


def _tf_shape(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    """tf.shape(x): a tensor of the run-time dims; statically only the defined ones are known."""
    shape = _int_shape(an, args, kwargs, node, ctx)
    if isinstance(shape, tuple):
        return tuple(
            Unknown("a dynamic dimension (known only at run time)") if d is None else d
            for d in shape
        )
    return shape


def _arange(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    names = ("start", "stop", "step")
    vals = dict(zip(names, args))
    vals.update({k: v for k, v in kwargs.items() if k in names or k == "limit" or k == "delta"})
    if "limit" in vals:
        vals["stop"] = vals.pop("limit")
    if "delta" in vals:
        vals["step"] = vals.pop("delta")
    if len(args) == 1 and "stop" not in kwargs:
        vals = {"start": 0, "stop": args[0]}
    start, stop, step = vals.get("start", 0), vals.get("stop"), vals.get("step", 1)
    if stop is None and "start" in vals and len(args) <= 1:
        start, stop = 0, vals["start"]
    if (
        all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, stop, step))
        and step != 0
    ):
        import math

        return TensorVal((max(0, math.ceil((stop - start) / step)),))
    return TensorVal((None,), why="the range's bounds are not known statically")


def _image_data_format(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    return an.options.image_data_format


def _none(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    return None


def _creator(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    """tf.random.normal([1, 5, 5, 3]), tf.zeros(...), np.ones(...): a tensor of that shape."""
    shape = args[0] if args else kwargs.get("shape")
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    if isinstance(shape, (list, tuple)) and all(isinstance(d, int) or d is None for d in shape):
        return TensorVal(tuple(shape))
    return unknown_tensor("a tensor whose shape is not known statically")


def _like(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    """tf.Variable(t), tf.identity(t), tf.convert_to_tensor(t): the same shape."""
    v = args[0] if args else kwargs.get("initial_value", kwargs.get("value"))
    if isinstance(v, TensorVal):
        return TensorVal(v.shape)
    if isinstance(v, (list, tuple)):
        return TensorVal(_nested_shape(v))
    if isinstance(v, (int, float)):
        return TensorVal(())
    return unknown_tensor("a tensor whose shape is not known statically")


def _nested_shape(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        inner = _nested_shape(v[0]) if v else ()
        return (len(v), *inner) if inner is not None else None
    return ()


_CREATORS = [
    "tf.random.normal",
    "tf.random.uniform",
    "tf.random.truncated_normal",
    "tf.zeros",
    "tf.ones",
    "tf.compat.v1.random_normal",
    "tf.compat.v1.random_uniform",
    "tf.random_normal",
    "numpy.zeros",
    "numpy.ones",
    "numpy.empty",
    "numpy.random.rand",
    "numpy.random.randn",
    "numpy.random.random",
    "numpy.random.normal",
    "keras.ops.zeros",
    "keras.ops.ones",
    "keras.random.normal",
    "keras.random.uniform",
]
_LIKES = [
    "tf.Variable",
    "tf.constant",
    "tf.convert_to_tensor",
    "tf.identity",
    "keras.ops.convert_to_tensor",
    "numpy.array",
    "numpy.asarray",
    "tf.compat.v1.Variable",
]


def _const(value: Any) -> Any:
    return lambda an, args, kwargs, node, ctx: value


_SPECIAL: dict[str, Any] = {
    "keras.ops.shape": _keras_shape,
    "tf.shape": _tf_shape,
    "keras.ops.arange": _arange,
    "tf.range": _arange,
    "numpy.arange": _arange,
    "numpy.linspace": _linspace,
    "keras.backend.epsilon": _const(1e-7),
    "keras.config.epsilon": _const(1e-7),
    "keras.backend.floatx": _const("float32"),
    "keras.config.floatx": _const("float32"),
    "keras.backend.int_shape": _int_shape,
    "keras.backend.image_data_format": _image_data_format,
    "keras.config.image_data_format": _image_data_format,
    "keras.backend.clear_session": _none,
    "keras.utils.set_random_seed": _none,
    "keras.utils.plot_model": _none,
    "tf.random.set_seed": _none,
    **{n: _creator for n in _CREATORS},
    **{n: _like for n in _LIKES},
}
# numpy.random.rand takes dims as separate arguments
_SPECIAL["numpy.random.rand"] = lambda an, a, k, n, c: _creator(an, [tuple(a)], {}, n, c)
_SPECIAL["numpy.random.randn"] = _SPECIAL["numpy.random.rand"]


# --- attributes ------------------------------------------------------------------------------


def tensor_attr(an: Analyzer, t: TensorVal, attr: str) -> Any:
    if attr in ("shape",):
        return tuple(t.shape) if t.shape is not None else Unknown(t.why or "unknown rank")
    if attr == "ndim":
        return t.rank if t.rank is not None else Unknown(t.why or "unknown rank")
    if attr in ("get_shape",):
        return Builtin("get_shape", lambda an, a, k, n, c, e: tensor_attr(an, t, "shape"))
    if attr in ("numpy", "eval"):
        return Builtin(attr, lambda an, a, k, n, c, e: TensorVal(t.shape))
    return Unknown(f"tensor attribute `{attr}` is not modelled")


def layer_attr(an: Analyzer, obj: Any, attr: str) -> Any:
    if isinstance(obj, ModelObj):
        return models.model_attr(an, obj, attr)
    lo: LayerObj = obj
    if attr == "output":
        return lo.output if lo.output is not None else Unknown("the layer has not been called")
    if attr == "name":
        return lo.name
    if attr == "count_params":
        return Builtin(
            "count_params",
            lambda *a: lo.params if lo.params is not None else Unknown("the layer is not built"),
        )
    if attr == "built":
        return lo.params is not None
    if lo.constructed is not None and attr in lo.constructed.bound:
        return lo.constructed.bound[attr]
    return Unknown(f"layer attribute `{attr}` is not modelled")


def instance_builtin_attr(an: Analyzer, inst: Instance, attr: str) -> Any:
    """Attributes a custom Layer/Model inherits from Keras (`self.add_weight`, `self.built`)."""
    if inst.cls.keras_base() is None:
        return Unknown(f"`{inst.cls.name}.{attr}` is not defined")
    if attr == "add_weight":
        return Builtin("add_weight", lambda an, a, k, n, c, e: models.add_weight(inst, a, k))
    if attr == "name":
        return inst.name
    if attr in ("built", "trainable"):
        return inst.built if attr == "built" else True
    if attr in (
        "build",
        "compile",
        "summary",
        "fit",
        "save",
        "load_weights",
        "save_weights",
        "__init__",
        "add_loss",
        "add_metric",
    ):
        return Builtin(attr, lambda *a: None)
    if attr == "count_params":
        return Builtin("count_params", lambda *a: inst.params)
    return Unknown(f"`{inst.cls.name}.{attr}` is inherited from Keras and not modelled")


def input_shape_arg(first: Any) -> Any:
    """The `input_shape` a custom layer's `build` receives: a tuple, or a list of tuples."""
    if isinstance(first, TensorVal):
        return tuple(first.shape) if first.shape is not None else Unknown("unknown input shape")
    if isinstance(first, (list, tuple)):
        return [input_shape_arg(f) for f in first]
    return Unknown("unknown input shape")


def as_tensors(out: Any, inst: Any, inputs: Any) -> Any:
    """A custom layer's outputs, re-tagged as produced by it (its internals are not the graph)."""
    if isinstance(out, Unknown):
        return unknown_tensor(out.reason, inst, inputs)
    if isinstance(out, TensorVal):
        return TensorVal(out.shape, inst, inputs, why=out.why)
    if isinstance(out, (list, tuple)):
        return type(out)(as_tensors(o, inst, inputs) for o in out)
    if isinstance(out, dict):
        return {k: as_tensors(v, inst, inputs) for k, v in out.items()}
    return out


def instance_params(inst: Instance) -> int | None:
    from .calls import tracked_layers

    total = sum(w for w in inst.attrs.get("__weights__", []) if isinstance(w, int))
    for sub in tracked_layers([v for k, v in inst.attrs.items() if not k.startswith("__")]):
        p = sub.params if not isinstance(sub, ModelObj) else models.model_params(sub)
        if isinstance(p, int):
            total += p
    return total


def tensor_getitem(an: Analyzer, t: TensorVal, key: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
    try:
        result = engine.apply_op("getitem", [Tensor(t.shape), to_engine(key)], {})
    except ShapeError as e:
        an.report(Pos.of(ctx.path, node), e.code, f"indexing: {e.message}")
        return unknown_tensor(e.message)
    if result is None:
        return unknown_tensor("indexing is not modelled")
    if result.unknown:
        return unknown_tensor(result.unknown)
    return TensorVal(result.outputs)


def tensor_binop(
    an: Analyzer, op: ast.operator, a: Any, b: Any, node: ast.AST, ctx: ModuleCtx
) -> Any:
    name = {
        ast.Add: "add",
        ast.Sub: "subtract",
        ast.Mult: "multiply",
        ast.Div: "divide",
        ast.MatMult: "matmul",
        ast.Pow: "power",
        ast.FloorDiv: "floor_divide",
        ast.Mod: "mod",
    }.get(type(op), "add")
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return unknown_tensor("arithmetic with a value not known statically")
    try:
        result = engine.apply_op(f"keras.ops.{name}", [to_engine(a), to_engine(b)], {})
    except ShapeError as e:
        an.report(Pos.of(ctx.path, node), e.code, e.message)
        return unknown_tensor(e.message)
    if result is None:
        scalar_other = not isinstance(a, TensorVal) or not isinstance(b, TensorVal)
        t = a if isinstance(a, TensorVal) else b
        if scalar_other and isinstance(a if t is b else b, (int, float)):
            return TensorVal(t.shape)
        return unknown_tensor(f"`{name}` on tensors is not modelled")
    return tensors_from(result, None, [a, b], {})
