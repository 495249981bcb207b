"""Keras as a plug-in of the core: importing this module registers every Keras handler (values,
layers, models, subclasses, externals) and its naming rules in the core's dispatch tables.
"""

from __future__ import annotations

from ..core.dispatch import (
    CANONICAL,
    EXTERNAL_MODULE,
    NAME_CHECK,
    NOT_FOLLOWED,
    STAR_EXPORTS,
    UNKNOWN_RESULT,
)
from . import (
    activations,
    cells,
    dynamic,
    externals,
    layers,
    libraries,
    migration,
    models,
    removed,
    renamed,
    specials,
    subclass,
    tensors,
    vocab,
)
from .names import canonical, external_module, star_exports

# The modules whose import registered their handlers (kept referenced: the registry is theirs).
MODULES = (tensors, layers, models, subclass, externals, specials, renamed, activations,
           cells, vocab, dynamic)

CANONICAL.register(removed.canonical)  # a removed Keras-2/TF1 name as its current one, first
CANONICAL.register(canonical)
NAME_CHECK.register(removed.check)
EXTERNAL_MODULE.register(external_module)
NOT_FOLLOWED.register(libraries.not_followed)
STAR_EXPORTS.register(star_exports)
UNKNOWN_RESULT.register(tensors.unknown_result)
migration.guard_specials("tf.shape")  # after specials registered it
