"""Named cases for the attention family, each compared with TensorFlow 2.21's Keras in the run.

Attention/AdditiveAttention take `[query, value(, key)]` as one list, so `layer_truth` calls them
directly. MultiHeadAttention takes `query, value, key=` as separate call arguments, so its truth
is taken here the same way `layer_truth` does it, calling the layer as Keras users do.
"""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.engine import registry
from shapelens.engine.types import ShapeError
from support.keras_truth import Truth, _shape, layer_truth


def mha_truth(
    args: tuple[Any, ...], kwargs: dict[str, Any], shapes: list[Any],
    call_kwargs: dict[str, Any] | None = None,
) -> Truth:
    """`layer_truth` for MultiHeadAttention: `layer(query, value, key=key, **call_kwargs)`."""
    import keras

    try:
        layer = keras.layers.MultiHeadAttention(*args, **kwargs)
    except Exception as e:
        return Truth(False, stage="init", message=f"{type(e).__name__}: {e}")
    try:
        xs = [keras.Input(batch_shape=s) for s in shapes]
        extra = {"key": xs[2]} if len(xs) > 2 else {}
        y = layer(xs[0], xs[1], **extra, **(call_kwargs or {}))
        return Truth(True, outputs=_shape(y), params=int(layer.count_params()))
    except Exception as e:
        return Truth(False, stage="call", message=f"{type(e).__name__}: {e}")


def truth(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shapes: list[Any],
          call_kwargs: dict[str, Any] | None = None) -> Truth:
    if name == "MultiHeadAttention":
        return mha_truth(args, kwargs, shapes, call_kwargs)
    return layer_truth(name, args, kwargs, shapes, call_kwargs)


def engine_truth(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shapes: list[Any],
                 call_kwargs: dict[str, Any] | None = None) -> Truth:
    try:
        layer = registry.construct(name, args, kwargs)
    except ShapeError as e:
        assert e.at == "init", e
        return Truth(False, stage="init", message=e.message)
    assert layer is not None
    try:
        r = registry.call(layer, list(shapes), call_kwargs)
    except ShapeError as e:
        return Truth(False, stage=e.at, message=e.message)
    assert r.unknown is None, r.unknown
    return Truth(True, outputs=r.outputs, params=r.params)


def compare(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shapes: list[Any],
            call_kwargs: dict[str, Any] | None = None) -> Truth:
    t = truth(name, args, kwargs, shapes, call_kwargs)
    got = engine_truth(name, args, kwargs, shapes, call_kwargs)
    ctx = f"{name}{args}{kwargs} on {shapes} {call_kwargs}: keras={t} engine={got}"
    assert got.ok == t.ok, ctx
    if t.ok:
        assert got.outputs == t.outputs, ctx
        assert got.params == t.params, ctx
    else:
        assert got.stage == t.stage, ctx
    return t


M = "MultiHeadAttention"
QV = [(None, 5, 8), (None, 7, 6)]
SCORES = {"return_attention_scores": True}

CASES: list[Any] = [
    ("mha", M, (2, 4), {}, QV, None),
    ("mha_key", M, (2, 4), {}, [(None, 5, 8), (None, 7, 6), (None, 7, 3)], None),
    ("mha_value_dim_output_int", M, (2, 4), {"value_dim": 3, "output_shape": 10}, QV, None),
    ("mha_output_tuple", M, (2, 4), {"output_shape": (2, 3)}, QV, None),
    ("mha_no_bias", M, (2, 4), {"use_bias": False}, QV, None),
    ("mha_gate", M, (2, 4), {"use_gate": True}, QV, None),
    ("mha_scores", M, (2, 4), {}, QV, SCORES),
    ("mha_scores_none_len", M, (2, 4), {}, [(None, None, 8), (None, None, 6)], SCORES),
    ("mha_rank4", M, (2, 4), {}, [(None, 2, 5, 8), (None, 2, 7, 6)], None),
    ("mha_axes_pair", M, (2, 4), {"attention_axes": (1, 2)}, [(None, 3, 5, 8), (None, 3, 7, 6)],
     None),
    ("mha_axes_int_scores", M, (2, 4), {"attention_axes": 2},
     [(None, 3, 5, 8), (None, 3, 7, 6)], SCORES),
    ("mha_axes_negative", M, (2, 4), {"attention_axes": -1}, [(None, 3, 5, 8), (None, 3, 7, 6)],
     None),
    ("mha_axes_list", M, (2, 4), {"attention_axes": [1]}, [(None, 3, 5, 8), (None, 3, 7, 6)],
     None),
    ("mha_rank2", M, (2, 4), {}, [(None, 8), (None, 6)], None),
    ("mha_rank1", M, (2, 4), {}, [(8,), (6,)], None),
    ("mha_query_value_ranks_differ", M, (2, 4), {}, [(None, 5, 8), (None, 3, 7, 6)], None),
    ("mha_output_shape_zero", M, (2, 4), {"output_shape": 0}, QV, None),
    ("mha_value_dim_true", M, (2, 4), {"value_dim": True}, QV, None),
    ("mha_heads_true", M, (True, 4), {}, QV, None),
    ("mha_causal", M, (2, 4), {}, QV, {"use_causal_mask": True}),
    # rejections
    ("mha_key_mismatch", M, (2, 4), {}, [(None, 5, 8), (None, 7, 6), (None, 6, 3)], None),
    ("mha_axes_out_of_range", M, (2, 4), {"attention_axes": 5},
     [(None, 3, 5, 8), (None, 3, 7, 6)], None),
    ("mha_axes_str", M, (2, 4), {"attention_axes": "a"}, QV, None),
    ("mha_query_none_last", M, (2, 4), {}, [(None, 5, None), (None, 7, 6)], None),
    ("mha_value_none_last", M, (2, 4), {}, [(None, 5, 8), (None, 7, None)], None),
    ("mha_heads_zero", M, (0, 4), {}, QV, None),
    ("mha_key_dim_float", M, (2, 4.0), {}, QV, None),
    ("mha_value_dim_zero", M, (2, 4), {"value_dim": 0}, QV, None),
    ("mha_dropout_2", M, (2, 4), {"dropout": 2.0}, QV, None),
    ("mha_output_shape_str", M, (2, 4), {"output_shape": "ab"}, QV, None),
    ("mha_output_shape_float", M, (2, 4), {"output_shape": 5.0}, QV, None),
    ("mha_output_shape_negative", M, (2, 4), {"output_shape": (-1,)}, QV, None),
    ("mha_sliding_window_zero", M, (2, 4), {"sliding_window": 0}, QV, None),
    ("mha_flash_dropout", M, (2, 4), {"flash_attention": True, "dropout": 0.1}, QV, None),
    ("mha_bad_call_kwarg", M, (2, 4), {}, QV, {"foo": True}),
    ("mha_missing_key_dim", M, (2,), {}, QV, None),
    # Attention / AdditiveAttention
    ("att", "Attention", (), {}, QV, None),
    ("att_key", "Attention", (), {}, [(None, 5, 8), (None, 7, 6), (None, 9, 8)], None),
    ("att_scale_concat", "Attention", (True, "concat"), {}, QV, None),
    ("att_scores", "Attention", (), {}, [(None, 5, 8), (None, 7, 6), (None, 9, 8)], SCORES),
    ("att_rank4", "Attention", (), {"use_scale": True}, [(2, 3, 5, 8), (2, 3, 7, 8)], SCORES),
    ("att_none_dims", "Attention", (), {}, [(None, None, None), (None, None, None)], SCORES),
    ("att_rank2", "Attention", (), {}, [(None, 8), (None, 6)], None),
    ("att_causal", "Attention", (), {}, QV, {"use_causal_mask": True}),
    ("att_bad_score_mode", "Attention", (), {"score_mode": "add"}, QV, None),
    ("att_dropout_str", "Attention", (), {"dropout": "x"}, QV, None),
    ("att_one_input", "Attention", (), {}, [(None, 5, 8)], None),
    ("att_four_inputs", "Attention", (), {}, [(None, 5, 8)] * 4, None),
    ("att_bad_call_kwarg", "Attention", (), {}, QV, {"foo": 1}),
    ("add_att", "AdditiveAttention", (), {}, [(None, 5, 8), (None, 7, 8)], None),
    ("add_att_no_scale", "AdditiveAttention", (False,), {}, [(None, 5, 8), (None, 7, 8)], None),
    ("add_att_scores_key", "AdditiveAttention", (), {},
     [(None, 5, 8), (None, 7, 6), (None, 7, 8)], SCORES),
    ("add_att_none_query_last", "AdditiveAttention", (), {}, [(None, 5, None), (None, 7, 8)],
     None),
    ("add_att_none_query_last_no_scale", "AdditiveAttention", (), {"use_scale": False},
     [(None, 5, None), (None, 7, 8)], None),
    ("add_att_score_mode_kw", "AdditiveAttention", (), {"score_mode": "dot"}, QV, None),
    ("add_att_score_mode_concat", "AdditiveAttention", (), {"score_mode": "concat"}, QV, None),
]


def _param(c: Any) -> Any:
    if hasattr(c, "marks"):  # a pytest.param (itself a tuple)
        return pytest.param(*c.values[1:], id=c.values[0], marks=c.marks)
    return pytest.param(*c[1:], id=c[0])


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "shapes", "call_kwargs"), [_param(c) for c in CASES]
)
def test_attention_matches_keras(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shapes: list[Any],
    call_kwargs: dict[str, Any] | None,
) -> None:
    compare(name, args, kwargs, shapes, call_kwargs)


def test_single_tensor_is_rejected() -> None:
    for name, args in ((M, (2, 4)), ("Attention", ())):
        layer = registry.construct(name, args, {})
        assert layer is not None
        with pytest.raises(ShapeError) as e:
            registry.call(layer, (None, 5, 8))
        assert e.value.at == "call"


def test_unknown_rank_input_is_unknown() -> None:
    layer = registry.construct(M, (2, 4), {})
    assert layer is not None
    assert registry.call(layer, [(None, 5, 8), None]).unknown is not None
