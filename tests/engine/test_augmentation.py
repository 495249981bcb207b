"""Image augmentation layers keep their input's shape and have no weights: checked against Keras."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from shapelens.engine import ShapeError, call, construct
from shapelens.engine.preprocessing import AUGMENTATION
from support.keras_truth import layer_truth

# The one required argument some of them take.
ARGS: dict[str, tuple[Any, ...]] = {
    "RandomBrightness": (0.2,), "RandomContrast": (0.2,), "RandomRotation": (0.1,),
    "RandomTranslation": (0.1, 0.1), "RandomZoom": (0.1,), "RandomHue": (0.2,),
    "RandomSaturation": (0.2,), "RandomSharpness": (0.2,), "RandomColorDegeneration": (0.2,),
    "RandomPosterization": (4,),
}
SHAPES = [(None, 32, 32, 3), (None, 5, 7, 3), (8, 16, 16, 1), (32, 32, 3)]


@pytest.mark.parametrize("name", AUGMENTATION)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_matches_keras(name: str, shape: tuple[Any, ...]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        truth = layer_truth(name, ARGS.get(name, ()), {}, shape)
    try:
        layer = construct(name, ARGS.get(name, ()), {})
        assert layer is not None
        result = call(layer, shape)
        got = (True, result.outputs, result.params)
    except ShapeError as e:
        got = (False, e.at, None)
    want = (True, truth.outputs, truth.params) if truth.ok else (False, truth.stage, None)
    assert got == want, truth.message


def test_a_missing_required_argument_is_rejected_like_keras() -> None:
    truth = layer_truth("RandomPosterization", (), {}, (None, 8, 8, 3))
    assert not truth.ok and truth.stage == "init"
    with pytest.raises(ShapeError) as e:
        construct("RandomPosterization", (), {})
    assert e.value.at == "init" and e.value.code == "missing-argument"
