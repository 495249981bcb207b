"""Calls of the user's own functions and data assigned from a call are sites, equal to TensorFlow.

Each snippet runs under TF 2.21 (tests/support/truth_recorder.py traces the file's own calls and
its assignments); the analyser must give exactly those sites, and none where TF records none.
"""

from __future__ import annotations

import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from analysis.corpus_compare import compare
from shapelens.analysis import Options, analyze
from shapelens.lsp import markdown

pytest.importorskip("tensorflow")

HELPERS = '''
import functools
import numpy as np
import tensorflow as tf
import keras
from keras import layers


def conv_bn(x, filters):
    x = layers.Conv2D(filters, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    return layers.Activation("relu")(x)


def residual_block(x, filters):
    shortcut = layers.Conv2D(filters, 1)(x)
    y = conv_bn(x, filters)
    return layers.Add()([shortcut, y])


def heads(x):
    return layers.Dense(4)(x), layers.Dense(2)(x)


def count(x):
    return 3


def mixed(x):
    return x, 3


class Block:
    def __init__(self, filters):
        self.filters = filters

    def __call__(self, x):
        return layers.Conv2D(self.filters, 1)(x)

    def twice(self, x):
        return self(self(x))


class Scale(layers.Layer):
    def call(self, x):
        return x * 2.0


inputs = keras.Input((16, 16, 3))
x = conv_bn(inputs, 8)
x = conv_bn(x, 16)
x = residual_block(x, 32)
n = count(x)
y, k = mixed(x)
b = Block(4)
x = b(x)
x = b.twice(x)
small = functools.partial(conv_bn, filters=2)
x = small(x)
for fn in (Block(3), lambda t: layers.Conv2D(5, 1)(t)):
    x = fn(x)
x = Scale()(x)
flat = layers.GlobalAveragePooling2D()(x)
a, c = heads(flat)
model = keras.Model(inputs, [a, c])
other = keras.Input((16, 16, 3))
p, q = model(other)
'''

DATA = '''
import numpy as np
import tensorflow as tf

input = tf.Variable(tf.random.normal([1, 5, 5, 3]))
filt = tf.random.normal([3, 3, 3, 1])
x_train = np.zeros((600, 28, 28), dtype="float32")
x_train = x_train.reshape(-1, 28, 28, 1)
both = (np.ones((2, 3)), np.ones((4,)))
total = np.sum(x_train)
out = tf.nn.conv2d(input, filt, strides=[1, 1, 1, 1], padding="VALID")


def normalize(a):
    return a / 255.0


x_norm = normalize(x_train)
'''

CASES = {"helpers.py": HELPERS, "data.py": DATA}


@cache
def _recorded(folder: str) -> dict[str, Any]:
    from support.truth_recorder import record

    out = {}
    for name, text in CASES.items():
        path = Path(folder, name)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        out[name] = record(path)
    return out


@pytest.fixture(scope="module")
def truths(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("helper_sites")
    return folder, _recorded(str(folder))


def _line(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(textwrap.dedent(text).lstrip("\n").splitlines(), 1)
                if needle in ln)


@pytest.mark.parametrize("name", list(CASES))
def test_sites_equal_tensorflow(truths: tuple[Path, dict[str, Any]], name: str) -> None:
    folder, recorded = truths
    path = folder / name
    c = compare(recorded[name], analyze(str(path), options=Options(strict=True)), str(path))
    assert (c.wrong, c.missing, c.extra, c.unknown) == ([], [], [], []), c.summary()
    assert c.error_ok, c.summary()


def test_helper_lines_show_their_result(truths: tuple[Path, dict[str, Any]]) -> None:
    folder, recorded = truths
    by_line = {s["line"]: s["outputs"] for s in recorded["helpers.py"]["sites"]}
    sites = {s.pos.line: s for s in analyze(str(folder / "helpers.py")).sites_for()}
    # each call of one helper: its own line, its own shape
    assert sites[_line(HELPERS, "x = conv_bn(inputs, 8)")].outputs == [[None, 16, 16, 8]]
    assert sites[_line(HELPERS, "x = conv_bn(x, 16)")].outputs == [[None, 16, 16, 16]]
    assert sites[_line(HELPERS, "x = residual_block(x, 32)")].op == "residual_block"
    # several tensors: one multi-output site; a non-tensor or a mixed tuple: none
    assert sites[_line(HELPERS, "a, c = heads(flat)")].outputs == [[[None, 4], [None, 2]]]
    for needle in ("n = count(x)", "y, k = mixed(x)", "b = Block(4)"):
        assert _line(HELPERS, needle) not in sites and _line(HELPERS, needle) not in by_line
    # a callable object, a method, a partial, one call running two functions
    for needle in ("x = b(x)", "x = b.twice(x)", "x = small(x)", "    x = fn(x)"):
        assert sites[_line(HELPERS, needle)].outputs == by_line[_line(HELPERS, needle)]
    assert len(by_line[_line(HELPERS, "    x = fn(x)")]) == 2
    # a model called on a new input stays the model's site
    assert sites[_line(HELPERS, "p, q = model(other)")].op == "Functional"


def test_hover_lists_the_layers_of_that_call(truths: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = truths
    sites = {s.pos.line: s for s in analyze(str(folder / "helpers.py")).sites_for()}
    text = markdown.explain(sites[_line(HELPERS, "x = residual_block(x, 32)")])
    conv = _line(HELPERS, "shortcut = layers.Conv2D")
    helper = _line(HELPERS, "y = conv_bn(x, filters)")
    add = _line(HELPERS, "return layers.Add()")
    assert f"line {conv}: Conv2D" in text and "(None, 16, 16, 32)" in text
    # a nested helper is one entry; its layers are listed on its own call's hover
    assert f"line {helper}: conv_bn" in text and f"line {add}: Add" in text
    assert "BatchNormalization" not in text
    first = markdown.explain(sites[_line(HELPERS, "x = conv_bn(inputs, 8)")])
    assert "`conv2d`" in first and "(None, 16, 16, 8)" in first and "conv2d_1" not in first


def test_data_assigned_from_a_call(truths: tuple[Path, dict[str, Any]]) -> None:
    folder, recorded = truths
    by_line = {s["line"]: s["outputs"] for s in recorded["data.py"]["sites"]}
    sites = {s.pos.line: s for s in analyze(str(folder / "data.py")).sites_for()}
    variable = _line(DATA, "input = tf.Variable")
    assert sites[variable].outputs == by_line[variable] == [[1, 5, 5, 3]]
    assert sites[variable].op == "tf.Variable"  # the outermost call only
    reshape = _line(DATA, "x_train = x_train.reshape")
    assert sites[reshape].outputs == [[600, 28, 28, 1]]
    assert _line(DATA, "both = (") not in sites  # a tuple display, not a call
    assert _line(DATA, "total = np.sum") not in sites  # a scalar
    assert sites[_line(DATA, "x_norm = normalize")].outputs == [[600, 28, 28, 1]]
