"""The shape-determinable TF functions the engine leaves unknown, each with why (printed with the
coverage; test_tf_ops_coverage.py checks this list is exactly what is left)."""

from __future__ import annotations

_STATIC_FFT = ("TF's static shape is the input's (its shape function does not apply the "
               "transform's sizes) while the result at run time differs: no shape is claimed")
LEFT: dict[str, str] = {
    "tf.bitcast": "the shape depends on the input's dtype, which the engine does not track",
    "tf.fftnd": _STATIC_FFT,
    "tf.ifftnd": _STATIC_FFT,
    "tf.rfftnd": _STATIC_FFT,
    "tf.irfftnd": _STATIC_FFT,
    "tf.signal.rfftnd": _STATIC_FFT,
    "tf.signal.irfftnd": _STATIC_FFT,
}
