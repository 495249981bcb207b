"""Binding a call's arguments as Keras 3 does, and the normalisers every family shares.

Signatures (order, defaults, aliases) are data generated from Keras (data/keras_signatures.json);
the normalisers word their errors the Keras way and raise NotKnown on values the analyser lacks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from .types import NotKnown, ShapeError, Unknown

_REQUIRED = object()


@cache
def signatures() -> dict[str, Any]:
    text = resources.files("shapelens.engine").joinpath("data/keras_signatures.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def decode(value: Any) -> Any:
    """A default from the JSON table back to its Python value (non-literals stay Unknown)."""
    if isinstance(value, dict):
        if "tuple" in value:
            return tuple(decode(v) for v in value["tuple"])
        return Unknown(f"default {value.get('repr', '?')} is not a literal")
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def canonical_layer(name: str) -> str | None:
    """`MaxPool2D` -> `MaxPooling2D`; None when Keras has no layer of that name."""
    layers = signatures()["layers"]
    entry = layers.get(name)
    if entry is None:
        return None
    alias = entry.get("alias_of")
    return str(alias) if alias else name


def takes(layer: str, param: str) -> bool:
    """Whether the layer's constructor has a parameter of that name (`data_format`)."""
    entry = signatures()["layers"].get(layer) or {}
    return any(p.get("name") == param for p in entry.get("params", []))


def bind(
    owner: str,
    table: Mapping[str, Any],
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
) -> dict[str, Any]:
    """Map positional and keyword arguments onto a signature row, filling defaults.

    Raises ShapeError (at='init') for what Python/Keras would reject: too many positional
    arguments, an unexpected keyword, a missing required argument.
    """
    params = [p for p in table["params"] if p["kind"] != "var_positional"]
    positional = [p for p in params if p["kind"] in ("positional_or_keyword", "positional_only")]
    has_varargs = any(p["kind"] == "var_positional" for p in table["params"])
    bound: dict[str, Any] = {}
    if len(args) > len(positional) and not has_varargs:
        raise ShapeError(
            "unknown-argument",
            f"{owner}() takes {len(positional)} positional arguments but {len(args)} were given",
            at="init",
        )
    for p, value in zip(positional, args):
        bound[p["name"]] = value
    names = {p["name"] for p in params}
    extra = set(table.get("base_kwargs", ())) | set(table.get("popped_kwargs", ()))
    for key, value in kwargs.items():
        if key in bound:
            raise ShapeError(
                "unknown-argument", f"{owner}() got multiple values for argument '{key}'", at="init"
            )
        if key in names or (table.get("varkw") and (key in extra or table.get("any_kwargs"))):
            bound[key] = value
        elif table.get("varkw"):
            raise ShapeError(
                "unknown-argument",
                f"Unrecognized keyword arguments passed to {owner}: {{'{key}': ...}}",
                arg=key,
                at="init",
            )
        else:
            raise ShapeError(
                "unknown-argument",
                f"{owner}() got an unexpected keyword argument '{key}'",
                arg=key,
                at="init",
            )
    for p in params:
        if p["name"] in bound:
            continue
        if "default" in p:
            bound[p["name"]] = decode(p["default"])
        elif p["kind"] != "var_keyword":
            raise ShapeError(
                "missing-argument",
                f"{owner}() missing 1 required positional argument: '{p['name']}'",
                arg=p["name"],
                at="init",
            )
    return bound


def bind_layer(name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    canon = canonical_layer(name)
    if canon is None:
        raise KeyError(name)
    return bind(name, signatures()["layers"][canon], args, kwargs)


# --- normalisers -------------------------------------------------------------------------------


def known(value: Any, arg: str) -> Any:
    """The value itself, or NotKnown when the analyser could not determine it (deeply)."""
    if isinstance(value, Unknown):
        raise NotKnown(f"`{arg}` is not known statically ({value.reason})")
    if isinstance(value, (list, tuple)):
        for v in value:
            known(v, arg)
    return value


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def standardize_tuple(value: Any, n: int, arg: str, allow_zero: bool = False) -> tuple[int, ...]:
    """Keras' `standardize_tuple`: an int becomes an n-tuple; a sequence must have n ints."""
    known(value, arg)
    if is_int(value):
        values: tuple[Any, ...] = (value,) * n
    else:
        if not isinstance(value, (list, tuple)):
            raise ShapeError(
                "invalid-argument",
                f"The `{arg}` argument must be a tuple of {n} integers. Received {arg}={value!r}",
                arg=arg,
                at="init",
            )
        if len(value) != n:
            raise ShapeError(
                "invalid-argument",
                f"The `{arg}` argument must be a tuple of {n} integers. "
                f"Received {arg}={tuple(value)!r}",
                arg=arg,
                at="init",
            )
        values = tuple(value)
    for v in values:
        if not is_int(v):
            raise ShapeError(
                "invalid-argument",
                f"The `{arg}` argument must be a tuple of {n} integers. "
                f"Received {arg}={value!r} including element {v!r} of type {type(v).__name__}",
                arg=arg,
                at="init",
            )
    bad = [v for v in values if (v < 0 if allow_zero else v <= 0)]
    if bad:
        req = "{'>=', 0}" if allow_zero else "{'>', 0}"
        raise ShapeError(
            "invalid-argument",
            f"The `{arg}` argument must be a tuple of {n} integers. "
            f"Received {arg}={value!r} including values {set(bad)} that do not satisfy "
            f"`value {req}`",
            arg=arg,
            at="init",
        )
    return values


def standardize_padding(value: Any, allow_causal: bool = False, arg: str = "padding") -> str:
    """Keras' `standardize_padding`: lower-cased, one of 'valid', 'same' (and 'causal')."""
    known(value, arg)
    allowed = {"valid", "same", "causal"} if allow_causal else {"valid", "same"}
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ShapeError(
            "invalid-argument",
            f"The `{arg}` argument must be one of {sorted(allowed)}. Received: {arg}={value!r}",
            arg=arg,
            at="init",
        )
    return value.lower()


def standardize_data_format(value: Any) -> str:
    """Keras' `standardize_data_format`: None means the config default, 'channels_last'."""
    known(value, "data_format")
    if value is None:
        return "channels_last"
    if not isinstance(value, str) or value.lower() not in {"channels_first", "channels_last"}:
        raise ShapeError(
            "invalid-argument",
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={value!r}",
            arg="data_format",
            at="init",
        )
    return value.lower()


def positive_int(value: Any, arg: str, owner: str, allow_zero: bool = False) -> int:
    known(value, arg)
    # Keras checks `isinstance(value, int)`, which a bool passes (`Dense(True)` has 1 unit).
    if not isinstance(value, int) or value < 0 or (value == 0 and not allow_zero):
        rule = "a non-negative integer" if allow_zero else "a positive integer"
        raise ShapeError(
            "invalid-argument",
            f"Invalid value for argument `{arg}` of {owner}: expected {rule}. "
            f"Received: {arg}={value!r}",
            arg=arg,
            at="init",
        )
    return int(value)
