"""Runs the .vsix's own ShapeLens language server on stdio (started by the extension).

bundled/libs goes first on sys.path so the bundled shapelens, pygls and lsprotocol are used.
"""

from __future__ import annotations

import os
import sys

MIN = (3, 10)

if sys.version_info < MIN:
    # The extension checks the version first; this is for a hand-made start with an old Python.
    sys.stderr.write(f"ShapeLens needs Python {MIN[0]}.{MIN[1]}+, not {sys.version.split()[0]}\n")
    sys.exit(3)

LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")
sys.path.insert(0, LIBS)

import shapelens  # noqa: E402  (needs LIBS on sys.path first)
from shapelens.cli import main  # noqa: E402

# stderr is the extension's log channel; stdout carries the protocol and nothing else.
sys.stderr.write(
    f"shapelens {shapelens.__version__} from {os.path.dirname(shapelens.__file__)} "
    f"on Python {sys.version.split()[0]} ({sys.executable})\n"
)
sys.exit(main(["server"]))
