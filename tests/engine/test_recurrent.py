"""Named cases for the recurrent family, each compared with TensorFlow 2.21's Keras in the run.

Wrapped layers (`Bidirectional(LSTM(4))`) are written as nested `L(...)` specs: the engine gets
them through `registry.construct`, Keras gets real Keras layer objects, and `layer_truth` builds
the wrapper around them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from shapelens.engine import registry
from shapelens.engine.types import ShapeError
from support.keras_truth import Truth, layer_truth


@dataclass
class L:
    """A layer constructor call `name(*args, **kwargs)`; args may hold nested `L`s."""

    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.name}({', '.join(parts)})"


def _keras_value(v: Any) -> Any:
    import keras

    if isinstance(v, L):
        return getattr(keras.layers, v.name)(
            *[_keras_value(a) for a in v.args],
            **{k: _keras_value(x) for k, x in v.kwargs.items()},
        )
    return v


def keras_truth(spec: L, shapes: Any, call_kwargs: dict[str, Any] | None = None) -> Truth:
    try:
        args = [_keras_value(a) for a in spec.args]
        kwargs = {k: _keras_value(v) for k, v in spec.kwargs.items()}
    except Exception as e:  # an inner layer's constructor raised: an init-stage error
        return Truth(False, stage="init", message=f"{type(e).__name__}: {e}")
    return layer_truth(spec.name, args, kwargs, shapes, call_kwargs)


def engine_value(v: Any) -> Any:
    """A layer spec (`L`, also inside a list: stacked cells) as the engine constructs it."""
    if isinstance(v, L):
        c = registry.construct(v.name, [engine_value(a) for a in v.args],
                               {k: engine_value(x) for k, x in v.kwargs.items()})
        assert c is not None, f"engine does not cover {v.name}"
        return c
    if isinstance(v, list):
        return [engine_value(x) for x in v]
    return v


def engine_truth(spec: L, shapes: Any, call_kwargs: dict[str, Any] | None = None) -> Truth:
    try:
        layer = engine_value(spec)
    except ShapeError as e:
        assert e.at == "init", e
        return Truth(False, stage="init", message=e.message)
    try:
        r = registry.call(layer, shapes, call_kwargs)
    except ShapeError as e:
        return Truth(False, stage=e.at, message=e.message)
    assert r.unknown is None, r.unknown
    return Truth(True, outputs=r.outputs, params=r.params)


def compare(spec: L, shapes: Any, call_kwargs: dict[str, Any] | None = None) -> Truth:
    truth = keras_truth(spec, shapes, call_kwargs)
    got = engine_truth(spec, shapes, call_kwargs)
    ctx = f"{spec!r} on {shapes}: keras={truth} engine={got}"
    assert got.ok == truth.ok, ctx
    if truth.ok:
        assert got.outputs == truth.outputs, ctx
        assert got.params == truth.params, ctx
    else:
        assert got.stage == truth.stage, ctx
    return truth


CASES: list[tuple[str, L, Any]] = [
    # SimpleRNN / LSTM / GRU
    ("simple_rnn", L("SimpleRNN", (4,)), (None, 5, 3)),
    ("simple_rnn_seq_state", L("SimpleRNN", (4,), {"return_sequences": True,
                                                   "return_state": True}), (2, None, 3)),
    ("lstm", L("LSTM", (4,)), (None, 5, 3)),
    ("lstm_no_bias", L("LSTM", (7,), {"use_bias": False}), (None, 5, 3)),
    ("lstm_state", L("LSTM", (4,), {"return_state": True}), (None, 5, 3)),
    ("lstm_seq_state", L("LSTM", (4,), {"return_state": True, "return_sequences": True}),
     (None, None, 3)),
    ("lstm_implementation_kw", L("LSTM", (4,), {"implementation": 1}), (None, 5, 3)),
    ("gru", L("GRU", (4,)), (None, 5, 3)),
    ("gru_reset_before", L("GRU", (4,), {"reset_after": False}), (None, 5, 3)),
    ("gru_reset_before_no_bias", L("GRU", (4,), {"reset_after": False, "use_bias": False}),
     (None, 5, 3)),
    ("gru_state", L("GRU", (6,), {"return_state": True}), (8, 5, 3)),
    ("gru_implementation_kw", L("GRU", (4,), {"implementation": 1}), (None, 5, 3)),
    ("rnn_units_true", L("SimpleRNN", (True,)), (None, 5, 3)),
    ("rnn_zero_time", L("LSTM", (4,)), (None, 0, 3)),
    ("rnn_zero_features", L("LSTM", (4,)), (None, 5, 0)),
    ("rnn_unroll_none_time", L("SimpleRNN", (4,), {"unroll": True}), (2, None, 3)),
    ("rnn_stateful_static_batch", L("GRU", (4,), {"stateful": True}), (3, 5, 3)),
    ("rnn_truthy_flag", L("LSTM", (4,), {"return_sequences": 1}), (None, 5, 3)),
    ("rnn_dropout_clamped", L("LSTM", (4,), {"dropout": 2}), (None, 5, 3)),
    # rejections
    ("rnn_units_zero", L("SimpleRNN", (0,)), (None, 5, 3)),
    ("rnn_units_negative", L("LSTM", (-1,)), (None, 5, 3)),
    ("rnn_units_false", L("LSTM", (False,)), (None, 5, 3)),
    ("rnn_units_str", L("GRU", ("a",)), (None, 5, 3)),
    ("rnn_units_none", L("SimpleRNN", (None,)), (None, 5, 3)),
    ("gru_units_float", L("GRU", (2.0,)), (None, 5, 3)),
    ("lstm_units_float", L("LSTM", (2.5,)), (None, 5, 3)),
    ("simple_rnn_implementation_kw", L("SimpleRNN", (4,), {"implementation": 1}), (None, 5, 3)),
    ("lstm_use_cudnn_bad", L("LSTM", (4,), {"use_cudnn": "x"}), (None, 5, 3)),
    ("gru_use_cudnn_none", L("GRU", (4,), {"use_cudnn": None}), (None, 5, 3)),
    ("rnn_dropout_str", L("LSTM", (4,), {"dropout": "a"}), (None, 5, 3)),
    ("rnn_rank2", L("SimpleRNN", (4,)), (2, 5)),
    ("rnn_rank4", L("LSTM", (4,)), (2, 5, 3, 3)),
    ("rnn_none_features", L("GRU", (4,)), (2, 5, None)),
    ("rnn_stateful_dynamic_batch", L("SimpleRNN", (4,), {"stateful": True}), (None, 5, 3)),
    ("rnn_unknown_kw", L("LSTM", (4,), {"foo": 1}), (None, 5, 3)),
    # ConvLSTM
    ("conv_lstm2d", L("ConvLSTM2D", (4, 3)), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_same_stride_state", L("ConvLSTM2D", (4, 3), {"padding": "same", "strides": 2,
                                                               "return_state": True}),
     (None, 5, 8, 9, 3)),
    ("conv_lstm2d_channels_first_seq", L("ConvLSTM2D", (4, 3), {
        "data_format": "channels_first", "return_sequences": True}), (None, 5, 3, 8, 9)),
    ("conv_lstm2d_dilation", L("ConvLSTM2D", (4, 3), {"dilation_rate": (2, 1)}),
     (None, 5, 8, 8, 2)),
    ("conv_lstm2d_none_time", L("ConvLSTM2D", (4, 3)), (None, None, 8, 8, 3)),
    ("conv_lstm2d_filters_zero", L("ConvLSTM2D", (0, 3)), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_filters_true", L("ConvLSTM2D", (True, 3)), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_zero_channels", L("ConvLSTM2D", (4, 3)), (None, 5, 8, 8, 0)),
    ("conv_lstm2d_same_zero_spatial", L("ConvLSTM2D", (4, 3), {"padding": "same"}),
     (None, 5, 0, 8, 2)),
    ("conv_lstm1d_same", L("ConvLSTM1D", (4, 3), {"padding": "same"}), (None, 5, 8, 3)),
    ("conv_lstm1d_no_bias", L("ConvLSTM1D", (4, 2), {"use_bias": False}), (None, 5, 8, 3)),
    ("conv_lstm3d", L("ConvLSTM3D", (2, (1, 2, 3)), {"return_state": True}),
     (None, 4, 5, 6, 7, 3)),
    ("conv_lstm2d_kernel_too_big", L("ConvLSTM2D", (4, 9)), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_stride0", L("ConvLSTM2D", (4, 3), {"strides": 0}), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_stride_and_dilation", L("ConvLSTM2D", (4, 3), {"strides": 2,
                                                                 "dilation_rate": 2}),
     (None, 5, 8, 8, 3)),
    ("conv_lstm2d_causal", L("ConvLSTM2D", (4, 3), {"padding": "causal"}), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_bad_kernel", L("ConvLSTM2D", (4, (3, 3, 3))), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_kernel_zero", L("ConvLSTM2D", (4, 0)), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_bad_data_format", L("ConvLSTM2D", (4, 3), {"data_format": "nhwc"}),
     (None, 5, 8, 8, 3)),
    ("conv_lstm2d_filters_negative", L("ConvLSTM2D", (-2, 3)), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_filters_float", L("ConvLSTM2D", (2.5, 3)), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_filters_none", L("ConvLSTM2D", (None, 3)), (None, 5, 8, 8, 3)),
    ("conv_lstm2d_none_spatial", L("ConvLSTM2D", (4, 3)), (None, 5, None, 8, 3)),
    ("conv_lstm2d_none_channels", L("ConvLSTM2D", (4, 3)), (None, 5, 8, 8, None)),
    ("conv_lstm2d_rank4", L("ConvLSTM2D", (4, 3)), (None, 5, 8, 3)),
    ("conv_lstm2d_stateful_dynamic", L("ConvLSTM2D", (4, 3), {"stateful": True}),
     (None, 5, 8, 8, 3)),
    # Bidirectional
    ("bidi_lstm", L("Bidirectional", (L("LSTM", (4,)),)), (None, 5, 3)),
    ("bidi_lstm_state", L("Bidirectional", (L("LSTM", (4,), {"return_state": True}),)),
     (None, 5, 3)),
    ("bidi_lstm_state_merge_none", L("Bidirectional", (L("LSTM", (4,), {"return_state": True}),),
                                     {"merge_mode": None}), (None, 5, 3)),
    ("bidi_gru_seq_state_sum", L("Bidirectional", (L("GRU", (4,), {
        "return_state": True, "return_sequences": True}),), {"merge_mode": "sum"}), (None, 5, 3)),
    ("bidi_merge_none", L("Bidirectional", (L("LSTM", (4,)),), {"merge_mode": None}),
     (None, 5, 3)),
    ("bidi_merge_mul", L("Bidirectional", (L("SimpleRNN", (4,)),), {"merge_mode": "mul"}),
     (None, 5, 3)),
    ("bidi_merge_ave_seq", L("Bidirectional", (L("GRU", (4,), {"return_sequences": True}),),
                             {"merge_mode": "ave"}), (None, None, 3)),
    ("bidi_backward_layer", L("Bidirectional", (L("LSTM", (4,)),), {
        "backward_layer": L("GRU", (6,), {"go_backwards": True})}), (None, 5, 3)),
    ("bidi_backward_layer_state", L("Bidirectional", (L("LSTM", (4,), {"return_state": True}),),
                                    {"backward_layer": L("GRU", (6,), {
                                        "go_backwards": True, "return_state": True})}),
     (None, 5, 3)),
    ("bidi_conv_lstm", L("Bidirectional", (L("ConvLSTM2D", (4, 3),
                                              {"return_sequences": True}),)),
     (None, 5, 8, 8, 3)),
    ("bidi_merge_bad", L("Bidirectional", (L("LSTM", (4,)),), {"merge_mode": "x"}),
     (None, 5, 3)),
    ("bidi_go_backwards_forward", L("Bidirectional", (L("LSTM", (4, ), {"go_backwards": True}),)),
     (None, 5, 3)),
    ("bidi_backward_same_direction", L("Bidirectional", (L("LSTM", (4,)),), {
        "backward_layer": L("GRU", (6,))}), (None, 5, 3)),
    ("bidi_backward_mismatch_seq", L("Bidirectional", (L("LSTM", (4,)),), {
        "backward_layer": L("GRU", (6,), {"go_backwards": True, "return_sequences": True})}),
     (None, 5, 3)),
    ("bidi_dense", L("Bidirectional", (L("Dense", (4,)),)), (None, 5, 3)),
    ("bidi_backward_dense", L("Bidirectional", (L("LSTM", (4,)),), {
        "backward_layer": L("Dense", (3,))}), (None, 5, 3)),
    ("bidi_not_a_layer", L("Bidirectional", (4,)), (None, 5, 3)),
    ("bidi_rank4", L("Bidirectional", (L("LSTM", (4,)),)), (None, 5, 3, 2)),
    ("bidi_stateful_dynamic", L("Bidirectional", (L("LSTM", (4,), {"stateful": True}),)),
     (None, 5, 3)),
    ("bidi_none_features", L("Bidirectional", (L("LSTM", (4,)),)), (None, 5, None)),
    ("bidi_inner_bad_units", L("Bidirectional", (L("LSTM", (0,)),)), (None, 5, 3)),
    ("bidi_time_distributed", L("Bidirectional", (L("TimeDistributed", (L("Dense", (3,)),)),)),
     (None, 5, 3)),
    # TimeDistributed
    ("td_dense", L("TimeDistributed", (L("Dense", (4,)),)), (None, 5, 3)),
    ("td_dense_rank4", L("TimeDistributed", (L("Dense", (4,)),)), (None, 5, 3, 7)),
    ("td_dense_none_time", L("TimeDistributed", (L("Dense", (4,)),)), (2, None, 3)),
    ("td_lstm", L("TimeDistributed", (L("LSTM", (4,)),)), (None, 5, 6, 3)),
    ("td_lstm_rank5", L("TimeDistributed", (L("LSTM", (4,)),)), (None, 5, 6, 7, 3)),
    ("td_lstm_rank3_static_batch", L("TimeDistributed", (L("LSTM", (4,)),)), (2, 5, 3)),
    ("td_td_dense", L("TimeDistributed", (L("TimeDistributed", (L("Dense", (3,)),)),)),
     (None, 5, 8, 8, 3)),
    ("td_bidi", L("TimeDistributed", (L("Bidirectional", (L("GRU", (3,)),)),)),
     (None, 4, 5, 6)),
    ("td_rank2", L("TimeDistributed", (L("Dense", (4,)),)), (None, 5)),
    ("td_dense_none_last", L("TimeDistributed", (L("Dense", (4,)),)), (None, 5, None)),
    ("td_lstm_rank3_dynamic_batch", L("TimeDistributed", (L("LSTM", (4,)),)), (None, 5, 3)),
    ("td_lstm_state", L("TimeDistributed", (L("LSTM", (4,), {"return_state": True}),)),
     (None, 5, 6, 3)),
    ("td_not_a_layer", L("TimeDistributed", ("dense",)), (None, 5, 3)),
    ("td_inner_bad", L("TimeDistributed", (L("Dense", (0,)),)), (None, 5, 3)),
]


@pytest.mark.parametrize(("spec", "shape"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_recurrent_matches_keras(spec: L, shape: Any) -> None:
    compare(spec, shape)


def _has_conv() -> bool:
    return registry.layer_spec("Conv2D") is not None and _conv_works()


def _conv_works() -> bool:
    try:
        c = registry.construct("Conv2D", (4, 3), {})
        return c is not None and registry.call(c, (None, 8, 8, 3)).outputs == (None, 6, 6, 4)
    except Exception:
        return False


CONV_CASES: list[tuple[str, L, Any]] = [
    ("td_conv2d", L("TimeDistributed", (L("Conv2D", (4, 3)),)), (None, 5, 8, 8, 3)),
    ("td_conv2d_same_stride", L("TimeDistributed", (L("Conv2D", (4, 3), {
        "padding": "same", "strides": 2}),)), (2, None, 9, 8, 3)),
    ("td_conv2d_rank4", L("TimeDistributed", (L("Conv2D", (4, 3)),)), (None, 5, 8, 3)),
    ("td_conv2d_too_small", L("TimeDistributed", (L("Conv2D", (4, 9)),)), (None, 5, 8, 8, 3)),
]


@pytest.mark.parametrize(("spec", "shape"), [c[1:] for c in CONV_CASES],
                         ids=[c[0] for c in CONV_CASES])
def test_time_distributed_conv_matches_keras(spec: L, shape: Any) -> None:
    if not _has_conv():
        pytest.skip("Conv2D is not implemented in the engine yet")
    compare(spec, shape)


def test_unknown_units_is_unknown() -> None:
    from shapelens.engine.types import Unknown

    c = registry.construct("LSTM", (Unknown("a variable"),), {})
    assert c is not None and c.unknown is not None
    assert registry.call(c, (None, 5, 3)).unknown is not None
    # A wrapper around an unknown layer is unknown too, not an error.
    b = registry.construct("Bidirectional", (c,), {})
    assert b is not None and b.unknown is not None
