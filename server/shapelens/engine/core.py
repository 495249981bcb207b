"""Core layers: Input, Dense, EinsumDense, Embedding, activations, Identity, Masking, Lambda.

Each layer is an `init` (normalise and check constructor arguments) and a `call` (shapes, params).
Where Keras' own code fails on a Python quirk (an index out of range, a float where a shape
needs an int) the same condition raises here, at the same stage.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .args import is_int, known, positive_int
from .registry import register_layer
from .shapes import check_rank, need_dim, single
from .symdims import is_sym
from .types import NotKnown, Result, Shape, ShapeError, Unknown, fmt_shape

# --- helpers shared by the core, normalization, regularization and preprocessing modules -------

ACTIVATIONS = frozenset({
    "relu", "leaky_relu", "relu6", "softmax", "celu", "elu", "selu", "softplus", "softsign",
    "squareplus", "soft_shrink", "sparse_plus", "silu", "gelu", "glu", "tanh", "tanh_shrink",
    "threshold", "sigmoid", "sparse_sigmoid", "exponential", "hard_sigmoid", "hard_silu",
    "hard_tanh", "hard_shrink", "linear", "mish", "log_softmax", "log_sigmoid", "sparsemax",
    "swish", "hard_swish",
})

DTYPES = frozenset({
    "bfloat16", "bool", "complex128", "complex64", "float16", "float32", "float64",
    "float8_e4m3fn", "float8_e5m2", "int16", "int32", "int64", "int8", "string", "uint16",
    "uint32", "uint64", "uint8", "int",
})


def check_activation(value: Any, arg: str = "activation") -> None:
    """Keras' `activations.get`: None, a known name, or a callable (an Unknown here)."""
    if value is None or isinstance(value, (Unknown, dict)):
        return
    if isinstance(value, str) and value in ACTIVATIONS:
        return
    raise ShapeError(
        "invalid-argument",
        f"Could not interpret activation function identifier: {value}",
        arg=arg, at="init",
    )


def standardize_shape(value: Any, arg: str, at: str) -> Shape:
    """Keras' `backend.standardize_shape`: ints >= 0 or None; no str/float dims (bools count 1)."""
    known(value, arg)
    if value is None:
        raise ShapeError("invalid-argument", "Undefined shapes are not supported.", arg=arg, at=at)
    if not isinstance(value, (tuple, list, str)):
        raise ShapeError(
            "invalid-argument", f"Cannot convert '{value}' to a shape.", arg=arg, at=at)
    out: list[Any] = []
    for d in value:
        if d is None or is_sym(d):  # a size an Input left open stays its formula
            out.append(d)
            continue
        if isinstance(d, (str, float)) or not isinstance(d, int):
            raise ShapeError(
                "invalid-argument",
                f"Cannot convert '{value}' to a shape. Found invalid dimension '{d}' of type "
                f"'{type(d).__name__}'.", arg=arg, at=at)
        if d < 0:
            raise ShapeError(
                "non-positive-dim",
                f"Cannot convert '{value}' to a shape. Negative dimensions are not allowed.",
                arg=arg, at=at)
        out.append(int(d))
    return tuple(out)


def weight_size(shape: Sequence[Any], owner: str, what: str) -> int:
    """Elements of a weight of this shape; every dim must be defined (Keras' `add_weight`)."""
    n = 1
    for d in shape:
        if d is None:
            raise ShapeError(
                "incompatible-shape",
                "Shapes used to initialize variables must be fully-defined (no `None` "
                f"dimensions). Received: shape={tuple(shape)} for variable `{what}` of `{owner}`",
            )
        if isinstance(d, (str, float)) or not isinstance(d, int) or d < 0:
            raise ShapeError(
                "invalid-argument",
                f"Invalid shape {tuple(shape)} for variable `{what}` of `{owner}`",
            )
        n *= int(d)
    return n


def lt(value: Any, bound: float, arg: str, message: str) -> bool:
    """`value < bound` as Python evaluates it at init; non-numbers raise (TypeError in Keras)."""
    known(value, arg)
    if not isinstance(value, (int, float)):
        raise ShapeError("invalid-argument", message, arg=arg, at="init")
    return bool(value < bound)


def _lora_rank(value: Any) -> int:
    """0 when LoRA is off; otherwise the rank as `add_weight` would accept it."""
    known(value, "lora_rank")
    if not value:
        return 0
    if isinstance(value, (str, float)) or not isinstance(value, int) or value < 0:
        raise ShapeError(
            "invalid-argument", f"Invalid `lora_rank`: {value!r}", arg="lora_rank")
    return int(value)


def _lora_check(rank: int, constraint: Any, what: str) -> None:
    if rank and constraint is not None:
        raise ShapeError(
            "invalid-argument",
            f"Lora is incompatible with {what} constraints. In order to enable lora on this "
            f"layer, remove the `{what}_constraint` argument.",
            arg="lora_rank",
        )


def passthrough(owner: str) -> Any:
    """A `call` for layers whose output shape is their input shape and that have no weights."""

    def call(_cfg: Any, inputs: Any, _kw: Mapping[str, Any]) -> Result:
        shape = single(inputs, owner)
        return Result(outputs=shape, params=0, notes=[f"{fmt_shape(shape)} -> same shape"])

    return call


def no_config(_name: str, _a: dict[str, Any]) -> None:
    return None


# --- Input / InputLayer --------------------------------------------------------------------------


@dataclass(frozen=True)
class InputConfig:
    batch_shape: Shape


def _input_common(
    shape: Any, batch_size: Any, batch_shape: Any, dtype: Any, sparse: Any, ragged: Any,
    name: Any, tensor: Any,
) -> InputConfig:
    if tensor is not None:
        raise NotKnown("the `tensor` argument's shape is not known statically")
    known(shape, "shape")
    known(batch_shape, "batch_shape")
    known(batch_size, "batch_size")
    if shape is not None and batch_shape is not None:
        raise ShapeError(
            "invalid-argument",
            "You cannot pass both `shape` and `batch_shape` at the same time.",
            arg="batch_shape", at="init")
    if batch_size is not None and batch_shape is not None:
        raise ShapeError(
            "invalid-argument",
            "You cannot pass both `batch_size` and `batch_shape` at the same time.",
            arg="batch_size", at="init")
    if shape is None and batch_shape is None:
        raise ShapeError(
            "missing-argument", "You must pass a `shape` argument.", arg="shape", at="init")
    if shape is not None:
        batch_shape = (batch_size, *standardize_shape(shape, "shape", "init"))
    full = standardize_shape(batch_shape, "batch_shape", "init")
    if isinstance(dtype, str) and dtype not in DTYPES:
        raise ShapeError("invalid-argument", f"Invalid dtype: {dtype}", arg="dtype", at="init")
    if isinstance(name, str) and "/" in name:
        raise ShapeError(
            "invalid-argument",
            "Argument `name` must be a string and cannot contain character `/`. "
            f"Received: name={name}", arg="name", at="init")
    if (
        not isinstance(sparse, Unknown) and not isinstance(ragged, Unknown)
        and sparse and ragged
    ):
        raise ShapeError(
            "invalid-argument",
            "KerasTensor cannot have `sparse=True` and `ragged=True` at the same time.",
            arg="ragged", at="init")
    return InputConfig(full)


def _input_init(_name: str, a: dict[str, Any]) -> InputConfig:
    return _input_common(
        a["shape"], a["batch_size"], a["batch_shape"], a["dtype"], a["sparse"], a["ragged"],
        a["name"], a["tensor"])


def _input_layer_init(_name: str, a: dict[str, Any]) -> InputConfig:
    shape, batch_shape = a["shape"], a["batch_shape"]
    if "input_shape" in a:
        shape = a["input_shape"]
    if "batch_input_shape" in a:
        batch_shape = a["batch_input_shape"]
    return _input_common(
        shape, a["batch_size"], batch_shape, a["dtype"], a["sparse"], a["ragged"], a["name"],
        a["input_tensor"])


def _input_call(cfg: InputConfig, _inputs: Any, _kw: Mapping[str, Any]) -> Result:
    return Result(outputs=cfg.batch_shape, params=0,
                  notes=[f"input batch shape {fmt_shape(cfg.batch_shape)}"])


register_layer("Input", family="core", init=_input_init, call=_input_call)
register_layer("InputLayer", family="core", init=_input_layer_init, call=_input_call)


# --- Dense ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DenseConfig:
    units: int
    use_bias: bool
    lora_rank: int = 0
    kernel_constraint: Any = None


def _dense_init(name: str, a: dict[str, Any]) -> DenseConfig:
    units = positive_int(a["units"], "units", name)
    check_activation(a["activation"])
    return DenseConfig(units, bool(known(a["use_bias"], "use_bias")),
                       _lora_rank(a["lora_rank"]), a["kernel_constraint"])


def _dense_call(cfg: DenseConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "Dense")
    check_rank(shape, "Dense", min_ndim=2)
    fan_in = need_dim(shape, -1, "Dense", "last")
    params = fan_in * cfg.units + (cfg.units if cfg.use_bias else 0)
    out = (*shape[:-1], cfg.units)
    bias = f" + {cfg.units}" if cfg.use_bias else ""
    notes = [f"params = {fan_in}*{cfg.units}{bias} = {params}  (kernel{' + bias' if bias else ''})"]
    if cfg.lora_rank:
        _lora_check(cfg.lora_rank, cfg.kernel_constraint, "kernel")
        lora = cfg.lora_rank * (fan_in + cfg.units)
        params += lora
        notes.append(f"LoRA rank {cfg.lora_rank}: + {cfg.lora_rank}*({fan_in} + {cfg.units}) "
                     f"= {lora} params")
    notes.append(f"{fmt_shape(shape)} -> {fmt_shape(out)}")
    return Result(
        outputs=out,
        params=params,
        derivation=[f"last axis: {fan_in} -> units = {cfg.units}"],
        notes=notes,
    )


register_layer("Dense", family="core", init=_dense_init, call=_dense_call)


# --- EinsumDense ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EinsumConfig:
    equation: Any
    output_shape: tuple[Any, ...]
    bias_axes: Any
    lora_rank: int
    kernel_constraint: Any


def _einsum_init(_name: str, a: dict[str, Any]) -> EinsumConfig:
    out = known(a["output_shape"], "output_shape")
    if isinstance(out, int):
        partial: tuple[Any, ...] = (out,)
    elif isinstance(out, (list, tuple, str)):
        partial = tuple(out)
    else:
        raise ShapeError(
            "invalid-argument",
            f"`output_shape` must be an int or a tuple. Received: output_shape={out!r}",
            arg="output_shape", at="init")
    check_activation(a["activation"])
    return EinsumConfig(a["equation"], partial, a["bias_axes"], _lora_rank(a["lora_rank"]),
                        a["kernel_constraint"])


def _einsum_error(message: str) -> ShapeError:
    return ShapeError("incompatible-shape", message, arg="equation")


def analyze_einsum(
    equation: str, bias_axes: Any, input_shape: Shape, output_shape: tuple[Any, ...]
) -> tuple[list[Any], list[Any] | None, list[Any]]:
    """Keras' `_analyze_einsum_string`: (kernel shape, bias shape or None, full output shape)."""
    dot = re.sub(r"\.\.\.", "0", equation)
    m = re.match("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", dot)
    left = False
    if not m:
        m = re.match("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", dot)
        left = bool(m)
    if not m:
        m = re.match("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", dot)
    if not m:
        raise _einsum_error(
            f"Invalid einsum equation '{equation}'. Equations must be in the form "
            "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")
    input_spec, weight_spec, output_spec = m.group(1), m.group(2), m.group(3)
    elided = len(input_shape) - len(input_spec)
    out = list(output_shape)
    out.insert(0, input_shape[0])
    if elided > 0 and left:
        for i in range(1, elided):
            out.insert(1, input_shape[i])
    elif elided > 0:
        for i in range(len(input_shape) - elided, len(input_shape)):
            out.append(input_shape[i])
    if left:
        in_map = {d: (i + elided) - len(input_shape) for i, d in enumerate(input_spec)}
        out_map = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        in_map = {d: i for i, d in enumerate(input_spec)}
        out_map = {d: i for i, d in enumerate(output_spec)}
    for d in input_spec:
        in_dim = input_shape[in_map[d]]
        if d in out_map:
            out_dim = out[out_map[d]]
            if out_dim is not None and out_dim != in_dim:
                raise _einsum_error(
                    f"Input shape and output shape do not match at shared dimension '{d}'. "
                    f"Input shape is {in_dim}, and output shape is {out_dim}.")
    for d in output_spec:
        if d not in input_spec and d not in weight_spec:
            raise _einsum_error(
                f"Dimension '{d}' was specified in the output '{output_spec}' but has no "
                f"corresponding dim in the input spec '{input_spec}' or weight spec "
                f"'{output_spec}'")
    kernel: list[Any] = []
    for d in weight_spec:
        if d in out_map:
            kernel.append(out[out_map[d]])
        elif d in in_map:
            kernel.append(input_shape[in_map[d]])
        else:
            raise _einsum_error(
                f"Weight dimension '{d}' did not have a match in either the input spec "
                f"'{input_spec}' or the output spec '{output_spec}'. For this layer, the weight "
                "must be fully specified.")
    bias: list[Any] | None = None
    if bias_axes is not None:
        skip = elided if left else 0
        idx = {c: out[i + skip] for i, c in enumerate(output_spec)}
        for c in bias_axes:
            if c not in output_spec:
                raise _einsum_error(
                    f"Bias dimension '{c}' was requested, but is not part of the output spec "
                    f"'{output_spec}'")
        first = min([output_spec.find(c) for c in bias_axes])
        bias = [idx[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left:
            bias.extend([1] * max(elided, 0))
    return kernel, bias, out


def _einsum_call(cfg: EinsumConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "EinsumDense")
    equation = known(cfg.equation, "equation")
    bias_axes = known(cfg.bias_axes, "bias_axes")
    if not isinstance(equation, str):
        raise ShapeError("invalid-argument", f"`equation` must be a string. Received: "
                         f"equation={equation!r}", arg="equation")
    try:
        kernel, bias, out = analyze_einsum(equation, bias_axes, shape, cfg.output_shape)
    except (IndexError, KeyError, TypeError, ValueError) as e:
        raise ShapeError(
            "incompatible-shape",
            f"`EinsumDense` equation '{equation}' does not fit the input "
            f"{fmt_shape(shape)}: {type(e).__name__}: {e}", arg="equation") from e
    params = weight_size(kernel, "EinsumDense", "kernel")
    notes = [f"kernel shape {tuple(kernel)} = {params} params"]
    if bias is not None:
        nb = weight_size(bias, "EinsumDense", "bias")
        params += nb
        notes.append(f"bias shape {tuple(bias)} = {nb} params")
    if cfg.lora_rank:
        _lora_check(cfg.lora_rank, cfg.kernel_constraint, "kernel")
        if not kernel:
            raise ShapeError("incompatible-shape", "LoRA needs a kernel of rank >= 1",
                             arg="lora_rank")
        r = cfg.lora_rank
        a = weight_size([*kernel[:-1], r], "EinsumDense", "lora_kernel_a")
        b = weight_size([r, kernel[-1]], "EinsumDense", "lora_kernel_b")
        params += a + b
        notes.append(f"LoRA rank {r}: + {a + b} params")
    full = standardize_shape(tuple(out), "output_shape", "call")
    notes.append(f"{fmt_shape(shape)} -> {fmt_shape(full)}  ({equation})")
    return Result(outputs=full, params=params, notes=notes)


register_layer("EinsumDense", family="core", init=_einsum_init, call=_einsum_call)


# --- Embedding -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmbeddingConfig:
    input_dim: int
    output_dim: int
    lora_rank: int
    constraint: Any


def _embedding_init(_name: str, a: dict[str, Any]) -> EmbeddingConfig:
    dims = []
    for arg in ("input_dim", "output_dim"):
        v = known(a[arg], arg)
        if not is_int(v) or v <= 0:
            raise ShapeError(
                "invalid-argument",
                f"`{arg}` must be a positive integer. Received: {arg}={v} "
                f"(of type {type(v).__name__}).", arg=arg, at="init")
        dims.append(int(v))
    return EmbeddingConfig(dims[0], dims[1], _lora_rank(a["lora_rank"]),
                           a["embeddings_constraint"])


def _embedding_call(cfg: EmbeddingConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "Embedding")
    params = cfg.input_dim * cfg.output_dim
    notes = [f"params = {cfg.input_dim}*{cfg.output_dim} = {params}  (embeddings)"]
    if cfg.lora_rank:
        _lora_check(cfg.lora_rank, cfg.constraint, "embeddings")
        lora = cfg.lora_rank * (cfg.input_dim + cfg.output_dim)
        params += lora
        notes.append(f"LoRA rank {cfg.lora_rank}: + {lora} params")
    out = (*shape, cfg.output_dim)
    notes.append(f"{fmt_shape(shape)} -> {fmt_shape(out)}")
    return Result(outputs=out, params=params,
                  derivation=[f"new last axis: output_dim = {cfg.output_dim}"], notes=notes)


register_layer("Embedding", family="core", init=_embedding_init, call=_embedding_call)


# --- activations, Identity, Masking --------------------------------------------------------------


def _activation_init(_name: str, a: dict[str, Any]) -> None:
    check_activation(a["activation"])


def _relu_init(_name: str, a: dict[str, Any]) -> None:
    mv = a["max_value"]
    if mv is not None and lt(mv, 0.0, "max_value", "`max_value` must be a number"):
        raise ShapeError(
            "invalid-argument",
            f"max_value of a ReLU layer cannot be a negative value. Received: max_value={mv}",
            arg="max_value", at="init")
    for arg in ("negative_slope", "threshold"):
        v = a[arg]
        if v is None or lt(v, 0.0, arg, f"`{arg}` must be a number"):
            raise ShapeError(
                "invalid-argument",
                f"{arg} of a ReLU layer cannot be None or a negative value. Received: {arg}={v}",
                arg=arg, at="init")


def _leaky_relu_init(_name: str, a: dict[str, Any]) -> None:
    v = a["alpha"] if "alpha" in a else a["negative_slope"]
    if v is None or lt(v, 0, "negative_slope", "`negative_slope` must be a number"):
        raise ShapeError(
            "invalid-argument",
            "The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
            f"Expected a float. Received: negative_slope={v}", arg="negative_slope", at="init")


for _n, _init in (("Activation", _activation_init), ("ReLU", _relu_init),
                  ("LeakyReLU", _leaky_relu_init), ("ELU", no_config), ("Softmax", no_config),
                  ("Identity", no_config)):
    register_layer(_n, family="core", init=_init, call=passthrough(_n))


def _masking_call(_cfg: None, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "Masking")
    if not shape:
        # compute_mask reduces over axis -1, which a scalar does not have.
        raise ShapeError("invalid-input-rank",
                         "axis -1 is out of bounds for an array with dimension 0.")
    return Result(outputs=shape, params=0, notes=[f"{fmt_shape(shape)} -> same shape"])


register_layer("Masking", family="core", init=no_config, call=_masking_call)


@dataclass(frozen=True)
class PReLUConfig:
    shared_axes: list[Any] | None


def _prelu_init(_name: str, a: dict[str, Any]) -> PReLUConfig:
    sa = known(a["shared_axes"], "shared_axes")
    if sa is None:
        return PReLUConfig(None)
    return PReLUConfig(list(sa) if isinstance(sa, (list, tuple)) else [sa])


def _prelu_call(cfg: PReLUConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "PReLU")
    param_shape: list[Any] = list(shape[1:])
    for i in cfg.shared_axes or []:
        if not isinstance(i, int) or not -len(param_shape) <= i - 1 < len(param_shape):
            raise ShapeError(
                "invalid-argument",
                f"`shared_axes` entry {i!r} is not an axis of the input {fmt_shape(shape)}",
                arg="shared_axes")
        param_shape[i - 1] = 1
    params = weight_size(param_shape, "PReLU", "alpha")
    return Result(outputs=shape, params=params,
                  notes=[f"alpha shape {tuple(param_shape)} = {params} params"])


register_layer("PReLU", family="core", init=_prelu_init, call=_prelu_call)


# --- Lambda --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LambdaConfig:
    output_shape: Any


def _lambda_init(_name: str, a: dict[str, Any]) -> LambdaConfig:
    fn = a["function"]
    if not isinstance(fn, Unknown):
        raise ShapeError(
            "invalid-argument", f"`function` must be callable. Received: function={fn!r}",
            arg="function", at="init")
    return LambdaConfig(a["output_shape"])


def _lambda_map(spec: Any, batch: Any) -> Any:
    """`(batch,) + shape` over Keras' shape structure: tuples of ints are shapes."""
    if isinstance(spec, tuple) and all(d is None or isinstance(d, int) for d in spec):
        return standardize_shape((batch, *spec), "output_shape", "call")
    if isinstance(spec, (list, tuple)) and spec and all(
        isinstance(s, (list, tuple)) for s in spec
    ):
        return [_lambda_map(s, batch) for s in spec]
    raise ShapeError(
        "invalid-argument",
        "`output_shape` of a Lambda must be a tuple (without the batch axis) or a nested "
        f"structure of tuples. Received: output_shape={spec!r}", arg="output_shape")


def _lambda_call(cfg: LambdaConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    if cfg.output_shape is None:
        return Result.of_unknown(
            "a Lambda's output shape depends on its function; pass `output_shape=` to declare it")
    spec = known(cfg.output_shape, "output_shape")
    # Keras takes the batch size from the first input of any structure (`[z_mean, z_log_var]`).
    first = inputs
    while isinstance(first, list) and first:
        first = first[0]
    shape = single(first if first != [] else None, "Lambda")
    if not shape:
        raise ShapeError("invalid-input-rank", "A Lambda input needs a batch axis.")
    out = _lambda_map(spec, shape[0])
    return Result(outputs=out, params=0,
                  notes=["output shape declared by `output_shape` (the function is not run)"])


register_layer("Lambda", family="core", init=_lambda_init, call=_lambda_call)
