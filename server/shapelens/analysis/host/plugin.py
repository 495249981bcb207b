"""Host arrays as a plug-in of the core: importing this module registers the numpy/TF/Keras
handlers of concrete data (arrays, data sets, `tf.data`) and its eager results.
"""

from __future__ import annotations

from typing import Any

from ..core.dispatch import CONCRETE
from ..keras.values import TensorVal
from . import arrays, data, numpy_api, random_api
from .values import HostArray

# The modules whose import registered their handlers (kept referenced: the registry is theirs).
MODULES = (arrays, numpy_api, random_api, data)


def concrete(v: Any) -> Any:
    """The outputs of a layer or op called on concrete data: eager tensors (host arrays)."""
    if isinstance(v, TensorVal):
        return HostArray(v.shape, "float32", why=v.why, eager=True)
    if isinstance(v, (list, tuple)):
        items = [concrete(x) for x in v]
        return type(v)(x if y is None else y for x, y in zip(v, items))
    if isinstance(v, dict):
        return {k: x if concrete(x) is None else concrete(x) for k, x in v.items()}
    return None


CONCRETE.register(concrete)
