"""The vocabulary of TextVectorization / StringLookup / IntegerLookup as the file sets it:
`adapt(data)` (counted when the data is a literal list of texts, else unknown), `set_vocabulary`,
`vocabulary_size()`; registered as methods of layer objects.
"""

from __future__ import annotations

import string
from typing import Any

from ... import engine
from ...engine import ShapeError, Unknown
from ...engine.args import bind_layer
from ...engine.text_lookup import LookupConfig, with_learned_vocabulary
from ..core.context import Host
from ..core.convert import to_engine
from .layers import LAYER_METHODS
from .values import LayerObj

_STANDARDIZE = (None, "lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = (None, "whitespace", "character")
_DROP_PUNCTUATION = str.maketrans("", "", string.punctuation)


def _config(lo: LayerObj) -> LookupConfig | None:
    c = lo.constructed
    return c.config if c is not None and isinstance(c.config, LookupConfig) else None


def _literal(data: Any) -> list[Any] | None:
    """The items of literal data (nested lists flattened), or None."""
    values = getattr(data, "values", None) if not isinstance(data, (list, tuple)) else data
    if not isinstance(values, (list, tuple)):
        return None
    out: list[Any] = []
    for v in values:
        if isinstance(v, (list, tuple)):
            inner = _literal(v)
            if inner is None:
                return None
            out.extend(inner)
        elif isinstance(v, (str, int)) and not isinstance(v, bool):
            out.append(v)
        else:
            return None
    return out


def _text_tokens(lo: LayerObj, texts: list[Any]) -> set[str] | None:
    """TextVectorization's tokens: standardized then split, as its defaults do (ASCII only)."""
    try:
        bound = bind_layer("TextVectorization", to_engine(list(lo.args)), to_engine(lo.kwargs))
    except (ShapeError, KeyError):
        return None
    std, split, ngrams = bound.get("standardize"), bound.get("split"), bound.get("ngrams")
    if std not in _STANDARDIZE or split not in _SPLIT or ngrams is not None:
        return None
    if not all(isinstance(t, str) and t.isascii() for t in texts):
        return None
    tokens: set[str] = set()
    for text in texts:
        if std in ("lower_and_strip_punctuation", "lower"):
            text = text.lower()
        if std in ("lower_and_strip_punctuation", "strip_punctuation"):
            text = text.translate(_DROP_PUNCTUATION)
        if split == "whitespace":
            tokens.update(text.split())
        elif split == "character":
            tokens.update(text)
        else:
            tokens.add(text)
    tokens.discard("")
    return tokens


def adapt(an: Host, lo: LayerObj, args: list[Any], kwargs: dict[str, Any]) -> None:
    """`layer.adapt(data)`: the vocabulary learned from the data (a given vocabulary stays)."""
    cfg = _config(lo)
    if cfg is None or lo.constructed is None or "vocabulary" in lo.kwargs:
        return None
    data = args[0] if args else kwargs.get("data")
    items = _literal(data)
    unique: int | None = None
    if items is not None:
        if cfg.kind == "TextVectorization":
            tokens = _text_tokens(lo, items)
            unique = None if tokens is None else len(tokens)
        elif all(isinstance(v, type(items[0])) for v in items):
            unique = len(set(items))
    why = "the vocabulary is learned by `adapt()` from data not known statically"
    lo.constructed = with_learned_vocabulary(lo.constructed, unique, why)
    return None


def set_vocabulary(an: Host, lo: LayerObj, args: list[Any], kwargs: dict[str, Any]) -> None:
    """`layer.set_vocabulary(vocab)`: as if the layer had been built with it."""
    if _config(lo) is None:
        return None
    vocab = args[0] if args else kwargs.get("vocabulary")
    try:
        made = engine.construct(lo.kind, to_engine(list(lo.args)),
                                to_engine({**lo.kwargs, "vocabulary": vocab}))
    except ShapeError:
        made = None
    if made is not None:
        lo.constructed = made
    return None


def vocabulary_size(an: Host, lo: LayerObj, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """`layer.vocabulary_size()`: its tokens plus the OOV (and, in `int` mode, mask) indices."""
    cfg = _config(lo)
    if cfg is None or cfg.tokens is None:
        return Unknown(cfg.why if cfg is not None else "the layer's vocabulary is not known")
    return cfg.start + cfg.tokens


LAYER_METHODS.update(adapt=adapt, set_vocabulary=set_vocabulary, vocabulary_size=vocabulary_size)
