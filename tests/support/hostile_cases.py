"""The hostile model files: every hook Python would run on import or definition writes a sentinel.

Shared by the analyser's tests (tests/analysis/test_hostile.py) and the server's
(tests/lsp/test_hostile_server.py), so each case is written once.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

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


def write_case(tmp_path: Path, case: str) -> Path:
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


def assert_nothing_ran(tmp_path: Path, case: str) -> None:
    ran = sorted(p.name for p in (tmp_path / "sentinels").iterdir())
    assert ran == [], f"hostile code ran: {ran}"
    for rel in CASES[case]:
        assert (tmp_path / rel).is_file(), f"{rel} was removed by the analysed code"
