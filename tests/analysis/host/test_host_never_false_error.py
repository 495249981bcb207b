"""Host data of unknown or approximated shape never yields an error finding (issue 10, item 3).

Each program takes data whose shape the analysis cannot know (read from a file, sized at run
time, a join of branches, an unmodelled function), prepares it the usual ways and feeds it to the
usual consumers. Every consumer here is one Keras builds for some data consistent with what is
known, so an error would be a false one. Analysed in strict mode: an analyser bug raises.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from shapelens.analysis import Options, analyze

PRELUDE = """\
import sys
import numpy as np
import tensorflow as tf
import keras
from keras import layers
n = int(sys.argv[1])
flag = len(sys.argv) > 2
"""

# Image data, (N, 28, 28, 1) at run time; how much of it the analysis knows varies.
SOURCES = {
    "file": "np.load('images.npy')",
    "runtime_size": "np.zeros((n, 28, 28, 1), dtype='float32')",
    "random_size": "np.random.normal(0, 1, size=(n, 28, 28, 1))",
    "join": "np.zeros((8, 28, 28, 1)) if flag else np.zeros((16, 28, 28, 1))",
    "rank_join": "np.zeros((8, 28, 28, 1)) if flag else np.zeros((8, 28, 28, 1, 1))[..., 0]",
    "unmodelled": "np.unique(np.load('a.npy'), axis=0)",
    "advanced_index": "np.zeros((100, 28, 28, 1))[np.load('idx.npy')]",
    "tf_from_file": "tf.constant(np.load('images.npy'))",
    "inner_unknown": "np.zeros((8, 28, n, 1))",
    "channels_unknown": "np.ones((8, 28, 28, n), dtype='float32')",
    "reshaped_unknown": "np.load('flat.npy').reshape(n, 28, -1, 1)",
    "filtered_dataset": "np.stack(keras.datasets.imdb.load_data(maxlen=n)[0][0][:0])",
}
TRANSFORMS = {
    "same": "x",
    "scaled": "x.astype('float32') / 255.0",
    "reshaped": "x.reshape(-1, 28, 28, 1)",
    "centered": "x - x.mean(axis=0)",
    "sliced": "x[:-1]",
    "concat": "np.concatenate([x, x])",
    "squeezed_back": "np.expand_dims(x[..., 0], -1)",
    "tf_cast": "tf.cast(x, tf.float32)",
}
CONSUMERS = {
    "conv": "layers.Conv2D(4, 3)(v)",
    "dense": "layers.Dense(3)(v)",
    "flatten_dense": "layers.Dense(2)(layers.Flatten()(v))",
    "input_shape": "layers.Conv2D(2, 3)(keras.Input(shape=v.shape[1:]))",
    "sequential": "keras.Sequential([layers.Conv2D(2, 3, input_shape=v.shape[1:]), "
                  "layers.Flatten(), layers.Dense(1)])",
    "model_call": "keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), "
                  "layers.Dense(3)])(v)",
    "dims_as_args": "layers.Dense(v.shape[-1])(keras.Input((v.shape[1] * v.shape[2],)))",
    "pool_from_data": "layers.MaxPooling2D(pool_size=v.shape[1] // 14)(keras.Input((28, 28, 1)))",
    "mixed_arith": "keras.Input((28, 28, 1)) + v[0]",
    "reshape_layer": "layers.Reshape(v.shape[1:])(keras.Input((784,)))",
    "fit_builds": "keras.Sequential([layers.Dense(3)]).fit(v, epochs=1)",
    "predict_builds": "keras.Sequential([layers.Conv2D(2, 3), layers.Dense(1)]).predict(v)",
}
CASES = list(itertools.product(SOURCES, TRANSFORMS, CONSUMERS))


@pytest.mark.parametrize("source, transform, consumer", CASES,
                         ids=["-".join(c) for c in CASES])
def test_no_error_on_host_data_of_unknown_shape(tmp_path: Path, source: str, transform: str,
                                                consumer: str) -> None:
    text = (PRELUDE + f"x = {SOURCES[source]}\nv = {TRANSFORMS[transform]}\n"
            f"out = {CONSUMERS[consumer]}\n")
    path = tmp_path / "prep.py"
    path.write_text(text)
    analysis = analyze(str(path), options=Options(strict=True))
    errors = [f"{f.pos.line}: {f.code} {f.message}" for f in analysis.findings_for(str(path))
              if f.severity == "error"]
    assert errors == [], text
