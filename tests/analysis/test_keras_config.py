"""Keras' global configuration as a file sets it: `K.set_image_data_format('channels_first')`
makes every later layer that takes a `data_format` use it, as Keras does.

Each file runs under TensorFlow in its own process (the setting is global to Keras).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from analysis.corpus_compare import compare
from shapelens.analysis import analyze
from support.truth_recorder import record_in_subprocess

CHANNELS_FIRST = {
    "backend": """\
        import keras
        from keras import layers
        from keras import backend as K

        K.set_image_data_format("channels_first")
        x = keras.Input((1, 32, 32))
        y = layers.Conv2D(8, 3, padding="same")(x)
        z = layers.MaxPooling2D(2)(y)
        w = layers.Conv2DTranspose(4, 2, strides=2)(z)
        """,
    "config_then_back": """\
        import keras
        from keras import layers

        keras.config.set_image_data_format("channels_first")
        a = layers.Conv2D(4, 3)(keras.Input((3, 16, 16)))
        keras.config.set_image_data_format("channels_last")
        b = layers.Conv2D(4, 3)(keras.Input((16, 16, 3)))
        c = layers.UpSampling2D()(b)
        """,
}


@pytest.mark.parametrize("name", sorted(CHANNELS_FIRST))
def test_set_image_data_format_applies_to_later_layers(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(CHANNELS_FIRST[name]))
    truth = record_in_subprocess(path)
    c = compare(truth, analyze(str(path)), str(path))
    assert truth["sites"] and truth["error"] is None
    assert (c.wrong, c.missing, c.unknown, c.extra) == ([], [], [], []), c.summary()
    assert len(c.exact) == len(truth["sites"])
