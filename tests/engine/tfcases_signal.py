"""TF cases: the tf.signal functions the engine covers, as (args, kwargs) per path;
the expected shapes come from tracing each in TensorFlow."""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor
from support.op_truth import Typed

T = Tensor
CASES: dict[str, list[tuple[list[Any], dict[str, Any]]]] = {}

A = T((None, 16000))
C = Typed((None, 8, 16), "complex64")

CASES["tf.signal.frame"] = [([A, 400, 160], {}), ([A, 400, 160], {"pad_end": True}),
                            ([T((2, 1000, 3)), 256, 128], {"axis": 1}),
                            ([T((2, 100)), 256, 128], {}), ([T((2, 1000)), 256, 128, True], {})]
CASES["tf.signal.stft"] = [([A, 400, 160], {}), ([T((2, 16000)), 256, 128], {"fft_length": 512}),
                           ([T((2, 16000)), 255, 100], {"pad_end": True}),
                           ([T((3, None)), 256, 128], {})]
CASES["tf.signal.inverse_stft"] = [([Typed((2, 98, 257), "complex64"), 400, 160], {}),
                                   ([Typed((None, None, 129), "complex64"), 256, 128], {})]
CASES["tf.signal.overlap_and_add"] = [([T((2, 10, 8)), 4], {}), ([T((2, None, 8)), 4], {})]
CASES["tf.signal.mdct"] = [([T((2, 1000)), 256], {}), ([T((2, 1000)), 256], {"pad_end": True})]
CASES["tf.signal.inverse_mdct"] = [([T((2, 6, 128))], {})]
for _n in ("fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d"):
    CASES[f"tf.signal.{_n}"] = [([C], {}), ([Typed((4, 4, 4, 4), "complex64")], {})]
CASES["tf.signal.rfft"] = [([T((None, 8, 16))], {}), ([T((2, 16)), [10]], {}),
                           ([T((2, None))], {})]
CASES["tf.signal.rfft2d"] = [([T((None, 8, 16))], {}), ([T((2, 8, 16)), [4, 10]], {})]
CASES["tf.signal.rfft3d"] = [([T((None, 4, 8, 16))], {})]
CASES["tf.signal.irfft"] = [([C], {}), ([C, [20]], {})]
CASES["tf.signal.irfft2d"] = [([C], {}), ([C, [6, 20]], {})]
CASES["tf.signal.irfft3d"] = [([Typed((2, 4, 8, 9), "complex64")], {})]
CASES["tf.signal.fftnd"] = [([Typed((2, 4, 8), "complex64")], {})]
CASES["tf.signal.ifftnd"] = [([Typed((2, 4, None), "complex64")], {})]
CASES["tf.signal.fftshift"] = [([T((4, 8))], {}), ([T((4, 8))], {"axes": 1})]
CASES["tf.signal.ifftshift"] = [([T((4, None))], {})]
CASES["tf.signal.dct"] = [([T((None, 8, 16))], {}), ([T((2, 16))], {"n": 10}),
                          ([T((2, 16))], {"type": 3, "n": 20})]
CASES["tf.signal.idct"] = [([T((None, 8, 16))], {})]
for _n in ("hann_window", "hamming_window", "kaiser_window", "kaiser_bessel_derived_window",
           "vorbis_window"):
    CASES[f"tf.signal.{_n}"] = [([400], {})]
CASES["tf.signal.linear_to_mel_weight_matrix"] = [([], {}), ([80, 257, 16000], {})]
CASES["tf.signal.mfccs_from_log_mel_spectrograms"] = [([T((None, 98, 80))], {})]
CASES["tf.signal.overlap_and_add"].append(([T((2, 10, 8)), 9], {}))
CASES["tf.signal.dct"].append(([T((2, 16))], {"axis": 0}))
CASES["tf.signal.mdct"].append(([T((2, 1000)), 250], {}))
