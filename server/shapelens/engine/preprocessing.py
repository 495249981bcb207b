"""Shape-changing preprocessing layers: Resizing, CenterCrop, RandomCrop, Rescaling,
CategoryEncoding.

Keras checks almost nothing at construction here; `compute_output_shape` writes `height`/`width`
into the input shape by position (so ranks other than 3/4 give odd but real results) and the
new shape is then validated as a KerasTensor shape (no negative, float or string dims).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .args import known, standardize_data_format
from .core import no_config, passthrough, standardize_shape
from .registry import register_layer
from .regularization import check_seed
from .shapes import single
from .types import Result, Shape, ShapeError, fmt_shape


@dataclass(frozen=True)
class ImageConfig:
    height: Any
    width: Any
    data_format: str


def _image_init(_name: str, a: dict[str, Any]) -> ImageConfig:
    fmt = standardize_data_format(a["data_format"])
    if "seed" in a:
        check_seed(a["seed"], True)
    return ImageConfig(known(a["height"], "height"), known(a["width"], "width"), fmt)


def _assign(shape: Shape, owner: str, places: list[tuple[int, Any]]) -> Shape:
    """`input_shape[i] = value` for each place, as Python lists do, then the KerasTensor check."""
    out: list[Any] = list(shape)
    for i, value in places:
        if not -len(out) <= i < len(out):
            raise ShapeError(
                "invalid-input-rank",
                f"`{owner}` writes `height`/`width` at axis {i}, which the input "
                f"{fmt_shape(shape)} does not have (list assignment index out of range)")
        out[i] = value
    return standardize_shape(tuple(out), "height", "call")


def _result(shape: Shape, out: Shape, cfg: ImageConfig) -> Result:
    return Result(outputs=out, params=0,
                  derivation=[f"height -> {cfg.height}, width -> {cfg.width} "
                              f"({cfg.data_format})"],
                  notes=[f"{fmt_shape(shape)} -> {fmt_shape(out)}"])


def _by_rank(shape: Shape, cfg: ImageConfig) -> list[tuple[int, Any]]:
    """Resizing / CenterCrop: rank 4 is batched, anything else is treated as unbatched."""
    if len(shape) == 4:
        first = 1 if cfg.data_format == "channels_last" else 2
    else:
        first = 0 if cfg.data_format == "channels_last" else 1
    return [(first, cfg.height), (first + 1, cfg.width)]


def _resizing_call(cfg: ImageConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "Resizing")
    return _result(shape, _assign(shape, "Resizing", _by_rank(shape, cfg)), cfg)


def _center_crop_call(cfg: ImageConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "CenterCrop")
    if len(shape) not in (3, 4):
        raise ShapeError(
            "invalid-input-rank",
            "`input_shape` must be a non-nested tuple or list of rank-1 with size 3 (unbatched) "
            f"or 4 (batched). Received: {fmt_shape(shape)}")
    return _result(shape, _assign(shape, "CenterCrop", _by_rank(shape, cfg)), cfg)


def _random_crop_call(cfg: ImageConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "RandomCrop")
    h, w = (-2, -1) if cfg.data_format == "channels_first" else (-3, -2)
    return _result(shape, _assign(shape, "RandomCrop", [(h, cfg.height), (w, cfg.width)]), cfg)


register_layer("Resizing", family="preprocessing", init=_image_init, call=_resizing_call)
register_layer("CenterCrop", family="preprocessing", init=_image_init, call=_center_crop_call)
register_layer("RandomCrop", family="preprocessing", init=_image_init, call=_random_crop_call)


def _rescaling_init(_name: str, _a: dict[str, Any]) -> None:
    return None


register_layer("Rescaling", family="preprocessing", init=_rescaling_init,
               call=passthrough("Rescaling"))


@dataclass(frozen=True)
class CategoryConfig:
    num_tokens: Any
    output_mode: str


def _category_init(_name: str, a: dict[str, Any]) -> CategoryConfig:
    mode = known(a["output_mode"], "output_mode")
    if mode == "binary":
        mode = "multi_hot"
    if mode not in ("count", "one_hot", "multi_hot"):
        raise ShapeError("invalid-argument", f"Unknown arg for output_mode: {mode}",
                         arg="output_mode", at="init")
    n = known(a["num_tokens"], "num_tokens")
    if n is None:
        raise ShapeError(
            "missing-argument",
            "num_tokens must be set to use this layer. If the number of tokens is not known "
            "beforehand, use the IntegerLookup layer instead.", arg="num_tokens", at="init")
    if not isinstance(n, (int, float)):
        raise ShapeError("invalid-argument", f"`num_tokens` must be a number. Received: "
                         f"num_tokens={n!r}", arg="num_tokens", at="init")
    if n < 1:
        raise ShapeError("invalid-argument", f"`num_tokens` must be >= 1. Received: "
                         f"num_tokens={n}.", arg="num_tokens", at="init")
    return CategoryConfig(n, str(mode))


def _category_call(cfg: CategoryConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "CategoryEncoding")
    n = cfg.num_tokens
    if len(shape) == 0:
        out: tuple[Any, ...] = (n,)
        how = "scalar input -> (num_tokens,)"
    elif cfg.output_mode == "one_hot" and (shape[-1] != 1 or len(shape) == 1):
        out = (*shape, n)
        how = "one_hot: a new last axis of num_tokens"
    else:
        out = (*shape[:-1], n)
        how = f"{cfg.output_mode}: last axis replaced by num_tokens"
    full = standardize_shape(out, "num_tokens", "call")
    return Result(outputs=full, params=0, derivation=[how],
                  notes=[f"{fmt_shape(shape)} -> {fmt_shape(full)}"])


register_layer("CategoryEncoding", family="preprocessing", init=_category_init,
               call=_category_call)


# --- image augmentation layers: the output has the input's shape, no weights --------------------
# Their argument values (factor ranges, modes) are not validated here: Keras checks them at
# construction, so a bad value is an error ShapeLens does not report (never a false one).
AUGMENTATION = (
    "AugMix", "AutoContrast", "Equalization", "RandomBrightness", "RandomColorDegeneration",
    "RandomColorJitter", "RandomContrast", "RandomErasing", "RandomFlip", "RandomGaussianBlur",
    "RandomGrayscale", "RandomHue", "RandomInvert", "RandomPerspective", "RandomPosterization",
    "RandomRotation", "RandomSaturation", "RandomSharpness", "RandomShear", "RandomTranslation",
    "RandomZoom", "Solarization", "RandAugment", "CutMix", "MixUp", "RandomElasticTransform",
)  # fmt: skip

for _name in AUGMENTATION:
    register_layer(_name, family="preprocessing", init=no_config, call=passthrough(_name))


def _three_channels(_cfg: Any, inputs: Any, kw: Mapping[str, Any]) -> Result:
    """RandomColorDegeneration blends with a grayscale image: it needs 3 channels (last axis)."""
    shape = single(inputs, "RandomColorDegeneration")
    if shape and shape[-1] is not None and shape[-1] != 3:
        raise ShapeError(
            "incompatible-shape",
            f"RandomColorDegeneration: input images must have 3 channels, but received images "
            f"with {shape[-1]} channels. Received: input shape {fmt_shape(shape)}",
        )
    return passthrough("RandomColorDegeneration")(_cfg, inputs, kw)


register_layer("RandomColorDegeneration", family="preprocessing", init=no_config,
               call=_three_channels)
