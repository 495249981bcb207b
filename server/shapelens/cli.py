"""`shapelens check FILE... [--json]`, `shapelens summary FILE`, `shapelens server`.

Exit codes: 0 no error, 1 some error found, 2 could not run (usage, unreadable file).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import __version__
from .analysis import Analysis, Options, analyze
from .analysis.core.sites import Site


def site_json(site: Site) -> dict[str, Any]:
    return {
        "line": site.pos.line,
        "end_line": site.pos.end_line,
        "column": site.pos.column,
        "op": site.op,
        "name": site.name,
        "outputs": site.outputs,
        "params": site.params,
    }


def file_json(path: str, analysis: Analysis) -> dict[str, Any]:
    return {
        "path": path,
        "sites": [site_json(s) for s in analysis.sites_for()],
        "diagnostics": [
            {
                "line": f.pos.line,
                "end_line": f.pos.end_line,
                "column": f.pos.column,
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


def _human(path: str, analysis: Analysis, out: Any) -> None:
    out.write(f"{path}\n")
    for s in analysis.sites_for():
        shapes = "  ".join(_fmt_output(o) for o in s.outputs)
        params = f"  params={s.params:,}" if s.params else ""
        name = f" {s.name}" if s.name else ""
        out.write(f"  {s.pos.line:>5}  {s.op}{name}  -> {shapes}{params}\n")
    for f in analysis.findings_for():
        out.write(f"{path}:{f.pos.line}:{f.pos.column}: {f.severity} {f.code} {f.message}\n")


def _read(path: str) -> str:
    with open(path, "rb") as fh:
        raw = fh.read()
    return raw.decode("utf-8-sig", errors="replace")


def cmd_check(args: argparse.Namespace) -> int:
    results = []
    options = Options(extra_paths=args.path or [])
    for path in args.files:
        try:
            text = _read(path)
        except OSError as e:
            print(f"shapelens: cannot read {path}: {e.strerror}", file=sys.stderr)
            return 2
        results.append((path, analyze(path, text, options)))
    errors = any(f.severity == "error" for _, a in results for f in a.findings_for())
    if args.json:
        json.dump({"files": [file_json(p, a) for p, a in results]}, sys.stdout)
        sys.stdout.write("\n")
    else:
        for p, a in results:
            _human(p, a, sys.stdout)
    return 1 if errors else 0


def cmd_summary(args: argparse.Namespace) -> int:
    from .analysis.keras.summary import summaries

    try:
        text = _read(args.file)
    except OSError as e:
        print(f"shapelens: cannot read {args.file}: {e.strerror}", file=sys.stderr)
        return 2
    analysis = analyze(args.file, text, Options(extra_paths=args.path or []))
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
    p.add_argument("files", nargs="+")
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
