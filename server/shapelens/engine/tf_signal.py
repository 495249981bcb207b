"""tf.signal: stft / inverse_stft, frame / overlap_and_add, mdct, the fft family (complex and
real, 1-3 and n dims), dct, fftshift, windows, mel matrices and mfccs, as TF's static shapes.
"""

from __future__ import annotations

import math
from typing import Any

from .args import is_int, known
from .opargs import canon_axis, dstr, outcome, shape_of
from .tfargs import tf_op
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape


def _int(a: dict[str, Any], name: str) -> int:
    v = known(a[name], name)
    if not is_int(v):
        raise NotKnown(f"`{name}` is not a known integer")
    return int(v)


def _frames(n: Dim, length: int, step: int, pad_end: bool) -> Dim:
    """TF's `frame`: how many frames of `length` every `step` fit in `n` samples."""
    if n is None:
        return None
    if pad_end:
        return -(-n // step)
    return max(0, 1 + (n - length) // step)


def _signal(a: dict[str, Any], name: str, least: int = 1) -> Shape:
    x = shape_of(a[name], name)
    if len(x) < least:
        raise ShapeError("invalid-input-rank", f"`{name}` must have rank at least {least}; got "
                         f"{fmt_shape(x)}", arg=name)
    return x


def _check_positive(v: int, name: str) -> None:
    if v <= 0:
        raise ShapeError("invalid-argument", f"`{name}` must be positive; got {v}", arg=name)


@tf_op("tf.signal.frame")
def _frame(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _signal(a, "signal")
    length, step = _int(a, "frame_length"), _int(a, "frame_step")
    axis = canon_axis(known(a["axis"], "axis"), len(x))
    pad = bool(known(a["pad_end"], "pad_end"))
    n = _frames(x[axis], length, step, pad)
    out = (*x[:axis], n, length, *x[axis + 1:])
    return outcome(x, out, f"{dstr(n)} frames of {length} every {step}")


def _fft_length(a: dict[str, Any], frame_length: int) -> int:
    v = known(a["fft_length"], "fft_length")
    if v is None:
        return 1 << math.ceil(math.log2(frame_length)) if frame_length > 0 else 0
    if not is_int(v):
        raise NotKnown("`fft_length` is not a known integer")
    return int(v)


@tf_op("tf.signal.stft")
def _stft(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _signal(a, "signals")
    length, step = _int(a, "frame_length"), _int(a, "frame_step")
    fft = _fft_length(a, length)
    n = _frames(x[-1], length, step, bool(known(a["pad_end"], "pad_end")))
    bins = fft // 2 + 1
    return outcome(x, (*x[:-1], n, bins), f"{dstr(n)} frames, fft_length {fft} -> {bins} bins")


@tf_op("tf.signal.inverse_stft")
def _inverse_stft(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _signal(a, "stfts", 2)
    length, step = _int(a, "frame_length"), _int(a, "frame_step")
    frames = x[-2]
    size = None if frames is None else (frames - 1) * step + length
    return outcome(x, (*x[:-2], size), f"({dstr(frames)} - 1) * {step} + {length} samples")


@tf_op("tf.signal.overlap_and_add")
def _overlap_and_add(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _signal(a, "signal", 2)
    step = _int(a, "frame_step")
    frames, length = x[-2], x[-1]
    size = None if frames is None or length is None else (frames - 1) * step + length
    return outcome(x, (*x[:-2], size), f"({dstr(frames)} - 1) * {step} + {dstr(length)}")


@tf_op("tf.signal.mdct")
def _mdct(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _signal(a, "signals")
    length = _int(a, "frame_length")
    if length % 4:
        raise ShapeError("invalid-argument", f"frame_length must be a multiple of 4; got {length}",
                         arg="frame_length")
    n = _frames(x[-1], length, length // 2, bool(known(a["pad_end"], "pad_end")))
    return outcome(x, (*x[:-1], n, length // 2), f"{dstr(n)} frames of {length // 2}")


@tf_op("tf.signal.inverse_mdct")
def _inverse_mdct(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _signal(a, "mdcts", 2)
    frames, half = x[-2], x[-1]
    size = None if frames is None or half is None else (frames - 1) * half + 2 * half
    return outcome(x, (*x[:-2], size), f"({dstr(frames)} + 1) * {dstr(half)} samples")


_COMPLEX = {"fft": 1, "ifft": 1, "fft2d": 2, "ifft2d": 2, "fft3d": 3, "ifft3d": 3}


@tf_op(*(f"tf.signal.{n}" for n in _COMPLEX))
def _fft(owner: str, mode: str, a: dict[str, Any]) -> Result:
    dims = _COMPLEX[owner.rsplit(".", 1)[-1]]
    x = _signal(a, "input", dims)
    return outcome(x, x, f"the inner {dims} axes transformed; the shape is kept")


_REAL = {"rfft": 1, "rfft2d": 2, "rfft3d": 3, "irfft": 1, "irfft2d": 2, "irfft3d": 3}


def _lengths(a: dict[str, Any], dims: int) -> list[int] | None:
    v = known(a["fft_length"], "fft_length")
    if v is None:
        return None
    if is_int(v):
        v = [v]
    if not isinstance(v, (list, tuple)) or not all(is_int(i) for i in v):
        raise NotKnown("`fft_length` is not a list of known integers")
    if len(v) != dims:
        raise ShapeError("invalid-argument", f"fft_length must have {dims} entries; got {list(v)}",
                         arg="fft_length")
    return [int(i) for i in v]


@tf_op(*(f"tf.signal.{n}" for n in _REAL))
def _real_fft(owner: str, mode: str, a: dict[str, Any]) -> Result:
    base = owner.rsplit(".", 1)[-1]
    dims, inverse = _REAL[base], base.startswith("i")
    x = _signal(a, "input_tensor", dims)
    lengths = _lengths(a, dims)
    inner = list(x[-dims:])
    if lengths is None and None in inner:
        # fft_length then comes from tf.shape: TF pads/slices the input to it, and its static
        # shape keeps only the rank.
        return outcome(x, (None,) * len(x), "fft_length from a dynamic size: only the rank "
                       "is known")
    if lengths is None:
        if inverse:
            last = inner[-1]
            lengths_out: list[Dim] = [*inner[:-1], None if last is None else 2 * (last - 1)]
        else:
            lengths_out = list(inner)
    else:
        lengths_out = list(lengths)
    if inverse:
        out_inner = lengths_out
        what = "the signal lengths"
    else:
        last = lengths_out[-1]
        out_inner = [*lengths_out[:-1], None if last is None else last // 2 + 1]
        what = "fft_length // 2 + 1 bins on the last axis"
    out = (*x[:-dims], *out_inner)
    return outcome(x, out, f"{what}: {fmt_shape(tuple(out_inner))}")


@tf_op("tf.signal.fftshift", "tf.signal.ifftshift")
def _shift(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    return outcome(x, x, "rolled: the shape is kept")


@tf_op("tf.signal.dct", "tf.signal.idct")
def _dct(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _signal(a, "input")
    if known(a["axis"], "axis") != -1:
        raise ShapeError("invalid-argument", "axis must be -1.", arg="axis")
    n = known(a["n"], "n")
    if n is None:
        return outcome(x, x, "the shape is kept")
    if not is_int(n):
        raise NotKnown("`n` is not a known integer")
    _check_positive(n, "n")
    return outcome(x, (*x[:-1], n), f"the last axis -> n = {n}")


@tf_op("tf.signal.hann_window", "tf.signal.hamming_window", "tf.signal.kaiser_window",
       "tf.signal.kaiser_bessel_derived_window", "tf.signal.vorbis_window")
def _window(owner: str, mode: str, a: dict[str, Any]) -> Result:
    n = _int(a, "window_length")
    return outcome(None, (n,), f"a window of {n}")


@tf_op("tf.signal.linear_to_mel_weight_matrix")
def _mel(owner: str, mode: str, a: dict[str, Any]) -> Result:
    mel, bins = _int(a, "num_mel_bins"), _int(a, "num_spectrogram_bins")
    return outcome(None, (bins, mel), f"{bins} spectrogram bins x {mel} mel bins")


@tf_op("tf.signal.mfccs_from_log_mel_spectrograms")
def _mfccs(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _signal(a, "log_mel_spectrograms")
    return outcome(x, x, "one coefficient per mel bin")


@tf_op("tf.signal.fftnd", "tf.signal.ifftnd")
def _fftnd(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input_tensor"], "input_tensor")
    if known(a["fft_length"], "fft_length") is not None or known(a["axes"], "axes") is not None:
        raise NotKnown("fftnd with fft_length or axes: not modelled")
    if None in x:  # fft_length from tf.shape: only the rank is known statically
        return outcome(x, (None,) * len(x), "a dynamic size: only the rank is known")
    return outcome(x, x, "the shape is kept")
