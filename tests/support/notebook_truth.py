"""Run a notebook's code cells under real TensorFlow, one after another; record each site's shapes.

The truth for notebooks, read independently of shapelens.notebook: each code cell is written to a
file of its own and executed in one shared namespace, as a kernel runs them (Run All), by the
same recorder as for files (truth_recorder.py); sites are keyed (cell index, line, column).
IPython's own lines have no kernel here: line magics and shell lines (`%...`, `!...`, `x?`)
become `pass`; a `%%time`/`%%capture` cell runs its body, any other cell magic is not run. A cell
that does not compile is listed in `skipped` and the next one runs (as when a user runs the
others); the first exception stops the run, as it stops Run All.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from support import truth_recorder as tr
from support.truth_results import HOOK, instrument

_CELL_FILE = re.compile(r"cell_(\d+)\.py$")


def _kernel_source(source: str) -> str | None:
    """What a kernel without IPython's extensions would run of this cell (None: nothing)."""
    lines = source.splitlines()
    head = next((i for i, line in enumerate(lines) if line.strip()), None)
    if head is not None and lines[head].lstrip().startswith("%%"):
        if lines[head].split()[0] not in ("%%time", "%%capture"):
            return None
        lines[head] = ""
    out = []
    for line in lines:
        stripped = line.strip()
        ipython = stripped.startswith(("%", "!")) or (
            stripped.endswith("?") and re.fullmatch(r"[\w.]+\?\??", stripped) is not None)
        out.append(line[: len(line) - len(line.lstrip())] + "pass" if ipython else line)
    return "\n".join(out) + "\n"


def code_cells(path: str | os.PathLike[str]) -> list[tuple[int, str]]:
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            src = cell["source"]
            out.append((i, src if isinstance(src, str) else "".join(src)))
    return out


@contextlib.contextmanager
def _traced() -> Iterator[None]:
    """The cells' own calls traced, as truth_recorder does for a file."""
    saved = sys.gettrace()
    sys.settrace(tr._trace_call)
    try:
        yield
    finally:
        sys.settrace(saved)


def record_notebook(path: str | os.PathLike[str]) -> dict[str, Any]:
    """{"sites": [{"cell", "line", "column", "outputs"}], "error": {...} | None,
    "skipped": [cell index, ...]}"""
    import keras

    tr._install()
    with tempfile.TemporaryDirectory(prefix="nb-truth-") as folder:
        files: list[tuple[int, Path, str]] = []
        skipped: list[int] = []
        for index, source in code_cells(path):
            code = _kernel_source(source)
            if code is None:
                continue
            f = Path(folder) / f"cell_{index:03d}.py"
            f.write_text(code, encoding="utf-8")
            files.append((index, f, code))
        state = tr._State({str(f) for _, f, _ in files})
        namespace: dict[str, Any] = {"__name__": "__main__"}
        trees = []
        error: dict[str, Any] | None = None
        keras.backend.clear_session()
        with tr._LOCK:
            tr._STATE = state
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    for index, f, code in files:
                        try:
                            tree = ast.parse(code)
                            # As for files: assignments instrumented, the cells' own calls traced.
                            compiled = compile(instrument(ast.parse(code)), str(f), "exec")
                        except SyntaxError:
                            skipped.append(index)
                            continue
                        trees.append(tree)
                        state.main_file = str(f)
                        namespace[HOOK] = tr._assigned
                        with _traced():
                            exec(compiled, namespace)
                    # As for files: top-level functions with defaults that nothing calls.
                    whole = ast.Module(body=[s for t in trees for s in t.body], type_ignores=[])
                    for name in tr.uncalled_default_functions(whole):
                        fn = namespace.get(name)
                        if callable(fn):
                            with _traced():
                                fn()
            except Exception as exc:
                pos = tr._error_position(state, exc)
                msg = tr._ANSI.sub("", f"{type(exc).__name__}: {exc}")
                error = {"cell": None, "line": None, "column": None, "message": msg}
                if pos is not None and (m := _CELL_FILE.search(pos[0])):
                    error.update(cell=int(m.group(1)), line=pos[1], column=pos[2])
            finally:
                tr._STATE = None
        keras.backend.clear_session()
    sites = []
    for (file, line, col), outs in sorted(state.sites.items()):
        m = _CELL_FILE.search(file)
        if m and outs:
            sites.append({"cell": int(m.group(1)), "line": line, "column": col, "outputs": outs})
    return {"sites": sites, "error": error, "skipped": skipped}


def record_notebook_in_subprocess(path: str | os.PathLike[str],
                                  timeout: float = 300) -> dict[str, Any]:
    """The same in a fresh Python (a clean Keras session and name counters)."""
    tests_dir = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = tests_dir + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    proc = subprocess.run(
        [sys.executable, "-m", "support.notebook_truth", str(Path(path).resolve())],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=tests_dir, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"notebook truth failed on {path}:\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


if __name__ == "__main__":
    print(json.dumps(record_notebook(sys.argv[1])))
