"""Python's semantics, complete: importing this module registers the core's handlers for every
statement, expression and Python kind of value (the composition root imports it once).
"""

from __future__ import annotations

from . import builtins, calls, expressions, modules, objects, patterns, statements, stdlib, truth

# The modules whose import registered their handlers (kept referenced: the registry is theirs).
MODULES = (statements, patterns, expressions, objects, builtins, calls, modules, stdlib, truth)
