"""Parsing a module's text: at once for a normal file, by slices of top-level statements if big.

`ast.parse` cannot be interrupted, so a big file is read slice by slice with the clock checked in
between: a 50,000-line file ends within the time budget with the shapes of its first part.
"""

from __future__ import annotations

import ast
import re
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator
from itertools import accumulate

PIECE_CHARS = 50_000  # a file up to this size is parsed at once (a few ms)

# Python's own line ends (not str.splitlines, which also splits at \f, \v, \x1c, \u2028, ...).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# A line that can start a top-level statement: a cut before it may end the previous one.
_STARTS = re.compile(r"[^\s#)\]}]")
_CONTINUES = re.compile(r"(?:else|elif|except|finally)\b")


class ParseFailure(Exception):
    """The text does not parse; `line` is 1-based, 0 when Python gives no line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class NoTime(Exception):
    """The next slice (from 1-based `line`) cannot be parsed before the deadline."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def parse(text: str, path: str) -> ast.Module:
    """`ast.parse`, with every way it fails on hostile text turned into a ParseFailure."""
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as e:
        raise ParseFailure(e.lineno or 0, e.msg or str(e)) from None
    except (ValueError, OverflowError) as e:
        raise ParseFailure(0, str(e)) from None
    except RecursionError:
        raise ParseFailure(0, "the code is nested too deeply for Python's parser") from None
    except MemoryError:  # the parser's own stack overflow raises an empty MemoryError
        raise ParseFailure(0, "the code is nested too deeply for Python's parser") from None


def _is_start(line: str) -> bool:
    return bool(_STARTS.match(line)) and not _CONTINUES.match(line)


def statements(
    text: str, path: str, seconds_left: Callable[[], float]
) -> Iterator[list[ast.stmt]]:
    """The module's top-level statements, slice by slice, with their real line numbers.

    Raises ParseFailure when the text does not parse (after the slices before the error were
    given), NoTime when the next slice would end after the deadline (estimated from the speed
    of the slices parsed so far).
    """
    if len(text) <= PIECE_CHARS:
        yield parse(text, path).body
        return
    lines = _LINE.findall(text)
    ends = list(accumulate(len(ln) for ln in lines))  # ends[i]: chars up to the end of line i
    cuts = [i for i, ln in enumerate(lines) if i and _is_start(ln)] + [len(lines)]
    per_char = 0.0  # seconds to parse one char, measured
    start = 0
    while start < len(lines):
        before = ends[start - 1] if start else 0
        size = PIECE_CHARS
        while True:
            # The first cut past `size` chars; a failed parse may just be a cut mid-statement
            # (a multi-line string, a decorator): retry with twice the text.
            want = bisect_left(ends, before + size)
            end = cuts[bisect_left(cuts, max(want, start + 1))]
            chunk = "".join(lines[start:end])
            if per_char * len(chunk) > seconds_left():
                raise NoTime(start + 1)
            t0 = time.monotonic()
            try:
                # Blank lines in front give every node its line number in the whole file.
                tree = parse("\n" * start + chunk, path)
            except ParseFailure:
                if end >= len(lines):
                    raise
                size *= 2
                continue
            finally:
                per_char = max(per_char, (time.monotonic() - t0) / len(chunk))
            break
        yield tree.body
        start = end
