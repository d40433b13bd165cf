"""Builders for the structured visuals of the offline engine.

Each builder returns a Manim mobject drawn for a given size (``size`` is the
(width, height) of the grid area it will live in), so text keeps a legible
font size instead of being shrunk afterwards. Groups carry named parts
(``plot.axes``, ``plot.graph``...) so generated scenes can animate them one by
one, the way Manim's own examples do.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, ORIGIN,
    Arrow, Axes, Circle, Code, Dot, ImageMobject, Line, MathTex, Matrix,
    NumberLine, Rectangle, RegularPolygon, RoundedRectangle, Square, Table,
    Text, Triangle, VGroup, VMobject,
)

from . import expr, theme

Size = tuple[float, float]


# ---------------------------------------------------------------- text ---

def wrap_text(text: str, font_size: float, width: float, font: str = theme.FONT) -> list[str]:
    """Greedy word wrap measured with Manim's own text layout.

    Text with Chinese, Japanese or Korean characters wraps by :func:`_wrap_cjk`
    (it also breaks between CJK characters); other text breaks at spaces only.
    """
    if theme.has_cjk(text):
        return _wrap_cjk(text, font_size, width, theme.font_for(text, font))
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and Text(candidate, font=font, font_size=font_size).width > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


# Line breaking rules for CJK text (the basic "kinsoku" of JIS X 4051 and the
# Chinese GB/T 15834 practice): no line starts with closing punctuation, small
# kana, an iteration or a prolonged sound mark; no line ends with an opening
# bracket or quote.
NO_LINE_START = frozenset(
    "、。，．,.：:；;！!？?）)］]｝}〕〉》」』】〙〗〟’”｠»‐゠–〜～…‥・"
    "ーヽヾゝゞ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "％%‰℃°′″｡､｣ｧｨｩｪｫｬｭｮｯｰ"
)
NO_LINE_END = frozenset("（(［[｛{〔〈《「『【〘〖〝‘“｟«｢")

_NO_BREAK, _SYLLABLE_BREAK, _BREAK = 0, 1, 2


def _atoms(text: str) -> list[list[str]]:
    """Split text into [characters, kind, separator before] atoms.

    Every Han, kana, fullwidth or CJK punctuation character is an atom of its
    own ("cjk"); so is every Hangul syllable ("hangul"); a run of any other
    non-space characters (a Latin word, a number, ASCII punctuation) is one
    atom ("word"), never split. The separator is the whitespace that came
    before the atom, collapsed to one space (an ideographic space stays one).
    """
    atoms: list[list[str]] = []
    sep = ""
    for ch in text:
        if ch.isspace():
            sep = "\u3000" if ch == "\u3000" or sep == "\u3000" else " "
            continue
        kind = "hangul" if theme.is_hangul(ch) else "cjk" if theme.is_cjk(ch) else "word"
        if kind == "word" and atoms and not sep and atoms[-1][1] == "word":
            atoms[-1][0] += ch
        else:
            atoms.append([ch, kind, sep])
        sep = ""
    return atoms


def _break_before(prev: list[str], atom: list[str]) -> int:
    """How a line may break between two atoms."""
    if atom[0][0] in NO_LINE_START or prev[0][-1] in NO_LINE_END:
        return _NO_BREAK
    if atom[2] or prev[1] == "cjk" or atom[1] == "cjk":
        return _BREAK
    if prev[1] == atom[1] == "hangul":  # inside a Korean word: only when the word alone is too wide
        return _SYLLABLE_BREAK
    return _NO_BREAK


def _join(atoms: list[list[str]]) -> str:
    return "".join((atom[2] if k else "") + atom[0] for k, atom in enumerate(atoms))


def _last_fitting(candidates: list[int], fits) -> int | None:
    """The last candidate that fits (fitting is monotone: a longer line is wider), or None."""
    if not candidates:
        return None
    if fits(candidates[-1]):
        return candidates[-1]
    lo, hi, best = 0, len(candidates) - 2, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if fits(candidates[mid]):
            best, lo = candidates[mid], mid + 1
        else:
            hi = mid - 1
    return best


def _wrap_cjk(text: str, font_size: float, width: float, font: str) -> list[str]:
    """Greedy wrap of text with CJK characters, measured with Manim's text layout.

    Lines break at spaces and between CJK characters (Han, kana, fullwidth
    forms), never before closing or after opening punctuation
    (:data:`NO_LINE_START`, :data:`NO_LINE_END`). Latin words and numbers stay
    whole. Korean, which puts spaces between words, breaks at those spaces;
    a Korean word breaks between syllables only when it is wider than a line
    by itself. A piece that cannot break and is too wide gets a line of its own.
    """
    atoms = _atoms(text)
    n = len(atoms)
    kinds = [_NO_BREAK] + [_break_before(atoms[k - 1], atoms[k]) for k in range(1, n)]
    lines: list[str] = []
    i = 0
    while i < n:
        def fits(j: int, start: int = i) -> bool:
            return Text(_join(atoms[start:j]), font=font, font_size=font_size).width <= width

        ends = [k for k in range(i + 1, n) if kinds[k] == _BREAK] + [n]
        j = _last_fitting(ends, fits)
        if j is None:
            syllables = [k for k in range(i + 1, ends[0]) if kinds[k] == _SYLLABLE_BREAK]
            j = _last_fitting(syllables, fits) or ends[0]
        lines.append(_join(atoms[i:j]))
        i = j
    return lines or [""]


def _stack_on_baselines(block: VGroup, rows: list[str], font: str, font_size: float, line_spacing: float,
                        align: str) -> bool:
    """Put the rows of a paragraph on baselines a fixed distance apart.

    Arranging rows by their ink (what space-separated text does) lets the line
    pitch follow the glyphs: a row of Latin letters or digits inside CJK text
    is shorter than a row of ideographs, and the gaps would differ. Manim lays
    out a multi-line Text on a fixed pitch, so each row is moved to where it
    sits in one such Text of all rows, then the pitch is set to one CJK
    character's height plus the usual gap. False when the glyphs of that Text
    do not match the rows (the caller then arranges by ink).
    """
    probe = Text("\n".join(rows), font=font, font_size=font_size)
    glyphs = probe.submobjects
    counts = [len(row.submobjects) for row in block]
    if sum(counts) != len(glyphs) or 0 in counts:
        return False
    em, probe_pitch = _line_metrics(font, font_size)
    pitch = em + line_spacing * font_size / 48
    start = 0
    for i, (row, count) in enumerate(zip(block, counts)):
        points = [g.points for g in glyphs[start:start + count] if len(g.points)]
        start += count
        if not points:
            return False
        points = np.concatenate(points)
        (left, bottom), (right, top) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
        if abs((right - left) - row.width) > 0.01 + 0.01 * row.width:
            return False
        row.move_to([(left + right) / 2, (bottom + top) / 2 + i * (probe_pitch - pitch), 0])
    if align != "left":
        for row in block:
            row.set_x(0)
    return True


_LINE_METRICS: dict[tuple[str, float], tuple[float, float]] = {}


def _line_metrics(font: str, font_size: float) -> tuple[float, float]:
    """(height of one CJK character, Manim's line pitch) for a font and size, in scene units."""
    key = (font, float(font_size))
    if key not in _LINE_METRICS:
        two = Text("国\n国", font=font, font_size=font_size)
        _LINE_METRICS[key] = (two[0].height, two[0].get_center()[1] - two[1].get_center()[1])
    return _LINE_METRICS[key]


def paragraph(text: str, width: float, height: float | None = None, font_size: float = theme.BODY_FONT_SIZE,
              color: str = theme.TEXT, min_font_size: float = theme.MIN_FONT_SIZE, align: str = "left",
              font: str = theme.FONT, line_spacing: float = 0.35) -> VGroup:
    """Wrapped text that fits ``width`` (and ``height``), at the largest size that fits.

    Sizes go down in steps to ``min_font_size``; text never gets smaller than
    that (a layout that needs smaller text is a layout bug, reported by the
    kit's checks rather than hidden). CJK text is drawn in a CJK font
    (:func:`lessonreel.theme.font_for`), one font for all its rows, with the
    rows on evenly spaced baselines.
    """
    font = theme.font_for(text, font)
    cjk = theme.has_cjk(text)
    size = font_size
    while True:
        rows = wrap_text(text, size, width, font)
        block = VGroup(*[Text(r, font=font, font_size=size, color=color) for r in rows])
        if not (cjk and len(rows) > 1 and _stack_on_baselines(block, rows, font, size, line_spacing, align)):
            block.arrange(DOWN, buff=line_spacing * size / 48, aligned_edge=LEFT if align == "left" else ORIGIN)
        fits = height is None or block.height <= height
        if fits or size <= min_font_size:
            break
        size = max(min_font_size, size - 2)
    block.font_size_used = size
    return block


def text(content: str, size: Size, color: str = theme.TEXT) -> VGroup:
    """A paragraph of prose."""
    return paragraph(content, size[0], size[1], font_size=theme.BODY_FONT_SIZE, color=color)


def bullets(items: list[str], size: Size) -> VGroup:
    """A bulleted list; each item wraps beside its own marker."""
    width, height = size
    font_size = theme.BODY_FONT_SIZE
    while True:
        rows = VGroup()
        for i, item in enumerate(items):
            marker = Dot(radius=0.06 * font_size / 30, color=theme.PALETTE[i % len(theme.PALETTE)])
            body = paragraph(item, width - 0.5, None, font_size=font_size, min_font_size=font_size)
            marker.next_to(body[0], LEFT, buff=0.25).align_to(body[0], UP).shift(DOWN * 0.12 * font_size / 30)
            rows.add(VGroup(marker, body))
        rows.arrange(DOWN, buff=0.3 * font_size / 30, aligned_edge=LEFT)
        if rows.height <= height or font_size <= theme.MIN_FONT_SIZE:
            return rows
        font_size -= 2


# ---------------------------------------------------------------- math ---

def equation(tex: str, size: Size, color: str = theme.TEXT) -> MathTex:
    """Display math, grown up to 1.4x its base size when its area has room."""
    eq = MathTex(tex, font_size=theme.EQUATION_FONT_SIZE, color=color)
    grow = min(1.4, 0.9 * size[0] / eq.width, 0.8 * size[1] / eq.height)
    if grow > 1:
        eq.scale(grow)
    return _shrink_to(eq, size)


def derivation(steps: list[str], size: Size) -> VGroup:
    """All steps of a derivation, each sized for the area; shown one at a time."""
    forms = VGroup(*[equation(s, size) for s in steps])
    for form in forms[1:]:
        form.move_to(forms[0])
    forms.steps = list(forms)
    return forms


def matrix(rows: list[list], size: Size) -> Matrix:
    m = Matrix([[str(c) for c in row] for row in rows], element_to_mobject=MathTex,
               element_to_mobject_config={"font_size": theme.EQUATION_FONT_SIZE, "color": theme.TEXT},
               bracket_config={"color": theme.TEXT})
    return _shrink_to(m, size, grow=1.3)


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


def plot(function: str, x_range: list[float], size: Size, y_range: list[float] | None = None,
         label: str | None = None, x_label: str | None = None, y_label: str | None = None,
         color: str = theme.BLUE) -> VGroup:
    """Axes with the graph of ``function`` (a safe expression in x), optional axis names and TeX label."""
    f = expr.compile_function(function)
    xr = _range3(x_range)
    yr = _range3(y_range, 5) if y_range else auto_y_range(f, xr)
    width, height = size
    names = {}
    for key, text in (("x", x_label), ("y", y_label)):
        if text:
            names[key] = Text(text, font=theme.font_for(text), font_size=theme.LABEL_FONT_SIZE, color=theme.TEXT)
    label_room = 0.6 if label or "y" in names else 0.0
    x_room = names["x"].width + 0.3 if "x" in names else 0.0
    axes = Axes(
        x_range=xr, y_range=yr, x_length=width - 0.9 - x_room, y_length=height - 0.7 - label_room,
        axis_config={"color": theme.DIM, "include_numbers": True, "font_size": theme.LABEL_FONT_SIZE,
                     "include_tip": False},
        x_axis_config=_axis_config(xr), y_axis_config=_axis_config(yr),
        tips=False,
    )
    graph = axes.plot(lambda x: float(f(x)), x_range=[xr[0], xr[1]], color=color,
                      discontinuities=None, use_smoothing=False)
    graph.set_stroke(width=5)
    # Clip values far outside the y range so a steep function stays inside its box.
    points = graph.points
    y_lo, y_hi = axes.c2p(0, yr[0])[1], axes.c2p(0, yr[1])[1]
    points[:, 1] = np.clip(points[:, 1], y_lo, y_hi)
    group = VGroup(axes, graph)
    group.axes, group.graph, group.label = axes, graph, None
    axis_names = VGroup()
    if "x" in names:
        names["x"].next_to(axes.x_axis.get_end(), RIGHT, buff=0.2)
        axis_names.add(names["x"])
    if "y" in names:
        names["y"].next_to(axes.y_axis.get_end(), UP, buff=0.15)
        axis_names.add(names["y"])
    group.add(axis_names)
    group.axis_names = axis_names
    if label:
        tex = MathTex(label, font_size=36, color=color)
        tex.next_to(axes, UP, buff=0.15).align_to(axes, RIGHT)
        group.add(tex)
        group.label = tex
    return _shrink_to(group, size)


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
    return _shrink_to(group, size)


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
    font = _font_for_all(*labels, y_label or "")  # one font for the chart, numbers included
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
    return _shrink_to(group, size)


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def diagram(nodes: list, edges: list, size: Size, directed: bool = True, layout: str = "auto") -> VGroup:
    """Boxes for nodes and arrows for edges, laid out as layers, a circle or a row."""
    import networkx as nx

    ids, names = [], {}
    for node in nodes:
        node_id, name = (node["id"], node.get("label", node["id"])) if isinstance(node, dict) else (node, node)
        ids.append(node_id)
        names[node_id] = name
    pairs = []
    for edge in edges or []:
        if isinstance(edge, dict):
            pairs.append((edge["from"], edge["to"], edge.get("label")))
        else:
            pairs.append((edge[0], edge[1], None))
    g = nx.DiGraph()
    g.add_nodes_from(ids)
    g.add_edges_from((a, b) for a, b, _ in pairs)
    if layout == "auto":
        layout = "layered" if nx.is_directed_acyclic_graph(g) and pairs else ("row" if not pairs else "circular")
    width, height = size
    if layout == "layered":
        layers = [sorted(layer, key=ids.index) for layer in nx.topological_generations(g)]
    elif layout == "row":
        layers = [[i] for i in ids]
    else:
        layers = None
    font_size = theme.LABEL_FONT_SIZE + 2
    font = _font_for_all(*names.values(), *(name or "" for _, _, name in pairs))
    boxes = {}
    for node_id in ids:
        label = paragraph(names[node_id], 2.6, None, font_size=font_size, min_font_size=font_size, align="center",
                          font=font)
        box = RoundedRectangle(corner_radius=0.15, width=label.width + 0.5, height=label.height + 0.4,
                               stroke_color=theme.BLUE, stroke_width=3, fill_color=theme.PANEL, fill_opacity=1)
        label.move_to(box)
        boxes[node_id] = VGroup(box, label)
    positions = {}
    if layers is not None:
        # Layers run left to right; nodes of a layer are stacked top to bottom.
        n_layers = len(layers)
        for li, layer in enumerate(layers):
            x = (li - (n_layers - 1) / 2) * (width / max(n_layers, 1))
            for ni, node_id in enumerate(layer):
                y = ((len(layer) - 1) / 2 - ni) * (height / max(len(layer), 1))
                positions[node_id] = (x, y)
    else:
        n = len(ids)
        for i, node_id in enumerate(ids):
            angle = math.pi / 2 - 2 * math.pi * i / n
            positions[node_id] = (0.36 * width * math.cos(angle), 0.34 * height * math.sin(angle))
    for node_id, (x, y) in positions.items():
        boxes[node_id].move_to([x, y, 0])
    arrows, edge_labels = VGroup(), VGroup()
    for a, b, name in pairs:
        start, end = _box_exit(boxes[a][0], boxes[b][0]), _box_exit(boxes[b][0], boxes[a][0])
        cls = Arrow if directed else Line
        kwargs = {"buff": 0.05, "stroke_width": 4, "max_tip_length_to_length_ratio": 0.2} if directed else {"stroke_width": 4}
        arrow = cls(start, end, color=theme.DIM, **kwargs)
        arrows.add(arrow)
        if name:
            tag = Text(name, font=font, font_size=theme.MIN_FONT_SIZE, color=theme.ACCENT)
            tag.move_to(arrow.get_center()).shift(UP * 0.25)
            edge_labels.add(tag)
    node_group = VGroup(*[boxes[i] for i in ids])
    group = VGroup(arrows, node_group, edge_labels)
    group.nodes, group.arrows, group.edge_labels = node_group, arrows, edge_labels
    return _shrink_to(group, size, grow=1.4)


def _box_exit(box: VMobject, toward: VMobject) -> np.ndarray:
    """Where the segment from box's centre to the other box leaves box's border."""
    c, t = box.get_center(), toward.get_center()
    d = t - c
    half_w, half_h = box.width / 2, box.height / 2
    scales = []
    if abs(d[0]) > 1e-9:
        scales.append(half_w / abs(d[0]))
    if abs(d[1]) > 1e-9:
        scales.append(half_h / abs(d[1]))
    return c + d * min(scales) if scales else c


# -------------------------------------------------------------- tables ---

def table(header: list, rows: list[list], size: Size) -> Table:
    font = _font_for_all(*header, *(c for r in rows for c in r))

    def cell(value, color=theme.TEXT):
        return Text(str(value), font=font, font_size=theme.LABEL_FONT_SIZE + 2, color=color)

    width = max(len(header), *(len(r) for r in rows))
    body = [[str(r[i]) if i < len(r) else "" for i in range(width)] for r in rows]
    tab = Table(body, col_labels=[cell(h, theme.ACCENT) for h in header] + [cell("")] * (width - len(header)),
                element_to_mobject=cell, include_outer_lines=True, v_buff=0.35, h_buff=0.6,
                line_config={"color": theme.DIM, "stroke_width": 2})
    return _shrink_to(tab, size, grow=1.3)


def code(source: str, language: str, size: Size) -> Code:
    block = Code(code_string=source.rstrip("\n"), language=language, formatter_style="monokai",
                 background="window", add_line_numbers=True,
                 paragraph_config={"font": theme.font_for(source, theme.MONO_FONT),
                                   "font_size": theme.LABEL_FONT_SIZE},
                 background_config={"fill_color": "#272822", "stroke_color": theme.DIM})
    return _shrink_to(block, size, grow=1.3)


# -------------------------------------------------------------- shapes ---

def shape(kind: str, size: Size, label: str | None = None, sides: int | None = None,
          color: str | None = None) -> VGroup:
    color = color or theme.BLUE
    extent = min(size[0], size[1] - (0.6 if label else 0)) * 0.8
    if kind == "circle":
        body = Circle(radius=extent / 2)
    elif kind == "square":
        body = Square(side_length=extent)
    elif kind == "triangle":
        body = Triangle().scale_to_fit_height(extent)
    elif kind == "rectangle":
        body = Rectangle(width=min(size[0] * 0.8, extent * 1.6), height=extent * 0.8)
    else:
        body = RegularPolygon(n=sides or 6).scale_to_fit_height(extent)
    body.set_stroke(color, width=5).set_fill(color, opacity=0.25)
    group = VGroup(body)
    group.body, group.label = body, None
    if label:
        name = Text(label, font=theme.font_for(label), font_size=theme.BODY_FONT_SIZE, color=theme.TEXT)
        name.next_to(body, DOWN, buff=0.2)
        group.add(name)
        group.label = name
    return _shrink_to(group, size)


def image(path: str, size: Size) -> ImageMobject:
    from PIL import Image

    with Image.open(Path(path)) as source:  # any mode Pillow reads -> RGBA, which Manim draws
        pixels = np.array(source.convert("RGBA"))
    picture = ImageMobject(pixels)
    picture.scale_to_fit_width(size[0])
    if picture.height > size[1]:
        picture.scale_to_fit_height(size[1])
    return picture


# ------------------------------------------------------------- helpers ---

def _font_for_all(*texts) -> str:
    """One font for all the texts of a visual (a CJK font when any of them is CJK text)."""
    return theme.font_for(" ".join(str(t) for t in texts))


def _shrink_to(mob, size: Size, grow: float = 1.0):
    """Scale mob to fit within size: down as needed, up by at most ``grow``."""
    width, height = size
    factor = min(grow, width / max(mob.width, 1e-6), height / max(mob.height, 1e-6))
    if factor != 1.0:
        mob.scale(factor)
    return mob
