"""The data sets' shapes the analyser knows (and the truth run substitutes) are the ones Keras
documents: read from the installed `keras/src/datasets/*.py` source, never imported or run.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from analysis.host.host_truth import DOCUMENTED
from shapelens.analysis import Analyzer, Options
from shapelens.analysis.host.data import DATASETS

# The installed package's folder, found without importing it.
SOURCE = Path(importlib.util.find_spec("keras").origin).parent / "src" / "datasets"  # type: ignore


def doc(name: str) -> str:
    return (SOURCE / f"{name}.py").read_text()


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist", "cifar10", "cifar100"])
def test_image_sets_match_the_asserts_in_their_docstrings(name: str) -> None:
    text = doc(name)
    asserted = dict(re.findall(r"assert (\w+)\.shape == (\([\d, ]*\))", text))
    (train, test), x, y, _, _ = DOCUMENTED[name]
    assert asserted == {
        "x_train": str((train, *x)), "x_test": str((test, *x)),
        "y_train": str((train, *y)), "y_test": str((test, *y)),
    }
    ds = DATASETS[name]
    assert (ds.train, ds.test, ds.x, ds.y) == (train, test, x, y)
    assert f"`{ds.x_dtype}` NumPy array" in text


@pytest.mark.parametrize("name, phrase", [("imdb", "25,000 movies reviews"),
                                          ("reuters", "11,228 newswires")])
def test_text_sets_match_their_docstrings(name: str, phrase: str) -> None:
    assert phrase in doc(name)
    count = int(phrase.split()[0].replace(",", ""))
    ds = DATASETS[name]
    assert (ds.total or ds.train) == count
    assert 'dtype="object"' in doc(name)  # ragged sequences: 1-d object arrays
    assert ds.x == () and ds.x_dtype == "object"


@pytest.mark.parametrize("name, features, phrases", [
    ("boston_housing", 13, []),
    ("california_housing", 8, ["20,640 samples", "600 samples"]),
])
def test_tables_match_their_docstrings(name: str, features: int, phrases: list[str]) -> None:
    text = doc(name)
    assert f"shape `(num_samples, {features})`" in text
    assert "shape `(num_samples,)`" in text
    assert "int(len(x) * (1 - test_split))" in text  # the split the analyser computes
    for p in phrases:
        assert p in text
    assert DATASETS[name].x == (features,)


def test_channels_first_transposes_images(tmp_path: Path) -> None:
    path = tmp_path / "cf.py"
    path.write_text("import keras\n(x, y), _ = keras.datasets.cifar10.load_data()\n")
    an = Analyzer(Options(strict=True, image_data_format="channels_first"))
    an.analyze(str(path))
    x = an.modules[str(path.resolve())].env.vars["x"]
    assert x.shape == (50000, 3, 32, 32)
