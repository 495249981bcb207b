"""Real-world accuracy: `shapelens check` against TensorFlow, site by site, on public Keras files.
Usage: python bench/realworld.py DIR... [--json OUT] [--truth OLD.json] [-j N] [--timeout S]"""

# For every .py file (and .ipynb: code cells joined in order, `%`/`!` lines made `pass`, written
# beside it as NAME.ipynb.py) under the given directories:
#   1. bench/realworld_child.py runs it under TensorFlow in a fresh process (network off, data sets
#      and training stubbed) and tests/support/truth_recorder.py records the shapes of every site;
#   2. `shapelens check --json FILE` gives our sites and diagnostics (docs/cli-json.md);
#   3. each site TF recorded is exact (our outputs all match TF's), unknown (ours has `?`/null
#      where TF is concrete, nothing contradicting), wrong (a concrete shape TF never produced)
#      or missing (no site of ours at that line and column). A false error is an `error`
#      diagnostic of ours on a file TF ran to the end, or on a line where TF recorded a site
#      while it ran a file that later failed (TF's own error line excluded).
# A file TF cannot run for want of its environment (a download, a data file, a module that is
# not installed but used, the timeout) with no site recorded first is "skipped: reason", not
# counted; with sites recorded first it is "partial" and its sites count. Other TF errors
# (Keras-2 API gone in Keras 3, ...) count the sites before the error ("tf-error").
# --truth OLD.json reuses the TF records of an earlier --json run (TF is the slow half).

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "realworld_child.py"

#: error-message starts that mean "TF could not run it here", not "the code is wrong"
ENVIRONMENT_ERRORS = (
    "ModuleNotFoundError", "FileNotFoundError", "OSError", "URLError",
    "ConnectionError", "TimeoutError", "NotFoundError", "PermissionError", "IsADirectoryError",
    "UnimplementedError",
)
ENVIRONMENT_MARKERS = ("URL fetch failure", "network is off", "No such file or directory")

VERDICTS = ("exact", "unknown", "wrong", "missing")


# --- files ----------------------------------------------------------------------------------


def notebook_to_script(path: Path) -> Path:
    """Write NAME.ipynb.py beside the notebook: code cells in order, `%`/`!` lines as `pass`."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb.get("cells") or [c for w in nb.get("worksheets", []) for c in w.get("cells", [])]
    parts = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source") or cell.get("input") or []
        text = "".join(src) if isinstance(src, list) else str(src)
        lines = [ln[: len(ln) - len(ln.lstrip())] + "pass" if ln.lstrip().startswith(("%", "!"))
                 else ln for ln in text.splitlines()]
        parts.append("\n".join(lines))
    out = path.with_name(path.name + ".py")
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return out


def collect(dirs: list[str]) -> list[Path]:
    """The .py files and notebooks (as scripts) under `dirs`, sorted, converted copies skipped."""
    found: list[Path] = []
    for d in dirs:
        base = Path(d)
        paths = [base] if base.is_file() else sorted(base.rglob("*"))
        for p in paths:
            if any(part.startswith(".") for part in p.parts[len(base.parts):]):
                continue
            if p.suffix == ".py" and not p.name.endswith(".ipynb.py"):
                found.append(p.resolve())
            elif p.suffix == ".ipynb":
                found.append(notebook_to_script(p).resolve())
    return found


# --- the two runs ---------------------------------------------------------------------------


def _env() -> dict[str, str]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONDONTWRITEBYTECODE="1",
               MPLBACKEND="Agg", CUDA_VISIBLE_DEVICES="")
    extra = [str(ROOT / "tests"), str(ROOT / "server")]
    env["PYTHONPATH"] = os.pathsep.join(extra + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def run_tf(path: Path, timeout: int) -> dict[str, Any]:
    """TensorFlow's record for `path` ({"sites", "error"}), or {"crash": reason}."""
    cmd = [sys.executable, str(CHILD), str(path), str(timeout)]
    try:
        proc = subprocess.run(cmd, cwd=path.parent, env=_env(), capture_output=True, text=True,
                              timeout=timeout + 120, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        return {"crash": f"killed after {timeout + 120}s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"crash": f"exit {proc.returncode}: {tail[:200]}"}
    return json.loads(lines[-1])


def run_ours(path: Path, timeout: int = 120) -> dict[str, Any]:
    """`shapelens check --json` for `path`: {"sites", "diagnostics", "seconds"} or {"crash"}."""
    cmd = [sys.executable, "-m", "shapelens.cli", "check", "--json", str(path)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=path.parent, env=_env(), capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        return {"crash": f"shapelens check killed after {timeout}s"}
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1][:200]
    try:
        entry = json.loads(proc.stdout)["files"][0]
    except (ValueError, LookupError):
        return {"crash": f"shapelens check exit {proc.returncode}: {tail}"}
    return {"sites": entry["sites"], "diagnostics": entry["diagnostics"],
            "seconds": round(time.perf_counter() - start, 2)}


# --- comparison -----------------------------------------------------------------------------


def _agrees(truth: Any, ours: Any) -> bool | None:
    """One output: True equal, False contradicts, None ours unknown where TF is concrete."""
    if truth == ours:
        return True
    if ours is None:
        return None
    if isinstance(truth, list) and isinstance(ours, list) and len(truth) == len(ours):
        parts = [_agrees(t, o) for t, o in zip(truth, ours)]
        if all(p is not False for p in parts):
            return None
    return False


def verdict(truth: list[Any], ours: list[Any] | None) -> str:
    """exact / unknown / wrong / missing for one site (as tests/analysis/corpus_compare.py)."""
    if ours is None:
        return "missing"
    if truth == ours:
        return "exact"
    found = []
    for o in ours:
        best = max((_agrees(t, o) is True) * 2 + (_agrees(t, o) is None) for t in truth)
        found.append(best)
    return "wrong" if 0 in found else "unknown"


def _environment_failure(message: str) -> bool:
    if message.startswith("ModuleNotFoundError: No module named '") and message.split("'")[1]\
            .split(".")[0] in ("keras", "tensorflow"):
        return False  # a Keras-2 module that Keras 3 removed: the code's own error
    return message.startswith(ENVIRONMENT_ERRORS) or any(m in message for m in ENVIRONMENT_MARKERS)


def compare(tf: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """The per-file result: status, reason, per-site verdicts, false errors."""
    if "crash" in tf:
        return {"status": "skipped", "reason": f"TF run: {tf['crash']}"}
    crash = ours.get("crash")
    if crash:  # the user sees nothing: every site TF recorded is missing
        ours = {"sites": [], "diagnostics": []}
    err = tf.get("error")
    message = (err or {}).get("message", "").splitlines()[0] if err else ""
    if err and _environment_failure(message):
        status = "partial" if tf["sites"] else "skipped"
    elif err:
        status = "tf-error"
    else:
        status = "ok"
    if crash and status != "skipped":
        status, message = "crash", f"{crash} ({status}{': ' + message if message else ''})"
    if status == "skipped":
        return {"status": status, "reason": message[:160]}
    by_pos = {(s["line"], s["column"]): s["outputs"] for s in ours["sites"]}
    sites = []
    for s in tf["sites"]:
        key = (s["line"], s["column"])
        mine = by_pos.get(key)
        sites.append({"line": s["line"], "column": s["column"], "truth": s["outputs"],
                      "ours": mine, "verdict": verdict(s["outputs"], mine)})
    ran = {s["line"] for s in tf["sites"]}
    tf_line = (err or {}).get("line")
    errors = [d for d in ours["diagnostics"] if d["severity"] == "error"]
    false = [d for d in errors if d["line"] != tf_line and (err is None or d["line"] in ran)]
    budget = [d["message"] for d in ours["diagnostics"] if "budget" in d["message"]]
    return {"status": status, "reason": message[:160], "tf_error_line": tf_line,
            "sites": sites, "false_errors": false, "our_errors": len(errors),
            "our_seconds": ours.get("seconds"), "budget": budget[:1]}


# --- the run --------------------------------------------------------------------------------


def _counts(res: dict[str, Any]) -> dict[str, int]:
    c = {v: 0 for v in VERDICTS}
    for s in res.get("sites", []):
        c[s["verdict"]] += 1
    c["sites"] = len(res.get("sites", []))
    c["false_errors"] = len(res.get("false_errors", []))
    return c


def totals(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Sums over the counted (not skipped) files."""
    counted = [r for r in results.values() if r["status"] != "skipped"]
    t: dict[str, Any] = {"files": len(results), "counted": len(counted),
                         "skipped": len(results) - len(counted)}
    for key in ("sites", *VERDICTS, "false_errors"):
        t[key] = sum(_counts(r)[key] for r in counted)
    t["files_with_false_errors"] = sum(1 for r in counted if r.get("false_errors"))
    t["files_out_of_budget"] = sum(1 for r in counted if r.get("budget"))
    return t


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "    -"


def table(results: dict[str, dict[str, Any]]) -> str:
    """The per-file table and the totals, as printed."""
    width = max([len(k) for k in results] + [4])
    head = (f"{'file':<{width}}  {'status':<8} {'sites':>5} {'exact':>5} {'unkn':>5} "
            f"{'wrong':>5} {'miss':>5} {'f.err':>5}  note")
    out = [head, "-" * len(head)]
    for name, r in results.items():
        if r["status"] == "skipped":
            out.append(f"{name:<{width}}  skipped: {r['reason']}")
            continue
        c = _counts(r)
        note = r["reason"]
        if r["status"] in ("partial", "tf-error"):
            note = f"TF stopped at line {r['tf_error_line']}: {note}"
        if r.get("budget"):  # our results depend on the machine's speed there
            note = f"OUR BUDGET RAN OUT; {note}"
        out.append(f"{name:<{width}}  {r['status']:<8} {c['sites']:>5} {c['exact']:>5} "
                   f"{c['unknown']:>5} {c['wrong']:>5} {c['missing']:>5} "
                   f"{c['false_errors']:>5}  {note[:110]}")
    t = totals(results)
    n = t["sites"]
    out += [
        "",
        f"files: {t['files']} ({t['counted']} counted, {t['skipped']} skipped)",
        f"sites TF recorded: {n}",
        f"  exact   {t['exact']:>6}  {_pct(t['exact'], n)}",
        f"  unknown {t['unknown']:>6}  {_pct(t['unknown'], n)}",
        f"  wrong   {t['wrong']:>6}  {_pct(t['wrong'], n)}",
        f"  missing {t['missing']:>6}  {_pct(t['missing'], n)}",
        f"false errors: {t['false_errors']} in {t['files_with_false_errors']} file(s)",
        f"files where our time budget ran out (figures depend on load): "
        f"{t['files_out_of_budget']}",
    ]
    for name, r in results.items():
        for d in r.get("false_errors", []):
            out.append(f"  {name}:{d['line']}:{d['column']}: {d['code']} {d['message'][:150]}")
    return "\n".join(out)


def _label(path: Path, roots: list[Path]) -> str:
    for root in roots:
        if path.is_relative_to(root):
            return str(path.relative_to(root.parent))
    return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", help="directories (or files) of public Keras code")
    parser.add_argument("--json", dest="json_out", help="write per-site results and totals here")
    parser.add_argument("--truth", help="reuse the TF records of an earlier --json run")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="files at once (default 1)")
    parser.add_argument("--timeout", type=int, default=240,
                        help="seconds per file under TF; what ran is kept (default 240)")
    args = parser.parse_args(argv)
    roots = [Path(d).resolve() for d in args.dirs]
    files = collect(args.dirs)
    old: dict[str, Any] = {}
    if args.truth:
        old = json.loads(Path(args.truth).read_text(encoding="utf-8"))["truth"]
    labels = {p: _label(p, roots) for p in files}
    truth: dict[str, Any] = {}
    results: dict[str, dict[str, Any]] = {}

    def one(path: Path) -> tuple[str, dict[str, Any]]:
        name = labels[path]
        start = time.perf_counter()
        try:
            tf = old[name] if name in old else run_tf(path, args.timeout)
            truth[name] = tf
            res = compare(tf, run_ours(path))
        except Exception as exc:  # one bad file must not end the run
            truth[name] = {"crash": repr(exc)}
            res = {"status": "skipped", "reason": f"benchmark: {exc!r}"[:160]}
        c = _counts(res)
        print(f"[{time.perf_counter() - start:6.1f}s] {name}: {res['status']} "
              f"{c['exact']}/{c['sites']} exact", file=sys.stderr, flush=True)
        return name, res

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for name, res in pool.map(one, files):
            results[name] = res
    print(table(results))
    if args.json_out:
        doc = {"totals": totals(results), "files": results,
               "truth": {k: truth[k] for k in results}}
        Path(args.json_out).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
