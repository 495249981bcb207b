"""What the analysis reports: sites (a call and the shapes seen there) and findings (diagnostics).

Positions are 1-based lines and 1-based columns (ast col_offset + 1), spanning the whole call.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ...engine.codes import severity
from .dispatch import SHAPE_JSON, SYMBOLIC_JSON


@dataclass(frozen=True, init=False)
class Pos:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(self, path: str, line: int, column: int, end_line: int, end_column: int) -> None:
        # Frozen, so the fields go straight into __dict__: the generated __init__ sets each
        # through object.__setattr__, twice the cost, and a Pos is made for every call evaluated.
        fields = self.__dict__
        fields["path"] = path
        fields["line"] = line
        fields["column"] = column
        fields["end_line"] = end_line
        fields["end_column"] = end_column

    @staticmethod
    def of(path: str, node: ast.AST) -> Pos:
        try:  # a parsed node has all four (every call evaluated asks): no getattr calls
            line = node.lineno  # type: ignore[attr-defined]
            col = node.col_offset  # type: ignore[attr-defined]
            end_line = node.end_lineno  # type: ignore[attr-defined]
            end_col = node.end_col_offset  # type: ignore[attr-defined]
        except AttributeError:  # a node made by the analyser may lack them
            line = getattr(node, "lineno", 1)
            col = getattr(node, "col_offset", 0)
            end_line = getattr(node, "end_lineno", line)
            end_col = getattr(node, "end_col_offset", col)
        return Pos(path, line, col + 1, end_line or line, (end_col or col) + 1)


@dataclass(frozen=True, init=False)
class Inner:
    """A site evaluated inside one call of a user function (its hover lists them, with lines)."""

    path: str
    line: int
    op: str
    name: str | None
    outputs: Any

    def __init__(self, path: str, line: int, op: str, name: str | None, outputs: Any) -> None:
        # As `Pos`: the fields straight into __dict__ (one per site a helper's body records).
        self.__dict__.update(path=path, line=line, op=op, name=name, outputs=outputs)


@dataclass
class Evaluation:
    """One distinct output seen at a site, with what produced it (for hover)."""

    outputs: Any  # JSON form: list of int|None, None, or list of those
    inputs: Any = None  # JSON form of the input shape(s)
    derivation: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown: str | None = None
    count: int = 1
    after_error: bool = False  # seen after Keras would already have stopped at an earlier error
    # The calls that led here: per evaluation, the lines of the user-function calls in progress
    # (outermost first), e.g. [(40, 27)] for `stage(...)` on line 40 calling `block(...)` on 27.
    via: list[tuple[int, ...]] = field(default_factory=list)
    # A user-function call's site: the sites its body evaluated directly (a nested helper call
    # is one entry; the layers inside it are listed on its own line), for this call.
    inside: list[Inner] = field(default_factory=list)
    # The output in the sizes an Input left open (`[null, "ceil(H/2)", 64]`), and how it was
    # computed in them; None where no size is open.
    symbolic: Any = None
    symbolic_derivation: list[str] = field(default_factory=list)
    symbolic_more: list[Any] = field(default_factory=list)  # other calls' forms of this output


@dataclass
class Site:
    pos: Pos
    op: str
    name: str | None = None
    params: int | None = None
    evaluations: list[Evaluation] = field(default_factory=list)

    @property
    def outputs(self) -> list[Any]:
        return [e.outputs for e in self.evaluations]

    @property
    def symbolic(self) -> list[Any]:
        """Each output's form in the sizes an Input left open (None where none is open)."""
        return [e.symbolic for e in self.evaluations]

    @property
    def outputs_before_error(self) -> list[Any]:
        """What TensorFlow itself would have seen: Keras stops at the file's first error."""
        return [e.outputs for e in self.evaluations if not e.after_error]

    def add(self, ev: Evaluation) -> None:
        for e in self.evaluations:
            if e.outputs == ev.outputs:
                e.count += 1
                if ev.symbolic is not None and ev.symbolic not in [*e.symbolic_more, e.symbolic]:
                    e.symbolic_more.append(ev.symbolic)
                if len(e.via) < 12:
                    e.via += [c for c in ev.via if c not in e.via]
                return
        self.evaluations.append(ev)


@dataclass
class Finding:
    pos: Pos
    code: str
    message: str
    data: dict[str, Any] | None = None

    @property
    def severity(self) -> str:
        return severity(self.code)


def shape_json(value: Any) -> Any:
    """A tensor's shape (or a nested structure of them) in the CLI JSON form; the shape of a
    value of another kind as its kind says (`dispatch.SHAPE_JSON`), else None."""
    handler = SHAPE_JSON.handlers[type(value)]
    if handler is not None:
        return handler(value)
    if isinstance(value, (list, tuple)):
        return [shape_json(v) for v in value]
    if isinstance(value, dict):
        return [shape_json(v) for v in value.values()]
    return None


@dataclass
class Analysis:
    """What one analysis found, per file path (the analysed file and the modules it read)."""

    path: str
    sites: dict[str, list[Site]]
    findings: dict[str, list[Finding]]
    models: list[Any]
    stopped: str | None = None
    # Names the analysed file uses that nothing defines (a half-typed `Conv2`): Python would stop
    # there with a NameError/AttributeError.
    undefined: frozenset[str] = frozenset()

    def sites_for(self, path: str | None = None) -> list[Site]:
        return self.sites.get(path or self.path, [])

    def findings_for(self, path: str | None = None) -> list[Finding]:
        return self.findings.get(path or self.path, [])


def symbolic_json(value: Any) -> Any:
    """Like `shape_json`, in the sizes an Input left open (`dispatch.SYMBOLIC_JSON`); None where
    the value has no such form."""
    handler = SYMBOLIC_JSON.handlers[type(value)]
    if handler is not None:
        return handler(value)
    if isinstance(value, (list, tuple)):
        parts = [symbolic_json(v) for v in value]
        return parts if any(p is not None for p in parts) else None
    return None
