"""Vocabulary layers: TextVectorization, StringLookup, IntegerLookup.

Mirrors Keras 3's `compute_output_shape`: `int` mode keeps the input shape (TextVectorization:
`(batch, output_sequence_length)`); the encoding modes put a vocabulary-sized axis last, of
`max_tokens` when `pad_to_max_tokens`, else the vocabulary's size (its tokens plus the OOV and,
in `int` mode, mask indices), which a vocabulary learned by `adapt()` on unseen data leaves unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .args import is_int, known
from .registry import Constructed, register_layer
from .shapes import single
from .types import NotKnown, Result, Shape, ShapeError, Tensor, Unknown, fmt_shape

MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}


@dataclass(frozen=True)
class LookupConfig:
    kind: str
    output_mode: str
    max_tokens: int | None
    pad_to_max_tokens: bool
    start: int  # indices before the first token: OOV buckets, and the mask in `int` mode
    tokens: int | None  # how many vocabulary tokens; None: not known
    why: str  # why `tokens` is not known
    sequence_length: int | None = None  # TextVectorization, `int` mode
    splits: bool = False  # TextVectorization with a `split`: a token axis is added

    @property
    def depth(self) -> int:
        if self.pad_to_max_tokens and self.max_tokens is not None:
            return self.max_tokens
        if self.tokens is None:
            raise NotKnown(self.why)
        return self.start + self.tokens


def _mode(a: dict[str, Any]) -> str:
    mode = known(a.get("output_mode", "int"), "output_mode")
    mode = _ALIASES.get(mode, mode) if isinstance(mode, str) else mode
    if mode not in MODES:
        raise ShapeError(
            "invalid-argument",
            f"Invalid value for argument output_mode. Expected one of {list(MODES)}. "
            f"Received: output_mode={mode}",
            arg="output_mode", at="init",
        )
    return str(mode)


def _token_count(vocabulary: Any) -> tuple[int | None, str]:
    if vocabulary is None:
        return None, "the vocabulary is set later (`adapt()` or `set_vocabulary()`)"
    if isinstance(vocabulary, Unknown):
        return None, f"the vocabulary is not known statically ({vocabulary.reason})"
    if isinstance(vocabulary, (list, tuple)):
        return len(vocabulary), ""
    if isinstance(vocabulary, Tensor) and vocabulary.shape is not None \
            and len(vocabulary.shape) == 1 and is_int(vocabulary.shape[0]):
        return vocabulary.shape[0], ""
    return None, "the vocabulary is read from a file or a value not known statically"


def _lookup_init(name: str, a: dict[str, Any]) -> LookupConfig:
    mode = _mode(a)
    max_tokens = known(a.get("max_tokens"), "max_tokens")
    mask = a.get("mask_token", "" if name == "TextVectorization" else None)
    oov = known(a.get("num_oov_indices", 1), "num_oov_indices")
    if not is_int(oov) or (max_tokens is not None and not is_int(max_tokens)):
        raise NotKnown("the vocabulary's size arguments are not integers")
    start = (1 if mask is not None and mode == "int" else 0) + oov
    tokens, why = _token_count(a.get("vocabulary"))
    return LookupConfig(name, mode, max_tokens, bool(known(a.get("pad_to_max_tokens", False),
                                                            "pad_to_max_tokens")),
                        start, tokens, why)


def _vectorization_init(name: str, a: dict[str, Any]) -> LookupConfig:
    cfg = _lookup_init(name, a)
    length = known(a.get("output_sequence_length"), "output_sequence_length")
    if cfg.output_mode != "int" and length is not None:
        raise ShapeError(
            "invalid-argument",
            "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
            f"Received output_sequence_length={length}.",
            arg="output_sequence_length", at="init",
        )
    if length is not None and not is_int(length):
        raise NotKnown("`output_sequence_length` is not an integer")
    return replace(cfg, sequence_length=length, splits=known(a.get("split", "whitespace"),
                                                                "split") is not None)


def _encoded(cfg: LookupConfig, shape: Shape) -> Shape:
    """IndexLookup.compute_output_shape for the encoding modes."""
    depth = cfg.depth
    if cfg.output_mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            return (*shape[:-1], depth)
        return (*shape, depth)
    return (*shape[:-1], depth)


def _lookup_call(cfg: LookupConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape: Shape = single(inputs, cfg.kind)
    if cfg.output_mode == "int":
        out = shape
        why = "int mode: one index per token, the shape is kept"
    else:
        out = _encoded(cfg, shape)
        why = f"{cfg.output_mode}: a last axis of {out[-1]} (the vocabulary's indices)"
    return Result(outputs=out, params=0, derivation=[why],
                  notes=[f"{fmt_shape(shape)} -> {fmt_shape(out)}"])


def _vectorization_call(cfg: LookupConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape: Shape = single(inputs, cfg.kind)
    if cfg.output_mode == "int":
        if not shape:
            raise NotKnown("a scalar input to TextVectorization")
        out: Shape = (shape[0], cfg.sequence_length)
        why = ("int mode: output_sequence_length tokens" if cfg.sequence_length is not None
               else "int mode: as many tokens as the longest text (None)")
    else:
        if cfg.splits:
            tokens: Shape = (*shape, None)
        else:
            tokens = (*shape, 1) if len(shape) <= 1 else shape
        out = _encoded(cfg, tokens)
        why = f"{cfg.output_mode}: a last axis of {out[-1]} (the vocabulary's indices)"
    return Result(outputs=out, params=0, derivation=[why],
                  notes=[f"{fmt_shape(shape)} -> {fmt_shape(out)}"])


def with_learned_vocabulary(layer: Constructed, unique: int | None, why: str) -> Constructed:
    """The layer after `adapt()`: `unique` distinct tokens seen (None: the data is not known),
    cut to `max_tokens` as Keras' `finalize_state` does."""
    cfg = layer.config
    if not isinstance(cfg, LookupConfig):
        return layer
    if unique is not None and cfg.max_tokens is not None:
        unique = max(0, min(unique, cfg.max_tokens - cfg.start))
    return replace(layer, config=replace(cfg, tokens=unique, why=why))


register_layer("StringLookup", "IntegerLookup", family="text_lookup", init=_lookup_init,
               call=_lookup_call)
register_layer("TextVectorization", family="text_lookup", init=_vectorization_init,
               call=_vectorization_call)
