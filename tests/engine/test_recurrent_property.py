"""Property tests for the recurrent family: random layers, arguments (valid and invalid) and input
shapes (None batch/time/feature dims included), each compared with Keras (TF 2.21) in the run:
the same accept/reject decision, the same stage when rejected, equal outputs and params.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from shapelens.engine import registry
from support.keras_truth import FAMILY_COUNTS

from .test_recurrent import L, compare

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True)

dims = st.sampled_from([None, 0, 1, 2, 3, 3, 5, 5, 8, 8])
batch = st.sampled_from([None, None, 2])
time = st.sampled_from([None, 0, 1, 4])
units = st.one_of(*[st.integers(1, 6)] * 5,
                  st.sampled_from([0, -1, True, False, 2.0, 2.5, "a", None]))


@st.composite
def simple_rnn(draw: Any, valid: bool = False) -> L:
    kind = draw(st.sampled_from(["SimpleRNN", "LSTM", "GRU"]))
    kw: dict[str, Any] = {}
    for flag in ("return_sequences", "return_state", "use_bias"):
        if draw(st.booleans()):
            kw[flag] = draw(st.booleans())
    if draw(st.integers(0, 8)) == 0:
        kw["stateful"] = True
    if kind == "GRU" and draw(st.booleans()):
        kw["reset_after"] = draw(st.booleans())
    if not valid:
        if kind != "SimpleRNN" and draw(st.integers(0, 5)) == 0:
            kw["implementation"] = draw(st.sampled_from([1, 2]))
        if draw(st.integers(0, 8)) == 0:
            kw["dropout"] = draw(st.sampled_from([0.5, 2, "x"]))
        if kind != "SimpleRNN" and draw(st.integers(0, 8)) == 0:
            kw["use_cudnn"] = draw(st.sampled_from(["auto", False, None, "x"]))
        if kind == "SimpleRNN" and draw(st.integers(0, 10)) == 0:
            kw["implementation"] = 1
    u = draw(st.integers(1, 6)) if valid or draw(st.integers(0, 2)) else draw(units)
    return L(kind, (u,), kw)


@st.composite
def conv_lstm(draw: Any) -> tuple[L, tuple[Any, ...]]:
    rank = draw(st.sampled_from([1, 2]))
    kind = f"ConvLSTM{rank}D"
    filters = draw(st.one_of(*[st.integers(1, 4)] * 4, st.sampled_from([0, -1, 2.5, None])))
    kernel: Any = draw(st.one_of(st.integers(1, 3), st.integers(1, 3),
                                 st.tuples(*[st.integers(0, 3)] * rank)))
    kw: dict[str, Any] = {}
    if draw(st.booleans()):
        kw["strides"] = draw(st.sampled_from([1, 2, 3, 0]))
    if draw(st.booleans()):
        kw["dilation_rate"] = draw(st.sampled_from([1, 2]))
    if draw(st.booleans()):
        kw["padding"] = draw(st.sampled_from(["valid", "same", "causal", "SAME"]))
    if draw(st.integers(0, 3)) == 0:
        kw["data_format"] = "channels_first"
    for flag in ("return_sequences", "return_state", "use_bias"):
        if draw(st.booleans()):
            kw[flag] = draw(st.booleans())
    if draw(st.integers(0, 8)) == 0:
        kw["stateful"] = True
    nd = draw(st.sampled_from([rank + 3] * 6 + [rank + 2, rank + 4]))
    spatial = draw(st.lists(st.sampled_from([None, 1, 3, 5, 8, 8, 8, 9]), min_size=nd - 3,
                            max_size=nd - 3))
    chan = draw(st.sampled_from([None, 0, 2, 3, 3, 3]))
    shape = (draw(batch), draw(time), *spatial, chan)
    return L(kind, (filters, kernel), kw), shape


@st.composite
def rnn_case(draw: Any) -> tuple[L, tuple[Any, ...]]:
    layer = draw(simple_rnn())
    nd = draw(st.sampled_from([3] * 8 + [2, 4]))
    shape = (draw(batch), draw(time), *[draw(dims) for _ in range(nd - 2)])
    return layer, shape


@st.composite
def bidi_case(draw: Any) -> tuple[L, tuple[Any, ...]]:
    if draw(st.integers(0, 5)) == 0:
        inner, shape = draw(conv_lstm())
    else:
        inner = draw(simple_rnn(valid=draw(st.booleans())))
        nd = draw(st.sampled_from([3] * 8 + [4]))
        shape = (draw(batch), draw(time), *[draw(dims) for _ in range(nd - 2)])
    if draw(st.integers(0, 10)) == 0:
        inner.kwargs["go_backwards"] = True
    kw: dict[str, Any] = {}
    if draw(st.booleans()):
        kw["merge_mode"] = draw(st.sampled_from(["concat", "sum", "mul", "ave", None, "x"]))
    if draw(st.integers(0, 3)) == 0:
        back = draw(simple_rnn(valid=True))
        back.kwargs["go_backwards"] = draw(st.sampled_from([True, True, True, False]))
        for flag in ("return_sequences", "return_state", "stateful"):
            back.kwargs.pop(flag, None)
            if flag in inner.kwargs and draw(st.integers(0, 5)) > 0:
                back.kwargs[flag] = inner.kwargs[flag]
        kw["backward_layer"] = back
    if draw(st.integers(0, 20)) == 0:
        return L("Bidirectional", (L("Dense", (3,)),), kw), shape
    return L("Bidirectional", (inner,), kw), shape


def _conv2d_available() -> bool:
    try:
        c = registry.construct("Conv2D", (4, 3), {})
        return c is not None and registry.call(c, (None, 8, 8, 3)).outputs == (None, 6, 6, 4)
    except Exception:
        return False


@st.composite
def td_case(draw: Any) -> tuple[L, tuple[Any, ...]]:
    choices = ["Dense", "Dense", "LSTM", "GRU", "Bidirectional"]
    if _conv2d_available():
        choices += ["Conv2D", "Conv2D"]
    which = draw(st.sampled_from(choices))
    inner: L
    if which == "Dense":
        inner = L("Dense", (draw(st.one_of(st.integers(1, 5), st.sampled_from([0, -2]))),))
    elif which == "Conv2D":
        inner = L("Conv2D", (draw(st.integers(1, 4)), draw(st.integers(1, 4))),
                  {"padding": draw(st.sampled_from(["valid", "same"])),
                   "strides": draw(st.sampled_from([1, 2]))})
    elif which == "Bidirectional":
        inner = L("Bidirectional", (draw(simple_rnn(valid=True)),))
    else:
        inner = draw(simple_rnn(valid=True))
        inner = L(which, inner.args, inner.kwargs)
        inner.kwargs.pop("reset_after", None) if which == "LSTM" else None
    nd = draw(st.sampled_from([2, 3, 3, 4, 4, 4, 5]))
    shape = (draw(batch), draw(time), *[draw(dims) for _ in range(nd - 2)])
    return L("TimeDistributed", (inner,)), shape


@SETTINGS
@given(case=rnn_case())
def test_rnn_property(case: tuple[L, tuple[Any, ...]]) -> None:
    FAMILY_COUNTS["recurrent"] += 1
    t = compare(*case)
    event("accepted" if t.ok else f"rejected at {t.stage}")


@SETTINGS
@given(case=conv_lstm())
def test_conv_lstm_property(case: tuple[L, tuple[Any, ...]]) -> None:
    FAMILY_COUNTS["recurrent"] += 1
    t = compare(*case)
    event("accepted" if t.ok else f"rejected at {t.stage}")


@SETTINGS
@given(case=bidi_case())
def test_bidirectional_property(case: tuple[L, tuple[Any, ...]]) -> None:
    FAMILY_COUNTS["recurrent"] += 1
    t = compare(*case)
    event("accepted" if t.ok else f"rejected at {t.stage}")


@SETTINGS
@given(case=td_case())
def test_time_distributed_property(case: tuple[L, tuple[Any, ...]]) -> None:
    FAMILY_COUNTS["recurrent"] += 1
    t = compare(*case)
    event("accepted" if t.ok else f"rejected at {t.stage}")
