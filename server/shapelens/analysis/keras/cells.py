"""A user's recurrent cell (a `keras.layers.Layer` subclass with `state_size`, maybe
`output_size`) as the engine's `RNN` reads it: an engine `CellSpec` from the instance's attributes,
its weights from its own `build` on the per-step shape when the RNN first builds.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any

from ...engine import NotKnown, Unknown
from ...engine.args import is_int
from ...engine.rnn_cells import CellSpec, RNNOverCell, stack
from ..core.calls import call_function
from ..core.context import Host
from ..core.dispatch import CALL, TO_ENGINE
from ..core.values import MISSING, FuncVal, Instance
from .layers import BEFORE_CALL
from .subclass import instance_params, keras_base
from .symbolic import tracing
from .values import LayerObj, TensorVal


def _attr(inst: Instance, name: str) -> Any:
    """A plain attribute of the instance or its class (a property is not read: MISSING)."""
    if name in inst.attrs:
        return inst.attrs[name]
    value = inst.cls.lookup(name)
    return value if is_int(value) or isinstance(value, (list, tuple)) else MISSING


def cell_spec(inst: Instance) -> CellSpec | None:
    """The cell Keras' `RNN` would see, when its `state_size` (and `output_size`) are known."""
    state = _attr(inst, "state_size")
    if is_int(state):
        sizes: tuple[Any, ...] = (state,)
    elif isinstance(state, (list, tuple)) and state and all(
            is_int(s) or (isinstance(s, (list, tuple)) and all(map(is_int, s))) for s in state):
        sizes = tuple(tuple(s) if isinstance(s, (list, tuple)) else s for s in state)
    else:
        return None
    out = _attr(inst, "output_size")
    if out is not MISSING and out is not None and not is_int(out):
        return None
    return CellSpec(sizes, is_int(state), out if is_int(out) else None)


@TO_ENGINE.register(Instance)
def _instance_to_engine(inst: Instance) -> Any:
    """A cell passed to `RNN(...)`; any other instance is a value the engine cannot read."""
    if keras_base(inst.cls) == "Layer":
        spec = cell_spec(inst)
        if spec is not None:
            return spec
    if CALL.find(inst) is not None:
        return Unknown("a function")
    return Unknown(f"a {type(inst).__name__} value")


def _build_cell(an: Host, inst: Instance, step: tuple[Any, ...], lo: LayerObj) -> int | None:
    """The cell's `build(step_shape)`, once, as `RNN.build` runs it; its weight count."""
    if not inst.built:
        inst.built = True
        build = inst.cls.lookup("build")
        if isinstance(build, FuncVal):
            pos = lo.pos
            node = ast.Pass(lineno=pos.line, col_offset=pos.column - 1, end_lineno=pos.end_line,
                            end_col_offset=pos.end_column - 1)
            with tracing(an):
                call_function(an, build, [inst, step], {}, node, an.module_at(pos.path))
    return instance_params(inst)


def build_cells(an: Host, lo: LayerObj, first: Any) -> None:
    """Before an RNN over user cells first builds: each cell builds on the per-step shape (in a
    stack, on the previous cell's output), and its weights become the cell's in the engine."""
    c = lo.constructed
    shape = first.shape if isinstance(first, TensorVal) else None
    if c is None or lo.params is not None or not isinstance(c.config, RNNOverCell) \
            or shape is None or len(shape) != 3:
        return
    arg = lo.args[0] if lo.args else lo.kwargs.get("cell")
    cells = list(arg) if isinstance(arg, (list, tuple)) else [arg]
    if not any(isinstance(x, Instance) for x in cells):
        return
    step: tuple[Any, ...] = (shape[0], *shape[2:])
    specs: list[CellSpec] = []
    try:
        for cell in cells:
            if isinstance(cell, Instance):
                spec = cell_spec(cell)
                if spec is None:
                    return
                params = _build_cell(an, cell, step, lo)
                spec = replace(spec, weights=None if params is None else (0, params))
            elif isinstance(cell, LayerObj) and cell.constructed is not None \
                    and isinstance(cell.constructed.config, CellSpec):
                spec = cell.constructed.config
            else:
                return
            specs.append(spec)
            step = (step[0], spec.output_dim)
    except NotKnown:
        return
    combined = stack(specs) if isinstance(arg, (list, tuple)) else specs[0]
    lo.constructed = replace(c, config=replace(c.config, cell=combined))


BEFORE_CALL["RNN"] = build_cells
