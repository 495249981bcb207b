"""Keras and TensorFlow names: every spelling of a Keras/TF name reduced to one canonical name,
which modules are modelled by name, and what `from keras.layers import *` binds.

Registered in the core's hooks (`CANONICAL`, `EXTERNAL_MODULE`, `STAR_EXPORTS`) by plugin.py.
"""

from __future__ import annotations

from ...engine.args import canonical_layer
from .libraries import reads

# Prefixes rewritten to the canonical `keras.` / `tf.` spellings, longest first.
_PREFIXES = [
    ("tensorflow.python.keras.", "keras."),
    ("tensorflow.keras.", "keras."),
    ("tensorflow.compat.v1.keras.", "keras."),
    ("tensorflow.compat.v2.keras.", "keras."),
    ("tf_keras.", "keras."),
    ("tensorflow.", "tf."),
]
# Keras-2 and internal submodules of keras.layers (keras.layers.convolutional.Conv2D, ...).
_LAYER_MODULES = ("keras.layers.", "keras.src.layers.")
_MODEL_NAMES = {
    "keras.models.Model": "keras.Model",
    "keras.engine.training.Model": "keras.Model",
    "keras.src.models.model.Model": "keras.Model",
    "keras.src.models.Model": "keras.Model",
    "keras.src.models.functional.Functional": "keras.Model",
    "keras.src.models.Functional": "keras.Model",
    "keras.models.Sequential": "keras.Sequential",
    "keras.engine.sequential.Sequential": "keras.Sequential",
    "keras.src.models.sequential.Sequential": "keras.Sequential",
    "keras.src.models.Sequential": "keras.Sequential",
    "keras.layers.Input": "keras.Input",
    "keras.src.layers.Input": "keras.Input",
    "keras.Input": "keras.Input",
    "keras.layers.InputLayer": "keras.layers.InputLayer",
    "keras.src.backend": "keras.backend",
    "keras.src.ops": "keras.ops",
    "tf": "tf",
}


def canonical(qualname: str) -> str:
    """`tensorflow.keras.layers.convolutional.Conv2D` -> `keras.layers.Conv2D`, and so on."""
    name = qualname
    if name == "tensorflow":
        return "tf"
    for old, new in _PREFIXES:
        if name.startswith(old):
            name = new + name[len(old) :]
            break
    if name == "tf.keras":
        return "keras"
    if name.startswith("tf.keras."):
        name = "keras." + name[len("tf.keras.") :]
    if name in _MODEL_NAMES:
        return _MODEL_NAMES[name]
    for prefix in _LAYER_MODULES:
        if name.startswith(prefix):
            last = name.rsplit(".", 1)[-1]
            rest = name[len(prefix) :]
            # keras.layers.Conv2D, keras.layers.convolutional.Conv2D, keras.src.layers.x.y.Conv2D
            if ("." in rest and last[:1].isupper()) or ("." in rest and last in _FUNCTIONAL):
                return "keras.layers." + last
            if prefix == "keras.src.layers." and "." not in rest:
                return "keras.layers." + rest
    if name.startswith("keras.src.ops.") and name.count(".") >= 3:
        return "keras.ops." + name.rsplit(".", 1)[-1]
    if name.startswith("keras.src.backend.") and name.rsplit(".", 1)[-1] in _BACKEND_FUNCS:
        return "keras.backend." + name.rsplit(".", 1)[-1]
    return name


_FUNCTIONAL = {"concatenate", "add", "subtract", "multiply", "average", "maximum", "minimum", "dot"}
_BACKEND_FUNCS = {
    "image_data_format",
    "int_shape",
    "is_keras_tensor",
    "set_image_data_format",
    "floatx",
    "epsilon",
    "backend",
    "standardize_data_format",
}

# Top-level names whose source we never read: their API is modelled by name.
EXTERNAL_ROOTS = {"keras", "tensorflow", "tf", "tf_keras", "numpy", "np", "torch", "jax"}


def external_module(module: str) -> bool | None:
    """True: modelled by name; False: an installed module we read (libraries.py); None: not
    ours to say."""
    if reads(module):
        return False
    return True if module.split(".", 1)[0] in EXTERNAL_ROOTS else None


_MODEL_STARS = {"keras.models": {"Model", "Sequential", "load_model", "clone_model"}}


def star_exports(module: str, name: str) -> bool | None:
    """Whether `from module import *` binds `name` (`module` canonical); None: not Keras'."""
    if module == "keras.layers":  # as in Keras: `Input`, but not `Model`/`Sequential`
        return canonical_layer(name) is not None or name == "Input"
    if module == "keras":
        return canonical_layer(name) is not None or name in ("Input", "Model", "Sequential")
    if module in _MODEL_STARS:
        return name in _MODEL_STARS[module]
    return None
