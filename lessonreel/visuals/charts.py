"""Chart visuals: plots of functions, number lines and bar charts."""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN, RIGHT, UP, Axes, Dot, Line, MathTex, NumberLine, Rectangle, Text, VGroup,
)

from .. import expr, theme
from .common import Size, font_for_all, shrink_to
from .text import paragraph


# -------------------------------------------------------------- graphs ---

def _nice_step(span: float, target: int = 6) -> float:
    raw = span / max(target, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _range3(values: list[float], target: int = 6) -> list[float]:
    lo, hi = float(values[0]), float(values[1])
    step = float(values[2]) if len(values) > 2 else _nice_step(hi - lo, target)
    return [lo, hi, step]


def auto_y_range(f, x_range: list[float]) -> list[float]:
    """A y range that shows the function's values on x_range, with round ends."""
    xs = np.linspace(x_range[0], x_range[1], 400)
    ys = np.asarray(f(xs), dtype=float) * np.ones_like(xs)
    ys = ys[np.isfinite(ys)]
    if ys.size == 0:
        return [-1.0, 1.0, 0.5]
    lo, hi = float(np.percentile(ys, 1)), float(np.percentile(ys, 99))
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    step = _nice_step(hi - lo, 5)
    return [math.floor(lo / step) * step, math.ceil(hi / step) * step, step]


def _axis_config(values: list[float]) -> dict:
    """Tick numbers without a useless '.0' when the range and step are whole."""
    whole = all(float(v).is_integer() for v in values)
    return {"decimal_number_config": {"num_decimal_places": 0 if whole else 1}}


def plot_axes(xr: list[float], yr: list[float], size: Size, x_label: str | None = None,
              y_label: str | None = None, top_room: float = 0.0) -> tuple[Axes, VGroup]:
    """Axes with numbered ticks filling ``size`` (less ``top_room`` above them), and their names at their ends."""
    width, height = size
    names = {}
    for key, text in (("x", x_label), ("y", y_label)):
        if text:
            names[key] = Text(text, font=theme.font_for(text), font_size=theme.LABEL_FONT_SIZE, color=theme.TEXT)
    x_room = names["x"].width + 0.3 if "x" in names else 0.0
    axes = Axes(
        x_range=xr, y_range=yr, x_length=width - 0.9 - x_room, y_length=height - 0.7 - top_room,
        axis_config={"color": theme.DIM, "include_numbers": True, "font_size": theme.LABEL_FONT_SIZE,
                     "include_tip": False},
        x_axis_config=_axis_config(xr), y_axis_config=_axis_config(yr),
        tips=False,
    )
    axis_names = VGroup()
    if "x" in names:
        names["x"].next_to(axes.x_axis.get_end(), RIGHT, buff=0.2)
        axis_names.add(names["x"])
    if "y" in names:
        names["y"].next_to(axes.y_axis.get_end(), UP, buff=0.15)
        axis_names.add(names["y"])
    return axes, axis_names


def plot(function: str, x_range: list[float], size: Size, y_range: list[float] | None = None,
         label: str | None = None, x_label: str | None = None, y_label: str | None = None,
         color: str = theme.BLUE) -> VGroup:
    """Axes with the graph of ``function`` (a safe expression in x), optional axis names and TeX label."""
    f = expr.compile_function(function)
    xr = _range3(x_range)
    yr = _range3(y_range, 5) if y_range else auto_y_range(f, xr)
    axes, axis_names = plot_axes(xr, yr, size, x_label, y_label, 0.6 if label or y_label else 0.0)
    graph = axes.plot(lambda x: float(f(x)), x_range=[xr[0], xr[1]], color=color,
                      discontinuities=None, use_smoothing=False)
    graph.set_stroke(width=5)
    # Clip values far outside the y range so a steep function stays inside its box.
    points = graph.points
    y_lo, y_hi = axes.c2p(0, yr[0])[1], axes.c2p(0, yr[1])[1]
    points[:, 1] = np.clip(points[:, 1], y_lo, y_hi)
    group = VGroup(axes, graph)
    group.axes, group.graph, group.label = axes, graph, None
    group.add(axis_names)
    group.axis_names = axis_names
    if label:
        tex = MathTex(label, font_size=36, color=color)
        tex.next_to(axes, UP, buff=0.15).align_to(axes, RIGHT)
        group.add(tex)
        group.label = tex
    return shrink_to(group, size)


def number_line(range_: list[float], size: Size, points: list | None = None) -> VGroup:
    xr = _range3(range_, 8)
    decimals = 0 if all(float(v).is_integer() for v in xr) else 1
    line = NumberLine(x_range=xr, length=size[0] - 0.6, include_numbers=True,
                      font_size=theme.LABEL_FONT_SIZE, color=theme.TEXT, include_tip=False,
                      decimal_number_config={"num_decimal_places": decimals})
    group = VGroup(line)
    group.line, group.marks = line, VGroup()
    for i, p in enumerate(points or []):
        value, name = (p["value"], p.get("label")) if isinstance(p, dict) else (p, None)
        color = theme.PALETTE[i % len(theme.PALETTE)]
        dot = Dot(line.n2p(value), radius=0.1, color=color)
        mark = VGroup(dot)
        if name:
            mark.add(Text(name, font=theme.font_for(name), font_size=theme.LABEL_FONT_SIZE, color=color)
                     .next_to(dot, UP, buff=0.2))
        group.marks.add(mark)
    group.add(group.marks)
    return shrink_to(group, size)


def bar_chart(labels: list[str], values: list[float], size: Size, y_label: str | None = None) -> VGroup:
    """Bars with their value above and their label below, drawn from a baseline."""
    width, height = size
    n = len(values)
    top = max(max(values), 0)
    bottom = min(min(values), 0)
    span = (top - bottom) or 1.0
    slot = (width - 0.4) / n
    bar_width = slot * 0.62
    label_size = theme.LABEL_FONT_SIZE
    font = font_for_all(*labels, y_label or "")  # one font for the chart, numbers included
    names = [Text(str(name), font=font, font_size=label_size, color=theme.TEXT) for name in labels]
    widest = max(t.width for t in names)
    if widest > slot * 0.95:
        names = [paragraph(str(name), slot * 0.95, None, font_size=label_size, min_font_size=label_size,
                           align="center", font=font) for name in labels]
    label_room = max(t.height for t in names) + 0.2
    value_room = 0.45
    caption_room = 0.5 if y_label else 0.0
    plot_height = height - label_room - value_room - caption_room
    scale = plot_height / span
    baseline_y = -height / 2 + label_room + (-bottom) * scale
    left = -width / 2 + 0.2
    bars, value_texts = VGroup(), VGroup()
    for i, value in enumerate(values):
        x = left + slot * (i + 0.5)
        h = max(abs(value) * scale, 0.02)
        bar = Rectangle(width=bar_width, height=h, stroke_width=0, fill_opacity=0.9,
                        fill_color=theme.PALETTE[i % len(theme.PALETTE)])
        bar.move_to([x, baseline_y + (h / 2 if value >= 0 else -h / 2), 0])
        bars.add(bar)
        number = Text(_format_number(value), font=font, font_size=label_size, color=theme.TEXT)
        number.next_to(bar, UP if value >= 0 else DOWN, buff=0.1)
        value_texts.add(number)
        names[i].move_to([x, -height / 2 + label_room / 2, 0])
    axis = Line([left, baseline_y, 0], [left + slot * n, baseline_y, 0], color=theme.DIM, stroke_width=3)
    group = VGroup(axis, bars, value_texts, VGroup(*names))
    group.axis, group.bars, group.values, group.names = axis, bars, value_texts, group[3]
    group.y_label = VGroup()
    if y_label:
        caption = Text(y_label, font=font, font_size=label_size, color=theme.DIM)
        caption.move_to([0, height / 2 - caption_room / 2, 0])
        group.add(caption)
        group.y_label = caption
    return shrink_to(group, size)


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
