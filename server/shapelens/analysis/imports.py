"""Import resolution: the many spellings of Keras/TF names, and finding module source on disk.

Nothing is ever imported: a module is either an external API we model by name, or a source file
we read (found by walking the search path on the file system).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

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


def is_external(module: str) -> bool:
    return module.split(".", 1)[0] in EXTERNAL_ROOTS and not reads_installed(module)


# Installed helper modules that model code uses and whose source we read (never import).
_READ_INSTALLED = ("keras.src.applications.",)


def reads_installed(module: str) -> bool:
    """Installed helper modules whose source model code leans on (imagenet_utils, ...)."""
    return module == "keras.src.applications" or module.startswith(_READ_INSTALLED)


def find_module_file(
    module: str, base_dir: str | None, extra: list[str] | None = None
) -> Path | None:
    """The source file of `module`, by file-system lookup only (no import machinery runs).

    Project modules are looked up beside the file and in the extra paths; installed packages
    only for the helper modules we read (the standard library and the rest stay external).
    """
    parts = module.split(".")
    roots = ([base_dir] if base_dir else []) + list(extra or [])
    if reads_installed(module):
        roots += [p for p in sys.path if p and os.path.isdir(p)]
    for root in roots:
        base = Path(root, *parts)
        for cand in (base.with_suffix(".py"), base / "__init__.py"):
            if cand.is_file():
                return cand
    return None


def resolve_relative(module: str | None, level: int, current: str, is_package: bool) -> str:
    """`from ..x import y` inside `current` -> the absolute module name."""
    if level == 0:
        return module or ""
    parts = current.split(".") if current else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    if module:
        parts.append(module)
    return ".".join(parts)
