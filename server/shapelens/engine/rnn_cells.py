"""`keras.layers.RNN` over a cell: the built-in cells (SimpleRNNCell, LSTMCell, GRUCell), a stack
of cells (a list, or StackedRNNCells), and a user's cell as the analyser describes it (`CellSpec`).

Mirrors Keras 3's `RNN.__init__` (state_size an int or a list), `RNN.compute_output_shape`
(output, then each state's shape when `return_state`) and `StackedRNNCells.output_size`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .args import is_int, known
from .registry import Constructed, register_layer
from .shapes import single
from .types import NotKnown, Result, Shape, ShapeError, fmt_shape


@dataclass(frozen=True)
class CellSpec:
    """A recurrent cell as `RNN` reads it."""

    state_size: tuple[Any, ...]  # RNN.state_size: each entry an int, or a tuple of ints
    single_state: bool  # `state_size` was one int
    output_size: int | None  # the cell's `output_size`, None when it declares none
    # Its weights when built on an input of d features: a*d + b; None when not known.
    weights: tuple[int, int] | None = None

    @property
    def output_dim(self) -> int:
        """What the RNN emits per step (`output_size`, else the first state's size)."""
        if self.output_size is not None:
            return self.output_size
        first = self.state_size[0]
        if not is_int(first):
            raise NotKnown("the cell's output size is not an integer")
        return int(first)


# Gates per built-in cell, and whether its bias is doubled (GRU's reset_after).
_GATES = {"SimpleRNNCell": 1, "LSTMCell": 4, "GRUCell": 3}


def _units(a: dict[str, Any]) -> int:
    units = known(a["units"], "units")
    if not is_int(units) or units <= 0:
        raise ShapeError(
            "invalid-argument",
            "Received an invalid value for argument `units`, expected a positive integer, "
            f"got {units!r}.",
            arg="units", at="init",
        )
    return int(units)


def _builtin_cell(name: str, a: dict[str, Any]) -> CellSpec:
    u = _units(a)
    g = _GATES[name]
    use_bias = bool(known(a["use_bias"], "use_bias"))
    double = name == "GRUCell" and bool(known(a.get("reset_after", False), "reset_after"))
    bias = (2 if double else 1) * g * u if use_bias else 0
    states: tuple[Any, ...] = (u, u) if name == "LSTMCell" else (u,)
    return CellSpec(states, name != "LSTMCell", u, (g * u, g * u * u + bias))


def cell_of(value: Any) -> CellSpec:
    """A cell argument: a built-in cell, a described user cell, or a list of them (stacked)."""
    known(value, "cell")
    if isinstance(value, Constructed):
        if value.unknown is not None:
            raise NotKnown(value.unknown)
        value = value.config
    if isinstance(value, (list, tuple)):
        return stack([cell_of(c) for c in value])
    if not isinstance(value, CellSpec):
        raise NotKnown("the RNN's cell is not one ShapeLens can read")
    return value


def stack(cells: list[CellSpec]) -> CellSpec:
    """Keras' `StackedRNNCells`: one state entry per cell; each cell builds on the previous
    cell's output; the output is the last cell's."""
    if not cells:
        raise NotKnown("an empty stack of cells")
    states = tuple(c.state_size[0] if c.single_state else tuple(c.state_size) for c in cells)
    weights: tuple[int, int] | None = cells[0].weights
    for prev, cell in itertools.pairwise(cells):
        if weights is None or cell.weights is None:
            weights = None
            break
        a, b = cell.weights
        weights = (weights[0], weights[1] + a * prev.output_dim + b)
    last = cells[-1]
    return CellSpec(states, False, last.output_dim, weights)


def _stacked_init(name: str, a: dict[str, Any]) -> CellSpec:
    return cell_of(list(known(a["cells"], "cells")))


@dataclass(frozen=True)
class RNNOverCell:
    cell: CellSpec
    return_sequences: bool
    return_state: bool
    stateful: bool


def _rnn_init(name: str, a: dict[str, Any]) -> RNNOverCell:
    flags = [bool(known(a[k], k)) for k in ("return_sequences", "return_state", "stateful")]
    return RNNOverCell(cell_of(a["cell"]), *flags)


def _state_shapes(cell: CellSpec, batch: Any) -> list[Any]:
    out: list[Any] = []
    for s in cell.state_size:
        out.append([(batch, d) for d in s] if isinstance(s, tuple) else (batch, s))
    return out


def _rnn_call(cfg: RNNOverCell, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape: Shape = single(inputs, "RNN")
    if len(shape) != 3:
        raise NotKnown(f"an RNN over a cell on a rank-{len(shape)} input is not modelled")
    batch, length, fan_in = shape
    if fan_in is None:
        raise NotKnown("the cell's weights need the input's last axis, which is not defined")
    if cfg.stateful and batch is None:
        raise ShapeError(
            "incompatible-shape",
            "When using `stateful=True` in a RNN, the batch size must be static. Found dynamic "
            f"batch size: sequence.shape={fmt_shape(shape)}",
        )
    out_dim = cfg.cell.output_dim
    out: Shape = (batch, length, out_dim) if cfg.return_sequences else (batch, out_dim)
    derivation = [
        f"features: {fan_in} -> the cell's output size {out_dim}",
        "time axis kept (return_sequences=True)" if cfg.return_sequences
        else "time axis dropped (return_sequences=False)",
    ]
    outputs: Any = out
    if cfg.return_state:
        outputs = [out, *_state_shapes(cfg.cell, batch)]
        derivation.append(f"return_state=True: the states of sizes {list(cfg.cell.state_size)}")
    params = None
    notes: list[str] = []
    if cfg.cell.weights is not None:
        a, b = cfg.cell.weights
        params = a * fan_in + b
        notes.append(f"params = {a}*{fan_in} + {b} = {params}  (the cell's weights)")
    return Result(outputs=outputs, params=params, derivation=derivation, notes=notes)


def _cell_call(cfg: Any, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    raise NotKnown("a cell called on its own (one step, with its states) is not modelled")


register_layer(*_GATES, family="rnn_cells", init=_builtin_cell, call=_cell_call)
register_layer("StackedRNNCells", family="rnn_cells", init=_stacked_init, call=_cell_call)
register_layer("RNN", family="rnn_cells", init=_rnn_init, call=_rnn_call)
