"""The cases from the article ShapeLens grew from (the Keras-layer half; tf.nn is elsewhere).

A U-Net-style 572x572 input: 'same' convolution keeps 572, 'valid' convolution loses k-1 per
layer (572 -> 570 -> 568), pooling with only `pool_size` floors for 'valid' and ceils for 'same',
and a misspelled padding string is rejected. Every expected shape comes from real Keras.
"""

from __future__ import annotations

from typing import Any

from shapelens.engine import Result, ShapeError, call, construct
from support.keras_truth import layer_truth

INPUT = (1, 572, 572, 1)


def run(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: Any) -> Result:
    """Engine result, asserted equal (shape and params) to what Keras builds.

    The article's numbers (572, 570, 568, 285, 286, 190) are asserted on Keras' own output
    (`keras_dim`), so that the engine is only ever compared with Keras.
    """
    truth = layer_truth(name, args, kwargs, shape)
    assert truth.ok, truth.message
    layer = construct(name, args, kwargs)
    assert layer is not None
    result = call(layer, shape)
    assert result.outputs == truth.outputs
    assert result.params == truth.params
    return result


def keras_dim(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: Any) -> Any:
    truth = layer_truth(name, args, kwargs, shape)
    assert truth.ok, truth.message
    return truth.outputs[1]


def test_same_conv_keeps_572() -> None:
    r = run("Conv2D", (64, 3), {"padding": "same"}, INPUT)
    assert keras_dim("Conv2D", (64, 3), {"padding": "same"}, INPUT) == 572
    for line in r.derivation[:2]:
        assert "ceil(572 / 1) = 572" in line
        assert "padding='same'" in line


def test_max_pool_3x3_after_same_conv() -> None:
    conv = run("Conv2D", (64, 3), {"padding": "same"}, INPUT)
    pool = run("MaxPooling2D", (), {"pool_size": (3, 3)}, conv.outputs)
    assert keras_dim("MaxPooling2D", (), {"pool_size": (3, 3)}, conv.outputs) == 190
    assert "floor((572 - 3) / 3) + 1 = 190" in pool.derivation[0]
    assert "padding='valid'" in pool.derivation[0]
    assert "strides=None -> pool_size (3, 3)" in pool.notes


def test_valid_convs_572_570_568() -> None:
    first = run("Conv2D", (64, 3), {"padding": "valid"}, INPUT)
    second = run("Conv2D", (64, 3), {"padding": "valid"}, first.outputs)
    assert keras_dim("Conv2D", (64, 3), {"padding": "valid"}, INPUT) == 570
    assert keras_dim("Conv2D", (64, 3), {"padding": "valid"}, first.outputs) == 568
    line = first.derivation[0]
    assert "ceil((572 - (3-1)*1) / 1) = 570" in line
    assert "padding='valid'" in line and "dilation 1" in line and "stride 1" in line
    assert "ceil((570 - (3-1)*1) / 1) = 568" in second.derivation[0]


def test_pool_size_only_floors_for_valid() -> None:
    r = run("MaxPooling2D", (), {"pool_size": 2}, (1, 571, 571, 64))
    assert keras_dim("MaxPooling2D", (), {"pool_size": 2}, (1, 571, 571, 64)) == 285
    assert "floor((571 - 2) / 2) + 1 = 285" in r.derivation[0]
    assert "strides=None -> pool_size (2, 2)" in r.notes


def test_pool_size_only_ceils_for_same() -> None:
    r = run("MaxPooling2D", (), {"pool_size": 2, "padding": "same"}, (1, 571, 571, 64))
    assert keras_dim("MaxPooling2D", (), {"pool_size": 2, "padding": "same"},
                     (1, 571, 571, 64)) == 286
    assert "floor((571 - 1) / 2) + 1 = ceil(571 / 2) = 286" in r.derivation[0]
    assert "padding='same'" in r.derivation[0]


def test_misspelled_padding_rejected_by_conv_at_construction() -> None:
    truth = layer_truth("Conv2D", (64, 3), {"padding": "vaild"}, INPUT)
    assert not truth.ok and truth.stage == "init"
    try:
        construct("Conv2D", (64, 3), {"padding": "vaild"})
    except ShapeError as e:
        assert e.at == truth.stage
        assert e.arg == "padding" and "'vaild'" in e.message
    else:
        raise AssertionError("Conv2D(padding='vaild') was accepted")


def test_misspelled_padding_rejected_by_pooling_when_called() -> None:
    truth = layer_truth("MaxPooling2D", (), {"padding": "vaild"}, INPUT)
    assert not truth.ok and truth.stage == "call"
    layer = construct("MaxPooling2D", (), {"padding": "vaild"})
    assert layer is not None
    try:
        call(layer, INPUT)
    except ShapeError as e:
        assert e.at == truth.stage
        assert e.arg == "padding" and "'vaild'" in e.message
    else:
        raise AssertionError("MaxPooling2D(padding='vaild') was accepted")
