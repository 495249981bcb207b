"""Keras layers on symbolic sizes: for every layer case the engine accepts, each sized non-batch
axis of each input is opened (`N`; the same axis of every input of a merge together; an image's or
volume's spatial axes together as `D`, `H`, `W`), and the formula the engine gives, evaluated at
several sizes (the smallest that build among them), is what Keras builds at those sizes.

Expected shapes come from Keras on KerasTensors of each concrete size, never from our formulas.
An opening without a formula (the engine raises, gives no result, or leaves an axis None) is
counted per family (printed in the terminal summary), not failed: it keeps Keras' None. Only an
axis Keras itself accepts as None is opened (the engine's None answer, checked against Keras by
the engine tests, decides): elsewhere no Input can leave it open.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from engine import (
    test_attention,
    test_conv,
    test_core,
    test_merging,
    test_normalization,
    test_pooling,
    test_preprocessing,
    test_recurrent,
    test_regularization,
    test_reshaping,
    test_rnn_cells,
)
from engine.test_augmentation import ARGS as AUGMENT_ARGS
from engine.test_recurrent import L, engine_value
from shapelens.engine import registry
from shapelens.engine.preprocessing import AUGMENTATION
from shapelens.engine.symdims import Sym, evaluate, symbol
from shapelens.engine.types import Result
from support.engine_vs_keras import FN
from support.keras_truth import Truth, layer_truth

# (id, layer, input shape(s), call kwargs)
Case = tuple[str, L, Any, Any]


def _plain_cases() -> list[Case]:
    out: list[Case] = []
    for mod in (test_conv, test_pooling, test_reshaping, test_merging, test_normalization,
                test_regularization, test_preprocessing, test_core):
        for cid, name, args, kwargs, shape in mod.CASES:
            if shape is not None and name not in ("Input", "InputLayer"):
                family = mod.__name__.rsplit("test_", 1)[-1]
                out.append((f"{family}-{cid}", L(name, tuple(args), kwargs), shape, None))
    for cid, name, args, kwargs, shapes, call_kwargs in test_attention.CASES:
        out.append((f"attention-{cid}", L(name, tuple(args), kwargs), shapes, call_kwargs))
    for cid, spec, shape in [*test_recurrent.CASES, *test_recurrent.CONV_CASES]:
        out.append((f"recurrent-{cid}", spec, shape, None))
    for cid, cell, rnn_kwargs, shape in test_rnn_cells.CASES:
        out.append((f"rnn_cells-{cid}", L("RNN", (_cell(cell),), rnn_kwargs), shape, None))
    for name in AUGMENTATION:
        args = AUGMENT_ARGS.get(name, ())
        out.append((f"augmentation-{name}", L(name, args), (None, 12, 10, 3), None))
    return out


def _cell(cell: Any) -> Any:
    if isinstance(cell, list):
        return [_cell(c) for c in cell]
    name, args, kwargs = cell
    return L(name, tuple(_cell(a) if isinstance(a, (list, tuple)) and a and
                         isinstance(a[0], (list, tuple)) else a for a in args), kwargs)


S4 = (None, 12, 10, 3)
MORE: list[Case] = [
    ("td-dense", L("TimeDistributed", (L("Dense", (4,)),)), (None, 6, 3), None),
    ("td-conv1d", L("TimeDistributed", (L("Conv1D", (4, 3), {"strides": 2}),)), (None, 5, 9, 3),
     None),
    ("td-pool", L("TimeDistributed", (L("MaxPooling2D", ()),)), (None, 4, 9, 7, 3), None),
    ("bidi-lstm-seq", L("Bidirectional", (L("LSTM", (4,), {"return_sequences": True}),)),
     (None, 6, 3), None),
    ("bidi-gru-state", L("Bidirectional", (L("GRU", (3,), {"return_state": True,
                                                           "return_sequences": True}),)),
     (None, 6, 3), None),
    ("convlstm2d-stride", L("ConvLSTM2D", (4, 3), {"strides": 2, "return_sequences": True}),
     (None, 3, 11, 9, 2), None),
    ("convlstm1d-same", L("ConvLSTM1D", (4, 3), {"padding": "same"}), (None, 3, 11, 2), None),
    ("convlstm3d", L("ConvLSTM3D", (2, 2)), (None, 2, 5, 6, 7, 1), None),
    ("einsum-seq", L("EinsumDense", ("abc,cd->abd",), {"output_shape": (None, 5)}),
     (None, 6, 3), None),
    ("einsum-bias", L("EinsumDense", ("abc,cd->abd",), {"output_shape": (None, 5),
                                                        "bias_axes": "d"}), (None, 6, 3), None),
    ("embedding-seq", L("Embedding", (10, 4)), (None, 7), None),
    ("embedding-2d", L("Embedding", (10, 4)), (None, 7, 3), None),
    ("dense-seq", L("Dense", (4,)), (None, 6, 3), None),
    ("dot-axes-1", L("Dot", (1,)), [(None, 6, 3), (None, 6, 4)], None),
    ("dot-axes-2", L("Dot", (2,)), [(None, 6, 3), (None, 5, 3)], None),
    ("dot-pair", L("Dot", ((2, 1),)), [(None, 6, 3), (None, 3, 5)], None),
    ("concat-axis1", L("Concatenate", (), {"axis": 1}), [(None, 6, 3), (None, 4, 3)], None),
    ("concat-images", L("Concatenate", ()), [S4, (None, 12, 10, 5)], None),
    ("add-images", L("Add", ()), [S4, S4], None),
    ("multiply-broadcast", L("Multiply", ()), [(None, 1, 10, 3), S4], None),
    ("cat-encoding", L("CategoryEncoding", (), {"num_tokens": 6, "output_mode": "count"}),
     (None, 5), None),
    ("cat-encoding-one-hot", L("CategoryEncoding", (), {"num_tokens": 6,
                                                        "output_mode": "one_hot"}),
     (None, 5, 1), None),
    ("center-crop", L("CenterCrop", (4, 5)), S4, None),
    ("random-crop", L("RandomCrop", (4, 5)), S4, None),
    ("resizing-ratio", L("Resizing", (4, 5), {"crop_to_aspect_ratio": True}), S4, None),
    ("resizing-pad", L("Resizing", (4, 5), {"pad_to_aspect_ratio": True}), S4, None),
    ("upsample2d-bilinear", L("UpSampling2D", ((2, 3),), {"interpolation": "bilinear"}), S4,
     None),
    ("zeropad3d", L("ZeroPadding3D", (((1, 2), (0, 1), (2, 0)),)), (None, 4, 5, 6, 2), None),
    ("cropping3d", L("Cropping3D", (((1, 0), (0, 2), (1, 1)),)), (None, 4, 5, 6, 2), None),
    ("flatten-image", L("Flatten", ()), S4, None),
    ("reshape-minus1", L("Reshape", ((-1, 3),)), S4, None),
    ("permute-image", L("Permute", ((2, 1, 3),)), S4, None),
    ("repeat-vector", L("RepeatVector", (4,)), (None, 6), None),
    ("gap2d-keepdims", L("GlobalAveragePooling2D", (), {"keepdims": True}), S4, None),
    ("adaptive-max2d", L("AdaptiveMaxPooling2D", ((3, 2),)), S4, None),
    ("layernorm-seq", L("LayerNormalization", ()), (None, 6, 3), None),
    ("groupnorm", L("GroupNormalization", (3,)), S4, None),
    ("spatial-dropout2d", L("SpatialDropout2D", (0.2,)), S4, None),
    ("mha-self", L("MultiHeadAttention", (2, 4)), [(None, 6, 8), (None, 6, 8)], None),
    ("mha-scores", L("MultiHeadAttention", (2, 4)), [(None, 6, 8), (None, 5, 8)],
     {"return_attention_scores": True}),
]

CASES: list[Case] = [*_plain_cases(), *[(f"more-{c[0]}", *c[1:]) for c in MORE]]


# -- the engine and Keras on one case -------------------------------------------------------------
def _keras_value(v: Any) -> Any:
    import keras

    if isinstance(v, L):
        return getattr(keras.layers, v.name)(*[_keras_value(a) for a in v.args],
                                             **{k: _keras_value(x) for k, x in v.kwargs.items()})
    if v is FN:
        return lambda x: x
    if isinstance(v, list):
        return [_keras_value(x) for x in v]
    return v


def engine_result(spec: L, shapes: Any, call_kwargs: Any) -> Result | BaseException:
    """The engine's Result, or what it raised (any exception: no formula, as in the analyser)."""
    try:
        layer = engine_value(spec)
        return registry.call(layer, shapes, call_kwargs)
    except AssertionError:
        raise
    except Exception as e:
        return e


def keras_truth(spec: L, shapes: Any, call_kwargs: Any) -> Truth:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if spec.name == "MultiHeadAttention":
            return test_attention.mha_truth(spec.args, spec.kwargs, shapes, call_kwargs)
        try:
            args = [_keras_value(a) for a in spec.args]
            kwargs = {k: _keras_value(v) for k, v in spec.kwargs.items()}
        except Exception as e:
            return Truth(False, stage="init", message=f"{type(e).__name__}: {e}")
        return layer_truth(spec.name, args, kwargs, shapes, call_kwargs)


# -- openings -------------------------------------------------------------------------------------
Opening = dict[tuple[int, int], str]  # (input index, axis) -> symbol name


def _inputs(shapes: Any) -> list[tuple[Any, ...]]:
    return list(shapes) if isinstance(shapes, list) else [shapes]


def openings(spec: L, shapes: Any) -> list[Opening]:
    """Each sized non-batch axis alone; an axis of a merge's every input together; the spatial
    axes of an image or volume together."""
    ins = _inputs(shapes)
    found: list[Opening] = []
    for i, s in enumerate(ins):
        for a, d in enumerate(s):
            if a >= 1 and isinstance(d, int) and d >= 1:
                found.append({(i, a): "N"})
    if len(ins) >= 2:
        for a in range(1, min(len(s) for s in ins)):
            if all(isinstance(s[a], int) and s[a] >= 1 for s in ins):
                found.append({(i, a): "N" for i in range(len(ins))})
    first = "channels_first" in str(spec.kwargs.get("data_format", "")).lower()
    for i, s in enumerate(ins):
        if 4 <= len(s) <= 5:
            axes = range(2, len(s)) if first else range(1, len(s) - 1)
            names = ("D", "H", "W")[-len(axes):]
            if all(isinstance(s[a], int) and s[a] >= 1 for a in axes):
                found.append({(i, a): n for a, n in zip(axes, names, strict=True)})
    return found


def with_sizes(shapes: Any, opening: Opening, sizes: dict[str, Any]) -> Any:
    ins = [tuple(sizes[opening[(i, a)]] if (i, a) in opening else d for a, d in enumerate(s))
           for i, s in enumerate(_inputs(shapes))]
    return ins if isinstance(shapes, list) else ins[0]


def at(outputs: Any, sizes: dict[str, int]) -> Any:
    if isinstance(outputs, list):
        return [at(o, sizes) for o in outputs]
    return tuple(evaluate(d, sizes) if isinstance(d, Sym) else d for d in outputs)


def complete(outputs: Any, concrete: Any) -> bool:
    """Every axis the concrete sizes size (past the batch axis) has a size: an int or a formula."""
    if isinstance(outputs, list) and isinstance(concrete, list):
        return len(outputs) == len(concrete) and all(
            complete(o, c) for o, c in zip(outputs, concrete, strict=True))
    return isinstance(outputs, tuple) and isinstance(concrete, tuple) and all(
        d is not None or c is None for d, c in zip(outputs[1:], concrete[1:], strict=True))


def samples(spec: L, shapes: Any, call_kwargs: Any, opening: Opening) -> list[dict[str, int]]:
    """Four size assignments from the smallest size the engine builds on (every name alike)."""
    names = sorted(set(opening.values()))
    for n0 in range(1, 40):
        got = engine_result(spec, with_sizes(shapes, opening, dict.fromkeys(names, n0)),
                            call_kwargs)
        if isinstance(got, Result) and got.unknown is None:
            break
    else:
        n0 = 1
    steps = (0, 1, 2, 7)
    return [{n: n0 + steps[(k + j) % 4] for j, n in enumerate(names)} for k in range(4)]


def _family(spec: L) -> str:
    layer = registry.layer_spec(spec.name)
    return layer.family if layer is not None else spec.name


@pytest.mark.parametrize(("spec", "shapes", "call_kwargs"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_an_opened_size_gives_the_formula_keras_follows(
    keras_api: Any, record_property: Any, spec: L, shapes: Any, call_kwargs: Any
) -> None:
    concrete = engine_result(spec, shapes, call_kwargs)
    if not isinstance(concrete, Result) or concrete.unknown is not None:
        return  # a case the engine rejects (or cannot know): nothing to open
    family = _family(spec)
    opened = formulas = 0
    missing: list[str] = []
    for opening in openings(spec, shapes):
        none = engine_result(spec, with_sizes(shapes, opening, dict.fromkeys(
            opening.values())), call_kwargs)
        if not isinstance(none, Result) or none.unknown is not None:
            continue  # Keras refuses None there: no Input leaves that axis open
        opened += 1
        names = sorted(set(opening.values()))
        ours = engine_result(spec, with_sizes(shapes, opening, {n: symbol(n) for n in names}),
                             call_kwargs)
        if not isinstance(ours, Result) or ours.unknown is not None or not complete(
                ours.outputs, concrete.outputs):
            why = type(ours).__name__ if not isinstance(ours, Result) else (
                "unknown" if ours.unknown is not None else "None axis")
            missing.append(f"{spec.name} {sorted(opening)}: {why}")
            continue
        formulas += 1
        for sizes in samples(spec, shapes, call_kwargs, opening):
            truth = keras_truth(spec, with_sizes(shapes, opening, sizes), call_kwargs)
            if not truth.ok:
                continue  # Keras refuses this size (too small, not divisible): not a claim
            got = at(ours.outputs, sizes)
            assert got == truth.outputs, (
                f"{spec!r} on {shapes} opened at {opening}, {sizes}: engine {ours.outputs} -> "
                f"{got}, Keras {truth.outputs}")
    record_property("symbolic_layers", (family, formulas, opened, missing))
