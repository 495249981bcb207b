"""`shapelens check FILE|DIR...`, `shapelens summary FILE`, `shapelens graph FILE`, `server`.

Exit codes: 0 no error, 1 some error found, 2 could not run (usage, unreadable file).
.py files and Jupyter notebooks (.ipynb: the code cells in order, positions per cell).
"""

from __future__ import annotations

import argparse
import json
import sys

from . import __version__
from .analysis import Options, analyze
from .notebook import NotebookError
from .parallel import check_files, default_jobs
from .project import expand
from .report import Result, analyse_file, file_json, read_text, site_json, unreadable_reason

# Re-exported: the tests and tools that render one file's result import them from here.
__all__ = ["Result", "analyse_file", "file_json", "main", "site_json"]

CHECK_HELP = """\
Print each layer call's output shape and every shape error, file by file.

A FILE named here is always checked. In a DIR, its .py and .ipynb files are checked, recursively,
in sorted order, skipping:
  - the folders ruff skips by default (.git, .venv, venv, site-packages, node_modules,
    .ipynb_checkpoints, dist, caches: shapelens.project.ALWAYS_SKIPPED);
  - what .gitignore files ignore, with git's rules (patterns, !negation, dir/ patterns): those in
    DIR and its subfolders, and those above DIR up to its git repository's top (.git/info/exclude
    and the global excludes file are not read). A DIR that is itself ignored is still checked;
  - what an --exclude PATTERN matches, as if it were a line of a .gitignore in the current
    folder: with no slash but a last one, it matches a name at any depth (--exclude build/,
    --exclude '*_pb2.py'); with a slash elsewhere, the path from the current folder
    (--exclude src/generated, --exclude /legacy.py).
Nothing else is skipped.

Output is the same for any -j: files in the order above. Exit codes: 0 no error, 1 some error
found, 2 could not run (bad usage, a file that cannot be read).
"""


def _cannot_read(path: str, e: Exception) -> int:
    return _report_unreadable(path, unreadable_reason(e))


def _report_unreadable(path: str, reason: str) -> int:
    print(f"shapelens: cannot read {path}: {reason}", file=sys.stderr)
    return 2


def count(text: str) -> int:
    """-j N: a whole number, 1 or more (argparse names it in its message: "invalid count value")."""
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def cmd_check(args: argparse.Namespace) -> int:
    options = Options(extra_paths=args.path or [])
    paths = expand(args.files, args.exclude or [])
    outcomes = []
    # Nothing is printed before every file has been read: an unreadable one is exit 2 with
    # nothing on stdout, whichever of the files it is.
    for outcome in check_files(paths, options, args.json, args.jobs):
        if outcome.unreadable is not None:
            return _report_unreadable(outcome.path, outcome.unreadable)
        outcomes.append(outcome)
    if args.json:
        json.dump({"files": [o.entry for o in outcomes]}, sys.stdout)
        sys.stdout.write("\n")
    else:
        for o in outcomes:
            sys.stdout.write(o.text)
    return 1 if any(o.has_error for o in outcomes) else 0


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
        text = read_text(args.file)
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
    p = sub.add_parser("check", help="show every layer call's output shape and shape errors",
                       description=CHECK_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="FILE|DIR",
                   help=".py or .ipynb files (always checked); a folder: its .py and .ipynb "
                        "files, recursively, less what .gitignore files and --exclude skip")
    p.add_argument("--json", action="store_true", help="machine-readable output (docs/cli-json.md)")
    p.add_argument("--path", action="append", help="extra directory for project imports")
    p.add_argument("--exclude", action="append", metavar="PATTERN",
                   help="skip files and folders matching this .gitignore-style pattern, as if "
                        "written in a .gitignore in the current folder (repeatable)")
    p.add_argument("-j", "--jobs", type=count, default=default_jobs(), metavar="N",
                   help="files analysed at once, in worker processes (default: the cores "
                        "available, here %(default)s); 1: one by one in this process")
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
