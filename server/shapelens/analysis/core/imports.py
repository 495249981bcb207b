"""Finding a module's source on disk as Python's import system would, without running it:
the search roots (the script's folder, the project root above its packages), relative imports.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def project_root(folder: str) -> str:
    """The folder Python puts first on `sys.path` when the project's script runs: walking up
    from `folder` past packages (folders with an `__init__.py`), the first that is not one."""
    here = os.path.abspath(folder)
    while os.path.isfile(os.path.join(here, "__init__.py")):
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return here


def find_module_file(module: str, roots: list[str], installed: bool = False) -> Path | None:
    """The source file of `module` under `roots` (then `sys.path` when `installed`), by
    file-system lookup only: no import machinery runs."""
    parts = module.split(".")
    search = list(roots)
    if installed:
        search += [p for p in sys.path if p and os.path.isdir(p)]
    for root in search:
        base = Path(root, *parts)
        for cand in (base.with_suffix(".py"), base / "__init__.py"):
            if cand.is_file():
                return cand
    return None


def resolve_relative(module: str | None, level: int, current: str, is_package: bool) -> str:
    """`from ..x import y` inside `current` -> the absolute module name."""
    if level == 0:
        return module or ""
    parts = current.split(".") if current else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    if module:
        parts.append(module)
    return ".".join(parts)
