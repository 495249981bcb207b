"""Absolute imports of a project's sibling packages resolve as they do when the project's script
runs: the project root is found by walking up past packages, with no setting.

The expected shapes come from TensorFlow importing the same project from its root.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

from shapelens.analysis import analyze


def write_project(root: Path) -> Path:
    (root / "nets").mkdir(parents=True)
    (root / "nets" / "__init__.py").write_text("")
    (root / "nets" / "vgg.py").write_text(textwrap.dedent("""\
        from keras import layers

        def vgg_block(x, filters):
            x = layers.Conv2D(filters, 3, padding="valid")(x)
            return layers.MaxPooling2D()(x)
        """))
    model = root / "nets" / "segnet.py"
    model.write_text(textwrap.dedent("""\
        import keras
        from keras import layers
        from nets.vgg import vgg_block

        inp = keras.Input((34, 34, 3))
        features = vgg_block(inp, 8)
        head = layers.Conv2D(4, 1)(features)
        """))
    return model


def test_a_sibling_package_resolves_from_the_project_root(tmp_path: Path) -> None:
    model = write_project(tmp_path / "project")
    sys.path.insert(0, str(tmp_path / "project"))
    try:
        tf_model = importlib.import_module("nets.segnet")
    finally:
        sys.path.remove(str(tmp_path / "project"))
        for name in [m for m in sys.modules if m == "nets" or m.startswith("nets.")]:
            del sys.modules[name]
    analysis = analyze(str(model))
    head = [s for s in analysis.sites_for() if s.pos.line == 7]
    assert [s.outputs for s in head] == [[list(tf_model.head.shape)]]
    assert not [f for f in analysis.findings_for() if f.severity == "error"]
