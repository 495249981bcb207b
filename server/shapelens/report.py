"""One checked file as `shapelens check` prints it: its JSON entry (docs/cli-json.md) or its text.

`check_one` reads, analyses and renders one file; it runs in a worker process as well as in-process.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from .analysis import Analysis, Options, Pos, Site, analyze
from .notebook import NotebookError, Program, analyze_notebook


@dataclass
class Result:
    """One file's analysis; for a notebook, the program its code cells made."""

    path: str
    analysis: Analysis
    program: Program | None = None

    def place(self, pos: Pos) -> tuple[int | None, Pos]:
        """(cell index or None for a .py, the position within that cell or file)."""
        if self.program is None:
            return None, pos
        cell, local = self.program.locate_or_first(pos)
        return (cell.index if cell else 0), local


@dataclass(frozen=True)
class Outcome:
    """What the CLI prints for one file, rendered where it was analysed (small to send back)."""

    path: str
    entry: dict[str, Any] | None = None  # the file's JSON entry (--json)
    text: str = ""  # the file's text output
    has_error: bool = False
    unreadable: str | None = None  # why the file could not be read; then nothing else is set


def _where(result: Result, pos: Pos) -> dict[str, Any]:
    cell, local = result.place(pos)
    out: dict[str, Any] = {} if cell is None else {"cell": cell}
    out.update(line=local.line, end_line=local.end_line, column=local.column)
    return out


def site_json(site: Site, result: Result | None = None) -> dict[str, Any]:
    where = _where(result, site.pos) if result else {
        "line": site.pos.line, "end_line": site.pos.end_line, "column": site.pos.column}
    out = {
        **where,
        "op": site.op,
        "name": site.name,
        "outputs": site.outputs,
        "params": site.params,
    }
    if any(s is not None for s in site.symbolic):
        # Beside each output, the same shape in the sizes an Input left open (docs/cli-json.md).
        out["symbolic"] = site.symbolic
    return out


def file_json(result: Result) -> dict[str, Any]:
    analysis = result.analysis
    return {
        "path": result.path,
        "sites": [site_json(s, result) for s in analysis.sites_for()],
        "diagnostics": [
            {
                **_where(result, f.pos),
                "severity": f.severity,
                "code": f.code,
                "message": f.message,
            }
            for f in analysis.findings_for()
        ],
    }


def _fmt_output(value: Any) -> str:
    if value is None:
        return "?"
    if value and all(isinstance(v, list) or v is None for v in value):
        return "[" + ", ".join(_fmt_output(v) for v in value) + "]"
    inner = ", ".join("None" if d is None else str(d) for d in value)
    return f"({inner},)" if len(value) == 1 else f"({inner})"


def human(result: Result, out: Any) -> None:
    """The text output: the path, one line per site, one `path:line:col: ...` per diagnostic."""
    path, analysis = result.path, result.analysis
    out.write(f"{path}\n")
    for s in analysis.sites_for():
        shapes = "  ".join(_fmt_output(o) for o in s.outputs)
        params = f"  params={s.params:,}" if s.params else ""
        name = f" {s.name}" if s.name else ""
        cell, local = result.place(s.pos)
        # A reader counts cells from 1, from the top (markdown cells too); JSON has the index.
        at = f"  {local.line:>5}" if cell is None else f"  cell {cell + 1:<3}{local.line:>4}"
        out.write(f"{at}  {s.op}{name}  -> {shapes}{params}\n")
    for f in analysis.findings_for():
        cell, local = result.place(f.pos)
        where = path if cell is None else f"{path}:cell {cell + 1}"
        out.write(f"{where}:{local.line}:{local.column}: {f.severity} {f.code} {f.message}\n")


def read_text(path: str) -> str:
    with open(path, "rb") as fh:
        raw = fh.read()
    return raw.decode("utf-8-sig", errors="replace")


def is_notebook(path: str) -> bool:
    return path.lower().endswith(".ipynb")


def analyse_file(path: str, options: Options) -> Result:
    """Read and analyse one .py or .ipynb (OSError, NotebookError when it cannot be read)."""
    text = read_text(path)
    if is_notebook(path):
        prog, analysis = analyze_notebook(path, text, options)
        return Result(path, analysis, prog)
    return Result(path, analyze(path, text, options))


def unreadable_reason(e: Exception) -> str:
    return e.strerror if isinstance(e, OSError) and e.strerror else str(e)


def check_one(path: str, options: Options, as_json: bool) -> Outcome:
    """Analyse one file and render it: the JSON entry or the text, never both (half the work)."""
    try:
        result = analyse_file(path, options)
    except (OSError, NotebookError) as e:
        return Outcome(path, unreadable=unreadable_reason(e))
    has_error = any(f.severity == "error" for f in result.analysis.findings_for())
    if as_json:
        return Outcome(path, entry=file_json(result), has_error=has_error)
    out = io.StringIO()
    human(result, out)
    return Outcome(path, text=out.getvalue(), has_error=has_error)
