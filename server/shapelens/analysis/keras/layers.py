"""Keras layers as values: `Input`, layer objects built by the engine, and their calls (the
site is the call expression; inside a Sequential, the constructor), with Keras' errors reported
on the expression Keras raises at, worded with their fix.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from typing import Any

from ... import engine
from ...engine import Result, ShapeError, Unknown
from ...engine.args import canonical_layer, takes
from ..core.builtins import Builtin
from ..core.context import Host, ModuleCtx
from ..core.convert import to_engine
from ..core.dispatch import ATTR, CALL, ENTER, TRUTH
from ..core.scope import Env
from ..core.sites import Evaluation, Pos, shape_json, symbolic_json
from ..core.values import MISSING
from . import fixes, masks
from .explain import explain_error
from .graph import APPLY
from .lambdas import call_lambda
from .mergecheck import follow_layer
from .names import canonical, star_exports
from .renamed import int_shape_fix, layer_keywords, layer_warnings, removed_method
from .specials import image_data_format
from .symbolic import (
    MADE_WHEN_BUILT,
    MADE_WHEN_CONSTRUCTED,
    MASKS_JOINED_BY,
    Tracing,
    name_layers_built,
    name_mask_ops,
    name_own_layers,
)
from .symshapes import input_symbols, symbolic_derivation
from .tensors import (
    eager,
    fails_on_every_path,
    join_shapes,
    leaves,
    per_path,
    shape_of,
    tensors_from,
    unknown_tensor,
)
from .values import LayerObj, TensorVal


def make_input(an: Host, args: list[Any], kwargs: dict[str, Any], pos: Pos,
               node: ast.AST | None = None) -> Any:
    try:
        c = engine.construct("Input", to_engine(args), to_engine(kwargs))
        assert c is not None
        result = engine.call(c, None)
    except ShapeError as e:
        an.report(pos, e.code, e.message, int_shape_fix(an, pos, args, kwargs))
        return unknown_tensor(f"Keras rejects this Input: {e.message}")
    lo = LayerObj("InputLayer", c, pos, _name(an, kwargs, "input_layer"))
    lo.via = an.via
    t = tensors_from(result, lo, None, {})
    if isinstance(t, TensorVal):
        t.sym = input_symbols(an, t.shape, node)
    lo.output = lo.node_output = t
    lo.called = True
    an.record(
        pos,
        "Input",
        lo.name,
        Evaluation(shape_json(t), None, result.derivation, result.notes, result.unknown,
                   symbolic=symbolic_json(t)),
        0,
    )
    return t


def _name(an: Host, kwargs: dict[str, Any], prefix: str) -> str:
    name = kwargs.get("name")
    return name if isinstance(name, str) else an.auto_name(prefix)


@functools.lru_cache(maxsize=1024)
def snake(name: str) -> str:
    # Keras' `to_snake_case` (auto names such as `my_block_1`); cached: every layer asks.
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return s if s[:1] != "_" else "private" + s


def make_layer(
    an: Host,
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
    layer_warnings(an, kind, kwargs, pos)
    lo = LayerObj(kind, None, pos, _name(an, kwargs, snake(kind)), tuple(args), dict(kwargs))
    if kind in MADE_WHEN_CONSTRUCTED:  # (a call only for the few layers it names)
        name_own_layers(an, lo)
    lo.via = an.via
    try:
        c = engine.construct(spec_name, to_engine(args), to_engine(_configured(an, spec_name,
                                                                             kwargs)))
    except ShapeError as e:
        data: dict[str, Any] = {"arg": e.arg} if e.arg else {}
        if e.arg == "padding" and node is not None:
            data = fixes.fix_padding(node, kwargs.get("padding"),
                                     _paddings(spec_name, args, kwargs), data)
        if e.code == "unknown-argument":
            data = layer_keywords(an, kind, pos, data or None) or {}
        an.report(pos, e.code, f"{kind}: {e.message}", data or None)
        lo.error = f"Keras rejects this {kind}: {e.message}"
        return lo
    if c is None:
        lo.error = f"ShapeLens does not model `{kind}` yet"
    else:
        lo.constructed = c
        if kind == "InputLayer":
            res = engine.call(c, None)
            lo.output = lo.node_output = tensors_from(res, lo, None, {})
            lo.called = True
    return lo


def _configured(an: Host, spec_name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The constructor's arguments with Keras' configured `data_format` where the call leaves it
    to the config (`K.set_image_data_format('channels_first')`, or the setting)."""
    fmt = image_data_format(an)
    if fmt == "channels_last" or kwargs.get("data_format") is not None:
        return kwargs
    return {**kwargs, "data_format": fmt} if takes(spec_name, "data_format") else kwargs


def _paddings(spec_name: str, args: list[Any], kwargs: dict[str, Any]) -> list[str]:
    """The paddings this layer accepts with its other arguments, as the engine (Keras) says:
    a fix is offered only if Keras then builds the layer ('causal' is Conv1D's, not
    SeparableConv1D's)."""
    ok = []
    for padding in ("valid", "same", "causal"):
        try:
            engine.construct(spec_name, to_engine(args), to_engine({**kwargs, "padding": padding}))
        except ShapeError:
            continue
        ok.append(padding)
    return ok


# Layers called as `layer(query, value, key)`: their inputs are positional arguments, not one.
_QUERY_VALUE_KEY = ("MultiHeadAttention", "GroupQueryAttention")


def layer_inputs(
    lo: LayerObj, args: list[Any], kwargs: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """Split a layer call into its input tensor(s) and the call's other keyword arguments."""
    kwargs = dict(kwargs)
    if lo.kind in _QUERY_VALUE_KEY:
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
    an: Host,
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
    call_kwargs = masks.populate(lo, first, call_kwargs)
    before = BEFORE_CALL.get(lo.kind)
    if before is not None:
        before(an, lo, first)
    if lo.kind in MADE_WHEN_BUILT:  # (a call only for the few layers it names)
        name_layers_built(an, lo)
    if lo.kind == "Lambda" and lo.constructed is not None:
        return _node(an, lo, first, call_kwargs,
                     call_lambda(an, lo, first, call_kwargs, pos, record))
    if lo.constructed is None:
        out: Any = unknown_tensor(lo.error or "unknown layer", lo, first)
        result = Result.of_unknown(lo.error or "unknown layer")
    else:
        constructed = lo.constructed

        def attempt(inputs: Any) -> Result:
            # (most calls pass no keyword argument: no conversion of the empty dict)
            res = engine.call(constructed,
                              inputs.shape if isinstance(inputs, TensorVal) else shape_of(inputs),
                              to_engine(call_kwargs) if call_kwargs else {})
            if lo.params is not None and res.params is not None and res.params != lo.params:
                raise ShapeError(
                    "incompatible-shape",
                    f"Layer '{lo.name}' was built for input {lo.input_spec} and cannot be called "
                    f"on {_fmt_inputs(inputs)}: "
                    "its weights have fixed shapes",
                )
            return res

        paths = per_path(first, attempt)
        built = paths[0] if paths is not None and not paths[1] else []
        if built and not any(isinstance(r.outputs, list) for r in built):
            # Every path of the branches that meet here builds: the output joins theirs.
            joined = join_shapes([r.outputs for r in built])
            out = TensorVal(joined.shape, lo, first, call_kwargs, why=joined.why,
                            paths=joined.paths)
            if len({r.params for r in built}) == 1 and lo.params is None:
                lo.params = built[0].params
            lo.output = out
            if record:
                lo.called = True
                an.record(pos, lo.kind, lo.name, Evaluation(shape_json(out), shape_json(first),
                                                            unknown=out.why), lo.params)
            return _node(an, lo, first, call_kwargs, out)
        try:
            result = attempt(first)
            out = tensors_from(result, lo, first, call_kwargs)
            follow_layer(an, lo, first, out, attempt, pos)
        except ShapeError as e:
            if not fails_on_every_path(first, attempt):
                why = f"Keras rejects this call on some paths, not on others: {e.message}"
                if record:
                    an.record(pos, lo.kind, lo.name,
                              Evaluation(None, shape_json(first), unknown=why))
                return unknown_tensor(why, lo, first)
            message = explain_error(lo, first, e)
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
        # A tensor with no symbolic shape (most calls) has no forms in the open sizes to look up.
        plain = type(out) is TensorVal and out.sym is None
        an.record(
            pos,
            lo.kind,
            lo.name,
            Evaluation(
                shape_json(out), shape_json(first), result.derivation, result.notes,
                # (a known output, most calls: no reason to word)
                None if result.unknown is None else _with_input_why(result.unknown, first),
                symbolic=None if plain else symbolic_json(out),
                symbolic_derivation=[] if plain else symbolic_derivation(out),
            ),
            lo.params,
        )
    return _node(an, lo, first, call_kwargs, out)


def _node(an: Host, lo: LayerObj, first: Any, call_kwargs: dict[str, Any], out: Any) -> Any:
    """Keras 3 keeps a node per call on symbolic tensors; `layer.output` reads the first one
    (a call inside a Layer's `call`, or on concrete data, makes none). The output's mask is set."""
    masks.attach(out, masks.output_mask(lo, first, call_kwargs))
    if lo.kind in MASKS_JOINED_BY:  # (a call only for the few layers it names)
        name_mask_ops(an, lo, first)
    if lo.node_output is None and an.state(Tracing).depth == 0 and (
            isinstance(first, TensorVal) or any(isinstance(t, TensorVal) for t in leaves(first))):
        lo.node_output = out
    return out


def _with_input_why(unknown: str | None, first: Any) -> str | None:
    """An unknown output says why its input was unknown (data read from a file, ...)."""
    why = first.reason if isinstance(first, Unknown) else getattr(first, "why", None)
    if unknown is None or not isinstance(why, str) or not why or shape_of(first) is not None:
        return unknown
    return f"{unknown}: {why}"


def _resolves(an: Host, ctx: Any, name: str) -> bool:
    """Whether `name` means something in the module (bound, or from a star import)."""
    env = getattr(ctx, "env", None)
    if env is None:
        return True
    if env.lookup(name) is not MISSING:
        return True
    return any(star_exports(canonical(m), name) for m in getattr(ctx, "star_modules", []))


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
    an: Host, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
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


# Work Keras does on a layer before its first build that only the analyser can do (an RNN builds
# the user's cell): kind -> handler(an, layer, first input).
BEFORE_CALL: dict[str, Callable[[Host, LayerObj, Any], None]] = {}
# Methods of a layer object that other modules provide (`adapt`, `set_vocabulary`):
# name -> handler(an, layer, args, kwargs) -> the call's value.
LAYER_METHODS: dict[str, Callable[[Host, LayerObj, list[Any], dict[str, Any]], Any]] = {}


@ATTR.register(LayerObj)
def layer_attr(an: Host, lo: LayerObj, attr: str, node: ast.AST | None = None,
               ctx: ModuleCtx | None = None) -> Any:
    gone = removed_method(an, "Layer", lo.kind, attr, node, ctx)
    if gone is not None:
        return gone
    if attr in ("output", "input"):
        return node_attr(lo.node_output, attr)
    method = LAYER_METHODS.get(attr)
    if method is not None:
        return Builtin(attr, lambda an_, a, k, n, c, e: method(an_, lo, a, k))
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


def node_attr(out: Any, attr: str) -> Any:
    """`layer.output` / `layer.input` of its first node (`out`, that call's output)."""
    if out is None:
        return Unknown(f"`layer.{attr}`: the layer has not been called on a symbolic tensor")
    if attr == "output":
        return out
    first = out[0] if isinstance(out, list) and out else out
    if isinstance(first, TensorVal) and isinstance(first.layer, LayerObj) \
            and first.layer.kind == "InputLayer":
        return first
    return first.inputs if isinstance(first, TensorVal) and first.inputs is not None \
        else Unknown(f"`layer.{attr}` is not known")


@CALL.register(LayerObj)
def _call_layer(an: Host, lo: LayerObj, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
                ctx: ModuleCtx, env: Env) -> Any:
    return eager(call_layer(an, lo, args, kwargs, node, ctx), args)


@APPLY.register(LayerObj)
def _apply_layer(an: Host, lo: LayerObj, x: Any, call_kwargs: dict[str, Any],
                 record: bool) -> Any:
    # A graph step keeps a (query, value, key) call's inputs as one list: spread it again.
    args = list(x) if lo.kind in _QUERY_VALUE_KEY and isinstance(x, (list, tuple)) else [x]
    return call_layer(an, lo, args, call_kwargs, None, None, site=lo.pos,
                      record=record and not lo.called)


@TRUTH.register(LayerObj)
def _layer_truth(lo: LayerObj) -> bool:
    return True


@ENTER.register(LayerObj)
def _layer_enter(lo: LayerObj) -> LayerObj:
    return lo
