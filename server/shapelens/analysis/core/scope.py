"""Scopes: a chain of name -> value dicts, as Python's LEGB lookup sees them.

Module and function scopes are Env objects; class bodies use a plain dict that methods do not see.
"""

from __future__ import annotations

from typing import Any


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()  # "no such name/attribute" (distinct from a value None)


class Env:
    def __init__(self, parent: Env | None = None, kind: str = "function"):
        self.vars: dict[str, Any] = {}
        self.parent = parent
        self.kind = kind
        self.globals_decl: set[str] = set()
        self.nonlocal_decl: set[str] = set()
        # In a method's scope: (the class that defined it, its `self`), for `super()`.
        self.method: tuple[Any, Any] | None = None
        # In a generator's scope: the items it yielded, and whether a branch may have skipped some.
        self.yields: list[Any] | None = None
        self.yields_uncertain = False

    def lookup(self, name: str) -> Any:
        env: Env | None = self
        while env is not None:
            if name in env.vars:
                return env.vars[name]
            env = env.parent
        return MISSING

    def module_env(self) -> Env:
        env = self
        while env.parent is not None:
            env = env.parent
        return env

    def assign(self, name: str, value: Any) -> None:
        if name in self.globals_decl:
            self.module_env().vars[name] = value
            return
        if name in self.nonlocal_decl:
            env = self.parent
            while env is not None and env.parent is not None:
                if name in env.vars:
                    env.vars[name] = value
                    return
                env = env.parent
        self.vars[name] = value

    def method_scope(self) -> tuple[Any, Any] | None:
        """The innermost enclosing method's (class, self), as `super()` with no arguments uses."""
        env: Env | None = self
        while env is not None:
            if env.method is not None:
                return env.method
            env = env.parent
        return None

    def snapshot(self) -> dict[str, Any]:
        return dict(self.vars)
