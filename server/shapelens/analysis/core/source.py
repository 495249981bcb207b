"""Parsing a module's text: at once for a normal file, by slices of top-level statements if big.

`ast.parse` cannot be interrupted, so a big file is read slice by slice with the clock checked in
between: a 50,000-line file ends within the time budget with the shapes of its first part.
"""

from __future__ import annotations

import ast
import re
import time
from collections.abc import Callable, Iterator

PIECE_CHARS = 50_000  # a file up to this size is parsed at once (a few ms)
# Seconds `ast.parse` takes per char of model code before any slice was timed (1.6e-6 measured
# on a loaded 2-core VM): a first slice that is one huge statement is then not parsed at all.
PRIOR_PER_CHAR = 1e-6

# A line end followed by a line that can start a top-level statement: a cut there may end the
# statement before it (a cut that does not is found when the slice fails to parse).
_CUT = re.compile(r"(?:\r\n|\r|\n)(?=[^\s#)\]}])(?!(?:else|elif|except|finally)\b)")


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


def _line_ends(text: str) -> int:
    """How many lines `text` ends (LF, CRLF and CR, as Python counts them)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def statements(
    text: str, path: str, seconds_left: Callable[[], float]
) -> Iterator[list[ast.stmt]]:
    """The module's top-level statements, slice by slice, with their real line numbers.

    Raises ParseFailure when the text does not parse (after the slices before the error were
    given), NoTime when the next slice would end after the deadline (estimated from the speed
    of the slices parsed so far, PRIOR_PER_CHAR before the first).
    """
    if len(text) <= PIECE_CHARS:
        yield parse(text, path).body
        return
    per_char, measured = PRIOR_PER_CHAR, False  # seconds to parse one char
    start, line = 0, 0  # offset in the text, lines before it
    while start < len(text):
        size = PIECE_CHARS
        while True:
            # The first cut past `size` chars; a failed parse may just be a cut mid-statement
            # (a multi-line string, a decorator): retry with twice the text.
            cut = _CUT.search(text, start + size)
            end = cut.start() + len(cut.group()) if cut else len(text)
            chunk = text[start:end]
            if per_char * len(chunk) > seconds_left():
                raise NoTime(line + 1)
            t0 = time.monotonic()
            try:
                # Blank lines in front give every node its line number in the whole file.
                tree = parse("\n" * line + chunk, path)
            except ParseFailure:
                if end >= len(text):
                    raise
                size *= 2
                continue
            finally:
                took = (time.monotonic() - t0) / len(chunk)
                per_char, measured = (max(per_char, took) if measured else took), True
            break
        yield tree.body
        start, line = end, line + _line_ends(chunk)
