"""Hostile files must never run: ShapeLens reads code, it never imports or executes it.

Each case writes a model file (plus, for some, sibling modules or .pth files) into tmp_path whose
every hook Python would run on import or definition creates a sentinel file in
`tmp_path/sentinels/`. The file also builds a normal Keras model, so the analysis has real work.
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
import textwrap
from pathlib import Path

import pytest

from shapelens.analysis import analyze
from support.keras_truth import layer_truth

REPO = Path(__file__).resolve().parents[2]

# The normal model appended to every hostile file; its Conv2D site must still get its shape.
MODEL = """

import keras
from keras import layers


def build_probe():
    probe_in = keras.Input((32, 32, 3))
    probe_out = layers.Conv2D(8, 3, name="probe")(probe_in)
    return keras.Model(probe_in, probe_out)


probe_model = build_probe()
"""

# `{S}` is replaced by the sentinel directory (a str literal), `{D}` by tmp_path (a str literal).
# Each hook writes its own sentinel name, so a failure says which hook ran.
CASES: dict[str, dict[str, str]] = {
    "top_level": {"main.py": """
        open({S} + "/top_level", "w").write("ran")
        with open({S} + "/top_level_with", "w") as fh:
            fh.write("ran")
    """},
    "default_argument": {"main.py": """
        def f(x=open({S} + "/default_argument", "w"), *, y=open({S} + "/kwonly_default", "w")):
            return x
        lam = lambda z=open({S} + "/lambda_default", "w"): z
    """},
    "decorator": {"main.py": """
        def deco(fn):
            open({S} + "/decorator", "w").write("ran")
            return fn

        def deco_factory(arg):
            open({S} + "/decorator_factory", "w").write(arg)
            return deco

        @deco
        def f():
            return 1

        @deco_factory("x")
        class C:
            pass
    """},
    "class_body": {"main.py": """
        class C:
            open({S} + "/class_body", "w").write("ran")
            attr = open({S} + "/class_attr", "w")

            def __init__(self):
                open({S} + "/init", "w")

            def __del__(self):
                open({S} + "/del", "w")

        c = C()
    """},
    "metaclass": {"main.py": """
        class Meta(type):
            def __new__(mcs, name, bases, ns):
                open({S} + "/metaclass_new", "w")
                return super().__new__(mcs, name, bases, ns)

            def __init__(cls, name, bases, ns):
                open({S} + "/metaclass_init", "w")

            def __call__(cls, *args):
                open({S} + "/metaclass_call", "w")

        class C(metaclass=Meta):
            pass

        C()
    """},
    "init_subclass": {"main.py": """
        class Base:
            def __init_subclass__(cls, **kwargs):
                open({S} + "/init_subclass", "w")
                super().__init_subclass__()

            def __class_getitem__(cls, item):
                open({S} + "/class_getitem", "w")

        class Sub(Base):
            pass

        Base[int]
    """},
    "module_getattr": {
        "main.py": """
            import helper_getattr
            from helper_getattr import anything

            n = helper_getattr.filters + 1

            def __getattr__(name):
                open({S} + "/main_module_getattr", "w")
                return 8

            def __dir__():
                open({S} + "/module_dir", "w")
                return []
        """,
        "helper_getattr.py": """
            def __getattr__(name):
                open({S} + "/helper_module_getattr", "w")
                return 8
        """,
    },
    "sibling_keras_module": {
        "main.py": """
            import keras as keras_first
            from keras import layers as first_layers
        """,
        "keras.py": """
            open({S} + "/sibling_keras", "w")
            import os
            os.system("touch " + {S} + "/sibling_keras_system")

            class layers:
                def Conv2D(*a, **k):
                    open({S} + "/sibling_keras_conv", "w")
        """,
    },
    "sibling_tensorflow_module": {
        "main.py": """
            import tensorflow as tf
            from tensorflow.keras import layers as tfl

            tf_out = tfl.Dense(4)(tf.keras.Input((3,)))
        """,
        "tensorflow.py": """
            open({S} + "/sibling_tensorflow", "w")
        """,
        "tensorflow/__init__.py": """
            open({S} + "/sibling_tensorflow_pkg", "w")
        """,
    },
    "project_helper_module": {
        "main.py": """
            import helpers
            from helpers import conv_block
            from pkg.sub import deep
            from pkg import *

            def build_helped():
                inp = keras.Input((16, 16, 3))
                return conv_block(inp, 4)

            helped = build_helped()
        """,
        "helpers.py": """
            import keras
            open({S} + "/helper_import", "w")

            def conv_block(x, filters):
                open({S} + "/helper_function", "w")
                return keras.layers.Conv2D(filters, 3, padding="same")(x)
        """,
        "pkg/__init__.py": """
            open({S} + "/package_init", "w")
        """,
        "pkg/sub.py": """
            open({S} + "/package_submodule", "w")
            deep = 1
        """,
    },
    "sys_path_and_pth": {
        "main.py": """
            import os
            import site
            import sys

            sys.path.insert(0, {D} + "/evil")
            sys.path.append({D} + "/evil_site")
            site.addsitedir({D} + "/evil_site")
            os.environ["PYTHONSTARTUP"] = {D} + "/evil/startup.py"
            import evilmod
            import evil_in_site
            sys.modules["keras"] = evilmod
        """,
        "evil/evilmod.py": """
            open({S} + "/sys_path_module", "w")
        """,
        "evil/startup.py": """
            open({S} + "/pythonstartup", "w")
        """,
        "evil_site/evil_in_site.py": """
            open({S} + "/site_dir_module", "w")
        """,
        "evil_site/evil.pth": """
            import os; open({S} + "/pth_in_site_dir", "w")
        """,
        "evil.pth": """
            import os; open({S} + "/pth_beside_file", "w")
        """,
        "sitecustomize.py": """
            open({S} + "/sitecustomize", "w")
        """,
        "usercustomize.py": """
            open({S} + "/usercustomize", "w")
        """,
    },
    "dynamic_execution": {
        "main.py": """
            import builtins
            import importlib
            import os
            import runpy
            import subprocess
            from pathlib import Path

            __import__("os").system("touch " + {S} + "/dunder_import_system")
            exec("open(" + repr({S} + "/exec") + ", 'w')")
            eval("open(" + repr({S} + "/eval") + ", 'w')")
            exec(compile("open(" + repr({S} + "/compile") + ", 'w')", "x", "exec"))
            os.system("touch " + {S} + "/os_system")
            os.popen("touch " + {S} + "/os_popen")
            subprocess.run(["touch", {S} + "/subprocess_run"])
            subprocess.call("touch " + {S} + "/subprocess_shell", shell=True)
            subprocess.Popen(["touch", {S} + "/subprocess_popen"])
            importlib.import_module("helper_dyn")
            runpy.run_path({D} + "/helper_run.py")
            Path({S} + "/pathlib").write_text("ran")
            builtins.open({S} + "/builtins_open", "w")
            getattr(builtins, "open")({S} + "/getattr_open", "w")
            globals()["__builtins__"]["open"]({S} + "/globals_open", "w")
            os.makedirs({S} + "/makedirs")
            os.mkdir({S} + "/mkdir")
            os.remove({D} + "/keep_me.txt")
        """,
        "helper_dyn.py": """
            open({S} + "/importlib_module", "w")
        """,
        "helper_run.py": """
            open({S} + "/runpy", "w")
        """,
        "keep_me.txt": "this file must survive\n",
    },
    "keras_hooks": {"main.py": """
        import keras
        import tensorflow as tf
        from keras import layers


        def writer(t):
            open({S} + "/lambda_layer", "w")
            return t


        @keras.saving.register_keras_serializable()
        class Evil(layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                open({S} + "/layer_init", "w")

            def build(self, input_shape):
                open({S} + "/layer_build", "w")

            def compute_output_shape(self, input_shape):
                open({S} + "/layer_compute_output_shape", "w")
                return input_shape

            def call(self, x):
                open({S} + "/layer_call", "w")
                return x


        @tf.function
        def traced(x):
            open({S} + "/tf_function", "w")
            return x


        def hooked():
            inp = keras.Input((8, 8, 2))
            x = layers.Lambda(writer)(inp)
            x = layers.Lambda(lambda t: open({S} + "/inline_lambda", "w") or t)(x)
            x = Evil()(x)
            x = traced(x)
            x = tf.py_function(func=writer, inp=[x], Tout=tf.float32)
            return keras.Model(inp, x)


        hooked_model = hooked()
        hooked_model.fit(None)
        hooked_model.save({S} + "/saved.keras")
        hooked_model.summary(print_fn=lambda s: open({S} + "/print_fn", "w"))
    """},
    "main_guard_and_atexit": {"main.py": """
        import atexit
        import signal

        atexit.register(lambda: open({S} + "/atexit", "w"))
        signal.signal(signal.SIGTERM, lambda *a: open({S} + "/signal", "w"))

        if __name__ == "__main__":
            open({S} + "/main_guard", "w")
            import os
            os.system("touch " + {S} + "/main_guard_system")
    """},
    "context_managers_and_dunders": {"main.py": """
        class CM:
            def __enter__(self):
                open({S} + "/enter", "w")
                return self

            def __exit__(self, *a):
                open({S} + "/exit", "w")

            def __format__(self, spec):
                open({S} + "/format", "w")
                return ""

            def __repr__(self):
                open({S} + "/repr", "w")
                return ""

            def __hash__(self):
                open({S} + "/hash", "w")
                return 0

            def __eq__(self, other):
                open({S} + "/eq", "w")
                return True

            def __bool__(self):
                open({S} + "/bool", "w")
                return True

            def __len__(self):
                open({S} + "/len", "w")
                return 1

            def __iter__(self):
                open({S} + "/iter", "w")
                return iter([1])

        with CM() as cm:
            s = "{{}}".format(cm) + f"{{cm}}" + repr(cm) + str(cm)
            d = {{cm: 1}}
            same = cm == 3
            if cm:
                n = len(cm)
            for item in cm:
                pass
            items = sorted([cm, cm])
    """},
}


def _write_case(tmp_path: Path, case: str) -> Path:
    sentinels = tmp_path / "sentinels"
    sentinels.mkdir()
    subs = {"{S}": repr(str(sentinels)), "{D}": repr(str(tmp_path))}
    for rel, src in CASES[case].items():
        text = textwrap.dedent(src).lstrip("\n")
        for k, v in subs.items():
            text = text.replace(k, v)
        text = text.replace("{{", "{").replace("}}", "}")
        if rel == "main.py":
            text += MODEL
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return tmp_path / "main.py"


def _assert_nothing_ran(tmp_path: Path, case: str) -> None:
    ran = sorted(p.name for p in (tmp_path / "sentinels").iterdir())
    assert ran == [], f"hostile code ran: {ran}"
    for rel in CASES[case]:
        assert (tmp_path / rel).is_file(), f"{rel} was removed by the analysed code"


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
    main = _write_case(tmp_path, case)
    cwd = os.getcwd()
    os.chdir(tmp_path)  # a relative open() would land here too
    try:
        analysis = analyze(str(main), main.read_text(encoding="utf-8"))
    finally:
        os.chdir(cwd)
    _assert_nothing_ran(tmp_path, case)
    probes = [s for s in analysis.sites_for() if s.op == "Conv2D" and s.name == "probe"]
    assert len(probes) == 1, [(s.op, s.name, s.pos.line) for s in analysis.sites_for()]
    assert probes[0].outputs == [probe_shape]


@pytest.mark.parametrize("case", sorted(CASES))
def test_console_script_check(tmp_path: Path, case: str, probe_shape: list[int | None]) -> None:
    main = _write_case(tmp_path, case)
    proc = subprocess.run([_console_script(), "check", "--json", main.name], cwd=tmp_path,
                          env=_clean_env(), capture_output=True, text=True, timeout=120)
    _assert_nothing_ran(tmp_path, case)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert _probe_outputs(data["files"][0]["sites"]) == [probe_shape]


@pytest.mark.parametrize("case", sorted(CASES))
def test_console_script_summary(tmp_path: Path, case: str, probe_shape: list[int | None]) -> None:
    main = _write_case(tmp_path, case)
    proc = subprocess.run([_console_script(), "summary", main.name], cwd=tmp_path,
                          env=_clean_env(), capture_output=True, text=True, timeout=120)
    _assert_nothing_ran(tmp_path, case)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    shape = "(" + ", ".join("None" if d is None else str(d) for d in probe_shape) + ")"
    rows = [ln for ln in proc.stdout.splitlines() if "probe (Conv2D)" in ln]
    assert len(rows) == 1 and shape in rows[0], proc.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_module_check(tmp_path: Path, case: str, probe_shape: list[int | None]) -> None:
    main = _write_case(tmp_path, case)
    proc = subprocess.run([sys.executable, "-m", "shapelens.cli", "check", "--json", str(main)],
                          cwd=REPO, env=_clean_env(), capture_output=True, text=True, timeout=120)
    _assert_nothing_ran(tmp_path, case)
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
        main = _write_case(case_dir, case)
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
        pytest.fail(f"{bomb}: the analysis ran for more than 45 s (budget: 10 s per file)")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["seconds"] < 15, f"{bomb}: {out['seconds']:.1f} s, the budget is 10 s"
    assert out["maxrss_mb"] < 300, f"{bomb}: the analyser used {out['maxrss_mb']:.0f} MB"
    if bomb != "while_true":  # code after an endless loop is unreachable: no shapes expected
        assert _probe_outputs(out["sites"]) == [probe_shape]
