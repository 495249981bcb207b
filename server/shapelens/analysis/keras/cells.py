"""A user's recurrent cell (a `keras.layers.Layer` subclass with `state_size`, maybe
`output_size`) as the engine's `RNN` reads it: an engine `CellSpec` from the instance's attributes.
"""

from __future__ import annotations

from typing import Any

from ...engine import Unknown
from ...engine.args import is_int
from ...engine.rnn_cells import CellSpec
from ..core.dispatch import CALL, TO_ENGINE
from ..core.values import MISSING, Instance
from .subclass import keras_base


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
