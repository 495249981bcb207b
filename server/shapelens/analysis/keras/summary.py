"""`model.summary()` tables computed statically: one per model the file builds.

Functional and Sequential models list their layers; subclassed models list the layers they
track, with the shapes their `call` gave (where Keras itself prints "multiple" or "?").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...engine import fmt_shape
from ..core.sites import Analysis
from ..core.values import Instance
from .graph import graph_layers, keras_order, model_params, tracked_layers
from .subclass import layer_state
from .values import LayerObj, ModelObj, TensorVal


@dataclass
class Row:
    name: str
    kind: str
    output: str
    params: int | None
    non_trainable: int = 0


@dataclass
class Table:
    title: str
    rows: list[Row]

    @property
    def total(self) -> int | None:
        if any(r.params is None for r in self.rows):
            return None
        return sum(r.params or 0 for r in self.rows)

    @property
    def non_trainable(self) -> int:
        return sum(r.non_trainable for r in self.rows)

    def __str__(self) -> str:
        head = ("Layer (type)", "Output Shape", "Param #")
        cells = [
            (f"{r.name} ({r.kind})", r.output, "?" if r.params is None else f"{r.params:,}")
            for r in self.rows
        ]
        # Keras' own column widths, widened when a cell needs it.
        w = [max([floor] + [len(c[i]) + 2 for c in cells]) for i, floor in enumerate((33, 24, 15))]
        line = lambda a, m, b, f: a + m.join(f * x for x in w) + b  # noqa: E731
        out = [
            f'Model: "{self.title}"',
            line("┏", "┳", "┓", "━"),
            "┃"
            + "┃".join(
                f" {h:<{w[i] - 1}}" if i < 2 else f"{h:>{w[i] - 1}} " for i, h in enumerate(head)
            )
            + "┃",
            line("┡", "╇", "┩", "━"),
        ]
        for i, c in enumerate(cells):
            out.append(
                "│"
                + "│".join(
                    f" {v:<{w[j] - 1}}" if j < 2 else f"{v:>{w[j] - 1}} " for j, v in enumerate(c)
                )
                + "│"
            )
            out.append(line("├", "┼", "┤", "─") if i < len(cells) - 1 else line("└", "┴", "┘", "─"))
        total = self.total
        if total is None:
            out.append(" Total params: ? (some layer's parameters are not known statically)")
        else:
            nt = self.non_trainable
            out.append(f" Total params: {total:,} ({_size(total)})")
            out.append(f" Trainable params: {total - nt:,} ({_size(total - nt)})")
            out.append(f" Non-trainable params: {nt:,} ({_size(nt)})")
        return "\n".join(out)


def _size(n: int) -> str:
    b = n * 4.0
    for unit in ("B", "KB", "MB", "GB"):
        if b < 1024 or unit == "GB":
            return f"{b:.2f} {unit}"
        b /= 1024
    return f"{b:.2f} GB"


def _out(layer: Any) -> str:
    out = getattr(layer, "output", None) if not isinstance(layer, ModelObj) else layer.outputs
    if isinstance(out, TensorVal):
        return fmt_shape(out.shape)
    if isinstance(out, list):
        return "[" + ", ".join(_out_t(t) for t in out) + "]"
    return "?"


def _out_t(t: Any) -> str:
    return fmt_shape(t.shape) if isinstance(t, TensorVal) else "?"


def _non_trainable(layer: Any) -> int:
    if isinstance(layer, LayerObj) and layer.kind == "BatchNormalization" and layer.params:
        b = layer.constructed.bound if layer.constructed else {}
        per = 2 + bool(b.get("center", True)) + bool(b.get("scale", True))
        return 2 * (layer.params // per)
    if isinstance(layer, ModelObj):
        return sum(_non_trainable(x) for x in graph_layers(layer))
    return 0


def _row(layer: Any) -> Row:
    if isinstance(layer, LayerObj):
        return Row(
            layer.name,
            layer.kind,
            _out(layer),
            layer.params or 0 if layer.constructed else layer.params,
            _non_trainable(layer),
        )
    if isinstance(layer, ModelObj):
        return Row(layer.name, layer.kind, _out(layer), model_params(layer), _non_trainable(layer))
    if isinstance(layer, Instance):
        out = layer_state(layer).last_output
        return Row(
            layer.name, layer.cls.name, _out_t(out) if out is not None else "?", layer.params
        )
    return Row("?", "?", "?", None)


def summaries(analysis: Analysis) -> list[Table]:
    tables = []
    for m in analysis.models:
        if isinstance(m, ModelObj):
            layers = keras_order(m)  # `model.layers` as Keras lists them
            tables.append(Table(m.name, [_row(x) for x in layers]))
        elif isinstance(m, Instance):
            subs = tracked_layers(list(m.attrs.values()))
            tables.append(Table(m.name, [_row(x) for x in subs]))
    return tables
