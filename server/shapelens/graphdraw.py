"""`shapelens graph --format html|svg`: the graph JSON drawn by the bundled graphview script.

HTML is one offline page embedding the script and the JSON; SVG runs the same script in Node.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

# Built from graphview/ (`npm ci && npm run build` there): an install-time output git ignores,
# since it bundles dagre's code.
BUNDLE = Path(__file__).resolve().parent / "graphview" / "graphview.js"

# An offline page: no network at all, scripts and styles only inline.
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


class DrawError(Exception):
    """Why a drawing cannot be made (no bundle built, no Node for SVG)."""


def bundle() -> str:
    try:
        return BUNDLE.read_text(encoding="utf-8")
    except OSError:
        raise DrawError(
            f"the graph drawing script is not built ({BUNDLE}): run `npm ci && npm run build` in "
            "graphview/ (JSON needs no build: --format json)"
        ) from None


def _script_json(data: Any) -> str:
    # Inside <script>, `</` would end the element: JSON allows the escaped slash.
    return json.dumps(data).replace("</", "<\\/")


def _inline(script: str) -> str:
    # `</script` inside the script would end the element early.
    return script.replace("</script", "<\\/script")


def html_page(data: dict[str, Any], title: str = "model graph") -> str:
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
        f"<title>ShapeLens: {html.escape(title)}</title></head><body><div id=\"app\"></div>"
        f"<script type=\"application/json\" id=\"graph-data\">{_script_json(data)}</script>"
        f"<script>{_inline(bundle())}</script>"
        "<script>window.shapelensGraph = ShapeLensGraph.mount(document.getElementById('app'), "
        "JSON.parse(document.getElementById('graph-data').textContent));</script>"
        "</body></html>\n"
    )


def svg(data: dict[str, Any]) -> str:
    node = shutil.which("node")
    if node is None:
        raise DrawError("--format svg needs Node.js (`node` on PATH) to lay the graph out")
    script = (
        "require(process.argv[1]);"
        "const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(globalThis.ShapeLensGraph.renderSVG(data) + '\\n');"
    )
    bundle()  # the same message when it is missing
    proc = subprocess.run(
        [node, "-e", script, str(BUNDLE)],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise DrawError(f"drawing failed: {proc.stderr.strip()[-2000:]}")
    return proc.stdout


def render(data: dict[str, Any], fmt: str, title: str = "model graph") -> str:
    if fmt == "html":
        return html_page(data, title)
    if fmt == "svg":
        return svg(data)
    raise DrawError(f"unknown format {fmt!r}")
