"""Property tests for the attention family: random layers, arguments (valid and invalid), input
lists of 2 or 3 shapes with None dims, and call kwargs, compared with Keras (TF 2.21) in the run:
same accept/reject decision, same stage when rejected, equal outputs and params.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from support.keras_truth import FAMILY_COUNTS

from .test_attention import compare

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True)

pos = st.one_of(*[st.integers(1, 4)] * 5, st.sampled_from([0, -1, True, 2.0, None, "a"]))
seq = st.sampled_from([None, 1, 3, 5, 5])
feat = st.sampled_from([None, 0, 2, 4, 6, 6, 8, 8])


@st.composite
def shape(draw: Any, rank: int, last: Any = None) -> tuple[Any, ...]:
    b = draw(st.sampled_from([None, None, 2]))
    mid = [draw(seq) for _ in range(rank - 2)]
    return (b, *mid, draw(feat) if last is None else last)


@st.composite
def mha_case(draw: Any) -> tuple[str, tuple[Any, ...], dict[str, Any], list[Any], Any]:
    bad = draw(st.integers(0, 4)) == 0
    args = (draw(pos), draw(pos)) if bad else (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    kw: dict[str, Any] = {}
    if draw(st.integers(0, 3)) == 0:
        kw["value_dim"] = draw(st.one_of(st.integers(1, 4), st.sampled_from([None, 0])))
    if draw(st.integers(0, 3)) == 0:
        kw["output_shape"] = draw(st.sampled_from([3, (2, 3), [5], 0, (), (0,), (-1,), 2.0]))
    if draw(st.integers(0, 3)) == 0:
        kw["use_bias"] = False
    if draw(st.integers(0, 4)) == 0:
        kw["use_gate"] = True
    if draw(st.integers(0, 6)) == 0:
        kw["dropout"] = draw(st.sampled_from([0.1, 2.0]))
    rank = draw(st.sampled_from([3, 3, 3, 2, 4]))
    if draw(st.integers(0, 3)) == 0:
        kw["attention_axes"] = draw(st.sampled_from([1, -1, -2, 2, 3, 5, -6, (1,), [1, 2], ()]))
    q = draw(shape(rank))
    v = draw(shape(draw(st.sampled_from([rank] * 5 + [2, 3, 4]))))
    shapes = [q, v]
    if draw(st.booleans()):
        k = draw(shape(len(v)))
        if draw(st.integers(0, 2)) > 0:
            k = (k[0], *v[1:-1], k[-1])
        shapes.append(k)
    ck = {"return_attention_scores": True} if draw(st.booleans()) else None
    return "MultiHeadAttention", args, kw, shapes, ck


@st.composite
def attention_case(draw: Any) -> tuple[str, tuple[Any, ...], dict[str, Any], list[Any], Any]:
    name = draw(st.sampled_from(["Attention", "AdditiveAttention"]))
    kw: dict[str, Any] = {}
    if draw(st.booleans()):
        kw["use_scale"] = draw(st.booleans())
    if name == "Attention" and draw(st.booleans()):
        kw["score_mode"] = draw(st.sampled_from(["dot", "concat", "concat", "add"]))
    if draw(st.integers(0, 6)) == 0:
        kw["dropout"] = draw(st.sampled_from([0.1, "x"]))
    rank = draw(st.sampled_from([3, 3, 3, 2, 4]))
    n = draw(st.sampled_from([2, 2, 3, 3, 1, 4]))
    shapes = [draw(shape(rank)) for _ in range(n)]
    ck = {"return_attention_scores": True} if draw(st.booleans()) else None
    if draw(st.integers(0, 10)) == 0:
        ck = {"use_causal_mask": True}
    return name, (), kw, shapes, ck


@SETTINGS
@given(case=mha_case())
def test_multi_head_attention_property(case: Any) -> None:
    FAMILY_COUNTS["attention"] += 1
    t = compare(*case)
    event("accepted" if t.ok else f"rejected at {t.stage}")


@SETTINGS
@given(case=attention_case())
def test_attention_property(case: Any) -> None:
    FAMILY_COUNTS["attention"] += 1
    t = compare(*case)
    event("accepted" if t.ok else f"rejected at {t.stage}")
