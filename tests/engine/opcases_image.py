"""Coverage cases for keras.ops.image; the expected shapes come from Keras itself in
test_ops_coverage.py.
"""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor as T

Case = tuple[list[Any], dict[str, Any]]

IMG = T((None, 32, 32, 3))
ONE = T((32, 24, 3))

CASES: dict[str, list[Case]] = {
    "image.resize": [([IMG, (64, 48)], {}), ([ONE, (8, 8)], {}),
                     ([T((None, 3, 32, 32)), (16, 16)], {"data_format": "channels_first"}),
                     ([IMG, (0, 8)], {}), ([IMG, (8,)], {}), ([T((32, 3)), (8, 8)], {}),
                     ([IMG, (8, 8)], {"crop_to_aspect_ratio": True})],
    "image.extract_patches": [([IMG, 4], {}), ([IMG, (5, 5)], {"strides": 2}),
                              ([ONE, (3, 3), (1, 1)], {}), ([IMG, 3], {"padding": "same"}),
                              ([T((None, 3, 20, 20)), 5], {"data_format": "channels_first"}),
                              ([IMG, 3], {"dilation_rate": 2, "strides": 1}),
                              ([T((None, 2, 2, 3)), 4], {})],
    "image.extract_patches_3d": [([T((None, 8, 8, 8, 2)), 2], {}),
                                 ([T((8, 8, 8, 2)), (2, 4, 4)], {"strides": 2})],
    "image.rgb_to_grayscale": [([IMG], {}), ([ONE], {}), ([T((None, 8, 8, 4))], {})],
    "image.rgb_to_hsv": [([IMG], {}), ([T((None, 8, 8, 4))], {})],
    "image.hsv_to_rgb": [([IMG], {}), ([T((8,))], {})],
    "image.gaussian_blur": [([IMG], {}), ([T((8, 8))], {})],
    "image.elastic_transform": [([IMG], {})],
    "image.affine_transform": [([IMG, T((None, 8))], {}), ([IMG, T((1, 2, 8))], {})],
    "image.perspective_transform": [([IMG, T((None, 4, 2)), T((None, 4, 2))], {}),
                                    ([IMG, T((4, 3)), T((4, 3))], {})],
    "image.map_coordinates": [([T((8, 8)), T((2, 5, 6)), 1], {}),
                              ([T((8, 8)), T((3, 5)), 1], {})],
    "image.sobel_edges": [([IMG], {}), ([ONE], {})],
    "image.ssim": [([IMG, IMG], {}), ([ONE, ONE], {})],
}

CASES.update({
    "image.pad_images": [
        ([IMG], {"top_padding": 2, "bottom_padding": 3, "left_padding": 1, "right_padding": 1}),
        ([IMG], {"top_padding": 2, "target_height": 40, "left_padding": 1, "target_width": 36}),
        ([T((None, None, None, 3))], {"top_padding": 2, "bottom_padding": 3, "left_padding": 1,
                                      "target_width": 36}),
        ([IMG], {"top_padding": 2, "target_height": 20, "left_padding": 1, "right_padding": 1}),
        ([IMG], {"top_padding": 2, "left_padding": 1, "right_padding": 1}),
    ],
    "image.crop_images": [
        ([IMG], {"top_cropping": 2, "bottom_cropping": 3, "left_cropping": 1,
                 "right_cropping": 1}),
        ([IMG], {"top_cropping": 2, "target_height": 20, "left_cropping": 1, "target_width": 8}),
        ([T((None, None, 32, 3))], {"top_cropping": 2, "bottom_cropping": 3, "left_cropping": 1,
                                    "right_cropping": 1}),
        ([T((None, None, 32, 3))], {"top_cropping": 2, "target_height": 5, "left_cropping": 1,
                                    "right_cropping": 1}),
        ([IMG], {"top_cropping": 2, "target_height": 40, "left_cropping": 1,
                 "right_cropping": 1}),
    ],
    "image.scale_and_translate": [([IMG, (None, 64, 64, 3), T((2,)), T((2,)), (1, 2),
                                    "bilinear"], {})],
})
