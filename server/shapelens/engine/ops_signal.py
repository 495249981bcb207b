"""keras.ops signal and segment functions: fft/fft2/ifft2/rfft/irfft on (real, imag) pairs, stft
and istft, extract_sequences, view_as_complex/real and the segment reductions.
"""

from __future__ import annotations

from typing import Any

from .args import known
from .opargs import dstr, keras_op, outcome, shape_of
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape


def _complex_pair(value: Any, least: int) -> Shape:
    """The shape of an (real, imag) pair, both parts alike, of rank >= `least`."""
    v = known(value, "x")
    if not isinstance(v, (list, tuple)) or len(v) != 2:
        raise ShapeError("invalid-argument", "Input `x` should be a tuple of two tensors - real "
                         "and imaginary.", arg="x")
    real, imag = shape_of(v[0], "x[0]"), shape_of(v[1], "x[1]")
    if real != imag:
        raise ShapeError("shape-mismatch", "Both the real and imaginary parts should have the "
                         f"same shape. Received: x[0].shape = {fmt_shape(real)}, "
                         f"x[1].shape = {fmt_shape(imag)}", arg="x")
    if len(real) < least:
        raise ShapeError("invalid-input-rank", f"Input should have rank >= {least}. Received: "
                         f"input.shape = {fmt_shape(real)}", arg="x")
    return real


@keras_op("fft", "fft2", "ifft2")
def _fft(owner: str, mode: str, a: dict[str, Any]) -> Result:
    two = owner.endswith("2")
    x = _complex_pair(a["x"], 2 if two else 1)
    axes = x[-2:] if two else x[-1:]
    if None in axes:
        raise ShapeError("incompatible-shape", "Input should have its transformed axes "
                         f"fully-defined. Received: input.shape = {fmt_shape(x)}", arg="x")
    return outcome(x, [x, x], "real and imaginary parts, the shape kept")


@keras_op("rfft")
def _rfft(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if not x:
        raise ShapeError("invalid-input-rank", "Input should have rank >= 1.", arg="x")
    n = known(a["fft_length"], "fft_length")
    if n is None:
        n = x[-1]
    last = None if n is None else n // 2 + 1
    out = (*x[:-1], last)
    return outcome(x, [out, out], f"{dstr(n)} // 2 + 1 = {dstr(last)} frequencies")


@keras_op("irfft")
def _irfft(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _complex_pair(a["x"], 1)
    n = known(a["fft_length"], "fft_length")
    last = n if n is not None else (None if x[-1] is None else 2 * (x[-1] - 1))
    return outcome(x, (*x[:-1], last), f"the signal length {dstr(last)}")


@keras_op("stft")
def _stft(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if not x:
        raise NotKnown("stft of a scalar")
    fft = known(a["fft_length"], "fft_length")
    stride = known(a["sequence_stride"], "sequence_stride")
    frames: Dim = None
    if x[-1] is not None:
        padded = (fft // 2) * 2 if known(a["center"], "center") is not False else 0
        frames = 1 + (x[-1] + padded - fft) // stride
    out = (*x[:-1], frames, fft // 2 + 1)
    return outcome(x, [out, out], f"{dstr(frames)} frames of {fft // 2 + 1} frequencies")


@keras_op("istft")
def _istft(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _complex_pair(a["x"], 2)
    fft = known(a["fft_length"], "fft_length")
    stride = known(a["sequence_stride"], "sequence_stride")
    length = known(a["length"], "length")
    size: Dim = length
    if x[-2] is not None and length is None:
        size = (x[-2] - 1) * stride + fft
        if known(a["center"], "center"):
            size -= (fft // 2) * 2
    return outcome(x, (*x[:-2], size), f"a signal of {dstr(size)}")


@keras_op("extract_sequences")
def _extract_sequences(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if not x:
        raise ShapeError("invalid-input-rank", "Input should have rank >= 1.", arg="x")
    length = known(a["sequence_length"], "sequence_length")
    stride = known(a["sequence_stride"], "sequence_stride")
    count = None if x[-1] is None else 1 + (x[-1] - length) // stride
    return outcome(x, (*x[:-1], count, length), f"{dstr(count)} sequences of {length}")


@keras_op("view_as_complex")
def _view_as_complex(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    return outcome(x, x[:-1], "the last axis (real, imag) becomes one complex value")


@keras_op("view_as_real")
def _view_as_real(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    return outcome(x, (*x, 2), "a last axis of 2: (real, imag)")


@keras_op("segment_sum", "segment_max", "segment_min", "segment_prod")
def _segment(owner: str, mode: str, a: dict[str, Any]) -> Result:
    data = shape_of(a["data"], "data")
    ids = shape_of(a["segment_ids"], "segment_ids")
    if len(ids) != 1:
        raise ShapeError("invalid-input-rank", "Argument `segment_ids` should be an 1-D vector, "
                         f"got shape: {len(ids)}.", arg="segment_ids")
    if not data:
        raise NotKnown("segment reduction of a scalar")
    if ids[0] is not None and data[0] is not None and ids[0] != data[0]:
        raise ShapeError("shape-mismatch", "Argument `segment_ids` and `data` should have same "
                         f"leading dimension. Got {fmt_shape(ids)} v.s. {fmt_shape(data)}.",
                         arg="segment_ids")
    n = known(a["num_segments"], "num_segments")
    return outcome(data, (n, *data[1:]), f"{dstr(n)} segments")
