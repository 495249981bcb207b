"""Re-parsing an edited text: the statements an edit left alone (top-level ones, and those of a
top-level def's or class's body) keep their nodes and facts; only the lines between are parsed.

Each reuse is shown equal to parsing the whole text, or `reparse` answers None (parse it whole).
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass

from .source import ParseFailure, parse
from .syntax import Facts, annotate, is_generator, mark_generator

BLOCKS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
METHODS = (ast.FunctionDef, ast.AsyncFunctionDef)  # in a class's body: its methods


@dataclass(frozen=True)
class Block:
    """A top-level def or class as an edit inside its body needs it: its header's facts and each
    body statement's (`yields`: for the function itself, as `annotate` marks it)."""

    header: Facts
    facts: tuple[Facts, ...]
    header_yields: bool  # a yield in a def's decorators or defaults (annotate: the def's)

    def generator(self) -> bool:
        return self.header_yields or any(f.yields for f in self.facts)

    def module_facts(self, function: bool) -> Facts:
        """The statement's facts as `annotate` of the module has them."""
        out = _union(_copy(self.header), self.facts)
        out.yields = not function and out.yields  # a def's yields are its own
        return out


@dataclass(frozen=True)
class Parsed:
    """A text that parsed, with its top-level statements and the facts of each (never mutated:
    an edit makes new nodes where it changed something, and shares the others)."""

    text: str
    lines: tuple[str, ...]  # the text's lines, line ends kept
    body: tuple[ast.stmt, ...]
    facts: tuple[Facts, ...]  # one per statement of `body`
    blocks: tuple[Block | None, ...]  # one per statement: a def or class once edited inside

    def merged_facts(self) -> Facts:
        return _union(Facts(), self.facts)


def _union(out: Facts, each: tuple[Facts, ...] | list[Facts]) -> Facts:
    for f in each:
        out.loaded |= f.loaded
        out.used |= f.used
        out.yields |= f.yields
    return out


# Lines as Python counts them (LF, CRLF, CR; not str.splitlines' form feeds and separators).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


# The line ends `str.splitlines` knows besides Python's, in ASCII (the others are not ASCII).
_OTHER_ASCII_ENDS = ("\v", "\f", "\x1c", "\x1d", "\x1e")


def lines(text: str) -> tuple[str, ...]:
    """The text's lines as Python numbers them, each with its line end."""
    if text.isascii() and not any(end in text for end in _OTHER_ASCII_ENDS):
        # Only LF, CRLF, CR end a line here: `splitlines` splits as `_LINE` does, in a tenth
        # of the time (every analysis of an edit keeps its text's lines).
        return tuple(text.splitlines(True))
    return tuple(_LINE.findall(text))


def statement_facts(body: list[ast.stmt]) -> list[Facts]:
    """Each statement's facts (their union is the module's: `syntax.annotate` of the whole)."""
    return [annotate(ast.Module(body=[stmt], type_ignores=[])) for stmt in body]


def analysed(body: list[ast.stmt]) -> tuple[list[Facts], list[Block | None]]:
    """Each statement's facts (their union is the module's: `syntax.annotate` of the whole), and
    for a def or class its Block (made in the same walk)."""
    facts: list[Facts] = []
    blocks: list[Block | None] = []
    for stmt in body:
        if isinstance(stmt, BLOCKS) and stmt.body:
            block = _block(stmt)
            facts.append(block.module_facts(not isinstance(stmt, ast.ClassDef)))
            blocks.append(block)
        else:
            facts += statement_facts([stmt])
            blocks.append(None)
    return facts, blocks


def parsed(text: str, body: list[ast.stmt], facts: list[Facts],
           blocks: list[Block | None]) -> Parsed:
    return Parsed(text, lines(text), tuple(body), tuple(facts), tuple(blocks))


def _copy(facts: Facts) -> Facts:
    return Facts(set(facts.loaded), set(facts.used), facts.yields)


def first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None) or []
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def last_line(stmt: ast.stmt) -> int:
    return stmt.end_lineno or stmt.lineno


def _continues(line: str) -> bool:
    """A line whose end joins the next line (a backslash before the line end)."""
    return line.rstrip("\r\n").endswith("\\")


def _kept(stmts: list[ast.stmt], old: tuple[str, ...], same_head: int,
          first_same: int | None) -> tuple[int, int]:
    """How many of `stmts` are kept in front (whole, on the first `same_head` lines, none sharing
    a line with the next or continued onto it) and where the kept end starts (each from 1-based
    line `first_same` on, none sharing a line with the one before; None: none kept)."""
    head = 0
    while head < len(stmts):
        last = last_line(stmts[head])
        nxt = stmts[head + 1] if head + 1 < len(stmts) else None
        if last > same_head or (nxt is not None and first_line(nxt) <= last):
            break
        if _continues(old[last - 1]):
            break
        head += 1
    tail = len(stmts)
    while first_same is not None and tail > head:
        start = first_line(stmts[tail - 1])
        before = stmts[tail - 2] if tail >= 2 else None
        if start < first_same or (before is not None and last_line(before) >= start):
            break
        tail -= 1
    return head, tail


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
    body = list(previous.body)
    # The end is kept only when no line moved (its nodes keep their line numbers).
    moved = len(new) != len(old)
    head, tail = _kept(body, old, same_head, None if moved else len(old) - same_tail + 1)
    if not moved and tail - head == 1:  # inside one def or class, maybe
        inner = _reblock(text, path, previous, new, head, same_head + 1, len(new) - same_tail)
        if inner is not None:
            return inner
    start_line = last_line(body[head - 1]) + 1 if head else 1
    end_line = first_line(body[tail]) - 1 if tail < len(body) else len(new)
    middle = "".join(new[start_line - 1:end_line])
    if "__future__" in middle or (middle and _continues(new[end_line - 1])):
        return None
    try:
        fresh = parse("\n" * (start_line - 1) + middle, path).body if middle.strip() else []
    except ParseFailure:
        return None
    facts, blocks = analysed(fresh)
    return Parsed(
        text, new, (*body[:head], *fresh, *body[tail:]),
        (*previous.facts[:head], *facts, *previous.facts[tail:]),
        (*previous.blocks[:head], *blocks, *previous.blocks[tail:]),
    )


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t\f"))]


def _block(stmt: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> Block:
    """The def's facts walked as `annotate` walks it (which marks it a generator or not)."""
    bare = copy.copy(stmt)
    bare.body = []
    header = annotate(ast.Module(body=[bare], type_ignores=[]))
    block = Block(header, tuple(statement_facts(stmt.body)), is_generator(bare))
    if not isinstance(stmt, ast.ClassDef):
        mark_generator(stmt, block.generator())
    return block


def _span(stmt: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, old: tuple[str, ...],
          first_changed: int, last_changed: int) -> tuple[int, int, int, int] | None:
    """For changed lines `first_changed..last_changed` inside the body of `stmt`: how many body
    statements are kept in front and where the kept end starts, and the lines between them."""
    body = stmt.body
    if not body:
        return None
    begin = first_line(body[0])
    if begin <= stmt.lineno or first_changed < begin or last_changed > last_line(stmt):
        return None
    head, tail = _kept(body, old, first_changed - 1, last_changed + 1)
    start = last_line(body[head - 1]) + 1 if head else begin
    end = first_line(body[tail]) - 1 if tail < len(body) else last_line(stmt)
    return head, tail, start, end


def _parse_span(path: str, new: tuple[str, ...], old: tuple[str, ...], begin: int, start: int,
                end: int) -> list[ast.stmt] | None:
    """Lines `start..end` of a body whose first statement is on line `begin`, parsed alone (in
    an `if 1:` at column 0, as the body is: the same indentation rules)."""
    middle = "".join(new[start - 1:end])
    if not middle.strip() or "__future__" in middle or _continues(new[end - 1]):
        return None
    try:
        wrapper = parse("\n" * (start - 2) + "if 1:\n" + middle, path).body
    except ParseFailure:
        return None
    # A line at column 0 ends the wrapper: a statement after it, or its own `else` / `elif`.
    if len(wrapper) != 1 or not isinstance(wrapper[0], ast.If) or wrapper[0].orelse:
        return None
    fresh = wrapper[0].body
    indent = _indent(old[begin - 1])
    if any(_indent(new[first_line(s) - 1]) != indent for s in fresh):
        return None
    return fresh


def _remethod(path: str, new: tuple[str, ...], old: tuple[str, ...],
              method: ast.FunctionDef | ast.AsyncFunctionDef, first_changed: int,
              last_changed: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The method with only its changed body statements parsed again (the others shared)."""
    span = _span(method, old, first_changed, last_changed)
    if span is None:
        return None
    head, tail, start, end = span
    fresh = _parse_span(path, new, old, first_line(method.body[0]), start, end)
    if fresh is None:
        return None
    node = copy.copy(method)
    node.body = [*method.body[:head], *fresh, *method.body[tail:]]
    node.end_lineno, node.end_col_offset = node.body[-1].end_lineno, node.body[-1].end_col_offset
    return node


def _reblock(text: str, path: str, previous: Parsed, new: tuple[str, ...], index: int,
             first_changed: int, last_changed: int) -> Parsed | None:
    """An edit of lines `first_changed..last_changed` (as many lines as before) inside the body
    of the top-level def or class `previous.body[index]`: only its changed body statements are
    parsed; in a class, an edit inside one method's body parses only that body's changed
    statements."""
    stmt = previous.body[index]
    if not isinstance(stmt, BLOCKS):
        return None
    old = previous.lines
    span = _span(stmt, old, first_changed, last_changed)
    if span is None:
        return None
    head, tail, start, end = span
    body = stmt.body
    fresh: list[ast.stmt] | None = None
    target = body[head] if tail - head == 1 else None
    if isinstance(stmt, ast.ClassDef) and isinstance(target, METHODS):
        method = _remethod(path, new, old, target, first_changed, last_changed)
        fresh = [method] if method is not None else None
    if fresh is None:
        fresh = _parse_span(path, new, old, first_line(body[0]), start, end)
        if fresh is None:
            return None
    block = previous.blocks[index] or _block(stmt)
    edited = Block(block.header,
                   (*block.facts[:head], *statement_facts(fresh), *block.facts[tail:]),
                   block.header_yields)
    node = copy.copy(stmt)
    node.body = [*body[:head], *fresh, *body[tail:]]
    node.end_lineno, node.end_col_offset = node.body[-1].end_lineno, node.body[-1].end_col_offset
    function = not isinstance(node, ast.ClassDef)
    if function:
        mark_generator(node, edited.generator())
    return Parsed(
        text, new,
        (*previous.body[:index], node, *previous.body[index + 1:]),
        (*previous.facts[:index], edited.module_facts(function), *previous.facts[index + 1:]),
        (*previous.blocks[:index], edited, *previous.blocks[index + 1:]),
    )
