"""Hostile files must never run: ShapeLens reads code, it never imports or executes it.

Each case (tests/support/hostile_cases.py, shared with the server's test) writes a model file
(plus, for some, sibling modules or .pth files) into tmp_path whose every hook Python would run
on import or definition creates a sentinel file in `tmp_path/sentinels/`. The file also builds a
normal Keras model, so the analysis has real work.
Each case is analysed four ways: in process (`shapelens.analysis.analyze`), by the installed
console script (`shapelens check --json` and `shapelens summary`, run from the file's directory as
a user would) and by `python -m shapelens.cli check --json`. Afterwards no sentinel may exist,
and the Conv2D site of the model must still carry the shape TensorFlow gives it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shapelens.analysis import analyze
from support.hostile_cases import CASES, MODEL, assert_nothing_ran, write_case
from support.keras_truth import layer_truth

REPO = Path(__file__).resolve().parents[2]

@pytest.fixture(scope="module")
def probe_shape() -> list[int | None]:
    truth = layer_truth("Conv2D", (8, 3), {"name": "probe"}, (None, 32, 32, 3))
    assert truth.ok, truth.message
    return list(truth.outputs)


def _probe_outputs(sites: list[dict]) -> list:
    probes = [s for s in sites if s["op"] == "Conv2D" and s["name"] == "probe"]
    assert len(probes) == 1, f"the probe Conv2D site is missing: {sites}"
    return probes[0]["outputs"]


def _console_script() -> str:
    exe = Path(sys.executable).with_name("shapelens")
    assert exe.is_file(), f"the shapelens console script is not installed next to {sys.executable}"
    return str(exe)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    return env


@pytest.mark.parametrize("case", sorted(CASES))
def test_in_process(tmp_path: Path, case: str, probe_shape: list[int | None]) -> None:
    main = write_case(tmp_path, case)
    cwd = os.getcwd()
    os.chdir(tmp_path)  # a relative open() would land here too
    try:
        analysis = analyze(str(main), main.read_text(encoding="utf-8"))
    finally:
        os.chdir(cwd)
    assert_nothing_ran(tmp_path, case)
    probes = [s for s in analysis.sites_for() if s.op == "Conv2D" and s.name == "probe"]
    assert len(probes) == 1, [(s.op, s.name, s.pos.line) for s in analysis.sites_for()]
    assert probes[0].outputs == [probe_shape]


@pytest.mark.parametrize("case", sorted(CASES))
def test_console_script_check(tmp_path: Path, case: str, probe_shape: list[int | None]) -> None:
    main = write_case(tmp_path, case)
    proc = subprocess.run([_console_script(), "check", "--json", main.name], cwd=tmp_path,
                          env=_clean_env(), capture_output=True, text=True, timeout=120)
    assert_nothing_ran(tmp_path, case)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert _probe_outputs(data["files"][0]["sites"]) == [probe_shape]


@pytest.mark.parametrize("case", sorted(CASES))
def test_console_script_summary(tmp_path: Path, case: str, probe_shape: list[int | None]) -> None:
    main = write_case(tmp_path, case)
    proc = subprocess.run([_console_script(), "summary", main.name], cwd=tmp_path,
                          env=_clean_env(), capture_output=True, text=True, timeout=120)
    assert_nothing_ran(tmp_path, case)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    shape = "(" + ", ".join("None" if d is None else str(d) for d in probe_shape) + ")"
    rows = [ln for ln in proc.stdout.splitlines() if "probe (Conv2D)" in ln]
    assert len(rows) == 1 and shape in rows[0], proc.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_module_check(tmp_path: Path, case: str, probe_shape: list[int | None]) -> None:
    main = write_case(tmp_path, case)
    proc = subprocess.run([sys.executable, "-m", "shapelens.cli", "check", "--json", str(main)],
                          cwd=REPO, env=_clean_env(), capture_output=True, text=True, timeout=120)
    assert_nothing_ran(tmp_path, case)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert _probe_outputs(data["files"][0]["sites"]) == [probe_shape]


def test_every_case_writes_its_sentinels_when_really_run(tmp_path: Path) -> None:
    """The hostile files are real: run by Python, the simple ones do create their sentinels."""
    for case in ("top_level", "default_argument", "decorator", "class_body", "metaclass",
                 "init_subclass"):
        case_dir = tmp_path / case
        case_dir.mkdir()
        main = write_case(case_dir, case)
        body = main.read_text(encoding="utf-8").split(MODEL)[0]
        runner = case_dir / "hostile_only.py"
        runner.write_text(body, encoding="utf-8")
        subprocess.run([sys.executable, str(runner)], cwd=case_dir, env=_clean_env(),
                       capture_output=True, timeout=60, check=True)
        assert list((case_dir / "sentinels").iterdir()), f"{case}: no sentinel when really run"


# --- files that would make the analyser itself stop: standard-library imports ------------------

STDLIB_IMPORTS = ["json", "pathlib", "subprocess", "importlib", "runpy", "os", "sys", "re",
                  "argparse", "collections", "functools", "typing", "dataclasses", "math"]


@pytest.mark.parametrize("module", STDLIB_IMPORTS)
def test_stdlib_import_keeps_the_analysis(tmp_path: Path, module: str,
                                          probe_shape: list[int | None]) -> None:
    """`import json` at the top of a model file must not cost the shapes of the whole file."""
    main = tmp_path / "main.py"
    main.write_text(f"import {module}\n" + MODEL, encoding="utf-8")
    analysis = analyze(str(main), main.read_text(encoding="utf-8"))
    stopped = [f.message for f in analysis.findings_for() if f.code == "analysis-stopped"]
    assert stopped == []
    probes = [s for s in analysis.sites_for() if s.op == "Conv2D" and s.name == "probe"]
    assert [s.outputs for s in probes] == [[probe_shape]]


# --- resource bombs: the analysis stays within its time budget and a modest amount of memory ----

BOMBS = {
    "pow_of_big_base": "a = (10 ** 4096) ** 4096",
    "pow_tower": "a = ((10 ** 4096) ** 4096) ** 4096",
    "format_width": 'a = "{:>600000000}".format("")',
    "zfill": 'a = "x".zfill(600000000)',
    "percent_width": 'a = "%0*d" % (600000000, 1)',
    "concat_doubling": 'a = "x" * 100000\nfor _ in range(40):\n    a = a + a',
    "list_range": "a = list(range(10 ** 9))",
    "seq_mul": "a = [0] * 10 ** 6\nb = a * 10 ** 3",
    "while_true": "while True:\n    pass",
    "recursion": "def f():\n    return f()\n\n\nf()",
}

_MEASURE = """\
import json, sys, time
from shapelens.analysis import analyze
t = time.monotonic()
a = analyze(sys.argv[1])
sites = [{"op": s.op, "name": s.name, "outputs": s.outputs} for s in a.sites_for()]
status = open("/proc/self/status").read().split("VmHWM:")[1].split()
print(json.dumps({"seconds": time.monotonic() - t, "sites": sites,
                  "maxrss_mb": int(status[0]) / 1024}))  # peak RSS of this process only
"""


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_resource_bomb_is_bounded(tmp_path: Path, bomb: str,
                                  probe_shape: list[int | None]) -> None:
    main = tmp_path / "main.py"
    main.write_text(BOMBS[bomb] + "\n" + MODEL, encoding="utf-8")
    try:
        proc = subprocess.run([sys.executable, "-c", _MEASURE, str(main)], env=_clean_env(),
                              capture_output=True, text=True, timeout=45)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{bomb}: the analysis ran for more than 45 s (budget: 1 s per file)")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["seconds"] < 15, f"{bomb}: {out['seconds']:.1f} s, the budget is 1 s"
    assert out["maxrss_mb"] < 300, f"{bomb}: the analyser used {out['maxrss_mb']:.0f} MB"
    if bomb != "while_true":  # code after an endless loop is unreachable: no shapes expected
        assert _probe_outputs(out["sites"]) == [probe_shape]
