"""keras.ops.rearrange (einops notation): the output shape from the pattern and the axis lengths,
as Keras' Rearrange.compute_output_spec builds it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .args import is_int, known
from .opargs import exported, outcome, shape_of
from .registry import register_op
from .types import Dim, NotKnown, Result, ShapeError

# An axis name, or a parenthesised group of them, as Keras tokenises a pattern side.
_TOKEN = re.compile(r"\w+|\(.*?\)")


def _sizes(tokens: list[str], x: tuple[Dim, ...], lengths: dict[str, Any]) -> dict[str, Dim]:
    """Each input axis name's size; in a group, the one name without a given length is inferred
    by division. Keras pairs tokens with dims without comparing their counts."""
    sizes: dict[str, Dim] = {}
    for token, dim in zip(tokens, x, strict=False):
        if token.startswith("("):
            names = token[1:-1].split()
            missing = [n for n in names if n not in lengths]
            if missing:
                known_product = 1
                for n in names:
                    if n in lengths:
                        known_product *= lengths[n]
                if dim is None:
                    raise NotKnown("a grouped axis of size None cannot be divided")
                lengths[missing[0]] = dim // known_product
            for n in names:
                if n not in lengths:
                    raise ShapeError("invalid-argument", f"axis `{n}` of group {token} has no "
                                     "length: give it as a keyword argument", arg=n)
                sizes[n] = lengths[n]
        else:
            sizes[token] = dim
    return sizes


def rearrange(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Result:
    """`rearrange(tensor, pattern, **axes_lengths)`."""
    pos = list(args)
    rest = dict(kwargs)
    tensor = pos.pop(0) if pos else rest.pop("tensor", None)
    pattern = pos.pop(0) if pos else rest.pop("pattern", None)
    if tensor is None or pattern is None or pos:
        raise ShapeError("invalid-argument", "rearrange(tensor, pattern, **axes_lengths)")
    x = shape_of(tensor, "tensor")
    pattern = known(pattern, "pattern")
    lengths = {k: known(v, k) for k, v in rest.items()}
    if not isinstance(pattern, str) or not all(is_int(v) for v in lengths.values()):
        raise NotKnown("the pattern or an axis length is not a literal")
    sides = re.split(r"\s*->\s*", pattern)
    if len(sides) != 2:
        raise ShapeError("invalid-argument", f"The pattern needs one '->'. Received: {pattern!r}",
                         arg="pattern")
    sizes = _sizes(_TOKEN.findall(sides[0]), x, lengths)
    out: list[Dim] = []
    for token in _TOKEN.findall(sides[1]):
        size = 1
        for name in (token[1:-1].split() if token.startswith("(") else [token]):
            if name not in sizes:
                raise ShapeError("invalid-argument", f"Output axis `{name}` is not on the input "
                                 f"side of {pattern!r}", arg="pattern")
            d = sizes[name]
            if d is None:
                # Keras multiplies the sizes and fails on None when the tensor is a KerasTensor;
                # on a traced tensor inside a layer it works. Neither is a shape to state here.
                raise NotKnown("Keras' rearrange multiplies axis sizes, and one is None")
            size *= d
        out.append(size)
    return outcome(x, tuple(out), f"{pattern}")


register_op(*exported("rearrange"), fn=rearrange)
