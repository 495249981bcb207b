"""tf.image: resize, extract_patches, crops and pads to a box, flips and rotations, colour spaces,
the adjustments that keep the image's shape, crop_and_resize, glimpses, ssim/psnr, gradients.
"""

from __future__ import annotations

import math
from typing import Any

from .args import is_int, known
from .opargs import broadcast, dstr, outcome, shape_of
from .tfargs import tf_op
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape

# Functions whose output has the image's shape (adjustments, random ones, colour spaces of
# three channels in and out, standardisation).
_KEEP = {
    "adjust_brightness": "image", "adjust_contrast": "images", "adjust_gamma": "image",
    "adjust_hue": "image", "adjust_saturation": "image", "convert_image_dtype": "image",
    "per_image_standardization": "image", "random_brightness": "image",
    "random_contrast": "image", "random_hue": "image", "random_saturation": "image",
    "stateless_random_brightness": "image", "stateless_random_contrast": "image",
    "stateless_random_hue": "image", "stateless_random_saturation": "image",
    "draw_bounding_boxes": "images",
}  # fmt: skip
_FLIPS = ("flip_left_right", "flip_up_down", "random_flip_left_right", "random_flip_up_down",
          "stateless_random_flip_left_right", "stateless_random_flip_up_down")
_COLOURS = ("rgb_to_hsv", "hsv_to_rgb", "rgb_to_yiq", "yiq_to_rgb", "rgb_to_yuv", "yuv_to_rgb")


def _image(a: dict[str, Any], name: str, ranks: tuple[int, ...] = (3, 4)) -> Shape:
    x = shape_of(a[name], name)
    if len(x) not in ranks:
        want = " or ".join(str(r) for r in ranks)
        raise ShapeError("invalid-input-rank", f"'{name}' (shape {fmt_shape(x)}) must have "
                         f"{want} dimensions.", arg=name)
    return x


def _hw(x: Shape) -> tuple[int, int]:
    return (len(x) - 3, len(x) - 2)


def _keep(first: str) -> Any:
    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        x = shape_of(a[first], first)
        return outcome(x, x, "the image's shape is kept")

    return impl


for _name, _first in _KEEP.items():
    tf_op(f"tf.image.{_name}")(_keep(_first))


@tf_op(*(f"tf.image.{n}" for n in _FLIPS))
def _flip(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "image")
    return outcome(x, x, "flipped: the shape is kept")


@tf_op(*(f"tf.image.{n}" for n in _COLOURS))
def _colour(owner: str, mode: str, a: dict[str, Any]) -> Result:
    name = next(iter(a))
    x = shape_of(a[name], name)
    if not x or (x[-1] is not None and x[-1] != 3):
        raise ShapeError("incompatible-shape", f"the last axis of `{name}` must be 3 channels; "
                         f"got {fmt_shape(x)}", arg=name)
    return outcome(x, x, "three channels in, three out")


@tf_op("tf.image.rgb_to_grayscale")
def _grayscale(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["images"], "images")
    if not x:
        raise NotKnown("rgb_to_grayscale of a scalar")
    if x[-1] is not None and x[-1] != 3:
        raise ShapeError("incompatible-shape", f"rgb_to_grayscale needs 3 channels (TF weighs them "
                         f"with a 3-vector); got {fmt_shape(x)}", arg="images")
    return outcome(x, (*x[:-1], 1), "one channel")


@tf_op("tf.image.grayscale_to_rgb")
def _to_rgb(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["images"], "images")
    if len(x) < 2 or (x[-1] is not None and x[-1] != 1):
        raise ShapeError("incompatible-shape", f"grayscale_to_rgb needs a last axis of 1; got "
                         f"{fmt_shape(x)}", arg="images")
    return outcome(x, (*x[:-1], 3), "three channels")


def _size(value: Any, arg: str = "size") -> tuple[int, int]:
    size = known(value, arg)
    if not isinstance(size, (list, tuple)) or len(size) != 2 or not all(is_int(s) for s in size):
        raise NotKnown(f"`{arg}` is not a pair of known integers")
    return int(size[0]), int(size[1])


def _with_hw(x: Shape, h: Dim, w: Dim) -> Shape:
    out = list(x)
    hi, wi = _hw(x)
    out[hi], out[wi] = h, w
    return tuple(out)


@tf_op("tf.image.resize")
def _resize(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "images")
    h, w = _size(a["size"])
    if known(a["preserve_aspect_ratio"], "preserve_aspect_ratio"):
        raise NotKnown("resize with preserve_aspect_ratio=True: TensorFlow computes the size in "
                       "float32 at run time")
    return outcome(x, _with_hw(x, h, w), f"height, width -> {h}, {w}")


@tf_op("tf.image.resize_with_pad")
def _resize_with_pad(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "image")
    th, tw = known(a["target_height"], "target_height"), known(a["target_width"], "target_width")
    if not (is_int(th) and is_int(tw)):
        raise NotKnown("the target size is not known")
    return outcome(x, _with_hw(x, th, tw), f"height, width -> {th}, {tw}")


def _box(a: dict[str, Any], image: str, names: tuple[str, ...], grow: bool) -> Result:
    x = _image(a, image)
    vals = [known(a[n], n) for n in names]
    if not all(is_int(v) for v in vals):
        raise NotKnown("the box is not known statically")
    oh, ow, th, tw = vals
    for v, n in zip(vals, names, strict=True):
        if v < 0 and n.startswith("offset"):
            raise ShapeError("invalid-argument", f"{n} must be >= 0.", arg=n)
        if v <= 0 and n.startswith("target"):
            raise ShapeError("invalid-argument", f"{n} must be > 0.", arg=n)
    hi, wi = _hw(x)
    h, w = x[hi], x[wi]
    if grow:
        if (h is not None and th < oh + h) or (w is not None and tw < ow + w):
            raise ShapeError("incompatible-shape", "the target size must be at least the offset "
                             f"plus the image's size ({fmt_shape(x)})", arg="target_height")
    elif (h is not None and h < oh + th) or (w is not None and w < ow + tw):
        raise ShapeError("incompatible-shape", f"the box {th}x{tw} at ({oh}, {ow}) does not fit "
                         f"in the image {fmt_shape(x)}", arg="target_height")
    return outcome(x, _with_hw(x, th, tw), f"height, width -> {th}, {tw}")


@tf_op("tf.image.crop_to_bounding_box")
def _crop_box(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _box(a, "image", ("offset_height", "offset_width", "target_height", "target_width"),
                False)


@tf_op("tf.image.pad_to_bounding_box")
def _pad_box(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _box(a, "image", ("offset_height", "offset_width", "target_height", "target_width"),
                True)


@tf_op("tf.image.resize_with_crop_or_pad")
def _crop_or_pad(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "image")
    th, tw = known(a["target_height"], "target_height"), known(a["target_width"], "target_width")
    if not (is_int(th) and is_int(tw)):
        raise NotKnown("the target size is not known")
    for v, n in ((th, "target_height"), (tw, "target_width")):
        if v <= 0:
            raise ShapeError("invalid-argument", f"{n} must be > 0.", arg=n)
    return outcome(x, _with_hw(x, th, tw), f"height, width -> {th}, {tw}")


@tf_op("tf.image.central_crop")
def _central_crop(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "image")
    f = known(a["central_fraction"], "central_fraction")
    if not isinstance(f, (int, float)):
        raise NotKnown("`central_fraction` is not a known number")
    if f <= 0.0 or f > 1.0:
        raise ShapeError("invalid-argument", "central_fraction must be within (0, 1]",
                         arg="central_fraction")
    if f == 1.0:
        return outcome(x, x, "central_fraction 1: the image itself")

    def crop(d: Dim) -> Dim:
        return None if d is None else d - 2 * int((float(d) - float(d) * f) / 2)

    hi, wi = _hw(x)
    out = _with_hw(x, crop(x[hi]), crop(x[wi]))
    return outcome(x, out, f"the central {f} of height and width")


@tf_op("tf.image.random_crop", "tf.image.stateless_random_crop")
def _random_crop(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["value"], "value")
    size = known(a["size"], "size")
    if not isinstance(size, (list, tuple)) or not all(is_int(s) for s in size):
        raise NotKnown("`size` is not a list of known integers")
    if len(size) != len(x):
        raise ShapeError("incompatible-shape", f"`size` {list(size)} needs one entry per axis of "
                         f"{fmt_shape(x)}", arg="size")
    return outcome(x, tuple(size), f"cropped to {list(size)}")


@tf_op("tf.image.transpose")
def _transpose(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "image")
    hi, wi = _hw(x)
    return outcome(x, _with_hw(x, x[wi], x[hi]), "height and width swapped")


@tf_op("tf.image.rot90")
def _rot90(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "image")
    k = a["k"]
    # TF picks the rotation with a case over k % 4 in the graph: height and width are unknown
    # statically whatever k is.
    return outcome(x, _with_hw(x, None, None), f"{k} quarter turns: TF's static shape does not "
                   "know height and width")


def _window(size: Dim, k: int, s: int, r: int, padding: str) -> Dim:
    if size is None:
        return None
    if padding == "SAME":
        return math.ceil(size / s)
    eff = (k - 1) * r + 1
    out = int((size - eff + s) / s)  # TF's GetWindowedOutputSize: C++ division, toward zero
    if out < 0:
        raise ShapeError("incompatible-shape", f"Computed output size would be negative: {out} "
                         f"[input_size: {size}, effective_filter_size: {eff}, stride: {s}]")
    return out


def _quad(value: Any, arg: str) -> list[int]:
    v = known(value, arg)
    if not isinstance(v, (list, tuple)) or len(v) != 4 or not all(is_int(i) for i in v):
        raise ShapeError("invalid-argument", f"`{arg}` must be a list of 4 integers "
                         f"[1, rows, cols, 1]. Received: {v!r}", arg=arg)
    # TF reads only rows and cols (the batch and depth entries are not checked statically).
    return list(v)


@tf_op("tf.image.extract_patches")
def _extract_patches(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "images", (4,))
    k, s, r = _quad(a["sizes"], "sizes"), _quad(a["strides"], "strides"), _quad(a["rates"], "rates")
    padding = known(a["padding"], "padding")
    if padding not in ("SAME", "VALID"):
        raise ShapeError("invalid-argument", f"padding must be 'SAME' or 'VALID'; got {padding!r}",
                         arg="padding")
    # TF's shape function knows neither output size unless both input sizes are known.
    known_hw = x[1] is not None and x[2] is not None
    h = _window(x[1], k[1], s[1], r[1], padding) if known_hw else None
    w = _window(x[2], k[2], s[2], r[2], padding) if known_hw else None
    depth = None if x[3] is None else k[1] * k[2] * x[3]
    out = (x[0], h, w, depth)
    return outcome(x, out, f"rows: {dstr(x[1])} -> {dstr(h)}, cols: {dstr(x[2])} -> {dstr(w)} "
                           f"({padding}, patch {k[1]}x{k[2]}, stride {s[1]}x{s[2]}, rate "
                           f"{r[1]}x{r[2]})", f"each patch flattened: {k[1]}*{k[2]}*{dstr(x[3])} "
                           f"= {dstr(depth)}")


@tf_op("tf.image.crop_and_resize")
def _crop_and_resize(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "image", (4,))
    boxes = shape_of(a["boxes"], "boxes")
    ids = shape_of(a["box_indices"], "box_indices")
    h, w = _size(a["crop_size"], "crop_size")
    if len(boxes) != 2 or (boxes[1] is not None and boxes[1] != 4):
        raise ShapeError("incompatible-shape", f"boxes must be [num_boxes, 4]; got "
                         f"{fmt_shape(boxes)}", arg="boxes")
    if len(ids) != 1:
        raise ShapeError("invalid-input-rank", f"box_indices must be rank 1; got "
                         f"{fmt_shape(ids)}", arg="box_indices")
    n = boxes[0] if boxes[0] is not None else ids[0]
    if boxes[0] is not None and ids[0] is not None and boxes[0] != ids[0]:
        raise ShapeError("shape-mismatch", f"boxes and box_indices have {boxes[0]} and {ids[0]} "
                         "rows", arg="box_indices")
    return outcome(x, (n, h, w, x[3]), f"{dstr(n)} crops of {h}x{w}")


@tf_op("tf.image.extract_glimpse")
def _glimpse(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "input", (4,))
    h, w = _size(a["size"])
    off = shape_of(a["offsets"], "offsets")
    if len(off) != 2 or (off[1] is not None and off[1] != 2):
        raise ShapeError("incompatible-shape", f"offsets must be [batch, 2]; got {fmt_shape(off)}",
                         arg="offsets")
    return outcome(x, (x[0], h, w, x[3]), f"a {h}x{w} glimpse per image")


@tf_op("tf.image.sobel_edges")
def _sobel(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "image", (4,))
    return outcome(x, (*x, 2), "a last axis of 2: [dy, dx]")


@tf_op("tf.image.image_gradients")
def _gradients(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "image", (4,))
    return outcome(x, [x, x], "dy and dx, each the image's shape")


def _pair(a: dict[str, Any], n1: str, n2: str) -> Shape:
    s1, s2 = shape_of(a[n1], n1), shape_of(a[n2], n2)
    if len(s1) < 3 or len(s2) < 3:
        raise ShapeError("invalid-input-rank", f"`{n1}` and `{n2}` must be images of rank >= 3",
                         arg=n1)
    return broadcast(s1, s2, f"{n1}.shape={fmt_shape(s1)}, {n2}.shape={fmt_shape(s2)}")


@tf_op("tf.image.psnr", "tf.image.ssim", "tf.image.ssim_multiscale")
def _score(owner: str, mode: str, a: dict[str, Any]) -> Result:
    n1, n2 = ("a", "b") if "a" in a else ("img1", "img2")
    x = _pair(a, n1, n2)
    return outcome(x, x[:-3], "one score per image")


@tf_op("tf.image.total_variation")
def _total_variation(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _image(a, "images")
    return outcome(x, x[:-3], "one value per image")


@tf_op("tf.image.combined_non_max_suppression")
def _combined_nms(owner: str, mode: str, a: dict[str, Any]) -> Result:
    boxes = shape_of(a["boxes"], "boxes")
    scores = shape_of(a["scores"], "scores")
    total = known(a["max_total_size"], "max_total_size")
    per = known(a["max_output_size_per_class"], "max_output_size_per_class")
    if known(a["pad_per_class"], "pad_per_class"):
        raise NotKnown("combined_non_max_suppression with pad_per_class: the size depends on "
                       "the number of classes and max_total_size")
    if not (is_int(total) and is_int(per)):
        raise NotKnown("max_total_size is not a known integer")
    if len(boxes) != 4 or len(scores) != 3:
        raise ShapeError("invalid-input-rank", "boxes must be [batch, num_boxes, q, 4] and scores "
                         f"[batch, num_boxes, num_classes]; got {fmt_shape(boxes)} and "
                         f"{fmt_shape(scores)}", arg="boxes")
    b = boxes[0] if boxes[0] is not None else scores[0]
    return outcome(boxes, [(b, total, 4), (b, total), (b, total), (b,)],
                   f"{total} boxes per image (nmsed boxes, scores, classes, valid detections)")


@tf_op("tf.image.non_max_suppression_padded")
def _nms_padded(owner: str, mode: str, a: dict[str, Any]) -> Result:
    boxes = shape_of(a["boxes"], "boxes")
    n = known(a["max_output_size"], "max_output_size")
    if not is_int(n):
        raise NotKnown("`max_output_size` is not a known integer")
    lead = boxes[:-2]
    size = n if known(a["pad_to_max_output_size"], "pad_to_max_output_size") else None
    return outcome(boxes, [(*lead, size), lead], "selected indices (padded to max_output_size, "
                   "else as many as survive) and how many are valid")
