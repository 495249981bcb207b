"""`RNN` over built-in cells and stacks of them, each case compared with TensorFlow 2.21's Keras:
output shapes (the states' with `return_state`), parameter count, or the stage Keras raises at.

User-written cells (a Layer subclass with `state_size`) are the analyser's: its corpus file
tests/analysis/corpus/rnn_custom_cells.py compares those with TensorFlow.
"""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.engine import registry
from shapelens.engine.types import ShapeError
from support.keras_truth import Truth, layer_truth

pytest.importorskip("tensorflow")

# A cell is (name, args, kwargs); a stack is a list of cells.
Cell = tuple[str, tuple[Any, ...], dict[str, Any]]


def _keras_cell(cell: Any) -> Any:
    import keras

    if isinstance(cell, list):
        return [_keras_cell(c) for c in cell]
    name, args, kwargs = cell
    if name == "StackedRNNCells":
        return keras.layers.StackedRNNCells(_keras_cell(args[0]))
    return getattr(keras.layers, name)(*args, **kwargs)


def _engine_cell(cell: Any) -> Any:
    if isinstance(cell, list):
        return [_engine_cell(c) for c in cell]
    name, args, kwargs = cell
    if name == "StackedRNNCells":
        args = (_engine_cell(args[0]),)
    return registry.construct(name, list(args), kwargs)


def keras_truth(cell: Any, rnn_kwargs: dict[str, Any], shape: Any) -> Truth:
    try:
        kcell = _keras_cell(cell)
    except Exception as e:
        return Truth(False, stage="init", message=f"{type(e).__name__}: {e}")
    return layer_truth("RNN", [kcell], rnn_kwargs, shape)


def engine_truth(cell: Any, rnn_kwargs: dict[str, Any], shape: Any) -> Truth:
    try:
        layer = registry.construct("RNN", [_engine_cell(cell)], rnn_kwargs)
        assert layer is not None
    except ShapeError as e:
        return Truth(False, stage="init", message=e.message)
    try:
        r = registry.call(layer, shape)
    except ShapeError as e:
        return Truth(False, stage=e.at, message=e.message)
    assert r.unknown is None, r.unknown
    return Truth(True, outputs=r.outputs, params=r.params)


def _c(name: str, *args: Any, **kwargs: Any) -> Cell:
    return (name, args, kwargs)


CASES: list[tuple[str, Any, dict[str, Any], Any]] = [
    ("simple_cell", _c("SimpleRNNCell", 4), {}, (None, 5, 3)),
    ("lstm_cell_seq", _c("LSTMCell", 6), {"return_sequences": True}, (None, None, 3)),
    ("lstm_cell_state", _c("LSTMCell", 6, use_bias=False), {"return_state": True}, (2, 5, 3)),
    ("gru_cell_state_seq", _c("GRUCell", 5), {"return_state": True, "return_sequences": True},
     (None, 7, 4)),
    ("gru_cell_reset_before", _c("GRUCell", 5, reset_after=False), {}, (None, 7, 4)),
    ("stack_list", [_c("GRUCell", 4), _c("SimpleRNNCell", 2)], {}, (None, 5, 3)),
    ("stack_list_state", [_c("LSTMCell", 3), _c("GRUCell", 2)], {"return_state": True},
     (None, 5, 3)),
    ("stacked_cells", _c("StackedRNNCells", [_c("SimpleRNNCell", 8), _c("LSTMCell", 4)]),
     {"return_sequences": True, "return_state": True}, (None, 6, 2)),
    ("stateful_static_batch", _c("SimpleRNNCell", 4), {"stateful": True}, (3, 5, 3)),
    # rejections
    ("stateful_dynamic_batch", _c("GRUCell", 4), {"stateful": True}, (None, 5, 3)),
    ("cell_units_zero", _c("LSTMCell", 0), {}, (None, 5, 3)),
]


@pytest.mark.parametrize(("cell", "rnn_kwargs", "shape"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_rnn_over_cells_equals_keras(cell: Any, rnn_kwargs: dict[str, Any], shape: Any) -> None:
    truth = keras_truth(cell, rnn_kwargs, shape)
    got = engine_truth(cell, rnn_kwargs, shape)
    ctx = f"RNN({cell}, {rnn_kwargs}) on {shape}: keras={truth} engine={got}"
    assert got.ok == truth.ok, ctx
    if truth.ok:
        assert got.outputs == truth.outputs, ctx
        assert got.params == truth.params, ctx
    else:
        assert got.stage == truth.stage, ctx
