"""The diagnostic codes: one table, shared by engine errors, CLI JSON and the language server.

Hundreds by family: 1xx arguments, 2xx geometry, 3xx model wiring, 4xx Keras 3 / TF 2 API
changes, 9xx analyser limits.
Never renumber.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    name: str  # kebab-case, what CLI JSON and LSP show as `code`
    number: str  # SLnnn, the stable anchor in docs/diagnostics.md
    severity: str  # error | warning | info
    summary: str


CODES: dict[str, Code] = {
    c.name: c
    for c in (
        Code("invalid-argument", "SL101", "error", "an argument value Keras rejects"),
        Code("unknown-argument", "SL102", "error", "an argument the layer does not take"),
        Code("missing-argument", "SL103", "error", "a required argument is missing"),
        Code("invalid-input-rank", "SL201", "error", "the input has the wrong number of axes"),
        Code("non-positive-dim", "SL202", "error", "an output dimension would be 0 or negative"),
        Code("incompatible-shape", "SL203", "error", "the input shape does not fit the layer"),
        Code("zero-size-dim", "SL204", "warning", "a dimension of size 0 that Keras lets through"),
        Code(
            "keras-note",
            "SL205",
            "info",
            "Keras accepts this, but it may not do what the code suggests",
        ),
        Code("shape-mismatch", "SL301", "error", "inputs that must agree in shape do not"),
        Code(
            "lambda-shape-mismatch",
            "SL302",
            "warning",
            "a declared output shape disagrees with what the code computes",
        ),
        Code(
            "compute-output-shape-mismatch",
            "SL304",
            "warning",
            "a custom layer's compute_output_shape disagrees with its call",
        ),
        Code("model-wiring", "SL303", "error", "a model's inputs and outputs are not connected"),
        Code(
            "mismatch-every-size",
            "SL305",
            "error",
            "branches that meet differ for every size the Input leaves open (fails at run time)",
        ),
        Code(
            "size-condition",
            "SL306",
            "warning",
            "branches that meet agree only for some sizes the Input leaves open",
        ),
        Code(
            "keras-tensor-in-tf-op",
            "SL401",
            "error",
            "a TensorFlow op called on a KerasTensor while a model is built (Keras 3 raises)",
        ),
        Code(
            "removed-api",
            "SL402",
            "error",
            "a module, name or argument that Keras 3 / TensorFlow 2 no longer has",
        ),
        Code(
            "keras-warning",
            "SL403",
            "warning",
            "a Keras-2 argument Keras 3 accepts with a warning (and ignores)",
        ),
        Code("unknown-shape", "SL901", "info", "the shape cannot be determined statically"),
        Code("analysis-stopped", "SL902", "info", "the analysis budget ran out"),
        Code(
            "syntax-error",
            "SL903",
            "info",
            "the file does not parse; shapes are from the last good text",
        ),
        Code("internal-error", "SL904", "info", "ShapeLens failed on the file (a bug, logged)"),
    )
}


def severity(name: str) -> str:
    return CODES[name].severity if name in CODES else "error"
