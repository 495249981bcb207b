"""TF ops the engine covers since the TF coverage work, in a realistic file: a ViT-style
`tf.image.extract_patches` in a custom layer, `tf.signal.stft` on audio, and a Keras-2 helper with
`K.int_shape` / `K.permute_dimensions` in a Lambda. Every site equals what TensorFlow 2.21 records
running the file (tests/support/truth_recorder.py), with no unknowns.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from analysis.corpus_compare import compare
from shapelens.analysis import Options, analyze

pytest.importorskip("tensorflow")

SOURCE = '''
import tensorflow as tf
import keras
from keras import layers
from tensorflow.keras import backend as K

IMAGE = 64
PATCH = 8


class Patches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, images):
        patches = tf.image.extract_patches(
            images=images,
            sizes=[1, self.patch_size, self.patch_size, 1],
            strides=[1, self.patch_size, self.patch_size, 1],
            rates=[1, 1, 1, 1],
            padding="VALID",
        )
        patch_dims = patches.shape[-1]
        count = patches.shape[1] * patches.shape[2]
        return tf.reshape(patches, [-1, count, patch_dims])


class Spectrogram(layers.Layer):
    def __init__(self, frame_length=256, frame_step=128, **kwargs):
        super().__init__(**kwargs)
        self.frame_length = frame_length
        self.frame_step = frame_step

    def call(self, audio):
        stft = tf.signal.stft(audio, frame_length=self.frame_length, frame_step=self.frame_step)
        frames = tf.signal.frame(audio, self.frame_length, self.frame_step)
        energy = tf.reduce_mean(tf.square(frames), axis=-1, keepdims=True)
        return tf.concat([tf.math.log(tf.abs(stft) + 1e-6), energy], axis=-1)


def swap_last(x):
    shape = K.int_shape(x)
    y = K.permute_dimensions(x, (0, 2, 1))
    y = K.reshape(y, (-1, shape[2], shape[1]))
    return K.concatenate([y, K.expand_dims(K.mean(y, axis=-1), -1)])


def top_tokens(x):
    values, _ = tf.math.top_k(x, k=4)
    return tf.linalg.matrix_transpose(values)


images = keras.Input((IMAGE, IMAGE, 3))
resized = layers.Lambda(lambda t: tf.image.resize(t, (32, 32)))(images)
patches = Patches(PATCH)(resized)
tokens = layers.Dense(64)(patches)
swapped = layers.Lambda(swap_last)(tokens)
best = layers.Lambda(top_tokens)(swapped)
audio = keras.Input((16000,))
spec = Spectrogram()(audio)
pooled = layers.GlobalAveragePooling1D()(spec)
model = keras.Model([images, audio], [best, pooled])
'''

# The same Keras-2 helper on a KerasTensor outside a Lambda: Keras 3 raises on that line.
FUNCTIONAL = '''
import keras
from keras import layers
from tensorflow.keras import backend as K

tokens = keras.Input((16, 64))
x = layers.Dense(32)(tokens)
y = K.permute_dimensions(x, (0, 2, 1))
model = keras.Model(tokens, y)
'''


def _record(folder: Path, name: str, text: str) -> tuple[Path, dict[str, Any]]:
    from support.truth_recorder import record

    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path, record(path)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return _record(tmp_path_factory.mktemp("tf_ops_sites"), "vit_audio.py", SOURCE)


def test_a_backend_function_on_a_keras_tensor_is_tensorflows_error(
        tmp_path: Path) -> None:
    path, truth = _record(tmp_path, "functional_k.py", FUNCTIONAL)
    analysis = analyze(str(path), options=Options(strict=True))
    c = compare(truth, analysis, str(path))
    assert truth["error"] is not None and c.error_ok, c.summary()
    assert (c.wrong, c.extra) == ([], []), c.summary()
    codes = {f.code for f in analysis.findings_for(str(path)) if f.severity == "error"}
    assert codes == {"keras-tensor-in-tf-op"}, codes


def test_sites_equal_tensorflow(recorded: tuple[Path, dict[str, Any]]) -> None:
    path, truth = recorded
    c = compare(truth, analyze(str(path), options=Options(strict=True)), str(path))
    assert (c.wrong, c.missing, c.extra, c.unknown) == ([], [], [], []), c.summary()
    assert c.error_ok, c.summary()


def test_the_new_ops_are_sites(recorded: tuple[Path, dict[str, Any]]) -> None:
    """The file exercises what it is for: the TF ops are recorded sites, with TF's shapes."""
    path, truth = recorded
    lines = textwrap.dedent(SOURCE).lstrip("\n").splitlines()
    recorded_lines = {s["line"]: s["outputs"] for s in truth["sites"]}
    for needle in ("tf.image.extract_patches(", "tf.signal.stft(", "tf.signal.frame(",
                   "K.permute_dimensions(", "tf.math.top_k(", "tf.image.resize("):
        line = next(i for i, ln in enumerate(lines, 1) if needle in ln)
        assert line in recorded_lines, needle
    ours = {s.pos.line: s.outputs for s in analyze(str(path)).sites_for()}
    patches = next(i for i, ln in enumerate(lines, 1) if "tf.image.extract_patches(" in ln)
    assert ours[patches] == recorded_lines[patches] == [[None, 4, 4, 192]]
