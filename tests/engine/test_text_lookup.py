"""TextVectorization / StringLookup / IntegerLookup, each case compared with TensorFlow 2.21's
Keras called on a string (or int64) `keras.Input`: the output shape, or the stage Keras raises at.
"""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.engine import registry
from shapelens.engine.types import ShapeError

pytest.importorskip("tensorflow")

VOCAB = ["ant", "bee", "cat", "dog", "eel"]


def keras_truth(name: str, kwargs: dict[str, Any], shape: tuple[Any, ...]) -> Any:
    import keras

    try:
        layer = getattr(keras.layers, name)(**kwargs)
    except Exception:
        return "init"
    dtype = "int64" if name == "IntegerLookup" else "string"
    try:
        y = layer(keras.Input(batch_shape=shape, dtype=dtype))
    except Exception:
        return "call"
    return tuple(y.shape)


def engine_truth(name: str, kwargs: dict[str, Any], shape: tuple[Any, ...]) -> Any:
    try:
        layer = registry.construct(name, [], kwargs)
        assert layer is not None
    except ShapeError as e:
        return e.at
    try:
        r = registry.call(layer, shape)
    except ShapeError as e:
        return e.at
    assert r.unknown is None, r.unknown
    return r.outputs


CASES: list[tuple[str, str, dict[str, Any], tuple[Any, ...]]] = [
    ("tv_int_len", "TextVectorization", {"max_tokens": 50, "output_sequence_length": 7},
     (None, 1)),
    ("tv_int_scalar", "TextVectorization", {"vocabulary": VOCAB, "output_sequence_length": 3},
     (None,)),
    ("tv_int_free", "TextVectorization", {"vocabulary": VOCAB}, (None, 1)),
    ("tv_multi_hot", "TextVectorization", {"vocabulary": VOCAB, "output_mode": "multi_hot"},
     (None, 1)),
    ("tv_binary_alias", "TextVectorization", {"vocabulary": VOCAB, "output_mode": "binary"},
     (4,)),
    ("tv_count_no_split", "TextVectorization", {"vocabulary": VOCAB, "output_mode": "count",
                                                "split": None}, (None, 1)),
    ("tv_one_hot_no_split", "TextVectorization", {"vocabulary": VOCAB, "output_mode": "one_hot",
                                                  "split": None}, (None,)),
    ("tv_tf_idf", "TextVectorization", {"vocabulary": VOCAB, "output_mode": "tf_idf",
                                        "idf_weights": [1.0] * 5}, (None, 2)),
    ("tv_padded", "TextVectorization", {"max_tokens": 20, "output_mode": "multi_hot",
                                        "pad_to_max_tokens": True}, (None, 1)),
    ("tv_len_with_multi_hot", "TextVectorization", {"output_mode": "multi_hot",
                                                    "output_sequence_length": 4}, (None, 1)),
    ("tv_bad_mode", "TextVectorization", {"output_mode": "onehot"}, (None, 1)),
    ("sl_int", "StringLookup", {"vocabulary": VOCAB}, (None, 3)),
    ("sl_int_mask", "StringLookup", {"vocabulary": VOCAB, "mask_token": "[PAD]"}, (None, 3)),
    ("sl_one_hot_squeeze", "StringLookup", {"vocabulary": VOCAB, "output_mode": "one_hot"},
     (None, 1)),
    ("sl_one_hot_append", "StringLookup", {"vocabulary": VOCAB, "output_mode": "one_hot"},
     (None, 2)),
    ("sl_multi_hot_oov2", "StringLookup", {"vocabulary": VOCAB, "output_mode": "multi_hot",
                                           "num_oov_indices": 2}, (None, 3)),
    ("sl_count_mask", "StringLookup", {"vocabulary": VOCAB, "output_mode": "count",
                                       "mask_token": ""}, (None, 3)),
    ("sl_padded", "StringLookup", {"max_tokens": 9, "output_mode": "multi_hot",
                                   "pad_to_max_tokens": True}, (None, 3)),
    ("il_one_hot", "IntegerLookup", {"vocabulary": [3, 5, 7], "output_mode": "one_hot"},
     (None, 1)),
    ("il_multi_hot", "IntegerLookup", {"vocabulary": [3, 5, 7], "output_mode": "multi_hot",
                                       "max_tokens": 6}, (None, 4)),
    ("il_int", "IntegerLookup", {"vocabulary": [3, 5, 7]}, (None, 4, 2)),
    ("il_bad_mode", "IntegerLookup", {"output_mode": "hot"}, (None, 1)),
]


@pytest.mark.parametrize(("name", "kwargs", "shape"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_vocabulary_layers_equal_keras(name: str, kwargs: dict[str, Any],
                                       shape: tuple[Any, ...]) -> None:
    truth = keras_truth(name, kwargs, shape)
    got = engine_truth(name, kwargs, shape)
    assert got == truth, f"{name}({kwargs}) on {shape}: keras={truth} engine={got}"
