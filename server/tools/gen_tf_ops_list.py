"""Write engine/data/tf_ops.json from the installed TensorFlow: every public function of `tf.image`,
`tf.signal`, `tf.linalg`, `tf.math`, `tf.nn`, the `tf` top level and `tf.keras.backend`.

Run with TensorFlow installed (`python server/tools/gen_tf_ops_list.py`); the output is committed,
and tests/engine/test_tf_ops_coverage.py checks it still matches the installed TensorFlow.

Each function is listed under every path it is exported at (`tf.math.reduce_sum` and
`tf.reduce_sum` are one function: `same` names the first path), with its namespace, its
parameters, and whether its output shape is determinable from input shapes and arguments:
- `determinable`: TensorFlow's graph shape functions know every dim the inputs and arguments fix;
- `data-dependent`: a dim depends on the values (`boolean_mask`, `unique`, `segment_sum`,
  `non_max_suppression`, `decode_jpeg`): TensorFlow says None, as the engine does;
- `callable`: the shape is what a Python function argument returns (`map_fn`, `cond`);
- `no-tensor`: not a tensor function (`executing_eagerly`, `name_scope`, `get_logger`, `Assert`,
  `print`, variables' state, dtypes, protos, a Python value);
- `io`: encoded bytes in or out (`encode_png`, `as_string`, `fingerprint`);
- `sparse`: a SparseTensor/RaggedTensor in or out (`ctc_greedy_decoder`, `*_sparse`).
Every exception is listed by hand below, each after reading the function's documentation.
`tf.keras.backend` functions are listed as `keras.backend.X` (the analyser's canonical name).
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# After the log level, which TensorFlow reads when it is imported.
import tensorflow as tf
from gen_signatures import encode

OUT = Path(__file__).resolve().parent.parent / "shapelens" / "engine" / "data" / "tf_ops.json"

# Namespace -> the module; the top level and backend last, so that a function's first path is
# its namespaced one (`tf.math.add` before `tf.add`).
NAMESPACES = ("tf.image", "tf.signal", "tf.linalg", "tf.math", "tf.nn", "tf", "tf.keras.backend")

DATA_DEPENDENT = {
    "boolean_mask": "as long as the number of True entries",
    "unique": "as long as the number of distinct values",
    "unique_with_counts": "as long as the number of distinct values",
    "dynamic_partition": "each part as long as the entries given to it",
    "dynamic_stitch": "as long as the largest index + 1",
    "bincount": "max(x) + 1 bins (or minlength)",
    "segment_sum": "max(segment_ids) + 1 segments",
    "segment_mean": "max(segment_ids) + 1 segments",
    "segment_max": "max(segment_ids) + 1 segments",
    "segment_min": "max(segment_ids) + 1 segments",
    "segment_prod": "max(segment_ids) + 1 segments",
    "non_max_suppression": "as many boxes as survive",
    "non_max_suppression_overlaps": "as many boxes as survive",
    "non_max_suppression_with_scores": "as many boxes as survive",
    "decode_and_crop_jpeg": "the image's size is in the file",
    "decode_bmp": "the image's size is in the file",
    "decode_gif": "the image's size is in the file",
    "decode_image": "the image's size is in the file",
    "decode_jpeg": "the image's size is in the file",
    "decode_jxl": "the image's size is in the file",
    "decode_png": "the image's size is in the file",
    "decode_webp": "the image's size is in the file",
    "confusion_matrix": "max(labels, predictions) + 1 classes unless num_classes",
    "invert_permutation": "its length is the input's, values only at run time",
    "generate_bounding_box_proposals": "as many proposals as survive",
    "histogram_fixed_width_bins": "bins per value",
    "unravel_index": "one row per dim of the given dims tensor",
    "random_index_shuffle": "a permuted index",
    "eigh_tridiagonal": "as many eigenvalues as select_range picks",
    "compute_accidental_hits": "as many hits as found",
    "ctc_unique_labels": "as many labels as distinct",
    "all_candidate_sampler": "sampled candidates",
    "fixed_unigram_candidate_sampler": "sampled candidates",
    "learned_unigram_candidate_sampler": "sampled candidates",
    "sample_distorted_bounding_box": "a box drawn at run time",
    "stateless_sample_distorted_bounding_box": "a box drawn at run time",
    "broadcast_dynamic_shape": "the values of two shape tensors",
    "extract_jpeg_shape": "the image's size is in the file",
}
CALLABLE = {
    "case", "cond", "custom_gradient", "foldl", "foldr", "function", "grad_pass_through",
    "map_fn", "nondifferentiable_batch_function", "numpy_function", "py_function",
    "recompute_grad", "scan", "switch_case", "vectorized_map", "while_loop", "rnn", "switch",
    "inverse_stft_window_fn", "with_space_to_batch",
}  # fmt: skip
NO_TENSOR = {
    "Assert": "an assertion op", "as_dtype": "a dtype", "assert_equal": "an assertion op",
    "assert_greater": "an assertion op", "assert_less": "an assertion op",
    "assert_rank": "an assertion op", "broadcast_static_shape": "a TensorShape",
    "check_pinned": "a check", "control_dependencies": "a context manager",
    "device": "a context manager", "executing_eagerly": "a bool",
    "get_current_name_scope": "a string", "get_logger": "a logger",
    "get_static_value": "a NumPy value, if any", "gradients": "gradients (graph mode)",
    "group": "an op", "hessians": "gradients (graph mode)", "import_graph_def": "a graph",
    "init_scope": "a context manager", "inside_function": "a bool",
    "is_symbolic_tensor": "a bool", "is_tensor": "a bool", "load_library": "a library",
    "load_op_library": "a module", "make_ndarray": "a NumPy array", "make_tensor_proto": "a proto",
    "no_gradient": "a registration", "no_op": "an op", "print": "an op",
    "register_tensor_conversion_function": "a registration", "timestamp": "a clock reading",
    "tuple": "a list of tensors, each its input", "type_spec_from_value": "a TypeSpec",
    "variable_creator_scope": "a context manager", "shape": "the shape (the analyser answers)",
    "shape_n": "the shapes (the analyser answers)", "constant": "concrete data (host values)",
    "convert_to_tensor": "concrete data (host values)", "global_norm": "a scalar of a list",
    "batch_get_value": "NumPy values", "batch_set_value": "variables' state",
    "clear_session": "state", "count_params": "an int", "dtype": "a dtype string",
    "epsilon": "a float", "eval": "a NumPy value", "floatx": "a string", "get_uid": "an int",
    "get_value": "a NumPy value", "image_data_format": "a string", "int_shape": "a tuple "
    "(the analyser answers)", "is_float_dtype": "a bool", "is_int_dtype": "a bool",
    "is_keras_tensor": "a bool", "is_sparse": "a bool", "name_scope": "a context manager",
    "result_type": "a dtype", "set_epsilon": "state", "set_floatx": "state",
    "set_image_data_format": "state", "set_value": "variables' state",
    "standardize_dtype": "a dtype", "update": "variables' state", "update_add": "variables' state",
    "update_sub": "variables' state", "variable": "a variable (host values)",
    "moving_average_update": "variables' state", "backend": "a string",
    "random_normal_variable": "a variable (host values)",
    "random_uniform_variable": "a variable (host values)", "ndim": "an int",
    "is_jpeg": "a bool tensor of a file's bytes",
}  # fmt: skip
# Keras 2's backend makes variables here (tf.eye / tf.ones are plain tensors).
VARIABLES = {"eye": "a variable (host values)", "ones": "a variable (host values)",
             "zeros": "a variable (host values)", "cast_to_floatx": "a NumPy array (host values)"}
IO = {
    "as_string": "strings", "fingerprint": "bytes hashes", "encode_jpeg": "a string",
    "encode_png": "a string", "adjust_jpeg_quality": "a JPEG round trip",
    "random_jpeg_quality": "a JPEG round trip",
    "stateless_random_jpeg_quality": "a JPEG round trip",
    "edit_distance": "SparseTensor inputs",
}  # fmt: skip
SPARSE = {
    "ctc_beam_search_decoder": "SparseTensor outputs", "ctc_greedy_decoder": "SparseTensor outputs",
    "embedding_lookup_sparse": "SparseTensor ids", "safe_embedding_lookup_sparse":
    "SparseTensor ids", "ragged_fill_empty_rows": "ragged rows", "ragged_fill_empty_rows_grad":
    "ragged rows", "to_dense": "a SparseTensor in", "ctc_label_dense_to_sparse":
    "a SparseTensor out", "ctc_decode": "SparseTensor decoding",
}  # fmt: skip


def _params(fn: Any) -> list[list[Any]]:
    """[name] for a required parameter, [name, default] otherwise; `*args` / `**kwargs` marked."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return [["*args"], ["**kwargs"]]
    out: list[list[Any]] = []
    for p in sig.parameters.values():
        star = "*" if p.kind == p.VAR_POSITIONAL else "**" if p.kind == p.VAR_KEYWORD else ""
        if star or p.default is p.empty:
            out.append([star + p.name])
        else:
            out.append([p.name, encode(p.default)])
    return out


def _kind(ns: str, base: str) -> tuple[str, str | None]:
    if ns == "tf.keras.backend" and base in VARIABLES:
        return "no-tensor", VARIABLES[base]
    for kind, table in (("data-dependent", DATA_DEPENDENT), ("no-tensor", NO_TENSOR), ("io", IO),
                        ("sparse", SPARSE)):
        if base in table:
            return kind, table[base]
    if base in CALLABLE:
        return "callable", "the shape is what the function argument returns"
    return "determinable", None


def _public(module: Any) -> dict[str, Any]:
    return {
        n: f
        for n in dir(module)
        if not n.startswith("_")
        and callable(f := getattr(module, n))
        and not inspect.ismodule(f)
        and not inspect.isclass(f)
    }


def _module(namespace: str) -> Any:
    obj: Any = tf
    for part in namespace.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def collect() -> dict[str, Any]:
    first: dict[int, str] = {}
    ops: dict[str, dict[str, Any]] = {}
    for ns in NAMESPACES:
        prefix = "keras.backend" if ns == "tf.keras.backend" else ns
        for name, fn in _public(_module(ns)).items():
            path = f"{prefix}.{name}"
            kind, why = _kind(ns, name)
            entry: dict[str, Any] = {"namespace": ns, "params": _params(fn), "shape": kind}
            if why:
                entry["why"] = why
            same = first.setdefault(id(fn), path)
            if same != path:
                entry["same"] = same
            ops[path] = entry
    return {"tensorflow_version": tf.__version__, "ops": dict(sorted(ops.items()))}


def main() -> int:
    data = collect()
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    kinds: dict[str, int] = {}
    for entry in data["ops"].values():
        kinds[entry["shape"]] = kinds.get(entry["shape"], 0) + 1
    print(f"{len(data['ops'])} tf functions ({kinds}) -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
