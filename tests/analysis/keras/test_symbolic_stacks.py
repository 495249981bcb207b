"""Random stacks of convolutions, pools, transposed convs, paddings and crops on an open-size
Input: each layer's formula at drawn sizes is the shape Keras builds at those sizes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shapelens.analysis import analyze

keras = pytest.importorskip("tensorflow").keras
from support.symbolic_forms import substituted  # noqa: E402

PADDINGS = st.sampled_from(["valid", "same"])
SMALL = st.integers(1, 4)


@st.composite
def conv(draw: Any) -> str:
    k, s, p = draw(SMALL), draw(st.integers(1, 3)), draw(PADDINGS)
    d = 1 if s > 1 else draw(st.integers(1, 2))  # Keras refuses strides > 1 with dilation > 1
    return f"layers.Conv2D(2, {k}, strides={s}, padding='{p}', dilation_rate={d})"


@st.composite
def pool(draw: Any) -> str:
    kind = draw(st.sampled_from(["MaxPooling2D", "AveragePooling2D"]))
    strides = draw(st.one_of(st.none(), st.integers(1, 3)))
    return f"layers.{kind}({draw(SMALL)}, strides={strides}, padding='{draw(PADDINGS)}')"


@st.composite
def transpose(draw: Any) -> str:
    k, s, p = draw(SMALL), draw(st.integers(1, 3)), draw(PADDINGS)
    return f"layers.Conv2DTranspose(2, {k}, strides={s}, padding='{p}')"


@st.composite
def resize(draw: Any) -> str:
    a, b, c, d = (draw(st.integers(0, 3)) for _ in range(4))
    kind = draw(st.sampled_from(["ZeroPadding2D", "Cropping2D", "UpSampling2D"]))
    if kind == "UpSampling2D":
        return f"layers.UpSampling2D(({a + 1}, {b + 1}))"
    return f"layers.{kind}((({a}, {b}), ({c}, {d})))"


LAYER = st.one_of(conv(), pool(), transpose(), resize())
SIZE = st.integers(1, 70)


def source(stack: list[str]) -> str:
    lines = ["from tensorflow import keras", "from tensorflow.keras import layers", "",
             "x = keras.Input((None, None, 2))"]
    lines += [f"x = {layer}(x)" for layer in stack]
    return "\n".join(lines) + "\n"


def keras_shapes(stack: list[str], h: int, w: int) -> list[Any]:
    """Each layer's output shape as Keras builds it at (h, w); the list ends where Keras fails."""
    x = keras.Input((h, w, 2))
    shapes = []
    for layer in stack:
        try:
            x = eval(layer, {"layers": keras.layers})(x)  # our own drawn constructor text
        except ValueError:
            break
        shapes.append(list(x.shape))
    return shapes


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stack=st.lists(LAYER, min_size=1, max_size=5), sizes=st.lists(
    st.tuples(SIZE, SIZE), min_size=2, max_size=2))
def test_a_drawn_stack_equals_keras_at_drawn_sizes(
    tmp_path: Path, stack: list[str], sizes: list[tuple[int, int]]
) -> None:
    path = tmp_path / "stack.py"
    path.write_text(source(stack))
    sites = {s.pos.line: s for s in analyze(str(path)).sites_for()}
    forms = [sites[5 + i].symbolic[0] for i in range(len(stack))]
    for h, w in sizes:
        truth = keras_shapes(stack, h, w)
        for i, form in enumerate(forms):
            assert form is not None, (stack[i], sites[5 + i].outputs)
            ours = substituted(form, {"H": h, "W": w})
            if i == len(truth):  # Keras refused this layer at these sizes: a size is not positive
                assert min(ours[1:3]) <= 0, (stack[: i + 1], h, w, ours)
                break
            assert ours == truth[i], (stack[: i + 1], h, w, form)
