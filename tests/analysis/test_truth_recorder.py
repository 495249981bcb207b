"""The truth recorder itself: sites land on the right calls, values are what TF produced."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("tensorflow")

from support.truth_recorder import (
    record,
    record_in_subprocess,
    record_many,
    uncalled_default_functions,
)

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "analysis" / "corpus"
EXAMPLES = REPO / "examples"


def _write(tmp_path: Path, source: str, name: str = "model.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return path


def _col(path: Path, line: int, needle: str, nth: int = 0) -> int:
    """1-based column of the nth occurrence of `needle` on 1-based `line`."""
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start + 1


def _sites(result: dict[str, Any]) -> dict[tuple[int, int], list[Any]]:
    return {(s["line"], s["column"]): s["outputs"] for s in result["sites"]}


def test_nested_calls_on_one_line_and_multiline_calls(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        import keras
        from keras.layers import *
        inp = Input((8, 8, 4))
        up6 = Conv2D(16, 2, padding='same')(UpSampling2D(size=(2, 2))(inp))
        y = keras.layers.Conv2D(
            4,
            3,
        )(up6)
        z = (keras.ops
             .reshape(y, (-1, 14 * 14 * 4)))
        """,
    )
    sites = _sites(record(path))
    assert sites[(3, _col(path, 3, "Input"))] == [[None, 8, 8, 4]]
    assert sites[(4, _col(path, 4, "Conv2D"))] == [[None, 16, 16, 16]]
    assert sites[(4, _col(path, 4, "UpSampling2D"))] == [[None, 16, 16, 4]]
    # a call spanning several lines is keyed by where the whole expression starts
    assert sites[(5, _col(path, 5, "keras"))] == [[None, 14, 14, 4]]
    assert sites[(9, _col(path, 9, "keras"))] == [[None, 784]]
    assert len(sites) == 5


def test_sequential_layers_are_sited_at_their_construction(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((10,)),
            layers.Dense(5), layers.Dense(3),
        ])
        m2 = keras.Sequential()
        m2.add(layers.Dense(4, input_shape=(7,)))
        m2.add(layers.Dense(2))
        """,
    )
    sites = _sites(record(path))
    assert sites == {
        (4, _col(path, 4, "keras")): [[None, 10]],
        (5, _col(path, 5, "layers")): [[None, 5]],
        (5, _col(path, 5, "layers", 1)): [[None, 3]],
        (8, _col(path, 8, "layers")): [[None, 4]],
        (9, _col(path, 9, "layers")): [[None, 2]],
    }


def test_subclassed_call_sites_and_model_called_as_layer(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        import keras
        from keras import layers, ops

        class Block(layers.Layer):
            def __init__(self, filters):
                super().__init__()
                self.conv = layers.Conv2D(filters, 3, padding="same")
            def call(self, x):
                return ops.concatenate([self.conv(x), x], axis=-1)

        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.block = Block(4)
                self.head = layers.Dense(2)
            def call(self, x):
                return self.head(ops.mean(self.block(x), axis=[1, 2]))

        inp = keras.Input((6, 6, 3))
        out = Net()(inp)
        enc = keras.Model(inp, out)
        again = enc(keras.Input((6, 6, 3)))
        """,
    )
    sites = _sites(record(path))
    assert sites[(9, _col(path, 9, "ops"))] == [[None, 6, 6, 7]]
    assert sites[(9, _col(path, 9, "self.conv"))] == [[None, 6, 6, 4]]
    assert sites[(17, _col(path, 17, "self.head"))] == [[None, 2]]
    assert sites[(17, _col(path, 17, "ops"))] == [[None, 7]]
    assert sites[(17, _col(path, 17, "self.block"))] == [[None, 6, 6, 7]]
    assert sites[(20, _col(path, 20, "Net"))] == [[None, 2]]
    assert sites[(22, _col(path, 22, "enc"))] == [[None, 2]]
    # re-running the functional model does not re-record its inner layers at other sites
    assert set(sites) == {
        (9, _col(path, 9, "ops")),
        (9, _col(path, 9, "self.conv")),
        (17, _col(path, 17, "self.head")),
        (17, _col(path, 17, "ops")),
        (17, _col(path, 17, "self.block")),
        (19, _col(path, 19, "keras")),
        (20, _col(path, 20, "Net")),
        (22, _col(path, 22, "enc")),
        (22, _col(path, 22, "keras")),
    }


def test_shared_layer_records_distinct_outputs_in_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        import keras
        shared = keras.layers.Dense(6)
        def apply(t):
            return shared(t)
        a = apply(keras.Input((3,)))
        b = apply(keras.Input((5, 3)))
        c = apply(keras.Input((3,)))
        """,
    )
    sites = _sites(record(path))
    assert sites[(4, _col(path, 4, "shared"))] == [[None, 6], [None, 5, 6]]


def test_several_outputs_and_internal_layers(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        from keras import layers
        seq = layers.Input((4, 5))
        out, h, c = layers.LSTM(3, return_state=True)(seq)
        f, b = layers.Bidirectional(layers.GRU(2, return_sequences=True), merge_mode=None)(seq)
        td = layers.TimeDistributed(layers.Dense(7))(seq)
        att = layers.MultiHeadAttention(num_heads=2, key_dim=4)(seq, seq)
        """,
    )
    sites = _sites(record(path))
    assert sites == {
        (2, _col(path, 2, "layers")): [[None, 4, 5]],
        (3, _col(path, 3, "layers")): [[[None, 3], [None, 3], [None, 3]]],
        (4, _col(path, 4, "layers")): [[[None, 4, 2], [None, 4, 2]]],
        (5, _col(path, 5, "layers")): [[None, 4, 7]],
        (6, _col(path, 6, "layers")): [[None, 4, 5]],
    }


def test_eager_tf_nn_snippet(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        import tensorflow as tf
        input = tf.random.normal([1, 5, 5, 3])
        filter = tf.Variable(tf.random.normal([3, 3, 3, 7]))
        op = tf.nn.conv2d(input, filter, strides=[1, 2, 2, 1], padding='SAME')
        pool = tf.nn.max_pool(input, ksize=[1,2,2,1], strides=[1,2,2,1], padding='VALID')
        """,
    )
    assert _sites(record(path)) == {
        # concrete data assigned from a call: the outermost call of the line
        (2, _col(path, 2, "tf.random")): [[1, 5, 5, 3]],
        (3, _col(path, 3, "tf.Variable")): [[3, 3, 3, 7]],
        (4, _col(path, 4, "tf.nn")): [[1, 3, 3, 7]],
        (5, _col(path, 5, "tf.nn")): [[1, 2, 2, 3]],
    }


def test_error_is_the_innermost_site_and_stops(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        import keras
        from keras import layers
        def block(x, filters):
            y = layers.Conv2D(filters, 3, padding="same")(x)
            return layers.Add()([x, y])
        inp = keras.Input((8, 8, 4))
        x = block(inp, 4)
        x = block(x, 8)
        never = layers.Dense(3)(x)
        """,
    )
    result = record(path)
    assert result["error"]["line"] == 5
    assert result["error"]["column"] == _col(path, 5, "layers")
    assert "incompatible shapes" in result["error"]["message"]
    sites = _sites(result)
    assert sites[(4, _col(path, 4, "layers"))] == [[None, 8, 8, 4], [None, 8, 8, 8]]
    assert sites[(5, _col(path, 5, "layers"))] == [[None, 8, 8, 4]]
    assert not any(line == 9 for line, _ in sites)


def test_error_inside_a_subclassed_call_is_the_inner_site(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        import keras
        from keras import layers
        class Block(layers.Layer):
            def __init__(self):
                super().__init__()
                self.d = layers.Dense(4)
            def call(self, x):
                return layers.Add()([self.d(x), x])
        out = Block()(keras.Input((5,)))
        """,
    )
    result = record(path)
    assert (result["error"]["line"], result["error"]["column"]) == (8, _col(path, 8, "layers"))
    assert _sites(result)[(8, _col(path, 8, "self.d"))] == [[None, 4]]


def test_constructor_error_inside_sequential(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        import keras
        model = keras.Sequential([keras.Input((9, 9, 1)),
                                  keras.layers.Conv2D(4, 3, padding="vaild")])
        """,
    )
    result = record(path)
    assert (result["error"]["line"], result["error"]["column"]) == (3, _col(path, 3, "keras"))
    assert _sites(result) == {(2, _col(path, 2, "keras.Input")): [[None, 9, 9, 1]]}


def test_uncalled_default_functions_are_called(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        from keras.layers import Input, Dense
        def unet(pretrained_weights=None, input_size=(4,), *args, **kwargs):
            return Dense(2)(Input(input_size))
        def needs_arg(x):
            return Dense(3)(x)
        def used(n=1):
            return Dense(n)(Input((2,)))
        def helper(n=5):
            return Dense(n)(Input((2,)))
        f = helper
        def documented(n=4):
            return Dense(n)(Input((2,)))
        documented.__doc__ = "read as an attribute: not a use"
        """,
    )
    import ast

    assert uncalled_default_functions(ast.parse(path.read_text())) == [
        "unet", "used", "documented"]
    sites = _sites(record(path))
    assert sites[(3, _col(path, 3, "Dense"))] == [[None, 2]]
    assert sites[(7, _col(path, 7, "Dense"))] == [[None, 1]]
    assert not any(line in (5, 9) for line, _ in sites)


def test_subprocess_matches_in_process(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        import keras
        x = keras.layers.Conv2D(2, 3)(keras.Input((5, 5, 1)))
        y = keras.layers.Reshape((7,))(x)
        """,
    )
    assert record_in_subprocess(path) == record(path)


def _corpus_files() -> list[Path]:
    """The corpus the analyser is compared with: tests/analysis/corpus/*.py and examples/*.py."""
    return sorted(CORPUS.glob("*.py")) + sorted(EXAMPLES.glob("*.py"))


def test_corpus_records_with_errors_only_in_broken_files() -> None:
    files = _corpus_files()
    assert len(list(CORPUS.glob("*.py"))) >= 28
    t0 = time.perf_counter()
    results = record_many(files)
    elapsed = time.perf_counter() - t0
    print(f"recorded {len(files)} files in {elapsed:.1f}s")
    for path in files:
        res = results[str(path)]
        broken = path.name.startswith("broken_") or path.name.endswith("_broken.py")
        assert (res["error"] is not None) == broken, (path.name, res["error"])
        if broken:
            assert isinstance(res["error"]["line"], int), path.name
        assert res["sites"], path.name
        assert "imported_sites" not in res, path.name
    unet = _sites(results[str(EXAMPLES / "unet.py")])
    assert max(unet.items())[1] == [[None, 256, 256, 1]]
    valid = _sites(results[str(EXAMPLES / "unet_valid.py")])
    assert max(valid.items())[1] == [[None, 388, 388, 2]]
    assert (
        "(None, 64, 64, 512), (None, 56, 56, 512)"
        in (results[str(EXAMPLES / "unet_broken.py")]["error"]["message"])
    )


def test_the_files_own_calls_record_their_tensor_results(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        import keras
        from keras import layers
        def block(x, n):
            return layers.Dense(n)(x)
        def pair(x):
            return block(x, 2), block(x, 3)
        def size(x):
            return 4
        inp = keras.Input((8,))
        y = block(inp, 5)
        a, b = pair(y)
        n = size(y)
        ys = list(map(lambda t: block(t, 6), [y]))
        z = block(block(y, 7), size(y))
        """,
    )
    sites = _sites(record(path))
    assert sites[(10, _col(path, 10, "block"))] == [[None, 5]]
    assert sites[(11, _col(path, 11, "pair"))] == [[[None, 2], [None, 3]]]
    assert sites[(6, _col(path, 6, "block"))] == [[None, 2]]
    assert (12, _col(path, 12, "size")) not in sites  # not a tensor
    # a builtin calling the file's function is no call of it: only the lambda's own call
    assert (13, _col(path, 13, "list")) not in sites
    assert sites[(13, _col(path, 13, "block"))] == [[None, 6]]
    assert sites[(14, _col(path, 14, "block"))] == [[None, 4]]
    assert sites[(14, _col(path, 14, "block", 1))] == [[None, 7]]
