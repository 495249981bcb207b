"""Coverage cases for the keras.ops signal and segment functions; the expected shapes come from
Keras itself in test_ops_coverage.py.
"""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor as T

Case = tuple[list[Any], dict[str, Any]]

S = T((None, 16))
P = (T((None, 4, 8)), T((None, 4, 8)))

CASES: dict[str, list[Case]] = {
    "fft": [([P], {}), ([(T((None, 4, None)), T((None, 4, None)))], {}),
            ([(T((4,)), T((5,)))], {})],
    "fft2": [([P], {}), ([(T((8,)), T((8,)))], {})],
    "ifft2": [([P], {})],
    "rfft": [([S], {}), ([S], {"fft_length": 10}), ([T((None, None))], {})],
    "irfft": [([P], {}), ([P], {"fft_length": 10})],
    "stft": [([T((None, 64)), 16, 8, 16], {}), ([T((None, 64)), 16, 4, 32], {"center": False}),
             ([T((None, None)), 16, 8, 16], {})],
    "istft": [([P, 8, 4, 8], {}), ([P, 8, 4, 8], {"center": False}), ([P, 8, 4, 8],
                                                                      {"length": 20})],
    "extract_sequences": [([S, 4, 2], {}), ([T((None, None)), 4, 2], {})],
    "view_as_complex": [([T((None, 4, 2))], {})],
    "view_as_real": [([T((None, 4))], {})],
    "segment_sum": [([T((6, 3)), T((6,))], {"num_segments": 3}), ([T((6, 3)), T((6,))], {}),
                    ([T((6, 3)), T((5,))], {"num_segments": 3}),
                    ([T((6, 3)), T((6, 1))], {"num_segments": 3})],
    "segment_max": [([T((6, 3)), T((6,))], {"num_segments": 3})],
    "segment_min": [([T((None, 3)), T((None,))], {"num_segments": 2})],
    "segment_prod": [([T((6, 3)), T((6,))], {"num_segments": 3})],
}
