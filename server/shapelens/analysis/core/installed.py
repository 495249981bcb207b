"""Installed packages read from source (never imported): their parsed modules cached per package
version for the whole process, and the API `__init__.py` files whose imports are deferred.

Which packages are read is the plug-ins' answer (`EXTERNAL_MODULE`); this module only reads.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
from pathlib import Path

from .source import parse

# (distribution, version, path, mtime_ns) -> the parsed module; bounded (a library is a few
# thousand files at most, and only the ones a program reaches are parsed).
_PARSED: dict[tuple[str, str, str, int], ast.Module] = {}
_MAX_PARSED = 4000


@functools.lru_cache(maxsize=1)
def _distributions() -> dict[str, list[str]]:
    """Top-level import name -> the distributions providing it (metadata files only)."""
    return dict(importlib.metadata.packages_distributions())


@functools.lru_cache(maxsize=256)
def package_version(top: str) -> tuple[str, str]:
    """(distribution, version) of the installed package whose top-level name is `top`, read from
    its metadata (nothing is imported); ("", "") when no distribution claims it."""
    for dist in _distributions().get(top, []):
        try:
            return dist, importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "", ""


def parsed(path: Path, module: str) -> ast.Module:
    """The parsed source of an installed module, from the cache when that file of that package
    version was parsed before. Raises ParseFailure as `source.parse` does."""
    stat = path.stat()
    dist, version = package_version(module.split(".", 1)[0])
    key = (dist, version, str(path), stat.st_mtime_ns)
    tree = _PARSED.get(key)
    if tree is None:
        tree = parse(path.read_text(encoding="utf-8", errors="replace"), str(path))
        if len(_PARSED) >= _MAX_PARSED:
            _PARSED.clear()
        _PARSED[key] = tree
    return tree


def cached_count() -> int:
    """How many installed modules are parsed and cached (the tests read it)."""
    return len(_PARSED)


def _plain(stmt: ast.stmt) -> bool:
    """A statement of an API `__init__.py` that needs nothing else: a docstring, a literal
    assignment (`__version__ = "0.2.5"`), `from __future__ import ...`."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return True
    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
        return all(isinstance(t, ast.Name) for t in stmt.targets)
    return isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"


def deferred_imports(tree: ast.Module, path: Path) -> dict[str, ast.stmt] | None:
    """An API package (`__init__.py` made of imports only, as KerasHub's and kimm's generated
    ones are): each name it binds -> the one-name import statement that binds it, run when the
    name is first read. None for any other module (it runs as written)."""
    if path.name != "__init__.py":
        return None
    out: dict[str, ast.stmt] = {}
    for stmt in tree.body:
        if _plain(stmt):
            continue
        if isinstance(stmt, ast.ImportFrom) and stmt.level == 0:
            for alias in stmt.names:
                if alias.name == "*":
                    return None
                one = ast.ImportFrom(module=stmt.module, names=[alias], level=0)
                out[alias.asname or alias.name] = ast.copy_location(one, stmt)
        elif isinstance(stmt, ast.Import) and all(a.asname for a in stmt.names):
            for alias in stmt.names:
                out[alias.asname or alias.name] = ast.copy_location(ast.Import(names=[alias]),
                                                                    stmt)
        else:
            return None
    return out
