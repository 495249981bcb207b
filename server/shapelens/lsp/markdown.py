"""How a site reads in the editor: the short hint label and the long explanation (hover, tooltip).

Everything shown comes from the analyser's Site; nothing here computes a shape.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from ..analysis import Evaluation, Inner, Site

MAX_INSIDE = 12  # sites listed in a user-function call's hover
MAX_FORMS = 4  # other calls' symbolic forms of the same output listed in a hover


def fmt(value: Any, style: str = "shape") -> str:
    """One output: `(None, 570, 570, 64)`; `?` unknown; a list of shapes for several outputs.

    A symbolic size is a formula string (`"ceil(H/2)"`), written as it comes; in the compact
    style without spaces, a sum in parentheses: `(W-4)`."""
    if value is None:
        return "?"
    if _several(value):
        return "[" + ", ".join(fmt(v, style) for v in value) + "]"
    dims = ["None" if d is None else str(d) for d in value]
    if style == "compact":
        # `570x570x64`; with a named size the x is spaced: `floor(H/2) x (W-4) x 64`.
        sep = " x " if any(isinstance(d, str) for d in value) else "x"
        return sep.join("?" if d == "None" else _compact(d) for d in dims[1:] or dims)
    return f"({dims[0]},)" if len(dims) == 1 else "(" + ", ".join(dims) + ")"


def _several(value: Any) -> bool:
    """A list of shapes (several outputs), not one shape: one shape has an int or a formula."""
    return bool(value) and all(isinstance(v, list) or v is None for v in value)


def _compact(dim: str) -> str:
    """A size in the compact style: `64`, `H`, `floor(H/2)`, `2*floor(H/16)` as they are, a sum
    grouped: `(W-4)`."""
    text = dim.replace(" ", "")
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and ch in "+-":
            return f"({text})"
    return text


def shown(ev: Evaluation, symbolic: bool = False) -> Any:
    """The output a hint writes: Keras' spelling, or with `symbolic` the form in the sizes an
    Input left open where the evaluation has one (an output of several with no open size keeps
    Keras' spelling)."""
    form = ev.symbolic
    if not symbolic or form is None:
        return ev.outputs
    if _several(form) and isinstance(ev.outputs, list) and len(ev.outputs) == len(form):
        return [k if s is None else s for s, k in zip(form, ev.outputs)]
    return form


def label(site: Site, style: str = "shape", params: bool = False, symbolic: bool = False) -> str:
    evs = site.evaluations
    text = fmt(shown(evs[0], symbolic), style) if evs else "✗"
    if len(evs) > 1:
        text += f" +{len(evs) - 1}"
    if params and site.params:
        text += f" · {site.params:,}p"
    return text


def explain(site: Site, place: Callable[[int], str] | None = None) -> str:
    """Markdown: input -> output, the derivation per dimension, defaults, parameters, each call.

    `place` names an analysed line where the calls came from (a notebook's: `cell 5 line 2`)."""
    head = f"**{site.op}**" + (f" `{site.name}`" if site.name else "")
    if site.params is not None:
        head += f" · {site.params:,} params"
    parts = [head]
    if not site.evaluations:
        parts.append("Keras rejects this call: see the error on this line.")
    many = len(site.evaluations) > 1
    for i, ev in enumerate(site.evaluations[:12]):
        io = (
            f"{_inputs(ev.inputs)} → {fmt(ev.outputs)}"
            if ev.inputs is not None
            else f"→ {fmt(ev.outputs)}"
        )
        title = f"call {i + 1}" + (f" (×{ev.count})" if ev.count > 1 else "") if many else ""
        if many and ev.via:
            if place is None:
                chains = ", ".join("line " + " → ".join(map(str, c)) for c in ev.via[:3])
            else:
                chains = ", ".join(" → ".join(map(place, c)) for c in ev.via[:3])
            title += f", from {chains}" + (" …" if len(ev.via) > 3 else "")
        lines = [f"{title}: `{io}`" if title else f"`{io}`"]
        if ev.unknown:
            lines.append(f"? {ev.unknown}")
        lines += _symbolic(ev)
        # In the sizes an Input left open the derivation is the same formulas with the sizes
        # named (`ceil((H - (3-1)*1) / 1) = H - 2`), in place of Keras' `None`s.
        steps = ev.symbolic_derivation or ev.derivation
        block = [f"    {d}" for d in steps] + [f"    {n}" for n in ev.notes]
        if block:
            # An indented code block cannot interrupt a paragraph: without the blank line editors
            # render the derivation as prose (`3*3*1*64` turns into italics).
            lines += ["", *block]
        if ev.inside:
            lines += ["", "Inside this call:", "", *_inside(site, ev.inside, place)]
        parts.append("\n".join(lines))
    if len(site.evaluations) > 12:
        parts.append(f"… and {len(site.evaluations) - 12} more shapes")
    return "\n\n".join(parts)


def _symbolic(ev: Evaluation) -> list[str]:
    """The output in the sizes an Input left open, and the other calls' forms of it."""
    if ev.symbolic is None:
        return []
    lines = ["", f"symbolic: `{fmt(ev.symbolic)}`"]
    if ev.symbolic_more:
        more = ", ".join(f"`{fmt(m)}`" for m in ev.symbolic_more[:MAX_FORMS])
        extra = len(ev.symbolic_more) - MAX_FORMS
        lines.append(f"(other calls: {more}" + (f" and {extra} more)" if extra > 0 else ")"))
    return lines


def _inside(site: Site, inside: list[Inner], place: Callable[[int], str] | None) -> list[str]:
    """The sites a user-function call's body evaluated, one list item each, with their lines."""
    items = []
    for inner in inside[:MAX_INSIDE]:
        if inner.path != site.pos.path:
            where = f"{PurePath(inner.path).name}:{inner.line}"
        else:
            where = "line " + (place(inner.line) if place else str(inner.line))
        name = f" `{inner.name}`" if inner.name else ""
        items.append(f"- {where}: {inner.op}{name} → `{fmt(inner.outputs)}`")
    if len(inside) > MAX_INSIDE:
        items.append(f"- … and {len(inside) - MAX_INSIDE} more")
    return items


def _inputs(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(v, list) or v is None for v in value):
        return ", ".join(fmt(v) for v in value)
    return fmt(value)
