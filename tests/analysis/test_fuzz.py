"""Fuzzing the analyser: mutated real model files, pathological files and generated Keras programs.

Every file must analyse with no exception escaping, positions inside the file, one analysis-stopped
finding at most (agreeing with `Analysis.stopped`), a JSON answer; a sample through `shapelens`.
The long run (10,000 files, with figures) is tests/stress/fuzz_files.py.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shapelens.analysis import Analysis, analyze
from shapelens.analysis.keras.summary import summaries
from shapelens.cli import Result, file_json
from support.fuzz_inputs import (
    ENDLESS,
    HUGE_SHAPES,
    MODEL_HEAD,
    MUTATIONS,
    NESTINGS,
    as_text,
    fuzz_file,
    mutated,
    nesting,
    pathological,
    program,
    real_files,
    write,
)

_NEWLINE = re.compile(r"\r\n|\r|\n")  # Python's line ends, as ast counts lines


def check(desc: str, text: str, path: str = "/fuzz/main.py") -> Analysis:
    """Analyse `text` and assert what must hold for any input whatsoever."""
    analysis = analyze(path, text)
    last = len(_NEWLINE.findall(text)) + 1
    for s in analysis.sites_for(path):
        assert 1 <= s.pos.line <= s.pos.end_line <= last, (desc, s.pos)
    for f in analysis.findings_for(path):
        assert 1 <= f.pos.line <= last, (desc, f.pos, f.message)
    stops = [f for f in analysis.findings_for(path) if f.code == "analysis-stopped"]
    assert len(stops) <= 1, (desc, [f.message for f in stops])
    assert bool(stops) == (analysis.stopped is not None), (desc, analysis.stopped)
    json.dumps(file_json(Result(path, analysis)))  # the CLI's --json contract holds
    summaries(analysis)  # the summary tables of whatever models were found
    return analysis


# --- mutations of the real model files ----------------------------------------------------------


@pytest.mark.parametrize("seed", range(120))
def test_mutated_real_file(seed: int) -> None:
    desc, content = mutated(seed)
    check(desc, as_text(content))


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_every_mutation_kind_alone(kind: str) -> None:
    rng = random.Random(kind)
    for name, text in real_files()[::4]:
        check(f"{name}+{kind}", as_text(MUTATIONS[kind](text, rng)))


# --- pathological files ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(0, 40))
def test_pathological_file(seed: int) -> None:
    desc, text = pathological(seed)
    check(desc, text)


@pytest.mark.parametrize("how", NESTINGS)
def test_10000_deep_nesting_is_a_clean_finding(how: str) -> None:
    """Python's compiler decides: what it refuses is a syntax error, what it takes keeps sites."""
    text = MODEL_HEAD + nesting(how, 10_000) + "\n"
    compiles = subprocess.run(
        [sys.executable, "-c", "import sys; compile(sys.stdin.read(), 'm.py', 'exec')"],
        input=text, capture_output=True, text=True, timeout=60,
    ).returncode == 0
    analysis = check(how, text)
    codes = {f.code for f in analysis.findings_for("/fuzz/main.py")}
    first = [s for s in analysis.sites_for("/fuzz/main.py") if s.name == "first"]
    if compiles:
        assert "syntax-error" not in codes, analysis.findings_for("/fuzz/main.py")
        assert len(first) == 1 and first[0].outputs, "the site before the nesting is kept"
    else:  # refused, or (50 MB of indentation) not even read within the budget
        assert codes & {"syntax-error", "analysis-stopped"}, analysis.findings_for("/fuzz/main.py")


@pytest.mark.parametrize("line", HUGE_SHAPES)
def test_huge_literal_shapes(line: str) -> None:
    check(line, MODEL_HEAD + line + "\n")


@pytest.mark.parametrize("how", sorted(ENDLESS))
def test_endless_code_ends(how: str) -> None:
    check(how, MODEL_HEAD + ENDLESS[how] + "\n")


# --- generated programs (hypothesis) ------------------------------------------------------------

# The same examples every run (CI must not draw a new program each time); set
# SHAPELENS_PROPERTY_RANDOM=1 to explore beyond them, as the engine property tests do.
FIXED_SEED = "SHAPELENS_PROPERTY_RANDOM" not in os.environ
FUZZ = settings(max_examples=150, deadline=None, derandomize=FIXED_SEED,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.randoms(use_true_random=False))
def test_generated_keras_programs(rng: random.Random) -> None:
    text = program(rng)
    check(text, text)


_TOKENS = ["keras", "layers", ".", "Conv2D", "Dense", "Input", "(", ")", "[", "]", "{", "}", ",",
           ":", "=", "x", "y", "inp", "64", "3", "None", "'same'", "\n", "    ", "def", "class",
           "return", "for", "in", "range", "if", "else", "while", "lambda", "*", "**", "+", "-",
           "import", "from", "as", "@", "yield", "await", "async", "with", "break", "continue",
           "try", "except", "finally", "global", "nonlocal", "del", "pass", "not"]  # fmt: skip


@FUZZ
@given(st.lists(st.sampled_from(_TOKENS), max_size=120))
def test_token_soup(tokens: list[str]) -> None:
    text = "import keras\nfrom keras import layers\n" + " ".join(tokens)
    check(text, text)


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    check(repr(text), text)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_as_the_cli_reads_them(raw: bytes) -> None:
    check(repr(raw), as_text(raw))


# --- through the command line: exit codes 0/1, never a traceback ----------------------------------


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("shapelens")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "shapelens.cli"]


@pytest.mark.parametrize("first", [0, 30, 60])
def test_check_and_summary_on_fuzzed_files(tmp_path: Path, first: int) -> None:
    files = []
    for index in range(first, first + 30):
        _, content = fuzz_file(index, big=5_000)
        path = tmp_path / f"fuzz_{index}.py"
        write(path, content)
        files.append(path.name)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([*_cli(), "check", "--json", *files], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    assert [f["path"] for f in json.loads(proc.stdout)["files"]] == files
    for name in files[:6]:
        proc = subprocess.run([*_cli(), "summary", name], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode in (0, 1), (name, proc.stderr)
