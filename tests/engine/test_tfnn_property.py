"""Property tests: engine `tf.nn` conv/pool shapes == TF 2.21's static shapes (tf.function)."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shapelens.engine.registry import apply_op
from shapelens.engine.types import ShapeError, Tensor
from support.keras_truth import FAMILY_COUNTS
from support.op_truth import truth

EXAMPLES = int(os.environ.get("SHAPELENS_PROPERTY_EXAMPLES", "300"))
RANDOM = os.environ.get("SHAPELENS_PROPERTY_RANDOM")  # set to explore beyond the fixed seed
SPATIAL = st.sampled_from([None, 1, 2, 3, 4, 5, 7, 8])
FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}


def seq(draw: Any, n: int, lo: int = 1, hi: int = 3, full_only: bool = False) -> Any:
    """An int, a length-1 / N / N+2 list, or (rarely) a bad length."""
    choice = draw(st.integers(0, 9))
    v = [draw(st.integers(lo, hi)) for _ in range(n)]
    if full_only and choice < 8:
        choice = 3
    if choice == 0:
        return v[0]
    if choice == 1:
        return [v[0]]
    if choice in (2, 4, 5):
        return v
    if choice in (3, 6, 7):
        return [1, *v, 1]
    if choice == 8:
        return [1, *v]
    return [draw(st.integers(1, 2)), *v, draw(st.integers(1, 2))]


def padding(draw: Any, n: int, channels_first: bool, explicit: bool = True) -> Any:
    c = draw(st.integers(0, 11))
    if c < 4:
        return "SAME"
    if c < 8:
        return "VALID"
    if c == 8:
        return draw(st.sampled_from(["same", "valid", "Same", "FULL", "EXPLICIT"]))
    if not explicit:
        return "VALID"
    pairs = [[draw(st.integers(0, 2)), draw(st.integers(0, 2))] for _ in range(n)]
    full = [[0, 0], [0, 0], *pairs] if channels_first else [[0, 0], *pairs, [0, 0]]
    if c == 9 and draw(st.booleans()):
        full[0] = [1, 0]
    if c == 10 and draw(st.booleans()):
        return pairs
    return full


@st.composite
def nn_calls(draw: Any) -> tuple[str, list[Any], dict[str, Any]]:
    kind = draw(st.sampled_from(["conv", "conv", "conv", "pool", "pool", "transpose",
                                 "depthwise", "separable", "atrous", "v1"]))
    n = draw(st.sampled_from([1, 2, 2, 2, 3])) if kind in ("conv", "pool", "transpose") else 2
    fmt = draw(st.sampled_from(FORMATS[n] + (FORMATS[n][0],)))
    cf = fmt.startswith("NC")
    batch = draw(st.sampled_from([None, 1, 2]))
    spatial = [draw(SPATIAL) for _ in range(n)]
    cin = draw(st.sampled_from([None, 1, 2, 3, 4, 6]))
    x = (batch, cin, *spatial) if cf else (batch, *spatial, cin)
    ks = [draw(st.sampled_from([1, 2, 3, None if draw(st.integers(0, 9)) == 0 else 3]))
          for _ in range(n)]
    if kind == "conv":
        name = {1: "tf.nn.conv1d", 2: "tf.nn.conv2d", 3: "tf.nn.conv3d"}[n]
        fin = draw(st.sampled_from([cin, cin, 1, 2, 3, None]))
        w = (*ks, fin, draw(st.sampled_from([1, 2, 4, 6, None])))
        kw: dict[str, Any] = {"padding": padding(draw, n, cf, n == 2),
                              "data_format": fmt}
        key = "stride" if n == 1 else "strides"
        kw[key] = seq(draw, n, full_only=n == 3)
        if draw(st.booleans()):
            kw["dilations"] = seq(draw, n, 1, 2)
            if n == 3 and isinstance(kw["dilations"], list) and len(kw["dilations"]) in (3, 5):
                # TF's Conv3D *static* shape swaps the H and W dilations (see test_tfnn.py);
                # keep them equal here so graph-mode truth is the run-time truth.
                d = kw["dilations"]
                h = 1 if len(d) == 3 else (3 if cf else 2)
                d[h + 1] = d[h]
            if isinstance(kw[key], int) or len(kw[key]) in (1, n):
                kw[key] = 1
            elif n != 3:
                kw[key] = [1] * (n + 2) if draw(st.booleans()) else 1
            else:
                kw[key] = [1] * 5
        return name, [Tensor(x), Tensor(w)], kw
    if kind == "pool":
        pk = draw(st.sampled_from(["max", "avg"]))
        name = draw(st.sampled_from([f"tf.nn.{pk}_pool", f"tf.nn.{pk}_pool{n}d"]))
        k = seq(draw, n, 1, 3)
        s = seq(draw, n, 1, 3)
        if isinstance(k, list) and len(k) == n + 2:
            k = [1, *k[1:-1], 1] if not cf else [1, 1, *k[2:]]
        if isinstance(s, list) and len(s) == n + 2:
            s = [1, *s[1:-1], 1] if not cf else [1, 1, *s[2:]]
        return name, [Tensor(x)], {"ksize": k, "strides": s,
                                   "padding": padding(draw, n, cf, n == 2 and pk == "max"),
                                   "data_format": fmt}
    if kind == "transpose":
        name = {1: "tf.nn.conv1d_transpose", 2: "tf.nn.conv2d_transpose",
                3: "tf.nn.conv3d_transpose"}[n]
        ks = [k or 3 for k in ks]
        fin, fout = draw(st.sampled_from([1, 3, None])), draw(st.sampled_from([cin, cin, 2]))
        w = (*ks, fin, fout)
        out_sp = [draw(st.integers(1, 9)) for _ in range(n)]
        if draw(st.booleans()):
            os_: list[int] = out_sp
        else:
            c = fin or 3
            os_ = [2, c, *out_sp] if cf else [2, *out_sp, c]
        return name, [Tensor(x), Tensor(w), os_], {
            "strides": seq(draw, n, 1, 2), "padding": padding(draw, n, cf, n == 2),
            "data_format": fmt}
    x = (batch, *spatial, cin)
    if kind == "v1":
        op = draw(st.sampled_from(["conv2d", "max_pool", "avg_pool", "avg_pool2d", "conv1d",
                                   "conv3d", "conv2d_transpose", "depthwise_conv2d"]))
        if op == "conv1d":
            x1 = (batch, spatial[0], cin)
            w1 = (ks[0], draw(st.sampled_from([cin, 3])), 4)
            return "tf.compat.v1.nn.conv1d", [], {
                "value": Tensor(x1), "filters": Tensor(w1), "stride": seq(draw, 1),
                "padding": draw(st.sampled_from(["SAME", "VALID", "same"]))}
        if op == "conv3d":
            x3 = (batch, *spatial, draw(SPATIAL), cin)
            w3 = (*ks, 2, draw(st.sampled_from([cin, 3])), 4)
            return "tf.compat.v1.nn.conv3d", [Tensor(x3)], {
                "filter": Tensor(w3), "strides": seq(draw, 3, full_only=True),
                "padding": draw(st.sampled_from(["SAME", "VALID"]))}
        if op == "conv2d_transpose":
            fin = draw(st.sampled_from([1, 3]))
            wt = (*[k or 3 for k in ks], fin, draw(st.sampled_from([cin, 2])))
            os_ = [2, draw(st.integers(1, 9)), draw(st.integers(1, 9)),
                   draw(st.sampled_from([fin, fin, 5]))]
            return "tf.compat.v1.nn.conv2d_transpose", [Tensor(x), Tensor(wt), os_], {
                "strides": seq(draw, 2, 1, 2), "padding": padding(draw, 2, False)}
        if op == "depthwise_conv2d":
            dw = (*ks, draw(st.sampled_from([cin, cin, 3])), 2)
            return "tf.compat.v1.nn.depthwise_conv2d", [Tensor(x), Tensor(dw)], {
                "strides": [1, 1, 1, 1], "padding": draw(st.sampled_from(["SAME", "VALID"])),
                "rate": draw(st.sampled_from([None, 1, 2, [1, 2]]))}
        if op == "conv2d":
            w = (*ks, draw(st.sampled_from([cin, 3])), 7)
            return "tf.compat.v1.nn.conv2d", [Tensor(x), Tensor(w)], {
                "strides": seq(draw, 2), "padding": padding(draw, 2, False)}
        return f"tf.compat.v1.nn.{op}", [Tensor(x)], {
            "ksize": [1, 2, 2, 1] if draw(st.booleans()) else draw(st.integers(1, 3)),
            "strides": [1, 2, 2, 1] if draw(st.booleans()) else draw(st.integers(1, 3)),
            "padding": padding(draw, 2, False, False)}
    mult = draw(st.sampled_from([1, 2, None]))
    dw = (*ks, draw(st.sampled_from([cin, cin, 3])), mult)
    strides = seq(draw, 2, 1, 2, full_only=True)
    if isinstance(strides, list) and len(strides) == 4:
        strides = [1, strides[1], strides[2], 1]
    kw = {"strides": strides, "padding": padding(draw, 2, False, kind != "atrous")}
    if draw(st.booleans()):
        kw["dilations"] = [draw(st.integers(1, 2)), draw(st.integers(1, 2))]
        if draw(st.integers(0, 5)) == 0:
            kw["dilations"] = draw(st.sampled_from([1, 2, [1, 1, 1, 1], [2]]))
    if kind == "depthwise":
        return "tf.nn.depthwise_conv2d", [Tensor(x), Tensor(dw)], kw
    if kind == "separable":
        base = (cin if cin is not None else 3) * (mult or 1)
        pw = (1, 1, draw(st.sampled_from([base, base, 5])), draw(st.sampled_from([4, None])))
        return "tf.nn.separable_conv2d", [Tensor(x), Tensor(dw), Tensor(pw)], kw
    w = (*ks, draw(st.sampled_from([cin, 3])), 5)
    return "tf.nn.atrous_conv2d", [Tensor(x), Tensor(w)], {
        "rate": draw(st.integers(1, 3)), "padding": draw(st.sampled_from(["SAME", "VALID",
                                                                          "same"]))}


def engine(q: str, args: list[Any], kwargs: dict[str, Any]) -> tuple[bool, Any, Any]:
    try:
        r = apply_op(q, args, kwargs)
    except ShapeError as e:
        return False, None, e
    assert r is not None, q
    return True, r.outputs, r


@settings(max_examples=EXAMPLES, deadline=None, derandomize=RANDOM is None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(nn_calls())
def test_tfnn_matches_tensorflow(call: tuple[str, list[Any], dict[str, Any]]) -> None:
    q, args, kwargs = call
    FAMILY_COUNTS["tf.nn"] += 1
    t = truth(q, args, kwargs)
    ok, out, extra = engine(q, args, kwargs)
    if ok and extra.unknown is not None:
        # The engine declines only for pooling over the batch/channel axes and for dilated
        # depthwise/atrous convolutions with unknown channels.
        assert "batch or channel" in extra.unknown or "space_to_batch" in extra.unknown, (
            extra.unknown)
        return
    assert ok == t.ok, f"{q}{args}{kwargs}: engine ok={ok} ({extra}) truth={t}"
    if ok:
        assert out == t.outputs, f"{q}{args}{kwargs}: {out} != {t.outputs}"
