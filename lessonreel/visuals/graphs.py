"""Graph visuals: nodes and edges laid out as layers, a circle or a row.

The pieces (reading nodes and edges, a node's box, the layouts, where an edge
leaves a box) are shared with the stepped ``traversal`` builder.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    UP, Arrow, Line, RoundedRectangle, Text, VGroup, VMobject,
)

from .. import theme
from .common import Size, font_for_all, shrink_to
from .text import paragraph

NODE_FONT_SIZE = theme.LABEL_FONT_SIZE + 2


def read_graph(nodes: list, edges: list | None) -> tuple[list, dict, list]:
    """(node ids in order, {id: label}, [(from, to, edge spec dict)]) from a diagram's fields."""
    ids, names = [], {}
    for node in nodes:
        node_id, name = (node["id"], node.get("label", node["id"])) if isinstance(node, dict) else (node, node)
        ids.append(node_id)
        names[node_id] = name
    pairs = []
    for edge in edges or []:
        if isinstance(edge, dict):
            pairs.append((edge["from"], edge["to"], edge))
        else:
            pairs.append((edge[0], edge[1], {}))
    return ids, names, pairs


def node_box(name: str, font: str, font_size: float = NODE_FONT_SIZE) -> VGroup:
    """A node: its name in a rounded box (VGroup(box, label))."""
    label = paragraph(name, 2.6, None, font_size=font_size, min_font_size=font_size, align="center", font=font)
    box = RoundedRectangle(corner_radius=0.15, width=label.width + 0.5, height=label.height + 0.4,
                           stroke_color=theme.BLUE, stroke_width=3, fill_color=theme.PANEL, fill_opacity=1)
    label.move_to(box)
    return VGroup(box, label)


def resolve_layout(ids: list, pairs: list, layout: str) -> str:
    """The layout ``auto`` stands for: layers for a DAG, a row without edges, else a circle."""
    import networkx as nx

    if layout != "auto":
        return layout
    g = nx.DiGraph()
    g.add_nodes_from(ids)
    g.add_edges_from((a, b) for a, b, _ in pairs)
    return "layered" if nx.is_directed_acyclic_graph(g) and pairs else ("row" if not pairs else "circular")


def positions(ids: list, pairs: list, layout: str, width: float, height: float) -> dict:
    """{id: (x, y)} centres for the layouts layered (left to right), row and circular."""
    import networkx as nx

    if layout == "layered":
        g = nx.DiGraph()
        g.add_nodes_from(ids)
        g.add_edges_from((a, b) for a, b, _ in pairs)
        layers = [sorted(layer, key=ids.index) for layer in nx.topological_generations(g)]
    elif layout == "row":
        layers = [[i] for i in ids]
    else:
        layers = None
    out = {}
    if layers is not None:
        # Layers run left to right; nodes of a layer are stacked top to bottom.
        n_layers = len(layers)
        for li, layer in enumerate(layers):
            x = (li - (n_layers - 1) / 2) * (width / max(n_layers, 1))
            for ni, node_id in enumerate(layer):
                y = ((len(layer) - 1) / 2 - ni) * (height / max(len(layer), 1))
                out[node_id] = (x, y)
    else:
        n = len(ids)
        for i, node_id in enumerate(ids):
            angle = math.pi / 2 - 2 * math.pi * i / n
            out[node_id] = (0.36 * width * math.cos(angle), 0.34 * height * math.sin(angle))
    return out


def diagram(nodes: list, edges: list, size: Size, directed: bool = True, layout: str = "auto") -> VGroup:
    """Boxes for nodes and arrows for edges, laid out as layers, a circle or a row."""
    ids, names, pairs = read_graph(nodes, edges)
    layout = resolve_layout(ids, pairs, layout)
    width, height = size
    font = font_for_all(*names.values(), *(spec.get("label") or "" for _, _, spec in pairs))
    boxes = {node_id: node_box(names[node_id], font) for node_id in ids}
    for node_id, (x, y) in positions(ids, pairs, layout, width, height).items():
        boxes[node_id].move_to([x, y, 0])
    arrows, edge_labels = VGroup(), VGroup()
    for a, b, spec in pairs:
        name = spec.get("label")
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


box_exit = _box_exit
