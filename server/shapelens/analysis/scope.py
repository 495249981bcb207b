"""Scopes: a chain of name -> value dicts, as Python's LEGB lookup sees them.

Module and function scopes are Env objects; class bodies use a plain dict that methods do not see.
"""

from __future__ import annotations

from typing import Any

from .values import MISSING


class Env:
    def __init__(self, parent: Env | None = None, kind: str = "function"):
        self.vars: dict[str, Any] = {}
        self.parent = parent
        self.kind = kind
        self.globals_decl: set[str] = set()
        self.nonlocal_decl: set[str] = set()

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

    def snapshot(self) -> dict[str, Any]:
        return dict(self.vars)
