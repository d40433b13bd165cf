"""Graph visuals: nodes and edges laid out as layers, a circle or a row."""

from __future__ import annotations

import math

import numpy as np
from manim import (
    UP, Arrow, Line, RoundedRectangle, Text, VGroup, VMobject,
)

from .. import theme
from .common import Size, font_for_all, shrink_to
from .text import paragraph


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
    font = font_for_all(*names.values(), *(name or "" for _, _, name in pairs))
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
    return shrink_to(group, size, grow=1.4)


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
