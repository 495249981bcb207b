"""The public model builders of the installed model libraries (keras_unet_collection, kimm,
keras_hub), enumerated from their installed source with `ast` (nothing imported), and one small
user file per builder that builds the model offline and calls it on its own inputs.

A required argument is given from `ARGUMENTS` by its name (small sizes, so TensorFlow builds each
model quickly); a builder with a required argument not in the table is listed as not built.
"""

from __future__ import annotations

import ast
import json
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# Required arguments by name. keras_unet_collection's builders first, then KerasHub's backbones.
ARGUMENTS: dict[str, str] = {
    # keras_unet_collection
    "input_size": "(128, 128, 3)",
    "filter_num": "[16, 32, 64, 128]",
    "filter_num_down": "[16, 32, 64, 128]",
    "filter_num_begin": "16",
    "n_labels": "2",
    "dilation_num": "[1, 3, 15, 31]",
    "depth": "4",
    "stack_num_down": "2",
    "stack_num_up": "2",
    "patch_size": "(4, 4)",
    "num_heads": "[4, 8, 8, 8]",
    "window_size": "[4, 2, 2, 2]",
    "num_mlp": "64",
    # keras_hub: text and decoder backbones
    "vocabulary_size": "64",
    "vocab_size": "64",
    "num_layers": "2",
    "hidden_dim": "16",
    "intermediate_dim": "32",
    "embedding_dim": "16",
    "num_query_heads": "2",
    "num_key_value_heads": "1",
    "num_attention_heads": "2",
    "head_dim": "8",
    "num_experts": "2",
    "head_size": "8",
    "hidden_size": "16",
    "global_attention_layer_indices": "[1]",
    # keras_hub: image backbones
    "image_shape": "(32, 32, 3)",
    "mlp_dim": "32",
    "input_conv_filters": "[16]",
    "input_conv_kernel_sizes": "[3]",
    "stackwise_num_filters": "[16, 32]",
    "stackwise_num_blocks": "[1, 1]",
    "stackwise_num_strides": "[1, 2]",
    "block_type": '"basic_block"',
    "stackwise_num_repeats": "[1, 1]",
    "stackwise_conv_filters": "[[16, 16], [32, 32]]",
    "stackwise_pooling": "[True, False]",
}
# A KerasHub argument whose value depends on the backbone (`num_heads` is a list above).
HUB_ARGUMENTS: dict[str, dict[str, str]] = {
    "*": {"num_heads": "2", "patch_size": "4", "window_size": "4"},
    "SwinTransformerBackbone": {"embed_dim": "16", "depths": "[1, 1]", "num_heads": "[2, 2]",
                                "window_size": "4", "patch_size": "4"},
    "DenseNetBackbone": {"stackwise_num_repeats": "[1, 1]"},
    "ResNetBackbone": {"input_conv_filters": "[64]", "stackwise_num_filters": "[64, 64]"},
}


@dataclass(frozen=True)
class Builder:
    library: str
    name: str
    imports: str  # the import line of the user file
    call: str  # the expression that builds the model ("" when an argument is not known)
    missing: tuple[str, ...] = ()  # required arguments the table has no value for
    # Compared with TensorFlow; else analysed only (no error, no crash): kimm's larger variants
    # of a family (TensorFlow takes ~15 min to build all 164 at full size).
    compared: bool = True


def site_packages(rel: str) -> Path:
    """An installed file, found on sys.path without importing anything."""
    for root in sys.path:
        cand = Path(root, rel)
        if cand.is_file():
            return cand
    raise FileNotFoundError(rel)


def _api_names(rel: str) -> list[tuple[str, str]]:
    """(name, source module) of each `from module import name` of an API file."""
    out = []
    for node in ast.parse(site_packages(rel).read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            out += [(a.asname or a.name, node.module) for a in node.names]
    return out


def _definition(module: str, name: str) -> ast.FunctionDef | ast.ClassDef | None:
    tree = ast.parse(site_packages(module.replace(".", "/") + ".py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            return node
    return None


def _required(fn: ast.FunctionDef, skip_self: bool) -> list[str]:
    a = fn.args
    pos = a.args[1:] if skip_self else a.args
    names = [p.arg for p in pos[: len(pos) - len(a.defaults)]]
    return names + [p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is None]


def _init(cls: ast.ClassDef) -> ast.FunctionDef | None:
    return next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"),
                None)


def _inherited_init(module: str, cls: ast.ClassDef) -> ast.FunctionDef | None:
    """The `__init__` of a class's first base imported by name (`Llama3Backbone(LlamaBackbone)`)."""
    if not cls.bases or not isinstance(cls.bases[0], ast.Name):
        return None
    base = cls.bases[0].id
    tree = ast.parse(site_packages(module.replace(".", "/") + ".py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and any(
                a.name == base for a in node.names):
            parent = _definition(node.module, base)
            return _init(parent) if isinstance(parent, ast.ClassDef) else None
    return None


def _call(target: str, required: list[str], table: dict[str, str], extra: str = "") -> tuple[
        str, tuple[str, ...]]:
    missing = tuple(n for n in required if n not in table)
    if missing:
        return "", missing
    args = [f"{n}={table[n]}" for n in required] + ([extra] if extra else [])
    return f"{target}({', '.join(args)})", ()


# Defaulted keras_unet_collection arguments made small (TransUNet's 12 layers of width 768).
UNET_SMALL = {"embed_dim": "48", "num_transformer": "2"}


def unet_builders() -> list[Builder]:
    out = []
    for name, module in _api_names("keras_unet_collection/models.py"):
        fn = _definition(module, name)
        if not isinstance(fn, ast.FunctionDef):
            continue
        small = [f"{p.arg}={UNET_SMALL[p.arg]}" for p in fn.args.args if p.arg in UNET_SMALL]
        call, missing = _call(f"models.{name}", _required(fn, False), ARGUMENTS,
                              ", ".join(small))
        out.append(Builder("keras_unet_collection", name,
                           "from keras_unet_collection import models", call, missing))
    return out


def kimm_builders() -> list[Builder]:
    """Every model class kimm.models exports; the first of each source module (its smallest
    variant, as kimm defines them) is compared with TensorFlow."""
    names = [(n, m) for n, m in _api_names("kimm/models/__init__.py")
             if n != "BaseModel" and m.startswith("kimm._src.models.")]
    first: dict[str, tuple[int, str]] = {}
    for name, module in names:
        node = _definition(module, name)
        line = node.lineno if node is not None else 0
        first[module] = min(first.get(module, (line, name)), (line, name))
    return [Builder("kimm", name, "import kimm", f"kimm.models.{name}({_kimm_args(module)})",
                    compared=first[module][1] == name) for name, module in names]


def _kimm_args(module: str) -> str:
    """Small models, fast for TensorFlow to build: 96x96 images (VGG's 7x7 pre-logits
    convolution needs 224), 10 classes, no weights (no download)."""
    size = 224 if module.endswith(".vgg") else 96
    return f"input_shape=({size}, {size}, 3), classes=10, weights=None"


def hub_builders() -> list[Builder]:
    out = []
    for name, module in _api_names("keras_hub/models/__init__.py"):
        if not name.endswith("Backbone") or name == "Backbone":
            continue
        cls = _definition(module, name)
        init = _init(cls) if isinstance(cls, ast.ClassDef) else None
        if init is None and isinstance(cls, ast.ClassDef):
            init = _inherited_init(module, cls)
        if init is None:
            out.append(Builder("keras_hub", name, "import keras_hub", "", ("(inherited)",)))
            continue
        table = {**ARGUMENTS, **HUB_ARGUMENTS["*"], **HUB_ARGUMENTS.get(name, {})}
        call, missing = _call(f"keras_hub.models.{name}", _required(init, True), table)
        out.append(Builder("keras_hub", name, "import keras_hub", call, missing))
    return out


LIBRARIES = {"keras_unet_collection": unet_builders, "kimm": kimm_builders,
             "keras_hub": hub_builders}


@cache
def builders(library: str) -> tuple[Builder, ...]:
    return tuple(LIBRARIES[library]())


def user_file(b: Builder) -> str:
    """The model built, then called on its own inputs (that call is the site compared)."""
    return f"import keras\n{b.imports}\n\nmodel = {b.call}\noutputs = model(model.input)\n"


# The line and column of the compared site in `user_file`.
MODEL_CALL = (5, 11)


def print_figures(terminalreporter: Any) -> None:
    """The figures per library that test_libraries.py recorded in its reports (xdist passes a
    report's `user_properties` back to the controller): exact / unknown / total."""
    rows: dict[str, Counter[str]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for key, value in getattr(report, "user_properties", []):
                if key == "library_figures":
                    for library, figures in json.loads(value).items():
                        rows.setdefault(library, Counter()).update(figures)
    if not rows:
        return
    terminalreporter.section("installed libraries' builders vs TensorFlow "
                             "(exact / unknown / total compared; not built offline)")
    for library, c in sorted(rows.items()):
        total = c["exact"] + c["unknown"]
        terminalreporter.write_line(
            f"{library:>22}: {c['exact']} / {c['unknown']} / {total}"
            f"  (TensorFlow could not build {c['not built by TensorFlow']}, "
            f"recorded no call {c['no call recorded']}, "
            f"no test arguments for {len([b for b in builders(library) if not b.call])}; "
            f"analysed only: {c['analysed only, shape shown']} shown, "
            f"{c['analysed only, unknown']} unknown)")
