"""The per-file budget ends an analysis with the sites found so far and one analysis-stopped info.

Endless loops, exponential recursion and huge files stop; the sites before them keep the shape
TensorFlow gives; a big file read in slices gives what one parse gives; stray loop keywords.
"""

from __future__ import annotations

import ast
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

import shapelens.analysis.core.source as source
from shapelens.analysis import Analysis, Options, analyze
from support.fuzz_inputs import ENDLESS, MODEL_HEAD, huge_file, real_files
from support.keras_truth import layer_truth

PATH = "/budget/main.py"


@pytest.fixture(scope="module")
def first_shape() -> list[int | None]:
    """What Keras gives MODEL_HEAD's `first` Conv2D."""
    truth = layer_truth("Conv2D", (8, 3), {"name": "first"}, (None, 32, 32, 3))
    assert truth.ok, truth.message
    return list(truth.outputs)


def stops(analysis: Analysis) -> list[str]:
    return [f.message for f in analysis.findings_for(PATH) if f.code == "analysis-stopped"]


def first_outputs(analysis: Analysis) -> list:
    return [s.outputs for s in analysis.sites_for(PATH) if s.name == "first"]


# Code Python would run forever (or for 2**60 calls): only a budget ends it.
UNENDING = ["while_true", "while_counter", "nested_layer_loops", "exponential_recursion",
            "deep_entry"]


@pytest.mark.parametrize("how", UNENDING)
def test_unending_code_stops_and_keeps_the_earlier_sites(
    how: str, first_shape: list[int | None]
) -> None:
    analysis = analyze(PATH, MODEL_HEAD + ENDLESS[how] + "\n")
    assert len(stops(analysis)) == 1 and analysis.stopped
    stopped = next(f for f in analysis.findings_for(PATH) if f.code == "analysis-stopped")
    assert stopped.severity == "info"
    assert stopped.pos.line > len(MODEL_HEAD.splitlines()), "it stops in the endless code"
    assert first_outputs(analysis) == [[first_shape]]


def test_the_time_budget_itself_ends_a_long_loop(first_shape: list[int | None]) -> None:
    analysis = analyze(PATH, MODEL_HEAD + ENDLESS["nested_layer_loops"] + "\n",
                       Options(time_budget=0.05))
    [message] = stops(analysis)
    assert "0.05 s budget" in message
    assert first_outputs(analysis) == [[first_shape]]


def test_a_data_loop_does_not_starve_the_model_after_it(first_shape: list[int | None]) -> None:
    """10**8 passes of pure Python (a sampler) are summarised: the model after them is read."""
    after = "\nlast = layers.Conv2D(8, 3, name='last')(inp)\n"
    analysis = analyze(PATH, MODEL_HEAD + ENDLESS["nested_loops"] + after)
    assert stops(analysis) == []
    last = [s.outputs for s in analysis.sites_for(PATH) if s.name == "last"]
    assert last == [[first_shape]]  # the same layer on the same input


@pytest.mark.parametrize("how", ["linear_recursion", "mutual_recursion", "recursive_lambda",
                                 "recursive_layer", "recursive_class", "for_count"])
def test_bounded_unrolling_keeps_the_whole_file(how: str, first_shape: list[int | None]) -> None:
    """Plain recursion ends at the call-depth limit as an unknown value, not a stop."""
    after = "\nlast = layers.Conv2D(8, 3, name='last')(inp)\n"
    analysis = analyze(PATH, MODEL_HEAD + ENDLESS[how] + after)
    assert stops(analysis) == []
    assert first_outputs(analysis) == [[first_shape]]
    last = [s.outputs for s in analysis.sites_for(PATH) if s.name == "last"]
    assert last == [[first_shape]]  # the same layer on the same input


# --- huge files: read in slices, within the budget, memory bounded ------------------------------


def test_a_50000_line_file_stops_with_the_sites_of_its_first_part() -> None:
    text = huge_file(50_000, random.Random(1))
    assert text.count("\n") >= 49_000
    analysis = analyze(PATH, text, Options(time_budget=0.3))
    [message] = stops(analysis)
    assert "budget" in message
    sites = analysis.sites_for(PATH)
    assert sites, "the first part of the file was analysed"
    assert max(s.pos.line for s in sites) < 49_000, "the budget ended it before the end"


_MEASURE = """\
import json, random, sys
sys.path.insert(0, sys.argv[1])
from support.fuzz_inputs import huge_file
from shapelens.analysis import analyze
if sys.argv[2] == "lines":
    text = huge_file(200_000, random.Random(2))
else:
    text = "import keras\\nx = [" + "1, " * 3_000_000 + "]\\n"
status = lambda: int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) // 1024
before = status()
a = analyze("/m/main.py", text)
print(json.dumps({"before_mb": before, "peak_mb": status(), "sites": len(a.sites_for()),
                  "stopped": a.stopped, "chars": len(text)}))
"""


@pytest.mark.parametrize("kind", ["lines", "one_statement"])
def test_a_huge_file_does_not_blow_memory(kind: str) -> None:
    """Megabytes of code (200,000 lines, or one 9 MB statement): the budget stops reading it long
    before its AST would fill memory (one parse of all of it peaks above 1 GB)."""
    tests = str(Path(__file__).resolve().parents[1])
    proc = subprocess.run([sys.executable, "-c", _MEASURE, tests, kind],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["chars"] > 5_000_000 and out["stopped"], out
    assert out["peak_mb"] - out["before_mb"] < 400, out


@pytest.mark.parametrize("name_text", real_files(), ids=lambda nt: nt[0])
def test_slices_give_what_one_parse_gives(
    name_text: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every real file, cut into slices of a few hundred chars, analyses exactly the same."""
    _, text = name_text
    whole = analyze(PATH, text, Options(time_budget=60.0))
    monkeypatch.setattr(source, "PIECE_CHARS", 200)
    sliced = analyze(PATH, text, Options(time_budget=60.0))
    assert [(s.pos, s.op, s.outputs, s.params) for s in sliced.sites_for(PATH)] == [
        (s.pos, s.op, s.outputs, s.params) for s in whole.sites_for(PATH)]
    assert [(f.pos, f.code, f.message) for f in sliced.findings_for(PATH)] == [
        (f.pos, f.code, f.message) for f in whole.findings_for(PATH)]


def test_a_syntax_error_late_in_a_sliced_file_is_reported_at_its_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = MODEL_HEAD + "".join(f"v{i} = {i}\n" for i in range(200))
    broken = body + "x = layers.Conv2D(8, 3,\n" + "tail = 1\n"
    line = len(body.splitlines()) + 1
    monkeypatch.setattr(source, "PIECE_CHARS", 200)
    analysis = analyze(PATH, broken)
    errors = [f for f in analysis.findings_for(PATH) if f.code == "syntax-error"]
    assert [f.pos.line for f in errors] == [line]


# --- regressions found by the fuzzer ------------------------------------------------------------


@pytest.mark.parametrize("keyword", ["break", "continue"])
def test_loop_keyword_in_a_loop_with_an_unknown_condition(
    keyword: str, first_shape: list[int | None]
) -> None:
    """`while <unknown>: ... break` at module level used to escape analyze() as BreakSignal."""
    loops = [f"while len(first.shape) > n:\n    x = layers.Conv2D(8, 3, name='x')(inp)\n"
             f"    {keyword}\n", f"for t in unknown_things:\n    {keyword}\n"]
    for loop in loops:
        text = MODEL_HEAD + "n = unknown()\n" + loop + "y = layers.Conv2D(8, 3, name='y')(inp)\n"
        analysis = analyze(PATH, text, Options(strict=True))
        assert first_outputs(analysis) == [[first_shape]]
        assert [s.outputs for s in analysis.sites_for(PATH) if s.name == "y"] == [[first_shape]]


@pytest.mark.parametrize("keyword", ["break", "continue"])
def test_loop_keyword_outside_any_loop_is_the_error_python_gives(keyword: str) -> None:
    text = MODEL_HEAD + f"{keyword}\n"
    proc = subprocess.run([sys.executable, "-c", text], capture_output=True, text=True, timeout=60)
    assert "SyntaxError" in proc.stderr and keyword in proc.stderr  # Python's verdict
    analysis = analyze(PATH, text)
    errors = [f for f in analysis.findings_for(PATH) if f.code == "syntax-error"]
    assert [(f.pos.line, f"'{keyword}'" in f.message) for f in errors] == [
        (len(MODEL_HEAD.splitlines()) + 1, True)]


@pytest.mark.parametrize("stop", ["10**30", "-10**30, 0", "0, 2**64, 3"])
def test_a_loop_over_a_range_beyond_a_c_size(stop: str, first_shape: list[int | None]) -> None:
    """`for i in range(10**30)` made `len(range)` raise OverflowError inside the analyser."""
    text = MODEL_HEAD + f"for i in range({stop}):\n    x = layers.Conv2D(8, 3, name='x')(inp)\n"
    analysis = analyze(PATH, text, Options(strict=True))
    assert first_outputs(analysis) == [[first_shape]]
    assert [s.outputs for s in analysis.sites_for(PATH) if s.name == "x"] == [[first_shape]]


@pytest.mark.parametrize("name_text", real_files(), ids=lambda nt: nt[0])
def test_fix_source_segments_are_pythons(name_text: tuple[str, str]) -> None:
    """Quick fixes quote the source through lines split once (ast.get_source_segment splits
    the whole text per call: 14 s for six U-Net crop fixes in a 50,000-line file)."""
    from shapelens.analysis.keras.fixes import segment

    _, text = name_text
    for variant in (text, text.replace("\n", "\r\n"), text.replace("\n", "\r"),
                    "x = 'é日本'\n" + text + "\x0c# form feed\n"):
        for node in ast.walk(ast.parse(variant)):
            if hasattr(node, "end_lineno"):
                assert segment(variant, node) == ast.get_source_segment(variant, node)


def test_a_budget_run_out_inside_an_installed_library_is_said_on_the_users_call(
    tmp_path: Path,
) -> None:
    """keras.applications is read from source; the budget ending in there stops the file with
    the notice on the line that called it (the library's own findings are never shown)."""
    path = tmp_path / "backbone.py"
    path.write_text(
        "import keras\n\n"
        "inputs = keras.Input((224, 224, 3))\n"
        "base = keras.applications.DenseNet121(include_top=False, weights=None,"
        " input_tensor=inputs)\n"
        "x = keras.layers.GlobalAveragePooling2D()(base.output)\n"
    )
    lines = []
    for budget in (0.01, 0.02, 0.05):  # building DenseNet121's 400-odd layers takes longer
        analysis = analyze(str(path), options=Options(time_budget=budget))
        findings = analysis.findings_for()
        if not findings:  # it finished: then every site is there
            assert {s.pos.line for s in analysis.sites_for()} >= {3, 4, 5}
            continue
        (finding,) = findings
        assert finding.code == "analysis-stopped"
        lines.append(finding.pos.line)
        assert (finding.pos.line == 4) == ("installed library" in finding.message)
    assert 4 in lines
