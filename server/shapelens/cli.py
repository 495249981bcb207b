"""`shapelens check FILE|DIR... [--json]`, `shapelens summary FILE`, `shapelens server`.

Exit codes: 0 no error, 1 some error found, 2 could not run (usage, unreadable file).
.py files and Jupyter notebooks (.ipynb: the code cells in order, positions per cell).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

from . import __version__
from .analysis import Analysis, Options, Pos, Site, analyze
from .notebook import NotebookError, Program, analyze_notebook

# Folders `check DIR` never enters: tools' and environments' (a virtualenv holds thousands of
# files that are not the project's), and Jupyter's checkpoint copies of every notebook.
_SKIP_DIRS = {"__pycache__", "node_modules", "site-packages"}


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


def _where(result: Result, pos: Pos) -> dict[str, Any]:
    cell, local = result.place(pos)
    out: dict[str, Any] = {} if cell is None else {"cell": cell}
    out.update(line=local.line, end_line=local.end_line, column=local.column)
    return out


def site_json(site: Site, result: Result | None = None) -> dict[str, Any]:
    where = _where(result, site.pos) if result else {
        "line": site.pos.line, "end_line": site.pos.end_line, "column": site.pos.column}
    return {
        **where,
        "op": site.op,
        "name": site.name,
        "outputs": site.outputs,
        "params": site.params,
    }


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


def _human(result: Result, out: Any) -> None:
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


def _read(path: str) -> str:
    with open(path, "rb") as fh:
        raw = fh.read()
    return raw.decode("utf-8-sig", errors="replace")


def is_notebook(path: str) -> bool:
    return path.lower().endswith(".ipynb")


def analyse_file(path: str, options: Options) -> Result:
    """Read and analyse one .py or .ipynb (OSError, NotebookError when it cannot be read)."""
    text = _read(path)
    if is_notebook(path):
        prog, analysis = analyze_notebook(path, text, options)
        return Result(path, analysis, prog)
    return Result(path, analyze(path, text, options))


def expand(paths: list[str]) -> list[str]:
    """The files to check: each FILE as given, each DIR's .py and .ipynb files (sorted)."""
    out: list[str] = []
    for path in paths:
        if not os.path.isdir(path):
            out.append(path)
            continue
        found = []
        for folder, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS
                       and not os.path.isfile(os.path.join(folder, d, "pyvenv.cfg"))]
            found += [os.path.join(folder, f) for f in files
                      if f.endswith((".py", ".ipynb")) and not f.startswith(".")]
        out += sorted(found)
    return out


def _cannot_read(path: str, e: Exception) -> int:
    reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
    print(f"shapelens: cannot read {path}: {reason}", file=sys.stderr)
    return 2


def cmd_check(args: argparse.Namespace) -> int:
    results = []
    options = Options(extra_paths=args.path or [])
    for path in expand(args.files):
        try:
            results.append(analyse_file(path, options))
        except (OSError, NotebookError) as e:
            return _cannot_read(path, e)
    errors = any(f.severity == "error" for r in results for f in r.analysis.findings_for())
    if args.json:
        json.dump({"files": [file_json(r) for r in results]}, sys.stdout)
        sys.stdout.write("\n")
    else:
        for r in results:
            _human(r, sys.stdout)
    return 1 if errors else 0


def cmd_summary(args: argparse.Namespace) -> int:
    from .analysis.keras.summary import summaries

    try:
        analysis = analyse_file(args.file, Options(extra_paths=args.path or [])).analysis
    except (OSError, NotebookError) as e:
        return _cannot_read(args.file, e)
    tables = summaries(analysis)
    if not tables:
        print(f"{args.file}: no model found")
    for t in tables:
        print(t)
    return 1 if any(f.severity == "error" for f in analysis.findings_for()) else 0


def cmd_graph(args: argparse.Namespace) -> int:
    from .analysis.keras.graphjson import graphs
    from .graphdraw import DrawError, render

    try:
        text = _read(args.file)
    except OSError as e:
        print(f"shapelens: cannot read {args.file}: {e.strerror}", file=sys.stderr)
        return 2
    # A picture of the whole model is worth more than the editor's 1 s per keystroke.
    analysis = analyze(args.file, text, Options(extra_paths=args.path or [],
                                                time_budget=args.budget))
    data = graphs(analysis, args.model)
    if args.model is not None and not data["models"]:
        print(f"shapelens: {args.file} builds no model named {args.model!r}", file=sys.stderr)
        return 2
    try:
        out = json.dumps(data) + "\n" if args.format == "json" else render(
            data, args.format, title=args.file)
    except DrawError as e:
        print(f"shapelens: {e}", file=sys.stderr)
        return 2
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(out)
    else:
        sys.stdout.write(out)
    return 1 if any(f.severity == "error" for f in analysis.findings_for()) else 0


def cmd_server(args: argparse.Namespace) -> int:
    from .lsp.server import main as server_main

    return server_main(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="shapelens", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"shapelens {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="show every layer call's output shape and shape errors")
    p.add_argument("files", nargs="+", metavar="FILE|DIR",
                   help=".py or .ipynb files; a folder: its .py and .ipynb files, recursively")
    p.add_argument("--json", action="store_true", help="machine-readable output (docs/cli-json.md)")
    p.add_argument("--path", action="append", help="extra directory for project imports")
    p.set_defaults(fn=cmd_check)
    p = sub.add_parser("summary", help="model.summary() tables, computed statically")
    p.add_argument("file")
    p.add_argument("--path", action="append", help="extra directory for project imports")
    p.set_defaults(fn=cmd_summary)
    p = sub.add_parser("graph", help="the model graph as JSON, SVG or a self-contained HTML page")
    p.add_argument("file")
    p.add_argument("--model", help="only the model of this name")
    p.add_argument("--format", choices=("html", "svg", "json"), default="html")
    p.add_argument("-o", "--output", help="write here instead of stdout")
    p.add_argument("--budget", type=float, default=60.0, help="analysis time limit, seconds")
    p.add_argument("--path", action="append", help="extra directory for project imports")
    p.set_defaults(fn=cmd_graph)
    p = sub.add_parser("server", help="run the language server (stdio by default)")
    p.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    p.set_defaults(fn=cmd_server)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code not in (0, None) else 0
    try:
        return int(args.fn(args))
    except KeyboardInterrupt:
        return 2
    except BrokenPipeError:  # `shapelens check ... | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
