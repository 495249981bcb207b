"""One file of the real-world benchmark under TensorFlow: offline, data sets and training stubbed.
Run by bench/realworld.py per file (`realworld_child.py FILE SECONDS`); prints the record JSON."""

# What is changed so that a public example runs offline and in seconds (shapes are unaffected):
#
# * sockets refuse to connect, so downloads fail at once (the file is then reported skipped or
#   partial by the parent);
# * ``keras.datasets.<name>.load_data()`` returns zero-filled arrays (labels cycling through the
#   classes) with each data set's documented shapes and dtypes, so nothing is downloaded;
# * ``Model.fit`` runs one step of one epoch (and one validation step); ``evaluate`` one step;
#   ``predict`` runs the model on the first 32 samples of an array and repeats the rows to the
#   array's length (one step for a data set or generator); inside them the layers are recorded
#   (a Sequential with no input shape is built there) but not the trainer's call of the model;
# * keras.applications builders skip the download of pretrained weights and load none (the
#   architecture, hence every shape, is the same);
# * after SECONDS, an alarm raises ``TimeoutError`` inside the file: what was recorded is kept;
# * a module that is not installed (skimage, cv2, ...) imports as a stub whose every attribute is a
#   stub; using one (calling it, subclassing it) raises ModuleNotFoundError, so a file that only
#   imports a helper library still runs, and one that needs it is reported skipped or partial;
#   display-only modules (matplotlib, seaborn, IPython, tqdm) are stubs whose calls do nothing;
# * IPython's ``display`` is ``print`` (notebooks converted to scripts); matplotlib draws on Agg.

from __future__ import annotations

import builtins
import importlib.abc
import importlib.machinery
import json
import os
import signal
import socket
import sys
import types
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

NETWORK_OFF = "network is off (realworld benchmark)"

#: name -> ((x_train, y_train), (x_test, y_test)) shapes, dtypes and class count (Keras' docs)
_IMAGE_SETS: dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], int, str]] = {
    # name: (x_train shape, x_test shape, y suffix shape, classes, x dtype)
    "mnist": ((60000, 28, 28), (10000, 28, 28), (), 10, "uint8"),
    "fashion_mnist": ((60000, 28, 28), (10000, 28, 28), (), 10, "uint8"),
    "cifar10": ((50000, 32, 32, 3), (10000, 32, 32, 3), (1,), 10, "uint8"),
    "cifar100": ((50000, 32, 32, 3), (10000, 32, 32, 3), (1,), 100, "uint8"),
}


def _block_network() -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(NETWORK_OFF)

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


#: modules that only draw or print: a missing one is a stub whose calls return stubs
DISPLAY_ONLY = ("matplotlib", "seaborn", "IPython", "tqdm", "pydot", "graphviz")


class _Missing(types.ModuleType):
    """A stand-in for a module that is not installed: attributes are stubs, using one raises."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__path__: list[str] = []
        self._quiet = name.split(".")[0] in DISPLAY_ONLY

    def __iter__(self) -> Any:
        return iter((self, self) if self._quiet else ())

    def __getitem__(self, _key: Any) -> Any:
        return self

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *_exc: Any) -> None:
        return None

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Missing(f"{self.__name__}.{attr}")

    def __call__(self, *_args: Any, **_kwargs: Any) -> Any:
        if self._quiet:
            return self
        raise ModuleNotFoundError(f"No module named {self.__name__.split('.')[0]!r} (stubbed)")

    def __mro_entries__(self, _bases: Any) -> Any:
        self()


class _MissingFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path: a module no other finder has is a `_Missing` stub."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname.split(".")[0] in ("keras", "tensorflow", "numpy", "support", "shapelens"):
            return None
        if os.path.exists(os.path.join(os.getcwd(), fullname.split(".")[0] + ".py")):
            return None  # a project module that failed to import: its own error
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: Any) -> Any:
        return _Missing(spec.name)

    def exec_module(self, module: Any) -> None:
        return None


def _labels(n: int, classes: int, suffix: tuple[int, ...], np: Any) -> Any:
    return (np.arange(n) % classes).astype("uint8").reshape((n, *suffix))


def _image_set(name: str) -> Any:
    import numpy as np

    train, test, suffix, classes, dtype = _IMAGE_SETS[name]

    def load_data(*_args: Any, label_mode: str = "fine", **_kwargs: Any) -> Any:
        k = 20 if name == "cifar100" and label_mode == "coarse" else classes
        return (
            (np.zeros(train, dtype), _labels(train[0], k, suffix, np)),
            (np.zeros(test, dtype), _labels(test[0], k, suffix, np)),
        )

    return load_data


def _sequence_set(n_train: int, n_test: int, classes: int) -> Any:
    import numpy as np

    def load_data(*_args: Any, num_words: int | None = None, maxlen: int | None = None,
                  **_kwargs: Any) -> Any:
        top = num_words or 10000
        length = min(maxlen or 200, 200)

        def seqs(n: int) -> Any:
            out = np.empty(n, dtype=object)
            for i in range(n):
                out[i] = [1 + (i + j) % (top - 1) for j in range(length - i % 7)]
            return out

        return (
            (seqs(n_train), (np.arange(n_train) % classes).astype("int64")),
            (seqs(n_test), (np.arange(n_test) % classes).astype("int64")),
        )

    return load_data


def _table_set(total: int, features: int, small: int | None = None) -> Any:
    """A table data set split as Keras splits it: `int(total * (1 - test_split))` rows to train;
    `version="small"` (california_housing) has `small` rows in all."""
    import numpy as np

    def load_data(*_args: Any, version: str = "large", test_split: float = 0.2,
                  **_kwargs: Any) -> Any:
        rows = small if version == "small" and small is not None else total
        train = int(rows * (1 - test_split))
        test = rows - train
        return (
            (np.zeros((train, features), "float64"), np.zeros(train, "float64")),
            (np.zeros((test, features), "float64"), np.zeros(test, "float64")),
        )

    return load_data


def _stub_datasets() -> None:
    loaders: dict[str, Any] = {name: _image_set(name) for name in _IMAGE_SETS}
    loaders["imdb"] = _sequence_set(25000, 25000, 2)
    loaders["reuters"] = _sequence_set(8982, 2246, 46)
    loaders["boston_housing"] = _table_set(506, 13)
    loaders["california_housing"] = _table_set(20640, 8, small=600)

    def word_index(*_args: Any, **_kwargs: Any) -> dict[str, int]:
        return {f"w{i}": i for i in range(1, 10001)}

    import keras
    import tensorflow as tf

    for attr in ("datasets",):
        getattr(tf.keras, attr, None)
    __import__("keras.datasets")
    for mod_name, mod in list(sys.modules.items()):
        base = mod_name.rsplit(".", 1)[-1]
        if mod is None or ".datasets." not in f"{mod_name}." or base not in loaders:
            continue
        if hasattr(mod, "load_data"):
            mod.load_data = loaders[base]
        if hasattr(mod, "get_word_index"):
            mod.get_word_index = word_index
    del keras


def _rows(x: Any) -> int | None:
    """The number of samples of an array-like input (first array of a list/dict), else None."""
    if isinstance(x, dict):
        x = next(iter(x.values()), None)
    elif isinstance(x, (list, tuple)) and x and hasattr(x[0], "shape"):
        x = x[0]
    shape = getattr(x, "shape", None)
    if shape is None or len(shape) == 0 or shape[0] is None:
        return None
    try:
        return int(shape[0])
    except TypeError:
        return None


def _head(x: Any, n: int) -> Any:
    if isinstance(x, dict):
        return {k: _head(v, n) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(_head(v, n) for v in x)
    return x[:n] if hasattr(x, "shape") else x


def _repeat_rows(y: Any, n: int) -> Any:
    import numpy as np

    if isinstance(y, dict):
        return {k: _repeat_rows(v, n) for k, v in y.items()}
    if isinstance(y, (list, tuple)):
        return type(y)(_repeat_rows(v, n) for v in y)
    y = np.asarray(y)
    if y.ndim == 0 or y.shape[0] == n or y.shape[0] == 0:
        return y
    reps = -(-n // y.shape[0])
    return np.concatenate([y] * reps, axis=0)[:n]


def _as_data_call(fn: Any) -> Any:
    """`fn` (fit/evaluate/predict) with the model itself no site: Keras calls it on the data.

    The layers inside are still recorded (a Sequential without an input shape is built here, on
    the data's shapes), but the model's own call by the trainer is not put at its constructor.
    """
    from support import truth_recorder

    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        state = truth_recorder._STATE
        entry = state.constructed.pop(id(self), None) if state is not None else None
        try:
            return fn(self, *args, **kwargs)
        finally:
            if entry is not None and state is not None:
                state.constructed[id(self)] = entry

    return run


def _stub_training() -> None:
    from keras import Model

    fit, evaluate, predict = (_as_data_call(f) for f in (Model.fit, Model.evaluate,
                                                          Model.predict))

    def cheap_fit(self: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.update(epochs=1, steps_per_epoch=1, verbose=0, initial_epoch=0)
        if kwargs.get("validation_data") is not None:
            kwargs["validation_steps"] = 1
        return fit(self, *args, **kwargs)

    def cheap_evaluate(self: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.update(steps=1, verbose=0)
        return evaluate(self, *args, **kwargs)

    def cheap_predict(self: Any, x: Any = None, *args: Any, **kwargs: Any) -> Any:
        kwargs["verbose"] = 0
        n = _rows(x)
        if n is None:
            kwargs["steps"] = 1
            return predict(self, x, *args, **kwargs)
        return _repeat_rows(predict(self, _head(x, 32), *args, **kwargs), n)

    Model.fit = cheap_fit  # type: ignore[method-assign]
    Model.evaluate = cheap_evaluate  # type: ignore[method-assign]
    Model.predict = cheap_predict  # type: ignore[method-assign]


NO_WEIGHTS = "realworld-benchmark-no-weights.h5"


def _stub_pretrained_weights() -> None:
    """keras.applications fetch weights with file_utils.get_file: give a name load_weights skips."""
    from keras import Model
    from keras.src.utils import file_utils

    get_file, load_weights = file_utils.get_file, Model.load_weights

    def no_download(fname: Any = None, origin: Any = None, *args: Any, **kwargs: Any) -> Any:
        caller = sys._getframe(1).f_code.co_filename
        if f"{os.sep}applications{os.sep}" in caller:
            return NO_WEIGHTS
        return get_file(fname, origin, *args, **kwargs)

    def skip_stub(self: Any, filepath: Any, *args: Any, **kwargs: Any) -> Any:
        if str(filepath) == NO_WEIGHTS:
            return None
        return load_weights(self, filepath, *args, **kwargs)

    file_utils.get_file = no_download  # type: ignore[assignment]
    Model.load_weights = skip_stub  # type: ignore[method-assign]


def _alarm(seconds: int) -> None:
    def on_alarm(_signum: int, _frame: Any) -> None:
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        raise TimeoutError(f"timeout: stopped after {seconds}s (realworld benchmark)")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)


def main(argv: list[str]) -> int:
    path, seconds = argv[0], int(argv[1]) if len(argv) > 1 else 240
    _block_network()
    from support.truth_recorder import record

    _stub_datasets()
    _stub_training()
    _stub_pretrained_weights()
    sys.meta_path.append(_MissingFinder())
    if not hasattr(builtins, "display"):
        builtins.display = print  # type: ignore[attr-defined]
    _alarm(seconds)
    try:
        result = record(path)
    finally:
        signal.alarm(0)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # skip TF's slow (and sometimes hanging) interpreter teardown


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
