"""Re-parsing an edited text: the top-level statements an edit left alone keep their nodes and
their facts, only the lines between them are parsed (and annotated) again.

Sound by construction, else None (the caller parses the whole text): a kept statement is a whole
top-level statement on lines the edit did not touch, the parsed middle is whole statements.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from .source import ParseFailure, parse
from .syntax import Facts, annotate


@dataclass(frozen=True)
class Parsed:
    """A text that parsed, with its top-level statements and the facts of each (never mutated)."""

    text: str
    lines: tuple[str, ...]  # the text's lines, line ends kept
    body: tuple[ast.stmt, ...]
    facts: tuple[Facts, ...]  # one per statement of `body`

    def merged_facts(self) -> Facts:
        out = Facts()
        for f in self.facts:
            out.loaded |= f.loaded
            out.used |= f.used
        return out


# Lines as Python counts them (LF, CRLF, CR; not str.splitlines' form feeds and separators).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def lines(text: str) -> tuple[str, ...]:
    """The text's lines as Python numbers them, each with its line end."""
    return tuple(_LINE.findall(text))


def statement_facts(body: list[ast.stmt]) -> list[Facts]:
    """Each statement's facts (their union is the module's: `syntax.annotate` of the whole)."""
    return [annotate(ast.Module(body=[stmt], type_ignores=[])) for stmt in body]


def parsed(text: str, body: list[ast.stmt], facts: list[Facts]) -> Parsed:
    return Parsed(text, lines(text), tuple(body), tuple(facts))


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None) or []
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def _last_line(stmt: ast.stmt) -> int:
    return stmt.end_lineno or stmt.lineno


def _continues(line: str) -> bool:
    """A line whose end joins the next line (a backslash before the line end)."""
    return line.rstrip("\r\n").endswith("\\")


def reparse(text: str, path: str, previous: Parsed) -> Parsed | None:
    """The parse of `text`, an edit of `previous.text`, reusing the statements the edit left
    alone; None when that cannot be shown equal to parsing `text` whole (parse it whole then)."""
    new = lines(text)
    old = previous.lines
    if text == previous.text:
        return previous
    n = min(len(old), len(new))
    same_head = 0
    while same_head < n and old[same_head] == new[same_head]:
        same_head += 1
    same_tail = 0
    while (same_tail < n - same_head
           and old[len(old) - 1 - same_tail] == new[len(new) - 1 - same_tail]):
        same_tail += 1
    body = previous.body
    # Kept in front: whole statements on unchanged lines, none sharing a line with the next.
    head = 0
    while head < len(body):
        last = _last_line(body[head])
        nxt = body[head + 1] if head + 1 < len(body) else None
        if last > same_head or (nxt is not None and _first_line(nxt) <= last):
            break
        if _continues(old[last - 1]):
            break
        head += 1
    # Kept at the end: only when no line moved (their nodes keep their line numbers).
    tail = len(body)
    if len(new) == len(old):
        first_same = len(old) - same_tail + 1  # 1-based first line of the unchanged end
        while tail > head:
            stmt = body[tail - 1]
            start = _first_line(stmt)
            before = body[tail - 2] if tail - 2 >= 0 else None
            if start < first_same or (before is not None and _last_line(before) >= start):
                break
            tail -= 1
    start_line = _last_line(body[head - 1]) + 1 if head else 1
    end_line = _first_line(body[tail]) - 1 if tail < len(body) else len(new)
    middle = "".join(new[start_line - 1:end_line])
    if "__future__" in middle or (middle and _continues(new[end_line - 1])):
        return None
    try:
        fresh = parse("\n" * (start_line - 1) + middle, path).body if middle.strip() else []
    except ParseFailure:
        return None
    stmts = [*body[:head], *fresh, *body[tail:]]
    facts = [*previous.facts[:head], *statement_facts(fresh), *previous.facts[tail:]]
    return parsed(text, stmts, facts)
