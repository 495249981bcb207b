"""keras.ops that build a tensor from sizes: eye, identity, tri, linspace/logspace/geomspace, the
window functions, arange and array (the shape of nested Python data).
"""

from __future__ import annotations

import math
from typing import Any

from .args import is_int, known
from .opargs import broadcast, canon_axis, keras_op, outcome, shape_of
from .types import NotKnown, Result, ShapeError, Tensor


def _size(value: Any, arg: str) -> int:
    v = known(value, arg)
    if isinstance(v, Tensor):
        raise NotKnown(f"`{arg}` is a tensor whose value is not known statically")
    if not is_int(v):
        raise ShapeError("invalid-argument", f"`{arg}` must be an integer. Received: {arg}={v!r}",
                         arg=arg)
    if v < 0:
        raise ShapeError("invalid-argument", f"`{arg}` must be non-negative. Received: {arg}={v}",
                         arg=arg)
    return int(v)


@keras_op("eye", "tri")
def _eye(owner: str, mode: str, a: dict[str, Any]) -> Result:
    n = _size(a["N"], "N")
    m = n if known(a["M"], "M") is None else _size(a["M"], "M")
    return outcome(None, (n, m), f"({n}, {m})")


@keras_op("identity")
def _identity(owner: str, mode: str, a: dict[str, Any]) -> Result:
    n = _size(a["n"], "n")
    return outcome(None, (n, n), f"({n}, {n})")


@keras_op("linspace", "logspace", "geomspace")
def _space(owner: str, mode: str, a: dict[str, Any]) -> Result:
    if known(a.get("retstep", False), "retstep"):
        raise NotKnown("linspace(retstep=True) returns the step too")
    num = _size(a["num"], "num")
    s1, s2 = shape_of(a["start"], "start"), shape_of(a["stop"], "stop")
    base = list(broadcast(s1, s2, "start and stop"))
    base.insert(canon_axis(known(a["axis"], "axis"), len(base) + 1), num)
    return outcome(None, tuple(base), f"{num} samples")


@keras_op("bartlett", "blackman", "hamming", "hanning", "kaiser")
def _window(owner: str, mode: str, a: dict[str, Any]) -> Result:
    n = _size(a["x"], "x")
    return outcome(None, (n,), f"a window of {n}")


@keras_op("arange")
def _arange(owner: str, mode: str, a: dict[str, Any]) -> Result:
    start, stop, step = (known(a[k], k) for k in ("start", "stop", "step"))
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    for v, n in ((start, "start"), (stop, "stop"), (step, "step")):
        if isinstance(v, Tensor) or isinstance(v, bool) or not isinstance(v, (int, float)):
            raise NotKnown(f"`{n}` is not a Python number")
    if step == 0:
        raise ShapeError("invalid-argument", "`step` must not be zero", arg="step")
    n = max(0, math.ceil((stop - start) / step))
    return outcome(None, (n,), f"ceil(({stop} - {start}) / {step}) = {n}")


@keras_op("array")
def _array(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s = shape_of(a["x"], "x")
    return outcome(None, s, "the shape of the data")
