"""Which files `shapelens check PATH...` reads: each FILE as given, each DIR's .py and .ipynb files.

A walk skips the folders tools never hold project code in (ruff's default list), what the
project's `.gitignore` files ignore (git's rules) and `--exclude`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from pathspec import GitIgnoreSpec

SUFFIXES = (".py", ".ipynb")
# Folders a walk never enters, whatever a .gitignore says: version-control data, virtualenvs,
# caches and build output. The list is ruff's default `exclude` (users know it from there); a
# project without a .gitignore must not have its .venv's site-packages checked.
ALWAYS_SKIPPED = frozenset({
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints",
    ".mypy_cache", ".nox", ".pants.d", ".pyenv", ".pytest_cache", ".pytype", ".ruff_cache",
    ".svn", ".tox", ".venv", ".vscode", "__pypackages__", "_build", "buck-out", "dist",
    "node_modules", "site-packages", "venv",
})


@dataclass(frozen=True)
class _Rules:
    """The patterns of one .gitignore file (or one --exclude), relative to their folder."""

    base: str  # absolute folder the patterns are relative to
    spec: GitIgnoreSpec

    def verdict(self, path: str, is_dir: bool) -> bool | None:
        """True ignored, False re-included by a `!pattern`, None: no pattern names `path`."""
        rel = os.path.relpath(path, self.base).replace(os.sep, "/")
        return self.spec.check_file(rel + "/" if is_dir else rel).include


def _read_gitignore(folder: str) -> _Rules | None:
    try:
        with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:  # none there (the usual case), or unreadable: git skips it too
        return None
    return _Rules(folder, GitIgnoreSpec.from_lines(lines)) if lines else None


def _ignored(stack: list[_Rules], path: str, is_dir: bool) -> bool:
    # Git: a deeper .gitignore overrides a shallower one; within one file the last match wins
    # (GitIgnoreSpec does that part).
    for rules in reversed(stack):
        verdict = rules.verdict(path, is_dir)
        if verdict is not None:
            return verdict
    return False


def _repo_root(folder: str) -> str | None:
    """The nearest folder at or above `folder` holding `.git` (a folder, or a worktree's file)."""
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _ancestor_rules(root: str) -> list[_Rules]:
    """The .gitignore files above `root` up to its repository's top, outermost first.

    Outside a git repository there are none: a .gitignore above the project is not its own.
    """
    top = _repo_root(root)
    if top is None or top == root:
        return []
    folders = []
    folder = os.path.dirname(root)
    while True:
        folders.append(folder)
        if folder == top:
            break
        folder = os.path.dirname(folder)
    found = (_read_gitignore(f) for f in reversed(folders))
    return [r for r in found if r is not None]


def exclude_rules(patterns: Iterable[str], cwd: str) -> list[_Rules]:
    """--exclude patterns: each as one line of a .gitignore in the current folder."""
    return [_Rules(cwd, GitIgnoreSpec.from_lines([p])) for p in patterns]


def _skipped(path: str, is_dir: bool, stack: list[_Rules], exclude: list[_Rules]) -> bool:
    return _ignored(stack, path, is_dir) or any(r.verdict(path, is_dir) for r in exclude)


def _walk(root: str, exclude: list[_Rules]) -> list[str]:
    top = os.path.abspath(root)
    ancestors = _ancestor_rules(top)
    # A folder named on the command line is checked even if ignored (as a named file is): the
    # rules that ignore it, or a folder above it, would otherwise ignore everything inside it.
    if _ignored(ancestors, top, True):
        ancestors = []
    exclude = [r for r in exclude if not r.verdict(top, True)]
    stacks: dict[str, list[_Rules]] = {}
    found = []
    for folder, dirs, files in os.walk(root):
        here = os.path.abspath(folder)
        parent = stacks.get(os.path.dirname(here), ancestors)  # the top: its parent's rules
        own = _read_gitignore(here)
        stack = [*parent, own] if own else parent
        stacks[here] = stack
        dirs[:] = [d for d in dirs if d not in ALWAYS_SKIPPED
                   and not _skipped(os.path.join(here, d), True, stack, exclude)]
        found += [os.path.join(folder, f) for f in files if f.endswith(SUFFIXES)
                  and not _skipped(os.path.join(here, f), False, stack, exclude)]
    return sorted(found)


def expand(paths: list[str], exclude: Iterable[str] = ()) -> list[str]:
    """The files to check, in order: each FILE as given (always, even if ignored or excluded),
    each DIR's .py and .ipynb files in its place, sorted, less the ignored and excluded ones."""
    rules = exclude_rules(exclude, os.getcwd())
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            out += _walk(path, rules)
        else:
            out.append(path)
    return out
