"""Installed model libraries whose pure-Python source is read from site-packages (never
imported, never run): one row per library; a package not listed stays opaque.

Registered by plugin.py in the core's `EXTERNAL_MODULE` (read, not modelled) and `NOT_FOLLOWED`
(what needs a download) hooks; the core's installed.py caches each parsed file per version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.dispatch import EXTERNAL_MODULE

_DOWNLOAD = ("`{attr}` downloads the preset's config and weights (Kaggle / Hugging Face), "
             "which ShapeLens does not: build the model from its constructor to see shapes")


@dataclass(frozen=True)
class Library:
    """A package (or one module of one) read from source; `downloads`: class attributes whose
    calls need a download, not followed."""

    module: str  # a top-level package or a dotted module prefix
    downloads: frozenset[str] = field(default_factory=frozenset)

    def covers(self, module: str) -> bool:
        return module == self.module or module.startswith(self.module + ".")


LIBRARIES: list[Library] = [
    Library("keras.src.applications"),
    Library("keras.applications"),  # the public names: import-only modules re-exporting those
    Library("keras.src.utils.argument_validation"),  # standardize_tuple, used by kimm's blocks
    Library("keras_hub", frozenset({"from_preset"})),
    Library("keras_unet_collection"),
    Library("kimm"),
]


def register(library: Library) -> None:
    """Read one more installed library (its row in `LIBRARIES`)."""
    LIBRARIES.append(library)
    EXTERNAL_MODULE.forget()  # its answers, kept by the core, change


def reads(module: str) -> bool:
    """The module is part of a library read from site-packages."""
    return any(lib.covers(module) for lib in LIBRARIES)


def not_followed(module: str, attr: str) -> str | None:
    """Why `attr` of a class defined in `module` is not followed (a download), else None."""
    for lib in LIBRARIES:
        if lib.covers(module) and attr in lib.downloads:
            return _DOWNLOAD.format(attr=attr)
    return None
