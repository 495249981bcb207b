"""An analysis paused before the edited statement and resumed with the edited text gives exactly
what a fresh analysis of the edited text gives; an edit it cannot take is refused (None).

The edits: a layer argument in the middle of the benchmark's generated model, inside a helper
it calls many times (the first call pauses, later calls run the edited statement), at the top
level of a script, and random digit edits on the corpus files.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from shapelens.analysis import Analysis, Analyzer, Options, Parsed, forget_kept
from shapelens.analysis.core.reparse import first_line, last_line
from shapelens.analysis.resume import Paused, first_changed_line, spot_at
from support.lsp_storm import big_model

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "analysis" / "corpus").glob("*.py"))


def digit_spots(text: str) -> list[tuple[int, int]]:
    """(row, column) of every digit outside comments: each is an edit a user makes."""
    return [(n, k) for n, line in enumerate(text.split("\n")) for k, c in enumerate(line)
            if c.isdigit() and not line.lstrip().startswith("#")]
BUDGET = 600.0  # an analysis stopped on the clock is not comparable
PATH = "model.py"


def outcome(analysis: Analysis) -> str:
    return repr((analysis.sites, analysis.findings, analysis.stopped,
                 sorted(analysis.undefined), len(analysis.models)))


def fresh(text: str) -> Analysis:
    forget_kept()
    return Analyzer(Options(time_budget=BUDGET)).analyze(PATH, text)


def parse_of(text: str) -> Parsed:
    analyzer = Analyzer(Options(time_budget=BUDGET))
    analyzer.analyze(PATH, text)
    assert analyzer.parsed is not None
    return analyzer.parsed


def paused_at(text: str, line: int) -> Paused:
    paused = Paused.start(PATH, text, line, Options(time_budget=BUDGET, previous=parse_of(text)))
    assert paused is not None
    return paused


def retype(text: str, needle: str, new: str) -> tuple[str, int]:
    """`text` with the first `needle` replaced by `new`, and the line it is on."""
    at = text.index(needle)
    return text[:at] + new + text[at + len(needle):], text.count("\n", 0, at) + 1


SCRIPT = '''\
import keras
from keras import layers

inputs = keras.Input((64, 64, 3))
x = layers.Conv2D(16, 3, padding="same")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(32, 3)(x)
y = layers.Conv2D(32, 3, padding="same")(x)
x = layers.Concatenate()([x, y])
outputs = layers.Dense(10)(layers.Flatten()(x))
model = keras.Model(inputs, outputs)
'''


@pytest.mark.parametrize("before, after", [
    # the middle of build_model: a filter count of a bottleneck
    ("b44 = layers.Conv2D(256, 1", "b44 = layers.Conv2D(255, 1"),
    # inside a helper called at every level: its later calls run the edited statement too
    ("y = conv_bn_act(x, mid, 1)", "y = conv_bn_act(x, mid, 3)"),
    ('s = layers.Dense(channels // ratio, activation="relu")(s)',
     's = layers.Dense(channels // ratio + 1, activation="relu")(s)'),
    # the classification head near the end
    ("c = layers.Dense(256,", "c = layers.Dense(255,"),
])
def test_an_edit_of_the_generated_model_resumes_to_a_fresh_analysis(before: str,
                                                                     after: str) -> None:
    text = big_model()
    assert before in text
    edited, line = retype(text, before, after)
    got = paused_at(text, line).resume(edited, Options(time_budget=BUDGET))
    assert got is not None, "refused"
    assert outcome(got) == outcome(fresh(edited))


def test_a_run_of_edits_in_one_statement_resumes_each_time() -> None:
    text = SCRIPT
    for filters in (17, 18, 64, 8):
        edited, line = retype(SCRIPT, "Conv2D(32, 3)", f"Conv2D({filters}, 3)")
        paused = paused_at(text, line)
        got = paused.resume(edited, Options(time_budget=BUDGET))
        assert got is not None
        assert outcome(got) == outcome(fresh(edited))
        text = edited


def test_an_edit_that_breaks_the_model_resumes_to_the_same_error() -> None:
    edited, line = retype(SCRIPT, 'padding="same")(x)', 'padding="valid")(x)')
    got = paused_at(SCRIPT, line).resume(edited, Options(time_budget=BUDGET))
    assert got is not None
    want = fresh(edited)
    assert [f.severity for f in want.findings_for()] == ["error"]  # the concatenation
    assert outcome(got) == outcome(want)


SUBCLASSED = '''\
import keras
from keras import layers


class ConvBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(filters, 3, padding="same")
        self.pool = layers.MaxPooling2D()

    def call(self, x):
        y = self.conv(x)
        return self.pool(y)


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [ConvBlock(16), ConvBlock(32), ConvBlock(64)]
        self.head = layers.Dense(10)

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return self.head(layers.Flatten()(x))


inputs = keras.Input((64, 64, 3))
outputs = Net()(inputs)
'''


@pytest.mark.parametrize("before, after", [
    # a layer made in __init__: each of the three blocks makes it as edited
    ('layers.Conv2D(filters, 3, padding="same")', 'layers.Conv2D(filters, 5, strides=2)'),
    # a statement of call: each block's call runs it as edited
    ("y = self.conv(x)", "y = self.conv(x)[:, ::2]"),
    # the model's own call, run once
    ("return self.head(layers.Flatten()(x))", "return self.head(layers.Flatten()(x) + 1)"),
])
def test_an_edit_inside_a_method_resumes_to_a_fresh_analysis(before: str, after: str) -> None:
    edited, line = retype(SUBCLASSED, before, after)
    paused = paused_at(SUBCLASSED, line)
    assert len(paused.spot.where) == 3  # the statement in the method, not the class
    got = paused.resume(edited, Options(time_budget=BUDGET))
    assert got is not None, "refused"
    assert outcome(got) == outcome(fresh(edited))
    assert outcome(got) != outcome(fresh(SUBCLASSED))


REFUSED = {
    "another statement": ("Conv2D(16, 3", "Conv2D(15, 3"),
    "a line added": ("x = layers.MaxPooling2D()(x)\n", "x = layers.MaxPooling2D()(x)\n\n"),
    "a text that does not parse": ("Conv2D(32, 3)(x)", "Conv2D(32, 3(x)"),
    "a name it did not read": ("Conv2D(32, 3)(x)", "Conv2D(32, 3)(inputs)"),
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_an_edit_elsewhere_or_of_what_ran_before_is_refused(kind: str) -> None:
    _, line = retype(SCRIPT, "Conv2D(32, 3)", "Conv2D(32, 3)")
    paused = paused_at(SCRIPT, line)
    before, after = REFUSED[kind]
    edited, _ = retype(SCRIPT, before, after)
    assert paused.resume(edited, Options(time_budget=BUDGET)) is None
    paused.join(10)
    assert paused.finished()  # refused: dropped, its thread ended


def test_a_statement_that_never_runs_is_never_paused_at() -> None:
    # After a return: no call ever reaches it (an uncalled function is still called, with
    # abstract arguments, as an entry point).
    text = SCRIPT + "\n\ndef head(x):\n    return x\n    z = layers.Dense(4)(x)\n"
    _, line = retype(text, "Dense(4)", "Dense(4)")
    paused = paused_at(text, line)
    edited, _ = retype(text, "Dense(4)", "Dense(5)")
    assert paused.resume(edited, Options(time_budget=BUDGET)) is None
    assert paused.finished()


def test_a_held_analysis_starts_only_when_released() -> None:
    # The server holds it while the answer before it is written (they would share the CPU).
    text, line = retype(SCRIPT, "Concatenate", "Concatenate")
    held = Paused.start(PATH, text, line, Options(time_budget=BUDGET, previous=parse_of(text)),
                        held=True)
    assert held is not None
    time.sleep(0.3)
    assert not held.waiting()
    held.release()
    for _ in range(200):
        if held.waiting():
            break
        time.sleep(0.05)
    assert held.waiting()
    edited, _ = retype(text, "Concatenate()", "Concatenate(axis=-1)")
    resumed = held.resume(edited, Options(time_budget=BUDGET))
    assert resumed is not None and outcome(resumed) == outcome(fresh(edited))


def test_a_held_analysis_is_resumed_without_a_release() -> None:
    text, line = retype(SCRIPT, "Concatenate", "Concatenate")
    held = Paused.start(PATH, text, line, Options(time_budget=BUDGET, previous=parse_of(text)),
                        held=True)
    assert held is not None
    edited, _ = retype(text, "Concatenate()", "Concatenate(axis=-1)")
    resumed = held.resume(edited, Options(time_budget=BUDGET))
    assert resumed is not None and outcome(resumed) == outcome(fresh(edited))


def test_an_aborted_analysis_ends_its_thread() -> None:
    _, line = retype(SCRIPT, "Concatenate", "Concatenate")
    paused = paused_at(SCRIPT, line)
    paused.abort()
    paused.join(10)
    assert paused.finished()
    assert paused.result is None


def test_the_spot_is_the_statement_of_the_body_that_holds_the_line() -> None:
    text = ("import keras\n\n\ndef block(x):\n    y = x\n\n"
            "    return keras.layers.Dense(\n        3)(y)\n")
    parsed = parse_of(text)
    spot = spot_at(parsed, 8)
    assert spot is not None and spot.where == (1, 1)
    assert (first_line(spot.stmt), last_line(spot.stmt)) == (7, 8)
    header = spot_at(parsed, 6)  # a blank line of the body: the def itself
    assert header is not None and header.where == (1,) and header.stmt is parsed.body[1]
    assert spot_at(parsed, 2) is None
    assert first_changed_line(text, text) is None
    assert first_changed_line(text, text.replace("Dense(\n        3)", "Dense(\n        4)")) == 8


@pytest.mark.parametrize("path", [p for p in CORPUS if digit_spots(p.read_text("utf-8"))],
                         ids=lambda p: p.stem)
def test_random_digit_edits_of_corpus_files_resume_to_a_fresh_analysis(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rng = random.Random(path.stem)
    spots = digit_spots(text)
    resumed = 0
    for n, k in rng.sample(spots, min(3, len(spots))):
        lines = text.split("\n")
        lines[n] = lines[n][:k] + str((int(lines[n][k]) % 9) + 1) + lines[n][k + 1:]
        edited = "\n".join(lines)
        paused = Paused.start(PATH, text, n + 1,
                              Options(time_budget=BUDGET, previous=parse_of(text)))
        if paused is None:
            continue
        got = paused.resume(edited, Options(time_budget=BUDGET))
        if got is None:
            continue
        resumed += 1
        assert outcome(got) == outcome(fresh(edited)), f"line {n + 1}"
    print(f"{path.name}: {resumed} resumed")


def typed(text: str, rng: random.Random, line: int | None) -> tuple[str, int]:
    """One keystroke as a person types: mostly on the line typed on before (a digit retyped, or
    a character that may break the line), sometimes a digit elsewhere, sometimes a new line."""
    rows = text.split("\n")
    spots = digit_spots(text)
    same = [(n, k) for n, k in spots if line is not None and n == line - 1]
    roll = rng.random()
    if roll < 0.1:
        n = rng.randrange(len(rows))
        rows.insert(n, rows[n][: len(rows[n]) - len(rows[n].lstrip())])
        return "\n".join(rows), n + 1
    if roll < 0.2 and line is not None:
        n = line - 1
        k = rng.randint(0, len(rows[n]))
        rows[n] = rows[n][:k] + rng.choice("1,( ") + rows[n][k:]
        return "\n".join(rows), n + 1
    n, k = rng.choice(same if same and roll < 0.8 else spots)
    rows[n] = rows[n][:k] + str(rng.randint(1, 9)) + rows[n][k + 1:]
    return "\n".join(rows), n + 1


@settings(max_examples=40, deadline=None, derandomize="SHAPELENS_PROPERTY_RANDOM" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([p for p in CORPUS if digit_spots(p.read_text("utf-8"))]),
       st.randoms(use_true_random=False))
def test_a_typing_session_gives_a_fresh_analysis_after_every_keystroke(
    path: Path, rng: random.Random
) -> None:
    # As the server chains them: each edit resumes the analysis paused at the edit before, or is
    # analysed from the start; then the edited text is paused at the edited line.
    text = path.read_text(encoding="utf-8")
    parsed: Parsed | None = parse_of(text)
    paused: Paused | None = None
    line: int | None = None
    try:
        for n in range(6):
            text, line = typed(text, rng, line)
            note(f"keystroke {n + 1} on line {line}")
            got = paused.resume(text, Options(time_budget=BUDGET)) if paused else None
            if got is not None and paused is not None:
                parsed = paused.analyzer.parsed
            else:
                analyzer = Analyzer(Options(time_budget=BUDGET, previous=parsed))
                got = analyzer.analyze(PATH, text)
                parsed = analyzer.parsed or parsed
            assert outcome(got) == outcome(fresh(text)), f"keystroke {n + 1}"
            paused = None
            if parsed is not None and parsed.text == text:
                paused = Paused.start(PATH, text, line,
                                      Options(time_budget=BUDGET, previous=parsed))
    finally:
        if paused is not None:
            paused.abort()
            paused.join(10)
