"""The server's settings: one fully defaulted dataclass, read from camelCase client options.

Bad values never fail initialisation: they are logged and the default is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Settings:
    inlay_hints: bool = True  # show output shapes as inlay hints
    parameter_hints: bool = False  # append the parameter count to each hint
    hint_format: str = "shape"  # "shape": (None, 570, 570, 64); "compact": 570x570x64
    image_data_format: str = "channels_last"  # what keras.backend.image_data_format() returns
    extra_paths: list[str] = field(default_factory=list)  # where project imports are found
    # An edit re-parses only the statements it touched (analysis/core/reparse.py); False: every
    # version is analysed from scratch (the benchmark's comparison column).
    incremental: bool = True
    # Hints write a size an Input left open as the analysis names it (`ceil(H/2)`) instead of
    # Keras' `None`; hover shows both either way.
    symbolic_dims: bool = False


_CAMEL = {
    f.name: "".join(p.capitalize() if i else p for i, p in enumerate(f.name.split("_")))
    for f in fields(Settings)
}
_CHOICES = {
    "hint_format": {"shape", "compact"},
    "image_data_format": {"channels_last", "channels_first"},
}


def parse(raw: Any, base: Settings | None = None) -> tuple[Settings, list[str]]:
    """Settings from a client's options (camelCase keys, possibly under `shapelens`)."""
    settings = Settings(**vars(base)) if base else Settings()
    problems: list[str] = []
    if not isinstance(raw, dict):
        return settings, ([] if raw is None else [f"settings must be an object, got {raw!r}"])
    raw = raw.get("shapelens", raw) if isinstance(raw.get("shapelens"), dict) else raw
    for f in fields(Settings):
        key = _CAMEL[f.name]
        if key not in raw:
            continue
        value = raw[key]
        default = getattr(Settings(), f.name)
        ok = isinstance(value, type(default)) and (
            not isinstance(default, list) or all(isinstance(v, str) for v in value)
        )
        if ok and f.name in _CHOICES and value not in _CHOICES[f.name]:
            ok = False
        if ok:
            setattr(settings, f.name, value)
        else:
            problems.append(
                f"ignoring setting {key}={value!r}: expected {type(default).__name__}"
                + (f" in {sorted(_CHOICES[f.name])}" if f.name in _CHOICES else "")
            )
    return settings, problems
