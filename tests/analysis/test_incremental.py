"""An edited text analysed with the parse of its previous text (`Options.previous`) gives exactly
what a fresh analysis of the edited text gives: sites, shapes, hovers' contents, findings.

Random edit sequences (retyped digits, typed characters, pasted, deleted and re-indented lines,
half-typed text that does not parse) on the corpus files and on the benchmark's generated model;
the fresh analysis runs with every answer kept across analyses forgotten (`forget_kept`).
"""

from __future__ import annotations

import ast
import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from shapelens.analysis import Analysis, Analyzer, Options, Parsed, forget_kept
from shapelens.analysis.core.reparse import reparse
from shapelens.analysis.core.syntax import annotate, is_generator
from support.lsp_storm import big_model

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "analysis" / "corpus").glob("*.py"))
# The same examples every run (see test_no_false_errors.py); SHAPELENS_PROPERTY_RANDOM=1 explores.
FIXED_SEED = "SHAPELENS_PROPERTY_RANDOM" not in os.environ
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
# An analysis stopped on the clock is not comparable (where it stops depends on the machine);
# one stopped on the step budget is: an edit can make a helper recurse without end.
BUDGET = 600.0
MAX_STEPS = 400_000  # the generated 1,000-line model takes ~45,000


def outcome(analysis: Analysis) -> str:
    """Everything an analysis shows, as text: sites with every evaluation, findings, models."""
    return repr((analysis.sites, analysis.findings, analysis.stopped,
                 sorted(analysis.undefined), len(analysis.models)))


def fresh(path: str, text: str) -> Analysis:
    forget_kept()  # a cold process: nothing kept from the analyses before
    return Analyzer(Options(time_budget=BUDGET, max_steps=MAX_STEPS)).analyze(path, text)


def incremental(path: str, text: str, previous: Parsed | None) -> tuple[Analysis, Parsed | None]:
    analyzer = Analyzer(Options(time_budget=BUDGET, max_steps=MAX_STEPS, previous=previous))
    return analyzer.analyze(path, text), analyzer.parsed or previous


def edit(text: str, rng: random.Random) -> str:
    """One edit as an editor makes it, at a random line."""
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    line = lines[i]
    kind = rng.choice(["digit", "char", "paste", "delete", "indent", "dedent", "blank",
                       "join", "backslash"])
    if kind == "digit":
        spots = [k for k, c in enumerate(line) if c.isdigit()]
        if spots:
            k = rng.choice(spots)
            line = line[:k] + str(rng.randint(1, 9)) + line[k + 1:]
    elif kind == "char":
        k = rng.randint(0, len(line))
        line = line[:k] + rng.choice("()x,: 1=\"#") + line[k:]
    elif kind == "paste":
        j = rng.randrange(len(lines))
        block = lines[j:j + rng.randint(1, 4)]
        lines[i:i] = block
        return "\n".join(lines)
    elif kind == "delete":
        del lines[i:i + rng.randint(1, 3)]
        return "\n".join(lines)
    elif kind == "indent":
        line = "    " + line
    elif kind == "dedent":
        line = line[4:] if line.startswith("    ") else line.lstrip()
    elif kind == "blank":
        lines.insert(i, "")
        return "\n".join(lines)
    elif kind == "join" and i + 1 < len(lines):
        lines[i:i + 2] = [line + " " + lines[i + 1].lstrip()]
        return "\n".join(lines)
    elif kind == "backslash":
        line = line + " \\"
    lines[i] = line
    return "\n".join(lines)


def same_parse(parsed: Parsed, text: str) -> None:
    """The reused parse is the whole text's: nodes with their positions, facts, generator marks."""
    whole = ast.parse(text)
    facts = annotate(whole)
    got = ast.Module(body=list(parsed.body), type_ignores=[])
    assert ast.dump(got, include_attributes=True) == ast.dump(whole, include_attributes=True)
    assert parsed.merged_facts() == facts
    marks = [is_generator(n) for n in ast.walk(got) if isinstance(n, FUNCTIONS)]
    assert marks == [is_generator(n) for n in ast.walk(whole) if isinstance(n, FUNCTIONS)]


def check_sequence(path: str, text: str, rng: random.Random, edits: int) -> None:
    _, previous = incremental(path, text, None)
    for n in range(edits):
        text = edit(text, rng)
        note(f"edit {n + 1}:\n{text}")
        got, parsed = incremental(path, text, previous)
        assert outcome(got) == outcome(fresh(path, text)), f"edit {n + 1} differs"
        if parsed is not previous:  # this text parsed
            assert parsed is not None
            same_parse(parsed, text)
        previous = parsed


@settings(max_examples=60, deadline=None, derandomize=FIXED_SEED,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CORPUS), st.randoms(use_true_random=False))
def test_edit_sequences_on_corpus_files_equal_a_fresh_analysis(
    path: Path, rng: random.Random
) -> None:
    check_sequence(str(path), path.read_text(encoding="utf-8"), rng, edits=6)


@settings(max_examples=6, deadline=None, derandomize=FIXED_SEED,
          suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_edit_sequences_on_the_generated_model_equal_a_fresh_analysis(
    rng: random.Random, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("gen") / "big_model.py"
    check_sequence(str(path), big_model(), rng, edits=4)


HELPER_EDITS = [  # (old, new) on the generated model, each applied once
    ('def conv_bn_act(x, filters, kernel_size=3,', 'def conv_bn_act(x, filters, kernel_size=5,'),
    ("    y = conv_bn_act(x, mid, 1)\n", "    y = conv_bn_act(x, mid, 2)\n"),
    ("    mid = filters // expansion\n", "    mid = filters // expansion + 1\n"),
    ('"""A large functional Keras model', '"""A big functional Keras model'),  # the first statement
    ("import keras\n", "import keras as K\nimport keras\n"),
    ("from keras import layers\n", "from tensorflow.keras import layers\n"),
    ("from keras import layers\n", "from keras.src import layers\n"),
    ("from keras import layers\n", "from keras import layer\n"),
    ("INPUT_SHAPE = (256, 256, 3)", "INPUT_SHAPE = (255, 256, 3)"),
]


@pytest.mark.parametrize(("old", "new"), HELPER_EDITS)
def test_edits_of_helpers_first_statements_and_imports_equal_a_fresh_analysis(
    old: str, new: str, tmp_path: Path
) -> None:
    """A warm process (the text before the edit analysed, its answers kept) gives, for the
    edit and for the edit undone, what a cold fresh analysis gives."""
    path = str(tmp_path / "big_model.py")
    text = big_model()
    assert old in text
    _, previous = incremental(path, text, None)
    edited = text.replace(old, new, 1)
    got, parsed = incremental(path, edited, previous)
    assert outcome(got) == outcome(fresh(path, edited))
    back, _ = incremental(path, text, parsed)
    assert outcome(back) == outcome(fresh(path, text))


# --- what reparse keeps, and when it parses the whole text instead --------------------------

MODULE = """import keras

def block(x):
    x = keras.layers.Dense(8)(x)
    return x

inp = keras.Input((4,))
out = block(inp)
"""


def parse_of(text: str) -> Parsed:
    analyzer = Analyzer(Options())
    analyzer.analyze("m.py", text)
    assert analyzer.parsed is not None
    return analyzer.parsed


def test_statements_the_edit_left_alone_keep_their_nodes() -> None:
    before = parse_of(MODULE)
    after = reparse(MODULE.replace("Dense(8)", "Dense(9)"), "m.py", before)
    assert after is not None
    assert after.body[0] is before.body[0] and after.body[2:] == before.body[2:]
    assert after.body[1] is not before.body[1]
    assert ast.dump(after.body[1]) == ast.dump(ast.parse(after.text).body[1])


def test_statements_after_an_added_line_are_parsed_again_with_their_new_lines() -> None:
    before = parse_of(MODULE)
    after = reparse(MODULE.replace("import keras\n", "import keras\n\n"), "m.py", before)
    assert after is not None
    assert [s.lineno for s in after.body] == [s.lineno for s in ast.parse(after.text).body]


HELPER = """import keras

def block(x):
    a = 1
    x = keras.layers.Dense(8)(x)
    return x

out = block(keras.Input((4,)))
"""


LAYER = """import keras


class Block(keras.layers.Layer):
    units = 4

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(units)
        self.norm = keras.layers.LayerNormalization()

    def call(self, x):
        y = self.dense(x)
        return self.norm(y)


out = Block(8)(keras.Input((4,)))
"""


IF_ELSE = HELPER.replace("    a = 1\n", "    if a:\n        a = 1\n    else:\n        a = 2\n")


@pytest.mark.parametrize(("before", "edited"), [
    (HELPER, HELPER.replace("Dense(8)", "Dense(9)")),  # one body statement
    (HELPER, HELPER.replace("    return x\n", "    return (x)\n")),  # the def ends further right
    (HELPER, HELPER.replace("    a = 1\n", "    a = yield\n")),  # the def is now a generator
    (HELPER, HELPER.replace("    return x\n", "out = 2\n")),  # a statement after the def
    (HELPER, HELPER.replace("a = 1", "a = 2").replace("    return x\n", "out = 2\n")),  # same
    (HELPER, HELPER.replace("    a = 1\n", "        a = 1\n")),  # an indent error
    (HELPER, HELPER.replace("    a = 1\n", "\ta = 1\n")),  # a tab where the body has spaces
    (IF_ELSE, IF_ELSE.replace("    else:", "else:")),  # an else of nothing (not the if's)
    # in a method of a class
    (LAYER, LAYER.replace("Dense(units)", "Dense(units * 2)")),  # one method statement
    (LAYER, LAYER.replace("self.norm(y)", "self.norm(x)")),  # the method's last statement
    (LAYER, LAYER.replace("self.norm(y)", "(self.norm(y))")),  # ... ending further right
    (LAYER, LAYER.replace("        y = self.dense(x)", "        y = yield")),  # now a generator
    (LAYER, LAYER.replace("        y = self.dense(x)", "          y = self.dense(x)")),  # indent
    (LAYER, LAYER.replace("        y = self.dense(x)", "    y = self.dense(x)")),  # joins the class
    (LAYER, LAYER.replace("        return self.norm(y)", "    units = 5")),  # a class statement
    (LAYER, LAYER.replace("    units = 4", "    units = 5")),  # the class body, not a method
])
def test_an_edit_inside_a_def_or_method_parses_as_the_whole_text(before: str,
                                                                  edited: str) -> None:
    previous = parse_of(before)
    after = reparse(edited, "m.py", previous)
    try:
        ast.parse(edited)
    except SyntaxError:
        assert after is None
    else:
        assert after is not None
        same_parse(after, edited)
    assert outcome(incremental("m.py", edited, previous)[0]) == outcome(fresh("m.py", edited))


def test_an_edit_inside_a_method_keeps_the_other_statements_nodes() -> None:
    before = parse_of(LAYER)
    after = reparse(LAYER.replace("Dense(units)", "Dense(units * 2)"), "m.py", before)
    assert after is not None
    old_class, new_class = before.body[1], after.body[1]
    assert isinstance(old_class, ast.ClassDef) and isinstance(new_class, ast.ClassDef)
    assert new_class.body[0] is old_class.body[0] and new_class.body[2] is old_class.body[2]
    old_init, new_init = old_class.body[1], new_class.body[1]
    assert isinstance(old_init, ast.FunctionDef) and isinstance(new_init, ast.FunctionDef)
    assert [a is b for a, b in zip(old_init.body, new_init.body)] == [True, False, True]


CONTINUED = "x = 1 \\\n\ny = 2\n"  # a backslash, then a blank line: `x = 1`


@pytest.mark.parametrize(("before", "edited"), [
    (MODULE, MODULE.replace("inp = keras", "    inp = keras")),  # an indent error now
    (MODULE, MODULE.replace("    return x\n", "    return x\n    y = 1\n")),  # joins the def
    (MODULE, MODULE.replace("import keras\n", "import keras \\\n")),  # onto the next line
    (MODULE, MODULE.replace("inp = keras", "else:\n    pass\ninp = keras")),  # else of nothing
    (CONTINUED, CONTINUED.replace("\n\n", "\n+ 2\n")),  # the blank line was `x`'s: `x = 1 + 2`
])
def test_a_change_that_reaches_past_its_lines_is_parsed_whole(before: str, edited: str) -> None:
    previous = parse_of(before)
    after = reparse(edited, "m.py", previous)
    if after is not None:  # what it kept must be what the whole text parses to
        assert ast.dump(ast.Module(list(after.body), [])) == ast.dump(ast.parse(edited))
    assert outcome(incremental("m.py", edited, previous)[0]) == outcome(fresh("m.py", edited))
