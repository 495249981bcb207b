"""Notebooks through the CLI: `shapelens check` on .ipynb equals TensorFlow on every cell line.

Truth: tests/support/notebook_truth.py runs each notebook's code cells one after another under
TensorFlow (the files' recorder); nothing expected here is typed in by hand.
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from shapelens.notebook import NotebookError, program, python_lines, read_cells, split_lines
from test_cli import run

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


@cache
def truth(path: Path) -> dict[str, Any]:
    from support.notebook_truth import record_notebook_in_subprocess

    return record_notebook_in_subprocess(path)


def check_json(*args: str) -> tuple[int, dict[str, Any]]:
    proc = run("check", "--json", *args)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_every_cell_line_equals_tensorflow(path: Path) -> None:
    tf = truth(path)
    assert tf["sites"], "TensorFlow saw no site: the notebook builds nothing"
    _, data = check_json(str(path))
    ours = data["files"][0]
    err = tf["error"]
    stop = (err["cell"], err["line"]) if err else None
    got = {(s["cell"], s["line"], s["column"]): s["outputs"] for s in ours["sites"]
           # Run All stops at the first error: what comes after it TensorFlow never ran.
           if stop is None or (s["cell"], s["line"]) < stop}
    want = {(s["cell"], s["line"], s["column"]): s["outputs"] for s in tf["sites"]}
    assert got == want
    errors = [(d["cell"], d["line"], d["column"]) for d in ours["diagnostics"]
              if d["severity"] == "error"]
    assert errors == ([(err["cell"], err["line"], err["column"])] if err else [])


def test_the_notebooks_have_what_real_ones_have() -> None:
    """Magics, shell lines, help, a %%time cell, markdown between, a helper defined two cells
    above its use, a cell that does not parse, a shape error: each notebook in its cells."""
    cells = {p.name: json.loads(p.read_text(encoding="utf-8"))["cells"] for p in FILES}
    text = {name: ["".join(c["source"]) for c in cs] for name, cs in cells.items()}
    everything = "\n".join(t for ts in text.values() for t in ts)
    for needle in ("%matplotlib", "!pip", "%%time", "?\n", "!nvidia-smi", "%autoreload"):
        assert needle in everything + "\n", needle
    assert any(c["cell_type"] == "markdown" for cs in cells.values() for c in cs)
    walk = text["conv_pool_walkthrough.ipynb"]
    helper = next(i for i, t in enumerate(walk) if t.startswith("def conv_block"))
    assert "conv_block(x, 64)" in walk[helper + 2]
    assert truth(NOTEBOOKS / "conv_pool_walkthrough.ipynb")["skipped"] == [helper + 1]
    assert truth(NOTEBOOKS / "unet_skip_error.ipynb")["error"] is not None


def test_a_cell_that_does_not_parse_is_reported_in_it_and_left_out() -> None:
    path = NOTEBOOKS / "conv_pool_walkthrough.ipynb"
    code, data = check_json(str(path))
    assert code == 0  # an info diagnostic, as for a .py that does not parse
    skipped = truth(path)["skipped"]
    notes = [d for d in data["files"][0]["diagnostics"] if d["code"] == "syntax-error"]
    assert [d["cell"] for d in notes] == skipped
    assert notes[0]["severity"] == "info" and "left out" in notes[0]["message"]
    assert not [s for s in data["files"][0]["sites"] if s["cell"] in skipped]


def test_human_output_names_cell_line_and_column() -> None:
    path = NOTEBOOKS / "unet_skip_error.ipynb"
    err = truth(path)["error"]
    proc = run("check", str(path))
    assert proc.returncode == 1
    # Cells counted from 1 from the top, markdown included (JSON's "cell" is the 0-based index).
    where = f"{path}:cell {err['cell'] + 1}:{err['line']}:{err['column']}: error shape-mismatch"
    assert where in proc.stdout, proc.stdout
    assert "Cropping2D" in proc.stdout


def test_check_walks_a_folder_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    for name in ("b/z.ipynb", ".ipynb_checkpoints/z-checkpoint.ipynb", "a.ipynb"):
        shutil.copy(NOTEBOOKS / "unet_skip_error.ipynb", tmp_path / name)
    for name in ("b/m.py", "c.py", "venv/lib.py"):
        (tmp_path / name).write_text("import keras\nx = keras.Input((4,))\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not code\n", encoding="utf-8")
    # Checkpoints and virtualenvs are skipped because the project ignores them, as git does.
    (tmp_path / ".gitignore").write_text(".ipynb_checkpoints/\nvenv/\n", encoding="utf-8")
    code, data = check_json(str(tmp_path), str(tmp_path / "c.py"))
    rel = [str(Path(f["path"]).relative_to(tmp_path)) for f in data["files"]]
    assert rel == ["a.ipynb", "b/m.py", "b/z.ipynb", "c.py", "c.py"]
    assert code == 1  # the notebooks' shape error


def test_summary_of_a_notebook_lists_its_model() -> None:
    proc = run("summary", str(NOTEBOOKS / "conv_pool_walkthrough.ipynb"))
    assert proc.returncode == 0, proc.stderr
    assert 'Model: "small_valid_unet"' in proc.stdout


@pytest.mark.parametrize("text", ["{", "[]", '{"cells": 3}', '{"nbformat": 3, "worksheets": []}'])
def test_not_a_notebook_exits_2(tmp_path: Path, text: str) -> None:
    p = tmp_path / "bad.ipynb"
    p.write_text(text, encoding="utf-8")
    proc = run("check", str(p))
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"cannot read {p}: " in proc.stderr and "Traceback" not in proc.stderr
    with pytest.raises(NotebookError):
        read_cells(text)


def test_a_hostile_notebook_runs_nothing_and_stops_in_budget(tmp_path: Path) -> None:
    """Shell lines, a %%bash cell, file writes and an endless loop: nothing runs, nothing is
    written, the loop's cell ends in an analysis-stopped note, the first cell keeps its shapes."""
    marks = [tmp_path / f"mark{i}" for i in range(4)]
    model = ("import keras\nfrom keras import layers\n"
             "x = keras.Input((4,))\ny = layers.Dense(2)(x)\n")
    cells = [model, f"!touch {marks[0]}\n%system touch {marks[1]}\n",
             f"%%bash\ntouch {marks[2]}\n",
             f"import os\nos.system('touch {marks[3]}')\nopen({str(marks[3])!r}, 'w').write('x')\n",
             "while True:\n    y = layers.Dense(2)(y)\n"]
    nb = {"nbformat": 4, "metadata": {}, "cells": [
        {"cell_type": "code", "source": c, "metadata": {}, "outputs": []} for c in cells]}
    path = tmp_path / "hostile.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    _, data = check_json(str(path))
    assert not [m for m in marks if m.exists()]
    notes = [(d["cell"], d["code"]) for d in data["files"][0]["diagnostics"]]
    assert (4, "analysis-stopped") in notes
    first = tmp_path / "first.ipynb"
    first.write_text(json.dumps({**nb, "cells": nb["cells"][:1]}), encoding="utf-8")
    want = {(s["line"], s["column"]): s["outputs"] for s in truth(first)["sites"]}
    got = {(s["line"], s["column"]): s["outputs"] for s in data["files"][0]["sites"]
           if s["cell"] == 0}
    assert got == want


# --- the program and its map, on small cases ---------------------------------------------------

def test_ipython_lines_are_blanked_and_line_numbers_kept() -> None:
    cell = ["%pip install x \\", "   more", "files = !ls", "import keras", "model?",
            "for i in range(2):", "    %time f()", "x = 1 % 2"]
    assert python_lines(cell) == ["", "", "", "import keras", "", "for i in range(2):",
                                  "    pass", "x = 1 % 2"]
    assert python_lines(["%%bash", "ls -l"]) == ["", ""]
    assert python_lines(["", "%%time", "y = 2"]) == ["", "", "y = 2"]


def test_sources_as_list_or_str_and_every_line_end() -> None:
    nb = {"nbformat": 4, "metadata": {}, "cells": [
        {"cell_type": "markdown", "source": ["# t\n"]},
        {"cell_type": "code", "source": ["a = 1\n", "b = 2"]},
        {"cell_type": "raw", "source": "x"},
        {"cell_type": "code", "source": "c = 3\r\nd = 4\re = 5\n"},
        {"cell_type": "code", "source": []},
    ]}
    cells = read_cells(json.dumps(nb))
    assert cells == [(1, "a = 1\nb = 2"), (3, "c = 3\r\nd = 4\re = 5\n"), (4, "")]
    prog = program("n.ipynb", cells)
    assert prog.text == "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n"
    assert [(c.index, c.first, c.lines) for c in prog.cells] == [(1, 1, 2), (3, 3, 3), (4, 6, 0)]
    assert split_lines("a\r\nb\n") == ["a", "b"]
    located = [prog.cell_at(n) for n in range(1, 7)]
    assert [c.index if c else None for c in located] == [1, 1, 3, 3, 3, None]


def test_a_notebook_of_another_language_has_no_python() -> None:
    nb = {"nbformat": 4, "metadata": {"kernelspec": {"language": "R", "name": "ir"}},
          "cells": [{"cell_type": "code", "source": "x <- 1"}]}
    assert read_cells(json.dumps(nb)) == []
