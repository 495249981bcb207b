"""The analyser: reads Keras model source statically and asks the engine for every layer call.

It never imports or executes user code; `analyze` returns sites (shapes) and findings (errors).
"""

from .analyzer import Analyzer, Options, forget_kept
from .core.reparse import Parsed
from .core.signals import Cancelled
from .core.sites import Analysis, Evaluation, Finding, Inner, Pos, Site


def analyze(path: str, text: str | None = None, options: Options | None = None) -> Analysis:
    """Analyse one file (its text given, or read from `path`)."""
    return Analyzer(options).analyze(path, text)


__all__ = [
    "Analysis",
    "Analyzer",
    "Cancelled",
    "Evaluation",
    "Finding",
    "Inner",
    "Options",
    "Parsed",
    "Pos",
    "Site",
    "analyze",
    "forget_kept",
]
