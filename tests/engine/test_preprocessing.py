"""Shape-changing preprocessing layers: named cases, checked against real Keras (TF 2.21)."""

from __future__ import annotations

from typing import Any

import pytest

from support.engine_vs_keras import assert_same

CASES: list[tuple[str, str, tuple[Any, ...], dict[str, Any], Any]] = [
    ("resizing", "Resizing", (4, 5), {}, (None, 8, 8, 3)),
    ("resizing-unbatched", "Resizing", (4, 5), {}, (8, 8, 3)),
    ("resizing-rank2", "Resizing", (4, 5), {}, (8, 3)),
    ("resizing-rank5", "Resizing", (4, 5), {}, (2, 8, 8, 8, 3)),
    ("resizing-cf-unbatched", "Resizing", (4, 5), {"data_format": "channels_first"}, (2, 8, 3)),
    ("resizing-cf-batched", "Resizing", (4, 5), {"data_format": "channels_first"},
     (None, 3, 8, 8)),
    ("resizing-cf-rank1", "Resizing", (4, 5), {"data_format": "channels_first"}, (3,)),
    ("resizing-negative", "Resizing", (-4, 5), {}, (None, 8, 8, 3)),
    ("resizing-zero", "Resizing", (0, 5), {}, (None, 8, 8, 3)),
    ("resizing-float", "Resizing", (4.0, 5), {}, (None, 8, 8, 3)),
    ("resizing-none", "Resizing", (None, 5), {}, (None, 8, 8, 3)),
    ("resizing-str", "Resizing", ("4", 5), {}, (None, 8, 8, 3)),
    ("resizing-interp-unchecked", "Resizing", (4, 5), {"interpolation": "foo"}, (None, 8, 8, 3)),
    ("resizing-none-spatial", "Resizing", (4, 5), {}, (None, None, None, 3)),
    ("resizing-rank1", "Resizing", (4, 5), {}, (None,)),
    ("resizing-rank0", "Resizing", (4, 5), {}, ()),
    ("resizing-bad-format", "Resizing", (4, 5), {"data_format": "nhwc"}, (None, 8, 8, 3)),
    ("center-crop", "CenterCrop", (4, 5), {}, (None, 8, 8, 3)),
    ("center-crop-rank3", "CenterCrop", (4, 5), {}, (None, 8, 3)),
    ("center-crop-upscale", "CenterCrop", (4, 5), {}, (None, 2, 2, 3)),
    ("center-crop-none", "CenterCrop", (4, 5), {}, (None, None, None, 3)),
    ("center-crop-rank5", "CenterCrop", (4, 5), {}, (None, 8, 8, 8, 3)),
    ("center-crop-rank2", "CenterCrop", (4, 5), {}, (8, 3)),
    ("center-crop-negative", "CenterCrop", (-4, 5), {}, (None, 8, 8, 3)),
    ("center-crop-float", "CenterCrop", (4.5, 5), {}, (None, 8, 8, 3)),
    ("center-crop-cf", "CenterCrop", (4, 5), {"data_format": "channels_first"}, (None, 3, 8, 8)),
    ("random-crop", "RandomCrop", (4, 5), {}, (None, 8, 8, 3)),
    ("random-crop-upscale", "RandomCrop", (4, 5), {}, (None, 2, 2, 3)),
    ("random-crop-none", "RandomCrop", (4, 5), {}, (None, None, None, 3)),
    ("random-crop-rank2", "RandomCrop", (4, 5), {}, (8, 3)),
    ("random-crop-rank5", "RandomCrop", (4, 5), {}, (None, 8, 8, 8, 3)),
    ("random-crop-cf", "RandomCrop", (4, 5), {"data_format": "channels_first"}, (None, 3, 8, 8)),
    ("random-crop-cf-rank2", "RandomCrop", (4, 5), {"data_format": "channels_first"}, (3, 8)),
    ("random-crop-negative", "RandomCrop", (-4, 5), {}, (None, 8, 8, 3)),
    ("random-crop-bad-seed", "RandomCrop", (4, 5), {"seed": 1.5}, (None, 8, 8, 3)),
    ("rescaling", "Rescaling", (1 / 255,), {}, (None, 8, 8, 3)),
    ("rescaling-list", "Rescaling", ([1, 2, 3],), {"offset": -1}, (None, 8, 8, 3)),
    ("category-multi-hot", "CategoryEncoding", (5,), {}, (None, 3)),
    ("category-multi-hot-1", "CategoryEncoding", (5,), {}, (None, 1)),
    ("category-rank1", "CategoryEncoding", (5,), {}, (None,)),
    ("category-rank0", "CategoryEncoding", (5,), {}, ()),
    ("category-one-hot", "CategoryEncoding", (5,), {"output_mode": "one_hot"}, (None, 3)),
    ("category-one-hot-1", "CategoryEncoding", (5,), {"output_mode": "one_hot"}, (None, 1)),
    ("category-one-hot-rank1", "CategoryEncoding", (5,), {"output_mode": "one_hot"}, (None,)),
    ("category-one-hot-rank1-1", "CategoryEncoding", (5,), {"output_mode": "one_hot"}, (1,)),
    ("category-one-hot-3d", "CategoryEncoding", (5,), {"output_mode": "one_hot"}, (None, 2, 3)),
    ("category-one-hot-none", "CategoryEncoding", (5,), {"output_mode": "one_hot"},
     (None, None)),
    ("category-count", "CategoryEncoding", (5,), {"output_mode": "count"}, (None, 2, 3)),
    ("category-binary", "CategoryEncoding", (5,), {"output_mode": "binary"}, (None, 2, 3)),
    ("category-bad-mode", "CategoryEncoding", (5,), {"output_mode": "foo"}, (None, 2, 3)),
    ("category-zero", "CategoryEncoding", (0,), {}, (None, 2, 3)),
    ("category-missing", "CategoryEncoding", (), {}, (None, 2, 3)),
    ("category-float", "CategoryEncoding", (2.5,), {}, (None, 2, 3)),
    ("category-str", "CategoryEncoding", ("a",), {}, (None, 2, 3)),
]


@pytest.mark.parametrize(("case", "name", "args", "kwargs", "shape"), CASES,
                         ids=[c[0] for c in CASES])
def test_matches_keras(case: str, name: str, args: tuple[Any, ...],
                       kwargs: dict[str, Any], shape: Any) -> None:
    assert_same(name, args, kwargs, shape)
