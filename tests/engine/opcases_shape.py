"""Coverage cases for the keras.ops that rearrange, join, cut or build tensors, and `x[key]`; the
expected shapes come from Keras itself in test_ops_coverage.py.
"""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor as T

Case = tuple[list[Any], dict[str, Any]]

X = T((None, 4, 6))

CASES: dict[str, list[Case]] = {
    "reshape": [([X, (-1, 24)], {}), ([X, (5, 7)], {}), ([T((2, 4, 6)), (5, 7)], {}),
                ([T((2, 4, 6)), (-1, 8)], {}), ([T((2, 4, 6)), (-1, -1)], {})],
    "transpose": [([X], {}), ([X, (0, 2, 1)], {}), ([X, (0, 1)], {}), ([X, (0, 0, 1)], {})],
    "swapaxes": [([X, 0, -1], {}), ([X, 0, 3], {})],
    "moveaxis": [([X, 0, -1], {}), ([X, [0, 1], [2, 0]], {}), ([X, [0], [1, 2]], {})],
    "expand_dims": [([X, -1], {}), ([X, (0, -1)], {}), ([X, 4], {})],
    "squeeze": [([T((None, 1, 6))], {}), ([T((None, 1, 6))], {"axis": 1}),
                ([T((None, 1, 6))], {"axis": 2}), ([T((None, 1, 6))], {"axis": 0})],
    "broadcast_to": [([T((None, 6)), (3, 5, 6)], {}), ([T((2, 6)), (4, 5, 6)], {})],
    "concatenate": [([[X, T((None, 4, 2))]], {"axis": -1}), ([[X, T((None, 5, 6))]], {}),
                    ([[X, T((None, 5, 2))]], {"axis": -1}), ([[X, X]], {"axis": 3})],
    "stack": [([[X, X]], {"axis": 1}), ([[X, X, X]], {"axis": -1}), ([[X, T((None, 4, 5))]], {}),
              ([[]], {}), ([[]], {"axis": 1})],
    "split": [([X, 2], {"axis": -1}), ([T((None, 7)), [2, 4]], {"axis": 1}),
              ([X, 4], {"axis": -1})],
    "tile": [([X, (2, 1, 3)], {}), ([X, 2], {}), ([T((2, 3)), (2, 2, 2)], {})],
    "repeat": [([X, 3], {"axis": 1}), ([T((2, 3)), 2], {}), ([X, [1, 2, 0, 1]], {"axis": 1})],
    "pad": [([X, [(0, 0), (1, 2), (3, 4)]], {}), ([X, 2], {}), ([X, [(1, 1)]], {}),
            ([X, [(1, 1), (2, 2)]], {})],
    "zeros": [([(2, 3)], {}), ([4], {})],
    "ones": [([(2, 3)], {}), ([[]], {})],
    "empty": [([(2, 3)], {})],
    "full": [([(2, 3), 1.0], {})],
    "get_item": [([X, 0], {}), ([X, (slice(None), slice(1, None))], {}),
                 ([X, (Ellipsis, None, slice(None, None, -2))], {}), ([X, (0, 0, 0, 0)], {}),
                 ([X, (slice(None), 9)], {})],
}

IMGS = T((32, 30, 40, 3))
CASES["rearrange"] = [
    ([IMGS, "b h w c -> b c h w"], {}), ([IMGS, "b h w c -> (b h) w c"], {}),
    ([IMGS, "b h w c -> b (c h w)"], {}),
    ([IMGS, "b (h1 h) (w1 w) c -> (b h1 w1) h w c"], {"h1": 2, "w1": 2}),
    ([IMGS, "b (h h1) (w w1) c -> b h w (c h1 w1)"], {"h1": 2, "w1": 2}),
    ([IMGS, "b h w c -> b q"], {}), ([T((None, 30, 40, 3)), "b h w c -> b c h w"], {}),
]
