"""TF cases: the tf.image functions the engine covers, as (args, kwargs) per path;
the expected shapes come from tracing each in TensorFlow."""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor
from support.op_truth import Typed

T = Tensor
CASES: dict[str, list[tuple[list[Any], dict[str, Any]]]] = {}

I4 = T((None, 32, 48, 3))
I3 = T((32, 48, 3))
SEED = Typed((2,), "int32")

for _n in ("adjust_brightness", "adjust_contrast", "adjust_gamma", "adjust_hue",
           "adjust_saturation"):
    CASES[f"tf.image.{_n}"] = [([I4, 0.5], {}), ([I3, 0.5], {})]
CASES["tf.image.convert_image_dtype"] = [([I4, "float16"], {})]
CASES["tf.image.per_image_standardization"] = [([I4], {}), ([I3], {})]
for _n in ("random_brightness", "random_hue"):
    CASES[f"tf.image.{_n}"] = [([I4, 0.2], {})]
for _n in ("random_contrast", "random_saturation"):
    CASES[f"tf.image.{_n}"] = [([I4, 0.2, 0.5], {})]
CASES["tf.image.stateless_random_brightness"] = [([I4, 0.2, SEED], {})]
CASES["tf.image.stateless_random_hue"] = [([I4, 0.2, SEED], {})]
CASES["tf.image.stateless_random_contrast"] = [([I4, 0.2, 0.5, SEED], {})]
CASES["tf.image.stateless_random_saturation"] = [([I4, 0.2, 0.5, SEED], {})]
CASES["tf.image.draw_bounding_boxes"] = [([T((2, 32, 48, 3)), T((2, 5, 4)), T((1, 4))], {})]
for _n in ("flip_left_right", "flip_up_down", "random_flip_left_right", "random_flip_up_down"):
    CASES[f"tf.image.{_n}"] = [([I4], {}), ([I3], {}), ([T((32, 48))], {})]
for _n in ("stateless_random_flip_left_right", "stateless_random_flip_up_down"):
    CASES[f"tf.image.{_n}"] = [([I4, SEED], {})]
for _n in ("rgb_to_hsv", "hsv_to_rgb", "rgb_to_yiq", "yiq_to_rgb", "rgb_to_yuv", "yuv_to_rgb"):
    CASES[f"tf.image.{_n}"] = [([I4], {}), ([T((4, 4, 2))], {})]
CASES["tf.image.rgb_to_grayscale"] = [([I4], {}), ([I3], {})]
CASES["tf.image.grayscale_to_rgb"] = [([T((None, 8, 8, 1))], {}), ([T((8, 8, 3))], {})]
CASES["tf.image.resize"] = [
    ([I4, [64, 64]], {}), ([I3, (20, 10)], {"method": "nearest"}),
    ([T((None, None, None, 3)), [7, 9]], {"method": "bicubic", "antialias": True}),
    ([T((5, 5)), [7, 9]], {}),
]
CASES["tf.image.resize_with_pad"] = [([I4, 64, 40], {}), ([I3, 10, 10], {})]
CASES["tf.image.crop_to_bounding_box"] = [([I4, 2, 4, 20, 30], {}), ([I3, 0, 0, 32, 48], {}),
                                          ([I3, 20, 0, 20, 10], {})]
CASES["tf.image.pad_to_bounding_box"] = [([I4, 2, 4, 40, 60], {}), ([I3, 2, 4, 30, 60], {})]
CASES["tf.image.resize_with_crop_or_pad"] = [([I4, 20, 60], {}), ([I3, 40, 40], {})]
CASES["tf.image.central_crop"] = [([I4, 0.5], {}), ([T((33, 47, 3)), 0.3], {}),
                                  ([I3, 1.0], {}), ([T((None, None, None, 3)), 0.5], {})]
CASES["tf.image.random_crop"] = [([I3, [10, 20, 3]], {}), ([I3, [40, 20, 3]], {})]
CASES["tf.image.stateless_random_crop"] = [([I3, [10, 20, 3], SEED], {})]
CASES["tf.image.transpose"] = [([I4], {}), ([I3], {})]
CASES["tf.image.rot90"] = [([I4], {}), ([I3, 2], {}), ([I3], {"k": 3})]
CASES["tf.image.extract_patches"] = [
    ([T((None, 224, 224, 3))], {"sizes": [1, 16, 16, 1], "strides": [1, 16, 16, 1],
                                "rates": [1, 1, 1, 1], "padding": "VALID"}),
    ([T((2, 10, 9, 3)), [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME"], {}),
    ([T((2, 10, 9, 3)), [1, 3, 3, 1], [1, 1, 2, 1], [1, 2, 2, 1], "VALID"], {}),
    ([T((2, None, 9, None)), [1, 3, 3, 1], [1, 1, 2, 1], [1, 2, 2, 1], "VALID"], {}),
    ([T((2, 2, 9, 3)), [1, 3, 3, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"], {}),
]
CASES["tf.image.crop_and_resize"] = [
    ([I4, T((None, 4)), Typed((None,), "int32"), [7, 7]], {}),
    ([I4, T((5, 4)), Typed((5,), "int32"), (3, 9)], {}),
]
CASES["tf.image.extract_glimpse"] = [([T((2, 32, 48, 3)), [8, 8], T((2, 2))], {})]
CASES["tf.image.sobel_edges"] = [([I4], {})]
CASES["tf.image.image_gradients"] = [([I4], {})]
CASES["tf.image.psnr"] = [([I4, I4, 1.0], {}), ([I3, I3, 1.0], {})]
CASES["tf.image.ssim"] = [([T((2, 32, 48, 3)), T((2, 32, 48, 3)), 1.0], {}),
                          ([T((32, 48, 3)), T((32, 48, 3)), 1.0], {})]
CASES["tf.image.ssim_multiscale"] = [([T((2, 200, 200, 3)), T((2, 200, 200, 3)), 1.0], {})]
CASES["tf.image.total_variation"] = [([I4], {}), ([I3], {})]
CASES["tf.image.combined_non_max_suppression"] = [
    ([T((2, 100, 1, 4)), T((2, 100, 5)), 10, 20], {}),
    ([T((None, 100, 5, 4)), T((None, 100, 5)), 10, 15], {}),
]
CASES["tf.image.non_max_suppression_padded"] = [
    ([T((100, 4)), T((100,)), 10], {"pad_to_max_output_size": True}),
    ([T((100, 4)), T((100,)), 10], {}),
    ([T((2, 100, 4)), T((2, 100)), 10], {"pad_to_max_output_size": True}),
]
CASES["tf.image.grayscale_to_rgb"].append(([T((8, 8, 2))], {}))
CASES["tf.image.central_crop"].append(([T((8, 8)), 0.5], {}))
CASES["tf.image.extract_patches"].append(
    ([T((2, 8, 8, 3)), [2, 3, 3, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"], {}))
CASES["tf.image.rgb_to_grayscale"].append(([T((4, 4, 2))], {}))
CASES["tf.image.crop_to_bounding_box"] += [([T((32, 48, 3)), -1, 0, 10, 10], {}),
                                           ([T((32, 48, 3)), 0, 0, 0, 10], {})]
CASES["tf.image.random_crop"].append(([T((32, 48, 3)), [10, 10]], {}))
CASES["tf.image.crop_and_resize"].append(
    ([T((2, 8, 8, 3)), T((5, 4)), Typed((4,), "int32"), [3, 3]], {}))
