"""Per-axis shape arithmetic for convolution and pooling, as Keras 3 computes it.

One function per kind of window, used for every rank (1D/2D/3D layers, `tf.nn` ops, ConvLSTM):
each takes one spatial axis and returns `(dim, line)`, the output size and one human derivation
line with the numbers filled in. `None` input sizes propagate to `None` as in Keras.

These functions never raise for geometry: a `'valid'` window larger than the input gives a dim
<= 0, and the caller decides what Keras does with it (layers raise "Computed output size would be
zero or negative"; see `too_small`). Sources, Keras 3.15:
- conv: `keras/src/ops/operation_utils.py::compute_conv_output_shape`
    valid:          floor((n - d*(k-1) - 1) / s) + 1   (== ceil((n - (k-1)*d) / s))
    same / causal:  floor((n - 1) / s) + 1             (== ceil(n / s))
- pooling: `compute_pooling_output_shape`
    valid: floor((n - p) / s) + 1;  same: floor((n - 1) / s) + 1
- transposed conv: `keras/src/backend/common/backend_utils.py::_get_output_shape_given_tf_padding`
    k' = (k-1)*d + 1
    valid: (n-1)*s + k' + (output_padding if given else max(k', s) - k')
    same:  n*s if output_padding is None else (n-1)*s + k' % 2 + output_padding
"""

from __future__ import annotations

from collections.abc import Sequence

from .symdims import is_sym
from .types import Dim

# 'valid', 'same', 'causal', or explicit (before, after) amounts (tf.nn ops).
Padding = str | Sequence[int]


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """The span a dilated kernel covers: (k-1)*d + 1."""
    return (kernel - 1) * dilation + 1


def _pad_text(padding: Padding) -> str:
    if isinstance(padding, str):
        return f"padding='{padding}'"
    return f"padding={tuple(padding)!r}"


def conv_axis(
    size: Dim, kernel: int, stride: int = 1, padding: Padding = "valid", dilation: int = 1
) -> tuple[Dim, str]:
    """One spatial axis of a convolution (Conv*D, DepthwiseConv*D, SeparableConv*D, tf.nn.conv*).

    `padding` is 'valid', 'same', 'causal' (Conv1D: left-pad by (k-1)*d, then 'valid'), or an
    explicit `(before, after)` pair. Returns the dim (possibly <= 0 for 'valid') and its line.
    """
    pad = _pad_text(padding)
    if isinstance(padding, str) and padding in ("same", "causal"):
        extra = ""
        if padding == "causal":
            extra = f"; left-pad ({kernel}-1)*{dilation} = {(kernel - 1) * dilation}"
        if size is None:
            return None, f"ceil(None / {stride}) = None  ({pad}, stride {stride}{extra})"
        out = (size - 1) // stride + 1
        return out, f"ceil({size} / {stride}) = {out}  ({pad}, stride {stride}{extra})"
    if isinstance(padding, str):
        if padding != "valid":
            raise ValueError(f"unknown padding {padding!r}")
        before = after = 0
        total = ""
    else:
        before, after = int(padding[0]), int(padding[1])
        total = f" + {before} + {after}"
    span = f"({kernel}-1)*{dilation}"
    tail = f"({pad}, dilation {dilation}, stride {stride})"
    if size is None:
        return None, f"ceil((None{total} - {span}) / {stride}) = None  {tail}"
    out = (size + before + after - dilation * (kernel - 1) - 1) // stride + 1
    return out, f"ceil(({size}{total} - {span}) / {stride}) = {out}  {tail}"


def pool_axis(size: Dim, pool: int, stride: int, padding: str = "valid") -> tuple[Dim, str]:
    """One spatial axis of MaxPooling*D / AveragePooling*D (and tf.nn pools), Keras' formula.

    valid: floor((n - pool) / stride) + 1 (possibly <= 0); same: floor((n - 1) / stride) + 1,
    which is ceil(n / stride). `stride` must be positive here (Keras fails on 0 itself).
    """
    if padding == "valid":
        tail = f"(padding='valid', pool {pool}, stride {stride})"
        if size is None:
            return None, f"floor((None - {pool}) / {stride}) + 1 = None  {tail}"
        out = (size - pool) // stride + 1
        return out, f"floor(({size} - {pool}) / {stride}) + 1 = {out}  {tail}"
    if padding == "same":
        tail = f"(padding='same', pool {pool}, stride {stride})"
        if size is None:
            return None, f"floor((None - 1) / {stride}) + 1 = None  {tail}"
        out = (size - 1) // stride + 1
        return out, (
            f"floor(({size} - 1) / {stride}) + 1 = ceil({size} / {stride}) = {out}  {tail}"
        )
    raise ValueError(f"unknown padding {padding!r}")


def conv_transpose_axis(
    size: Dim,
    kernel: int,
    stride: int = 1,
    padding: str = "valid",
    output_padding: int | None = None,
    dilation: int = 1,
) -> tuple[Dim, str]:
    """One spatial axis of Conv*DTranspose (and tf.nn.conv*_transpose shapes), Keras' formula."""
    keff = effective_kernel(kernel, dilation)
    kt = str(kernel) if dilation == 1 else f"({kernel}-1)*{dilation}+1 = {keff}"
    op = "" if output_padding is None else f", output_padding {output_padding}"
    tail = f"(padding='{padding}', kernel {kt}, stride {stride}{op})"
    n = "None" if size is None else str(size)
    if padding == "valid":
        if output_padding is None:
            expr = f"({n} - 1)*{stride} + max({keff}, {stride})"
            out = None if size is None else (size - 1) * stride + max(keff, stride)
        else:
            expr = f"({n} - 1)*{stride} + {keff} + {output_padding}"
            out = None if size is None else (size - 1) * stride + keff + output_padding
    elif padding == "same":
        if output_padding is None:
            expr = f"{n} * {stride}"
            out = None if size is None else size * stride
        else:
            expr = f"({n} - 1)*{stride} + {keff} % 2 + {output_padding}"
            out = None if size is None else (size - 1) * stride + keff % 2 + output_padding
    else:
        raise ValueError(f"unknown padding {padding!r}")
    return out, f"{expr} = {'None' if out is None else out}  {tail}"


def too_small(size: Dim, out: Dim) -> bool:
    """True where Keras raises "Computed output size would be zero or negative" (valid windows)."""
    # An open size (a formula): the sizes that make it <= 0 cannot run; not an error here.
    return size is not None and out is not None and not is_sym(out) and out <= 0


__all__ = [
    "Padding",
    "conv_axis",
    "conv_transpose_axis",
    "effective_kernel",
    "pool_axis",
    "too_small",
]
