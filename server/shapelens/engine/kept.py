"""Answers that depend on their arguments only, kept from one analysis to the next: what the
last analysis asked, and what this one asked so far (`turn` starts an analysis)."""

from __future__ import annotations

from typing import Any

ABSENT = object()


class Kept:
    """Two generations of answers: this analysis' and the one before's. An answer the analysis
    before gave is moved into this one's when asked again; at `turn` the older generation is
    dropped, so what stays is what the last analysis asked (bounded by its text)."""

    def __init__(self) -> None:
        self.now: dict[Any, Any] = {}
        self.before: dict[Any, Any] = {}
        ALL.append(self)

    def get(self, key: Any) -> Any:
        answer = self.now.get(key, ABSENT)
        if answer is ABSENT:
            answer = self.before.get(key, ABSENT)
            if answer is not ABSENT:
                self.now[key] = answer
        return answer

    def put(self, key: Any, answer: Any) -> Any:
        self.now[key] = answer
        return answer

    def turn(self) -> None:
        if self.now:
            self.before, self.now = self.now, {}

    def settle(self) -> None:
        self.before = {}

    def forget(self) -> None:
        self.now, self.before = {}, {}


ALL: list[Kept] = []


def turn() -> None:
    """An analysis starts: what the one before did not ask again is dropped."""
    for kept in ALL:
        kept.turn()


def settle() -> None:
    """An analysis ended: only what it asked stays kept (a storm of edits leaves nothing)."""
    for kept in ALL:
        kept.settle()


def forget() -> None:
    for kept in ALL:
        kept.forget()


def count() -> int:
    """Answers kept now, both generations (the server's stats)."""
    return sum(len(k.now) + len(k.before) for k in ALL)
