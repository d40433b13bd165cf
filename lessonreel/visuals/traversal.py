"""The stepped ``diagram``: a graph or tree walked node by node (BFS, DFS, shortest paths).

Nodes are the plain diagram's boxes (:mod:`.graphs`). The current node wears
a ring that travels from node to node; an edge being walked gets a pulse
running along it and stays marked as walked (blue) after its step; a path is
lit edge by edge in order (pink) and replaces the path shown before; done
nodes turn green for good. Tags (a distance, a visit order) sit in the
lower part of their node's box; a note says what happens under the graph.

Animations of one play never share a group (Manim would put an anonymous
group on the scene): a sequence in one play, like a path lit edge by edge,
runs by giving each animation its own slice of the play's time.
"""

from __future__ import annotations

import itertools

import numpy as np
from manim import (
    DOWN, UP, Arrow, Create, FadeIn, FadeOut, Line, Rectangle, RoundedRectangle, ShowPassingFlash, Text,
    Transform, VGroup,
)
from manim import UpdateFromAlphaFunc
from manim.utils.rate_functions import linear, smooth

from .. import theme
from ..kinds.diagram import LEVEL_GAP, WEIGHT_GAP, edge_list
from .common import Size, font_for_all, shrink_to
from .graphs import box_exit, node_box, positions, read_graph, resolve_layout
from .stepped import Change, Stepped, staggered, travel as _travel

TAG_HEIGHT = 0.36       # extra box height for a tag under the node's name
TAG_MIN_WIDTH = 1.0     # a box with a tag is at least this wide (room for "inf", "12")
RING_PAD = 0.1          # the ring's distance from its node's box
NOTE_SLOT = 0.42
X_GAP = 0.35            # between the boxes of neighbouring leaves of a tree
MAX_SPREAD = 2.6        # a tree's leaves are at most this far apart, however wide the area

# Looks: (fill colour, fill opacity) and (stroke colour, stroke width).
EDGE_LOOK = {"plain": (theme.DIM, 5), "walked": (theme.BLUE, 6), "lit": (theme.ACCENT, 10), "path": (theme.PINK, 12)}
FLASH = "#FFFFFF"
FLASH_WIDTH = 20        # the pulse along an edge: wide and bright, with a soft glow, so the eye follows it
GLOW_WIDTH = 44
GLOW_OPACITY = 0.25
RUNNER_FILL = 0.4      # the token that travels along an edge as it is walked
RUNNER_FADE = 0.2       # the share of its run in which it fades in (and out, at the far end)
QUICK = 0.75            # a box changes colour over this first share of its play (a quick, clear change)
# Reached (given a tag by a step: queued, a distance found), current and done nodes are filled solid
# (the change is seen at a glance, even in a small picture); name and tag turn dark on the bright fill.
REACHED_FILL = ("#1E40AF", 1.0)  # a deep blue (light text): reached, not done
GLOW = "#DBEAFE"        # a box flashes this light blue as a new value arrives in it
GLOW_QUICK = 0.75       # the share of its play one flash takes (up and back)
GLOW_PEAK = 0.9
CURRENT_FILL = (theme.ACCENT, 1.0)
DONE_FILL = (theme.GREEN, 1.0)
PATH_FILL = (theme.PINK, 1.0)
DARK_TEXT = theme.BACKGROUND
RING_FILL = 0.4         # the ring is a translucent token behind the boxes: seen whole as it travels
NODE_Z = 2               # boxes and tags are drawn over the ring (1.5), the weights (1) and the edges
NODE_GROW = 1.5         # boxes grow up to this much where the layout leaves room between them
MAX_STRETCH = 1.6       # layered layouts: layers stretched up to this much over the height
NODE_GAP = 0.4         # the room kept between two boxes (more with weights on the edges)
WEIGHT_NODE_GAP = 0.62


def _slice(i: int, n: int, rate=smooth):
    """A rate function that runs in the i-th of n equal slices of the play and holds before and after."""
    def rate_func(t: float) -> float:
        return rate(min(1.0, max(0.0, t * n - i)))
    return rate_func


def _up_and_back(t: float) -> float:
    return 1 - abs(2 * t - 1)


def _quick(t: float) -> float:
    """Steady, over the first part of the play only (a box lights up as the walk reaches it)."""
    return min(1.0, t / QUICK)


def _meets(a, b, gap: float = 0.06) -> bool:
    """Whether two mobjects' boxes come closer than ``gap``."""
    return (abs(a.get_x() - b.get_x()) < (a.width + b.width) / 2 + gap
            and abs(a.get_y() - b.get_y()) < (a.height + b.height) / 2 + gap)


def _crosses(chip, segment: tuple, gap: float = 0.04) -> bool:
    """Whether a line segment passes through (or close by) a chip's box."""
    start, end = segment
    for t in np.linspace(0, 1, 41):
        p = start + t * (end - start)
        if abs(p[0] - chip.get_x()) < chip.width / 2 + gap and abs(p[1] - chip.get_y()) < chip.height / 2 + gap:
            return True
    return False


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class TraversalVisual(Stepped):
    def __init__(self, size: Size, nodes: list, edges: list | None = None, directed: bool = True,
                 layout: str = "auto", root: str | None = None, tags: dict | None = None,
                 steps: list[dict] | None = None):
        super().__init__(steps)
        ids, names, pairs = read_graph(nodes, edges)
        self.ids, self.directed = ids, directed
        notes = [s.get("note") for s in self.spec_steps if s.get("note")]
        all_tags = [tags or {}] + [s.get("tags") or {} for s in self.spec_steps]
        self.has_tags = any(all_tags)
        self.font = font_for_all(*names.values(), *notes, *(spec.get("label") or "" for _, _, spec in pairs),
                                 *(v for t in all_tags for v in t.values() if v is not None))
        width, height = size
        room = height - (NOTE_SLOT + 0.2 if notes else 0)
        self.boxes = {i: self._node(names[i]) for i in ids}
        weighted = any("weight" in spec for _, _, spec in pairs)
        if layout == "tree":
            where = self._tree(ids, pairs, root or ids[0], width, room, weighted)
        else:
            layout = resolve_layout(ids, pairs, layout)
            where = positions(ids, pairs, layout, width, room)
            if layout == "layered":
                where = self._stretch(where, room)
        for node_id, (x, y) in where.items():
            self.boxes[node_id].move_to([x, y, 0])
        self.node_scale = self._grow_boxes(WEIGHT_NODE_GAP if weighted else NODE_GAP)
        self.node_group = VGroup(*[self.boxes[i] for i in ids])
        self.edges, self.chips = {}, VGroup()
        for a, b, spec in pairs:
            self.edges[(a, b)] = self.part(f"edge:{a}-{b}", self._edge(a, b))
        self._chips(pairs)
        self.edge_group = VGroup(*self.edges.values())
        for node_id in ids:
            self.part(f"node:{node_id}", self.boxes[node_id][0])
            self.boxes[node_id].set_z_index(NODE_Z)
            self.boxes[node_id][1].set_z_index(NODE_Z + 0.2)
        graph = VGroup(self.node_group, self.edge_group, self.chips)
        # Room for the ring around a node on the rim, reserved now (an invisible frame: never drawn).
        self.frame = Rectangle(width=graph.width + 2.5 * RING_PAD, height=graph.height + 2.5 * RING_PAD,
                               stroke_opacity=0, fill_opacity=0).move_to(graph)
        self.add(self.frame, self.edge_group, self.node_group, self.chips)
        self.note_text = None
        if notes:
            self.note_slot = Rectangle(width=max(graph.width, 4.0), height=NOTE_SLOT, stroke_opacity=0,
                                       fill_opacity=0).next_to(self.frame, DOWN, buff=0.2)
            self.add(self.note_slot)
        self.set_reference(self.frame)
        # The state: what each node and edge looks like now, and why.
        self.current = None
        self.ring = None
        self.ring_at = None  # where the ring is after the steps asked for so far
        self.done: set = set()
        self.reached: set = set()
        self.walked: set = set()
        self.lit: set = set()
        self.path_edges: set = set()
        self.path_nodes: set = set()
        self.look: dict = {}
        self.fresh_tags: set = set()  # tags made in this play (they fade in with their colour)
        self.tags: dict = {}
        for node_id, value in (tags or {}).items():
            if value is not None:
                self.tags[node_id] = self._tag(node_id, value, natural=True)
                self.add(self.tags[node_id])
        shrink_to(self, size)

    # ----------------------------------------------------------- parts ---
    def _stretch(self, where: dict, room: float) -> dict:
        """Layers spread over the whole height (the plain layout keeps them in its middle half)."""
        top = max(abs(y) for _, y in where.values())
        tallest = max(self.boxes[n].height for n in self.ids) * NODE_GROW
        factor = (room / 2 - tallest / 2 - RING_PAD) / top if top > 1e-6 else 1.0
        if factor <= 1.0:
            return where
        return {n: (x, y * min(factor, MAX_STRETCH)) for n, (x, y) in where.items()}

    def _grow_boxes(self, gap: float) -> float:
        """Scale every box up about its centre, as far as the layout leaves ``gap`` between any two (big boxes
        are easy to read, and their changes of colour easy to see)."""
        factor = NODE_GROW
        for a, b in itertools.combinations(self.ids, 2):
            p, q = self.boxes[a][0], self.boxes[b][0]
            dx, dy = abs(p.get_x() - q.get_x()), abs(p.get_y() - q.get_y())
            fits = max((dx - gap) / ((p.width + q.width) / 2), (dy - gap) / ((p.height + q.height) / 2))
            factor = min(factor, fits)
        if factor <= 1.0:
            return 1.0
        for node_id in self.ids:
            self.boxes[node_id].scale(factor)
        return factor

    def _node(self, name: str) -> VGroup:
        group = node_box(name, self.font)
        if not self.has_tags:
            return group
        box, label = group
        tall = RoundedRectangle(corner_radius=0.15, width=max(box.width, TAG_MIN_WIDTH),
                                height=box.height + TAG_HEIGHT, stroke_color=theme.BLUE, stroke_width=3,
                                fill_color=theme.PANEL, fill_opacity=1)
        label.move_to(tall.get_top() + DOWN * (0.2 + label.height / 2))
        return VGroup(tall, label)

    def _tag(self, node_id: str, value, natural: bool = False) -> Text:
        box = self.boxes[node_id][0]
        text = Text(_number(value), font=self.font, font_size=theme.LABEL_FONT_SIZE,
                    color=self._tag_color(node_id))
        if text.width > TAG_MIN_WIDTH * 0.85:
            text.scale_to_fit_width(TAG_MIN_WIDTH * 0.85)
        scale = self.node_scale * (1 if natural else self.unit)
        text.scale(scale)
        # The tag's centre sits as high above the box's bottom as at the natural size, scaled.
        lift = (0.18 + 0.125) * scale
        return self.part(f"tag:{node_id}", text.move_to(box.get_bottom() + UP * lift).set_z_index(NODE_Z + 0.2))

    def _tree(self, ids: list, pairs: list, root: str, width: float, room: float, weighted: bool) -> dict:
        """Centres for a tree: the root on top, each level below; a parent over the middle of its children."""
        links: dict = {n: [] for n in ids}
        for a, b, _ in pairs:
            links[a].append(b)
            if not self.directed:
                links[b].append(a)
        depth, children, order = {root: 0}, {n: [] for n in ids}, [root]
        for node in order:
            for child in links[node]:
                if child not in depth:
                    depth[child] = depth[node] + 1
                    children[node].append(child)
                    order.append(child)
        slots: dict = {}

        def place(node) -> float:
            if not children[node]:
                slots[node] = float(len([n for n in slots if not children[n]]))
            else:
                xs = [place(c) for c in children[node]]
                slots[node] = (xs[0] + xs[-1]) / 2
            return slots[node]

        place(root)
        leaves = sum(1 for n in ids if not children[n])
        widest = max(self.boxes[n].width for n in ids)
        spread = max(widest + X_GAP, min(width / max(leaves, 1), MAX_SPREAD))
        levels = max(depth.values()) + 1
        tallest = max(self.boxes[n].height for n in ids)
        pitch = tallest + (WEIGHT_GAP if weighted else LEVEL_GAP)
        if levels > 1:
            pitch = max(pitch, min((room - tallest) / (levels - 1), tallest + 1.3))
        return {n: ((slots[n] - (leaves - 1) / 2) * spread, ((levels - 1) / 2 - depth[n]) * pitch) for n in ids}

    def _edge(self, a: str, b: str):
        start, end = self._segment(a, b)
        color, width = EDGE_LOOK["plain"]
        if self.directed:
            return Arrow(start, end, buff=0.05, color=color, stroke_width=width, max_tip_length_to_length_ratio=0.2)
        return Line(start, end, color=color, stroke_width=width)

    def _segment(self, a: str, b: str) -> tuple:
        return box_exit(self.boxes[a][0], self.boxes[b][0]), box_exit(self.boxes[b][0], self.boxes[a][0])

    def _chips(self, pairs: list) -> None:
        """Each weight on its edge (a small chip), where it covers no other chip, node or edge; labels beside."""
        segments = {(a, b): self._segment(a, b) for a, b, _ in pairs}
        taken = [self.boxes[n][0] for n in self.ids]
        for a, b, spec in pairs:
            start, end = segments[(a, b)]
            d = end - start
            normal = np.array([-d[1], d[0], 0.0]) / max(np.linalg.norm(d), 1e-9)
            if normal[1] < -1e-9 or (abs(normal[1]) < 1e-9 and normal[0] < 0):
                normal = -normal
            where, lift = (start + end) / 2, 0.0
            if "weight" in spec:
                text = Text(_number(spec["weight"]), font=self.font, font_size=theme.LABEL_FONT_SIZE,
                            color=theme.TEXT)
                chip = RoundedRectangle(corner_radius=0.08, width=text.width + 0.22, height=text.height + 0.16,
                                        fill_color=theme.BACKGROUND, fill_opacity=1, stroke_color=theme.DIM,
                                        stroke_width=2)
                others = [seg for key, seg in segments.items() if key != (a, b)]
                for t in (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75):
                    chip.move_to(start + t * d)
                    if not any(_meets(chip, m) for m in taken) and not any(_crosses(chip, s) for s in others):
                        break
                else:
                    chip.move_to(start + 0.5 * d)
                where = chip.get_center()
                taken.append(chip)
                text.move_to(chip)
                self.part(f"weight:{a}-{b}", text)
                self.chips.add(VGroup(chip, text).set_z_index(1))  # over the pulses that run along edges
                lift = max(chip.width, chip.height) / 2
            if spec.get("label"):
                tag = Text(spec["label"], font=self.font, font_size=theme.MIN_FONT_SIZE, color=theme.ACCENT)
                tag.move_to(where + normal * (lift + 0.1 + max(tag.width, tag.height) / 2))
                self.chips.add(tag)

    def _ring(self, node_id: str) -> RoundedRectangle:
        box, pad = self.boxes[node_id][0], RING_PAD * self.unit
        return RoundedRectangle(corner_radius=0.2 * self.unit, width=box.width + 2 * pad, height=box.height + 2 * pad,
                                stroke_color=theme.ACCENT, stroke_width=5, fill_color=theme.ACCENT,
                                fill_opacity=RING_FILL).move_to(box).set_z_index(NODE_Z - 0.5)

    def _note(self, text: str) -> Text:
        note = Text(text, font=self.font, font_size=theme.LABEL_FONT_SIZE, color=theme.TEXT)
        width = self.note_slot.width / self.unit
        if note.width > width:
            note.scale_to_fit_width(width)
        return self.part("note", note.scale(self.unit).move_to(self.note_slot))

    # ---------------------------------------------------------- looks ---
    def _key(self, a: str, b: str) -> tuple:
        return (a, b) if (a, b) in self.edges else (b, a)

    def _node_look(self, node_id: str) -> tuple:
        """(fill colour, fill opacity, stroke colour, stroke width, text colour) of a node now."""
        if node_id in self.done:
            fill = DONE_FILL
        elif node_id == self.current:
            fill = CURRENT_FILL
        elif node_id in self.path_nodes:
            fill = PATH_FILL
        elif node_id in self.reached:
            fill = REACHED_FILL
        else:
            fill = (theme.PANEL, 1.0)
        if node_id == self.current:
            stroke = (theme.ACCENT, 4)
        elif node_id in self.path_nodes:
            stroke = (theme.PINK, 5)
        elif node_id in self.done:
            stroke = (theme.GREEN, 3)
        else:
            stroke = (theme.BLUE, 3)
        bright = fill in (DONE_FILL, CURRENT_FILL, PATH_FILL)
        return fill + stroke + (DARK_TEXT if bright else theme.TEXT,)

    def _tag_color(self, node_id: str) -> str:
        """Tags are yellow on a plain box, dark on a filled one."""
        return DARK_TEXT if self._node_look(node_id)[4] == DARK_TEXT else theme.ACCENT

    def _edge_look(self, key: tuple) -> tuple:
        for name, members in (("path", self.path_edges), ("lit", self.lit), ("walked", self.walked)):
            if key in members:
                return EDGE_LOOK[name]
        return EDGE_LOOK["plain"]

    def _restyle(self, rate_funcs: dict | None = None, skip: set | None = None) -> list:
        """Animations that bring every node and edge to the look its state gives it (only those that change;
        nodes in ``skip`` wait for a later phase)."""
        rate_funcs = rate_funcs or {}
        anims = []
        for node_id in self.ids:
            if skip and node_id in skip:
                continue
            look = self._node_look(node_id)
            before = self.look.get(("node", node_id), (theme.PANEL, 1.0, theme.BLUE, 3, theme.TEXT))
            if before != look:
                self.look[("node", node_id)] = look
                box, label = self.boxes[node_id]
                rate = rate_funcs.get(("node", node_id), linear)  # colours change steadily
                anims.append(box.animate(rate_func=rate).set_fill(look[0], look[1]).set_stroke(look[2], width=look[3]))
                if before[4] != look[4]:
                    anims.append(label.animate(rate_func=rate).set_color(look[4]))
                    tag = self.tags.get(node_id)
                    if tag is not None and node_id not in self.fresh_tags:
                        anims.append(tag.animate(rate_func=rate).set_color(self._tag_color(node_id)))
        for key, mob in self.edges.items():
            look = self._edge_look(key)
            if self.look.get(("edge", key), EDGE_LOOK["plain"]) != look:
                self.look[("edge", key)] = look
                rate = rate_funcs.get(("edge", key), linear)
                anims.append(mob.animate(rate_func=rate).set_color(look[0]).set_stroke(width=look[1]))
        return anims

    def _flash(self, a: str, b: str, rate=linear) -> list:
        """A pulse that runs along the edge from a to b: a bright core in a soft glow."""
        mob = self.edges[self._key(a, b)]
        start, end = mob.get_start(), mob.get_end()
        if self._key(a, b) != (a, b):
            start, end = end, start
        glow = Line(start, end, stroke_color=FLASH, stroke_width=GLOW_WIDTH, stroke_opacity=GLOW_OPACITY)
        core = Line(start, end, stroke_color=FLASH, stroke_width=FLASH_WIDTH)
        return [ShowPassingFlash(line, time_width=0.8, rate_func=rate) for line in (glow, core)]

    # ------------------------------------------------------- animations ---
    def entrance(self) -> Change:
        def nodes():  # the towns appear one after another, then the roads between them
            n = len(self.node_group)
            return [FadeIn(group, scale=0.8, rate_func=staggered(i, n)) for i, group in enumerate(self.node_group)]

        def edges():
            n = len(self.edges)
            anims = [Create(mob, rate_func=staggered(i, n)) for i, mob in enumerate(self.edges.values())]
            anims += [FadeIn(chip, rate_func=staggered(min(i, n - 1), n)) for i, chip in enumerate(self.chips)]
            return anims + [FadeIn(tag) for tag in self.tags.values()]

        return Change(self, [nodes, edges if self.edges or self.tags else None])

    def step(self, index: int):
        change = super().step(index)
        if "visit" in self.spec_steps[index]:
            self.ring_at = self.spec_steps[index]["visit"]
        return change

    def phases(self, step: dict) -> list:
        """Up to three phases: the walk along edges (a token or the ring travels each), the ring's move to
        the visited node (when no walked edge leads there), then the marks (colours, tags, note)."""
        walk = bool(step.get("edge") or step.get("path"))
        target = step.get("visit")
        travel = target is not None and any(b == target for _, b in edge_list(step.get("edge")))
        # The ring moves in a phase of its own; it appears (or leaves) with the marks.
        ring = target is not None and not travel and self.ring_at is not None
        marks = any(k in step for k in ("visit", "done", "tags", "note"))
        return [_travel(self._walk_phase(step, travel)) if walk else None,
                _travel(self._ring_phase(step, settle=not walk)) if ring else None,
                self._mark_phase(step, settle=not walk and not ring, visit=not travel and not ring)
                if marks or (not walk and self.lit) else None]

    def _ring_phase(self, step: dict, settle: bool):
        """The ring travels to the visited node; the node it leaves, and nodes done now, take their colour
        (the visited node lights up when the ring has arrived, in the mark phase)."""
        def play():
            if settle:
                self.lit = set()
            target = step["visit"]
            anims = self._visit(target)
            self.done |= set(step.get("done") or []) - {target}
            return anims + self._restyle(skip={target})
        return play

    def _walk_phase(self, step: dict, travel: bool):
        def play():
            pairs = edge_list(step.get("edge"))
            self.lit = {self._key(a, b) for a, b in pairs}
            self.walked |= self.lit
            anims = [flash for a, b in pairs for flash in self._flash(a, b)]
            target = step.get("visit") if travel else None
            anims += [self._runner(a, b) for a, b in pairs if b != target]
            if travel:  # the ring itself walks the edge to the node it visits
                anims += self._visit(target)
            rates = {}
            path = step.get("path")
            if path:
                self.walked |= self.path_edges
                hops = list(itertools.pairwise(path))
                self.path_edges = {self._key(a, b) for a, b in hops}
                self.path_nodes = set(path)
                n = len(hops)
                rates[("node", path[0])] = _slice(0, n, linear)
                for i, (a, b) in enumerate(hops):
                    anims += self._flash(a, b, rate=_slice(i, n, linear))
                    rates[("edge", self._key(a, b))] = _slice(i, n, linear)
                    rates[("node", b)] = _slice(i, n, linear)
            return anims + self._restyle(rates, skip={target})
        return play

    def _mark_phase(self, step: dict, settle: bool, visit: bool):
        def play():
            anims = []
            self.fresh_tags = set()
            if settle:
                self.lit = set()
            if visit and "visit" in step:
                anims += self._visit(step["visit"])
            self.done |= set(step.get("done") or [])
            for node_id, value in (step.get("tags") or {}).items():
                if isinstance(value, (int, float)):  # a number found for it (a text like "∞" is no distance)
                    self.reached.add(node_id)
                anims += self._set_tag(node_id, value)
            if step.get("note"):  # the old note leaves, then the new one comes in
                old, self.note_text = self.note_text, self._note(step["note"])
                halves = old is not None
                if halves:
                    self.remove(old)
                    anims.append(FadeOut(old, shift=UP * 0.1 * self.unit, rate_func=_slice(0, 2)))
                self.add(self.note_text)
                anims.append(FadeIn(self.note_text, shift=UP * 0.1 * self.unit,
                                    rate_func=_slice(1, 2) if halves else smooth))
            tagged = [n for n, v in (step.get("tags") or {}).items() if v is not None]
            quick = {("node", n): _quick for n in tagged + [step.get("visit")] if n is not None}
            anims += self._restyle(quick)
            n = len(tagged)  # each box lights up as its new value arrives; several one after another
            span = GLOW_QUICK if n == 1 else 1.0 / (n + 1)
            anims += [self._glow(node_id, (i * span * 0.5 if n == 1 else i * span), span if n == 1 else 2 * span)
                      for i, node_id in enumerate(tagged)]
            return anims
        return play

    def _glow(self, node_id: str, start: float = 0.0, length: float = GLOW_QUICK) -> UpdateFromAlphaFunc:
        """A light flash over the box (under its text) as a new value arrives in it, from ``start`` into
        the play for ``length`` of it."""
        box = self.boxes[node_id][0]
        flash = box.copy().set_fill(GLOW, 0).set_stroke(width=0).set_z_index(NODE_Z + 0.1)

        def shine(mob, alpha: float) -> None:
            mob.set_fill(GLOW, GLOW_PEAK * _up_and_back(min(1.0, max(0.0, (alpha - start) / length))))
        return UpdateFromAlphaFunc(flash, shine, remover=True)

    def _runner(self, a: str, b: str) -> UpdateFromAlphaFunc:
        """A light token the size of a box that travels from node a to node b along their edge (what a
        walk finds is carried to the next node), fading in over a and out over b."""
        src, dst = self.boxes[a][0], self.boxes[b][0]
        start, end = src.get_center(), dst.get_center()
        token = RoundedRectangle(corner_radius=0.15 * self.node_scale * self.unit, width=src.width,
                                 height=src.height, fill_color=FLASH, stroke_color=FLASH, stroke_width=4)
        token.move_to(start).set_z_index(NODE_Z + 1)
        sizes = np.array([src.width, src.height]), np.array([dst.width, dst.height])

        def place(mob, alpha: float) -> None:
            width, height = sizes[0] + (sizes[1] - sizes[0]) * alpha
            mob.stretch_to_fit_width(width).stretch_to_fit_height(height).move_to(start + (end - start) * alpha)
            fade = max(0.0, min(1.0, alpha / RUNNER_FADE, (1 - alpha) / RUNNER_FADE))
            mob.set_fill(opacity=RUNNER_FILL * fade).set_stroke(opacity=fade)
        return UpdateFromAlphaFunc(token, place, rate_func=linear, remover=True)

    def _visit(self, node_id) -> list:
        self.current = node_id
        if node_id is None:
            if self.ring is None:
                return []
            ring, self.ring = self.ring, None
            self.remove(ring)
            del self.lesson_parts["ring"]
            return [FadeOut(ring, scale=1.15)]
        target = self._ring(node_id)
        if self.ring is None:
            self.ring = self.part("ring", target)
            self.add(target)  # drawn behind the boxes, over the edges (z index)
            return [FadeIn(target, scale=1.6)]
        return [Transform(self.ring, target, rate_func=linear)]  # at a steady pace, like a walker

    def _set_tag(self, node_id: str, value) -> list:
        old = self.tags.pop(node_id, None)
        anims = []
        if old is not None:
            self.remove(old)
            del self.lesson_parts[f"tag:{node_id}"]
            anims.append(FadeOut(old, shift=UP * 0.12 * self.unit, rate_func=_slice(0, 2)))
        if value is not None:  # the new value comes in as the old one has left
            self.fresh_tags.add(node_id)
            new = self.tags[node_id] = self._tag(node_id, value)
            self.add(new)
            anims.append(FadeIn(new, shift=UP * 0.12 * self.unit, rate_func=_slice(1, 2) if old is not None else smooth))
        return anims


def traversal(size: Size, nodes: list, **spec) -> TraversalVisual:
    """A graph or tree walked step by step (visit, edge, path, done, tags, note); see ``kinds.diagram``."""
    return TraversalVisual(size, nodes, **spec)
