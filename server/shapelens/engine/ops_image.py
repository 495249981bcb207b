"""keras.ops.image: resize, extract_patches (2D and 3D, a convolution's geometry), colour-space
conversions, the transforms that keep the image's shape, sobel_edges and ssim, as Keras states them.
"""

from __future__ import annotations

from typing import Any

from .args import is_int, known
from .opargs import keras_op, outcome, shape_of
from .ops_nn import conv_shape
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape


def _images(a: dict[str, Any], name: str = "images") -> Shape:
    x = shape_of(a[name], name)
    if len(x) not in (3, 4):
        raise ShapeError("invalid-input-rank", "Invalid images rank: expected rank 3 (single "
                         "image) or rank 4 (batch of images). Received input with shape: "
                         f"{name}.shape={fmt_shape(x)}", arg=name)
    return x


def _last(a: dict[str, Any]) -> bool:
    fmt = known(a.get("data_format"), "data_format")
    return fmt in (None, "channels_last")


@keras_op("image.resize")
def _resize(owner: str, mode: str, a: dict[str, Any]) -> Result:
    size = known(a["size"], "size")
    if not isinstance(size, (list, tuple)) or len(size) != 2 or not all(is_int(s) for s in size):
        raise ShapeError("invalid-argument", "Expected `size` to be a tuple of 2 integers. "
                         f"Received: size={size!r}", arg="size")
    if size[0] <= 0 or size[1] <= 0:
        raise ShapeError("invalid-argument", "`size` must have positive height and width. "
                         f"Received: size={size}", arg="size")
    x = _images(a)
    if known(a["pad_to_aspect_ratio"], "p") and known(a["crop_to_aspect_ratio"], "c"):
        raise ShapeError("invalid-argument", "Only one of `pad_to_aspect_ratio` & "
                         "`crop_to_aspect_ratio` can be True.", arg="pad_to_aspect_ratio")
    out = list(x)
    h, w = (-3, -2) if _last(a) else (-2, -1)
    out[h], out[w] = size[0], size[1]
    return outcome(x, tuple(out), f"height, width -> {size[0]}, {size[1]}")


def _patches(x: Shape, size: Any, a: dict[str, Any], volumes: bool) -> Result:
    if is_int(size):
        size = (size,) * (3 if volumes else 2)
    if not isinstance(size, (list, tuple)) or not all(is_int(s) for s in size):
        raise ShapeError("invalid-argument", f"`size` must be an int or a tuple of ints. "
                         f"Received: size={size!r}", arg="size")
    three = len(size) == 3
    last = _last(a)
    channels = x[-1] if last else (x[-4] if three else x[-3])
    if channels is None:
        raise NotKnown("Keras multiplies the patch size by the channels, which are None")
    single = len(x) == (4 if three else 3)
    shape = (1, *x) if single else x
    filters = channels
    for s in size:
        filters *= s
    kernel = (*size, channels, filters)
    strides = known(a["strides"], "strides")
    bound = {"data_format": a["data_format"], "padding": a["padding"],
             "strides": size if strides is None else strides,
             "dilation_rate": a["dilation_rate"]}
    res = conv_shape(shape, kernel, filters, bound)
    out = res.outputs[1:] if single else res.outputs
    return outcome(x, out, *res.derivation, f"each patch flattened: {filters} values")


@keras_op("image.extract_patches")
def _extract_patches(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["images"], "images")
    return _patches(x, known(a["size"], "size"), a, False)


@keras_op("image.extract_patches_3d")
def _extract_patches_3d(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["volumes"], "volumes")
    return _patches(x, known(a["size"], "size"), a, True)


@keras_op("image.rgb_to_grayscale")
def _grayscale(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _images(a)
    c = -1 if _last(a) else -3
    if x[c] is not None and x[c] not in (1, 3):
        raise ShapeError("incompatible-shape", "Invalid channel size: expected 3 (RGB) or 1 "
                         f"(Grayscale). Received input with shape: images.shape={fmt_shape(x)}")
    out = list(x)
    out[c] = 1
    return outcome(x, tuple(out), "one channel")


@keras_op("image.rgb_to_hsv", "image.hsv_to_rgb")
def _colour(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _images(a)
    c = x[-1] if _last(a) else x[-3]
    if c is not None and c != 3:
        raise ShapeError("incompatible-shape", "Input images must have 3 channels, but received "
                         f"images with shape {fmt_shape(x)}")
    return outcome(x, x, "three channels in, three out")


@keras_op("image.gaussian_blur", "image.elastic_transform")
def _same_image(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _images(a)
    return outcome(x, x, "the image's shape is kept")


@keras_op("image.affine_transform")
def _affine(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _images(a)
    t = shape_of(a["transform"], "transform")
    if len(t) not in (1, 2):
        raise ShapeError("invalid-input-rank", "Invalid transform rank: expected rank 1 (single "
                         f"transform) or rank 2 (batch of transforms). Received input with shape: "
                         f"transform.shape={fmt_shape(t)}", arg="transform")
    return outcome(x, x, "the image's shape is kept")


@keras_op("image.perspective_transform")
def _perspective(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _images(a)
    s = shape_of(a["start_points"], "start_points")
    e = shape_of(a["end_points"], "end_points")
    for p, n in ((s, "start_points"), (e, "end_points")):
        if p[-2:] != (4, 2) or len(p) not in (2, 3):
            raise ShapeError("incompatible-shape", f"Invalid {n} shape: expected (4,2) for a "
                             f"single image or (N,4,2) for a batch. Received shape: "
                             f"{fmt_shape(p)}", arg=n)
    if s != e:
        raise ShapeError("shape-mismatch", "start_points and end_points must have the same "
                         "shape.", arg="end_points")
    return outcome(x, x, "the image's shape is kept")


@keras_op("image.map_coordinates")
def _map_coordinates(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["inputs"], "inputs")
    c = shape_of(a["coordinates"], "coordinates")
    if not c or c[0] != len(x):
        raise ShapeError("incompatible-shape", "First dim of `coordinates` must be the same as "
                         f"the rank of `inputs`. Received inputs with shape: {fmt_shape(x)} and "
                         f"coordinate leading dim of {c[0] if c else None}", arg="coordinates")
    if len(c) < 2:
        raise ShapeError("invalid-input-rank", "Invalid coordinates rank: expected at least "
                         "rank 2.", arg="coordinates")
    return outcome(x, c[1:], "one value per coordinate")


@keras_op("image.sobel_edges")
def _sobel(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["images"], "images")
    if len(x) != 4:
        raise ShapeError("invalid-input-rank", "Invalid images rank: expected rank 4 (batch of "
                         f"images). Received input with shape: images.shape={fmt_shape(x)}")
    return outcome(x, (*x, 2), "a last axis of 2: [dy, dx]")


@keras_op("image.ssim")
def _ssim(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _images(a, "image1")
    _images(a, "image2")
    return outcome(x, () if len(x) == 3 else (x[0],), "one score per image")


def _pad_or_crop_axis(size: Dim, before: Any, after: Any, target: Any, names: tuple[str, str, str],
                      sign: int) -> Dim:
    """One axis of pad_images (sign +1) or crop_images (sign -1): the target size, after Keras'
    checks that exactly two of (before, after, target) are given and none is negative."""
    if [before, after, target].count(None) != 1:
        raise ShapeError("invalid-argument", f"Must specify exactly two of {', '.join(names)}. "
                         f"Received: {names[0]}={before}, {names[1]}={after}, "
                         f"{names[2]}={target}", arg=names[2])
    for v, n in zip((before, after, target), names, strict=True):
        if v is not None and (not is_int(v) or v < 0):
            raise ShapeError("invalid-argument", f"{n} must be >= 0. Received: {n}={v}", arg=n)
    if target is None:
        if size is None:
            if sign < 0:
                raise ShapeError("invalid-argument", f"When the size of the images is unknown, "
                                 f"`{names[2]}` must be specified.", arg=names[2])
            return None
        target = size + sign * (before + after)
    if size is not None:
        rest = sign * (target - size)
        b = rest - after if before is None else before
        e = rest - b if after is None else after
        for v, n in ((b, names[0]), (e, names[1]), (target, names[2])):
            if v < 0:
                raise ShapeError("incompatible-shape", f"{n} must be >= 0. Received: {n}={v}",
                                 arg=n)
    return int(target)


def _pad_crop(a: dict[str, Any], word: str, sign: int) -> Result:
    x = _images(a)
    h_ax, w_ax = (-3, -2) if _last(a) else (-2, -1)
    get = {k: known(a[k], k) for k in a if k.endswith(word) or k.startswith("target_")}
    h = _pad_or_crop_axis(x[h_ax], get[f"top_{word}"], get[f"bottom_{word}"],
                          get["target_height"], (f"top_{word}", f"bottom_{word}",
                                                 "target_height"), sign)
    w = _pad_or_crop_axis(x[w_ax], get[f"left_{word}"], get[f"right_{word}"],
                          get["target_width"], (f"left_{word}", f"right_{word}", "target_width"),
                          sign)
    out = list(x)
    out[h_ax], out[w_ax] = h, w
    return outcome(x, tuple(out), f"height, width -> {h}, {w}")


@keras_op("image.pad_images")
def _pad_images(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _pad_crop(a, "padding", 1)


@keras_op("image.crop_images")
def _crop_images(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _pad_crop(a, "cropping", -1)


@keras_op("image.scale_and_translate")
def _scale_and_translate(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["images"], "images")
    out = known(a["output_shape"], "output_shape")
    if not isinstance(out, (list, tuple)) or not all(d is None or is_int(d) for d in out):
        raise NotKnown("`output_shape` is not a list of integers")
    return outcome(x, tuple(out), "the requested output_shape")
