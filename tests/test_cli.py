"""The CLI contract (docs/cli-json.md): `--json` keys, 1-based positions, exit codes, human output.

Expected shapes and parameter counts come from Keras itself: each test model is also built here
with TensorFlow, never typed in by hand.
"""

from __future__ import annotations

import ast
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# A clean model; the Conv2D call spans three lines on purpose.
CLEAN = """\
import keras
from keras import layers

inputs = keras.Input((28, 28, 1))
x = layers.Conv2D(
    16, 3, strides=2,
    padding="same")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Flatten()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
"""

# One argument Keras rejects: padding='vaild'.
BROKEN = """\
import keras
from keras import layers

inputs = keras.Input((28, 28, 1))
x = layers.Conv2D(8, 3, padding='vaild')(inputs)
model = keras.Model(inputs, x)
"""

FILE_KEYS = {"path", "sites", "diagnostics"}
SITE_KEYS = {"line", "end_line", "column", "op", "name", "outputs", "params"}
DIAG_KEYS = {"line", "end_line", "column", "severity", "code", "message"}
NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("shapelens")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "shapelens.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_cli(), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def keras_layers(source: str) -> list[Any]:
    """Build `model` from the source with real Keras; its layers in order (InputLayer first)."""
    import keras

    keras.backend.clear_session()  # automatic names (conv2d, conv2d_1, ...) start afresh
    ns: dict[str, Any] = {}
    exec(compile(source, "<test model>", "exec"), ns)
    return list(ns["model"].layers)


def _shape(t: Any) -> list[int | None]:
    return [None if d is None else int(d) for d in t.shape]


def _calls(source: str) -> list[ast.Call]:
    """The outermost call of each `name = ...(...)` statement: what a site spans."""
    return [n.value for n in ast.parse(source).body
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)]


@pytest.fixture()
def clean(tmp_path: Path) -> Path:
    p = tmp_path / "clean_model.py"
    p.write_text(CLEAN, encoding="utf-8")
    return p


@pytest.fixture()
def broken(tmp_path: Path) -> Path:
    p = tmp_path / "broken_model.py"
    p.write_text(BROKEN, encoding="utf-8")
    return p


def test_json_has_exactly_the_documented_keys(clean: Path, broken: Path) -> None:
    proc = run("check", "--json", str(clean), str(broken))
    data = json.loads(proc.stdout)
    assert set(data) == {"files"}
    assert [f["path"] for f in data["files"]] == [str(clean), str(broken)]
    for f in data["files"]:
        assert set(f) == FILE_KEYS
        assert f["sites"]
        for s in f["sites"]:
            assert set(s) == SITE_KEYS
    diags = data["files"][1]["diagnostics"]
    assert diags
    for d in diags:
        assert set(d) == DIAG_KEYS
        assert d["severity"] in ("error", "warning", "info")


def test_json_keys_of_a_notebook_add_only_cell(clean: Path) -> None:
    notebook = NOTEBOOKS / "unet_skip_error.ipynb"
    proc = run("check", "--json", str(notebook), str(clean))
    data = json.loads(proc.stdout)
    nb, py = data["files"]
    assert set(nb) == set(py) == FILE_KEYS
    assert nb["sites"] and nb["diagnostics"]
    for s in nb["sites"]:
        assert set(s) == SITE_KEYS | {"cell"} and isinstance(s["cell"], int)
    for d in nb["diagnostics"]:
        assert set(d) == DIAG_KEYS | {"cell"} and isinstance(d["cell"], int)
    assert all(set(s) == SITE_KEYS for s in py["sites"])


def test_json_shapes_and_params_match_keras(clean: Path) -> None:
    proc = run("check", "--json", str(clean))
    assert proc.returncode == 0, proc.stderr
    sites = json.loads(proc.stdout)["files"][0]["sites"]
    layers = keras_layers(CLEAN)
    assert [s["op"] for s in sites] == ["Input"] + [type(lyr).__name__ for lyr in layers[1:]]
    for site, layer in zip(sites, layers):
        assert site["outputs"] == [_shape(layer.output)], site
        assert site["params"] == layer.count_params(), site
        assert site["name"] == layer.name, site


def test_json_positions_are_one_based_and_span_the_call(clean: Path) -> None:
    proc = run("check", "--json", str(clean))
    sites = json.loads(proc.stdout)["files"][0]["sites"]
    calls = _calls(CLEAN)[:-1]  # the last one is keras.Model(...), not a site
    assert len(sites) == len(calls)
    for site, call in zip(sites, calls):
        assert (site["line"], site["column"], site["end_line"]) == (
            call.lineno, call.col_offset + 1, call.end_lineno), site
    conv = next(s for s in sites if s["op"] == "Conv2D")
    assert (conv["line"], conv["column"], conv["end_line"]) == (5, 5, 7)
    lines = CLEAN.splitlines()
    assert lines[conv["line"] - 1][conv["column"] - 1:].startswith("layers.Conv2D(")


def test_keras_rejects_the_broken_padding() -> None:
    import keras

    with pytest.raises(ValueError, match="padding"):
        keras.layers.Conv2D(8, 3, padding="vaild")


def test_exit_1_and_diagnostic_for_an_error(broken: Path) -> None:
    proc = run("check", "--json", str(broken))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    diags = json.loads(proc.stdout)["files"][0]["diagnostics"]
    errors = [d for d in diags if d["severity"] == "error"]
    assert [(d["code"], d["line"], d["column"], d["end_line"]) for d in errors] == [
        ("invalid-argument", 5, 5, 5)]
    assert "padding" in errors[0]["message"] and "vaild" in errors[0]["message"]


def test_exit_0_without_errors(clean: Path) -> None:
    for args in (("check", str(clean)), ("check", "--json", str(clean))):
        proc = run(*args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stderr == ""


def test_human_output_lists_sites_and_diagnostics(broken: Path, clean: Path) -> None:
    proc = run("check", str(broken))
    assert proc.returncode == 1
    out = proc.stdout.splitlines()
    assert out[0] == str(broken)
    diag_lines = [ln for ln in out if ln.startswith(f"{broken}:")]
    assert len(diag_lines) == 1
    assert diag_lines[0].startswith(f"{broken}:5:5: error invalid-argument ")
    assert "padding" in diag_lines[0]
    proc = run("check", str(clean))
    layers = keras_layers(CLEAN)
    body = proc.stdout.splitlines()[1:]
    assert len(body) == len(layers)
    for text, layer in zip(body, layers):
        dims = ", ".join("None" if d is None else str(d) for d in layer.output.shape)
        assert f"-> ({dims})" in text, text


def test_missing_file_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    missing = tmp_path / "no_such_model.py"
    for args in (("check", str(missing)), ("check", "--json", str(missing)),
                 ("summary", str(missing))):
        proc = run(*args)
        assert proc.returncode == 2, args
        assert proc.stdout == ""
        assert "Traceback" not in proc.stderr
        assert f"cannot read {missing}" in proc.stderr
        assert "No such file" in proc.stderr


def test_summary_of_a_directory_exits_2(tmp_path: Path) -> None:
    proc = run("summary", str(tmp_path))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"cannot read {tmp_path}" in proc.stderr


def test_check_of_an_empty_directory_checks_nothing(tmp_path: Path) -> None:
    proc = run("check", "--json", str(tmp_path))
    assert (proc.returncode, json.loads(proc.stdout), proc.stderr) == (0, {"files": []}, "")


@pytest.mark.parametrize("args", [(), ("check",), ("check", "--bogus", "x.py"), ("frobnicate",)])
def test_bad_usage_exits_2_with_usage_on_stderr(args: tuple[str, ...]) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "usage: shapelens" in proc.stderr
    assert "error:" in proc.stderr
    assert proc.stdout == ""


def test_help_and_version_exit_0() -> None:
    proc = run("--help")
    assert proc.returncode == 0 and "check" in proc.stdout
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("shapelens ")


def test_syntax_error_is_reported_not_raised(tmp_path: Path) -> None:
    p = tmp_path / "bad_syntax.py"
    p.write_text("import keras\nx = keras.Input((3,)\n", encoding="utf-8")
    proc = run("check", "--json", str(p))
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0  # syntax-error is an info finding
    diags = json.loads(proc.stdout)["files"][0]["diagnostics"]
    assert [d["code"] for d in diags] == ["syntax-error"]
    assert diags[0]["line"] >= 1 and diags[0]["column"] >= 1


# A model whose Input leaves height and width open; the global pooling closes them.
OPEN = """\
import keras
from keras import layers

inputs = keras.Input((None, None, 1))
s = layers.Conv2D(8, 3)(inputs)
x = layers.MaxPooling2D()(s)
x = layers.Conv2DTranspose(8, 2, strides=2)(x)
x = layers.Dense(4)(layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs, x)
"""


def test_json_symbolic_beside_outputs_only_where_an_input_left_a_size_open(
    clean: Path, tmp_path: Path
) -> None:
    p = tmp_path / "open_model.py"
    p.write_text(OPEN, encoding="utf-8")
    proc = run("check", "--json", str(p), str(clean))
    assert proc.returncode == 0, proc.stderr
    opened, concrete = json.loads(proc.stdout)["files"]
    by_op = {s["op"]: s for s in opened["sites"]}
    for op in ("Input", "Conv2D", "MaxPooling2D", "Conv2DTranspose"):
        site = by_op[op]
        assert set(site) == SITE_KEYS | {"symbolic"}, site
        # One form per output, the same rank, the batch axis null, the open axes formulas in H
        # and W where Keras says null, every other axis Keras' own size.
        assert len(site["symbolic"]) == len(site["outputs"]) == 1
        (form,), (keras_shape,) = site["symbolic"], site["outputs"]
        assert len(form) == len(keras_shape) and form[0] is None
        assert "H" in form[1] and "W" in form[2] and keras_shape[1:3] == [None, None]
        assert form[3:] == keras_shape[3:]
    assert by_op["Input"]["symbolic"] == [[None, "H", "W", 1]]
    # The formulas at concrete sizes are what TensorFlow builds at those sizes.
    for h, w in ((17, 20), (32, 33)):
        built = keras_layers(OPEN.replace("(None, None, 1)", f"({h}, {w}, 1)"))
        for layer in built[:4]:
            site = by_op["Input" if layer.__class__.__name__ == "InputLayer"
                         else layer.__class__.__name__]
            sizes = [d if not isinstance(d, str) else
                     eval(d, {"floor": math.floor, "ceil": math.ceil, "H": h, "W": w})
                     for d in site["symbolic"][0]]
            assert sizes == _shape(layer.output), (layer.name, h, w)
    # After a global pooling no size is open any more: no key, as for concrete Inputs.
    assert set(by_op["Dense"]) == set(by_op["GlobalAveragePooling2D"]) == SITE_KEYS
    assert concrete["sites"] and all(set(s) == SITE_KEYS for s in concrete["sites"])
