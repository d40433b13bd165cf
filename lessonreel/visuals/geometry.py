"""The ``geometry`` visual: a figure whose shapes appear, light up and move, step by step.

The figure's coordinates (y up) are scaled to fit the area, leaving room for
labels, and the room is that of every state the figure goes through: a
polygon's whole path when it moves, every text a label takes. Labels go where
they cover no line and no other label of the figure (a segment's beside it,
outside the figure if it can; a point's on the free side of the dot); the
ones fixed at a shape's centre are placed first.

A step plays in phases: earlier highlights end, shapes hide and labels
change; then polygons move (a turned copy turns and slides as one piece) and
unit cells pour, a few at a time (:mod:`.geocells`); then new shapes appear
(squares grow out of their side with their grid, filled shapes fill in as
their outline is drawn); then highlights. Every change is paced evenly
(``ease_in_out_sine``), so it moves through all of its run time.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    ORIGIN, Arc, Circle, Create, Dot, FadeIn, FadeOut, GrowFromCenter, Line,
    Polygon, Rectangle, Text, Transform, UpdateFromAlphaFunc, VMobject,
)
from manim.animation.animation import prepare_animation
from manim.utils.rate_functions import double_smooth, ease_in_out_sine, smooth

from .. import theme
from ..kinds import geometry as G
from .common import Size, font_for_all, shrink_to
from .geocells import CellsMixin
from .stepped import Change, Stepped, travel

COLORS = {"blue": theme.BLUE, "green": theme.GREEN, "yellow": theme.ACCENT, "pink": theme.PINK,
          "purple": theme.PURPLE, "red": "#F87171", "white": theme.TEXT, "grey": theme.DIM}
DEFAULT_COLOR = {"polygon": theme.BLUE, "segment": theme.TEXT, "right_angle": theme.TEXT, "angle": theme.ACCENT,
                 "circle": theme.PURPLE, "point": theme.TEXT}
SQUARE_COLORS = [theme.GREEN, theme.ACCENT, theme.PINK, theme.PURPLE]
FILL = {"polygon": 0.25, "square_on": 0.3, "circle": 0.0}
STROKE = {"polygon": 4, "square_on": 4, "circle": 4, "segment": 5, "right_angle": 3, "angle": 3, "point": 0}
Z = {"polygon": 0, "square_on": 0, "circle": 1, "segment": 2, "right_angle": 3, "angle": 3, "point": 4}
LABEL_Z = 5
GAP = 0.12          # between a label and what it labels (scene units)
DOT = 0.08          # a point's dot radius
CLEAR = 0.08        # how far a label keeps from the middle of any line
SAMPLE = 0.04       # spacing of the sample points along outlines that labels avoid
HALO = 4            # a label's outline in the background colour: legible over lines and grids


def _vec(x: float, y: float) -> np.ndarray:
    return np.array([x, y, 0.0])


def _unit(v) -> np.ndarray:
    n = math.hypot(v[0], v[1])
    return _vec(v[0] / n, v[1] / n) if n > 1e-9 else _vec(0.0, 1.0)


def _meet(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class GeometryVisual(CellsMixin, Stepped):
    def __init__(self, size: Size, shapes: list[dict], points: dict | None = None, show: list | None = None,
                 steps: list[dict] | None = None):
        super().__init__(steps)
        self.fig = G.Figure({"points": points or {}, "shapes": shapes, "show": show, "steps": self.spec_steps})
        self.specs = {s["id"]: s for s in shapes}
        self.types = self.fig.types
        self.initial = list(show) if show is not None else list(self.fig.order)
        self.texts = {i: s.get("label") for i, s in self.specs.items()}
        self.variants = {i: [t] if t else [] for i, t in self.texts.items()}
        for step in self.spec_steps:
            for i, text in (step.get("label") or {}).items():
                self.variants[i].append(text)
        self.font = font_for_all(*(t for ts in self.variants.values() for t in ts))
        squares = [i for i in self.fig.order if self.types[i] == "square_on"]
        self.colors = {}
        for i, s in self.specs.items():
            t = self.types[i]
            default = SQUARE_COLORS[squares.index(i) % 4] if t == "square_on" else DEFAULT_COLOR[t]
            self.colors[i] = COLORS.get(s.get("color"), s.get("color")) or default
        left, bottom, right, top = self.fig.extent()
        self.fw, self.fh = right - left, top - bottom
        self.fc = ((left + right) / 2, (bottom + top) / 2)
        u = 0.8 * min(size[0] / self.fw, size[1] / self.fh)
        for _ in range(2):  # labels stick out by about the same whatever the scale: fit what is left
            self._build(u)
            u = max(0.05, min((size[0] - (self.width - u * self.fw)) / self.fw,
                              (size[1] - (self.height - u * self.fh)) / self.fh))
        self._build(u)
        shrink_to(self, size)
        self.current = {i: list(v) for i, v in self.fig.vertices.items()}
        self.poured: dict[str, list[str]] = {}  # square -> squares whose cells were poured into it
        self.on: set[str] = set()
        self.transient: set[str] = set()

    # ------------------------------------------------------- building ---
    def _build(self, u: float) -> None:
        self.remove(*self.submobjects)
        self.lesson_parts = {}
        self.ref = Rectangle(width=u * self.fw, height=u * self.fh, stroke_opacity=0, fill_opacity=0).move_to(ORIGIN)
        self.add(self.ref)
        self.set_reference(self.ref)
        self.mobs, self.labels, self.anchors, self.style, self.grids = {}, {}, {}, {}, {}
        for i in self.fig.order:
            mob = self._shape(i)
            mob.set_z_index(Z[self.types[i]])
            self.mobs[i] = self.part(i, mob)
            self.add(mob)
            if self.specs[i].get("grid"):
                self.grids[i] = self._grid(i)
                self.add(self.grids[i])
        self._make_cells()
        obstacles = self._obstacles()
        taken: list[tuple] = []
        # Labels with one place (a polygon's or square's, at its centre) first: the others then keep clear of them.
        fixed = [i for i in self.fig.order if self.types[i] in ("polygon", "square_on")]
        for i in fixed + [i for i in self.fig.order if i not in fixed]:
            if self.variants[i]:
                self._place_label(i, obstacles, taken)

    def _to_scene(self, p) -> np.ndarray:
        """Figure coordinates -> scene coordinates, wherever the visual is now."""
        k = self.ref.width / self.fw
        c = self.ref.get_center()
        return _vec(c[0] + k * (p[0] - self.fc[0]), c[1] + k * (p[1] - self.fc[1]))

    def _shape(self, i: str) -> VMobject:
        t, s, color = self.types[i], self.specs[i], self.colors[i]
        fill = s.get("fill", FILL.get(t, 0.0))
        width = s.get("width", STROKE[t])
        if t in ("polygon", "square_on"):
            corners = self.fig.vertices[i] if t == "polygon" else self.fig.squares[i]
            mob = Polygon(*[self._to_scene(p) for p in corners], stroke_color=color, stroke_width=width,
                          fill_color=color, fill_opacity=fill)
        elif t == "circle":
            mob = Circle(radius=self.fig.radius(i) * self.ref.width / self.fw, stroke_color=color,
                         stroke_width=width, fill_color=color, fill_opacity=fill)
            mob.move_to(self._to_scene(self.fig.at(s["circle"]["center"])))
        elif t == "segment":
            mob = Line(*[self._to_scene(self.fig.at(r)) for r in s["segment"]], stroke_color=color,
                       stroke_width=width)
        elif t == "point":
            mob = Dot(self._to_scene(self.fig.at(s["point"])), radius=DOT, color=color)
            fill = 1.0
        else:
            mob = self._mark(i, color, width)
        self.style[i] = (color, width, fill)
        return mob

    def _arms(self, i: str):
        p, v, q = (self._to_scene(self.fig.at(r)) for r in self.specs[i][self.types[i]])
        return v, p - v, q - v

    def _mark(self, i: str, color, width) -> VMobject:
        v, a, b = self._arms(i)
        reach = min(np.linalg.norm(a), np.linalg.norm(b))
        if self.types[i] == "right_angle":
            s = min(0.3, 0.25 * reach)
            e1, e2 = _unit(a) * s, _unit(b) * s
            return VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(
                [v + e1, v + e1 + e2, v + e2])
        start = math.atan2(a[1], a[0])
        turn = (math.atan2(b[1], b[0]) - start + math.pi) % math.tau - math.pi
        return Arc(radius=min(0.5, 0.3 * reach), start_angle=start, angle=turn, arc_center=v,
                   stroke_color=color, stroke_width=width)

    def _obstacles(self) -> list[tuple[np.ndarray, set, str]]:
        """(sample points along an outline, the stages it is on screen at, its shape) for every outline."""
        out = []

        def along(path) -> np.ndarray:
            pts = []
            for a, b in zip(path, path[1:]):
                n = max(1, int(np.linalg.norm(b - a) / SAMPLE))
                pts.extend(a + (b - a) * (k / n) for k in range(n + 1))
            return np.array(pts)[:, :2]
        for i, mob in self.mobs.items():
            t, stages = self.types[i], self.fig.visible[i]
            if t == "polygon":
                for stage in stages:
                    corners = [self._to_scene(p) for p in self.fig.placed[i][stage]]
                    out.append((along(corners + corners[:1]), {stage}, i))
            elif t == "point":
                out.append((np.array([mob.get_center()[:2]]), stages, i))
            elif t in ("circle", "angle"):
                n = max(8, int(mob.get_arc_length() / SAMPLE))
                out.append((np.array([mob.point_from_proportion(k / n)[:2] for k in range(n + 1)]), stages, i))
            else:
                anchors = list(mob.get_anchors())
                out.append((along(anchors + (anchors[:1] if t == "square_on" else [])), stages, i))
        return out

    def _candidates(self, i: str):
        """[(anchor in figure coordinates, direction, distance)] for i's label, in order of preference."""
        t, s = self.types[i], self.specs[i]
        centre = self._to_scene(self.fig.centre)
        if t in ("polygon", "square_on"):
            corners = self.fig.vertices[i] if t == "polygon" else self.fig.squares[i]
            return [(G.centroid(corners), _vec(0, 0), 0.0)]
        if t == "segment":
            p, q = (self.fig.at(r) for r in s["segment"])
            mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
            n = _unit((p[1] - q[1], q[0] - p[0]))
            out = np.dot(n[:2], self._to_scene(mid)[:2] - centre[:2])
            n = -n if out < -1e-6 or (abs(out) <= 1e-6 and n[1] < 0) else n
            # Beside the middle, outside the figure first; else inside, else further along the side.
            at = [((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])), side) for t in (0.5, 0.3, 0.7)
                  for side in (n, -n)]
            return [(a, side, GAP) for a, side in at]
        if t == "point":
            p = self.fig.at(s["point"])
            away = self._to_scene(p) - centre
            first = math.atan2(away[1], away[0]) if np.linalg.norm(away) > 1e-6 else math.pi / 4
            dirs = sorted((_vec(math.cos(k * math.pi / 4), math.sin(k * math.pi / 4)) for k in range(8)),
                          key=lambda d: -np.dot(d[:2], [math.cos(first), math.sin(first)]))
            return [(p, d, DOT + GAP) for d in dirs]
        if t == "circle":
            r = self.fig.radius(i) * self.ref.width / self.fw
            dirs = [_vec(math.cos(a), math.sin(a)) for a in (math.pi / 4, 3 * math.pi / 4, -math.pi / 4,
                                                             -3 * math.pi / 4)]
            return [(self.fig.at(s["circle"]["center"]), d, r + GAP) for d in dirs]
        v, a, b = self._arms(i)
        d = _unit(_unit(a) + _unit(b))
        mark = self.mobs[i]
        base = max(np.linalg.norm(p[:2] - v[:2]) for p in mark.get_anchors()) + GAP
        return [(self.fig.at(s[t][1]), d, base + extra) for extra in (0.0, 0.25, 0.5)]

    def _label_at(self, i: str, text: Text) -> Text:
        anchor, d, base = self.anchors[i]
        w, h = text.width, text.height
        reach = base * self.unit + abs(d[0]) * w / 2 + abs(d[1]) * h / 2
        return text.move_to(self._to_scene(anchor) + d * reach)

    def _text(self, text: str) -> Text:
        return Text(text, font=self.font, font_size=theme.LABEL_FONT_SIZE, color=theme.TEXT).scale(
            self.unit).set_stroke(theme.BACKGROUND, width=HALO, background=True)

    def _place_label(self, i: str, obstacles: list, taken: list) -> None:
        """Put i's label where it covers the fewest lines, and no other label, of what is on screen with it."""
        widest = max((self._text(t) for t in self.variants[i]), key=lambda m: m.width * m.height)
        candidates = self._candidates(i)
        stages = self.fig.visible[i]
        best = None
        for anchor, d, base in candidates:
            self.anchors[i] = (anchor, d, base)
            box = self._box(self._label_at(i, widest))
            near = (box[0] - CLEAR, box[1] - CLEAR, box[2] + CLEAR, box[3] + CLEAR)
            hits = sum(int(np.sum((pts[:, 0] > near[0]) & (pts[:, 0] < near[2]) & (pts[:, 1] > near[1])
                                  & (pts[:, 1] < near[3]))) for pts, when, owner in obstacles
                       if when & stages and owner != i)
            hits += 1000 * sum(1 for b, when in taken if when & stages and _meet(b, near))
            if best is None or hits < best[0]:
                best = (hits, self.anchors[i], box)
        self.anchors[i] = best[1]
        if self.types[i] == "polygon":  # its label goes where the polygon is, stage by stage
            for stage in stages:
                c = self._to_scene(G.centroid(self.fig.placed[i][stage]))
                w, h = widest.width / 2 + 0.03, widest.height / 2 + 0.03
                taken.append(((c[0] - w, c[1] - h, c[0] + w, c[1] + h), {stage}))
        else:
            taken.append((best[2], stages))
        slot = Rectangle(width=best[2][2] - best[2][0], height=best[2][3] - best[2][1], stroke_opacity=0,
                         fill_opacity=0).move_to(_vec((best[2][0] + best[2][2]) / 2, (best[2][1] + best[2][3]) / 2))
        self.add(slot)  # room for the widest text this label takes
        text = self._label_at(i, self._text(self.texts[i] or self.variants[i][0]))
        text.set_z_index(LABEL_Z)
        self.labels[i] = self.part(f"label:{i}", text)
        self.add(text)

    @staticmethod
    def _box(mob, pad: float = 0.03) -> tuple:
        left, bottom = mob.get_corner(np.array([-1, -1, 0]))[:2]
        right, top = mob.get_corner(np.array([1, 1, 0]))[:2]
        return (left - pad, bottom - pad, right + pad, top + pad)

    # ----------------------------------------------------- animations ---
    def entrance(self) -> Change:
        """Outlines first (polygons, squares, circles, segments), then marks, points and labels."""
        shapes = [i for i in self.initial if self.types[i] not in ("right_angle", "angle", "point")]
        rest = [i for i in self.initial if i not in shapes]

        def draw():
            self.on.update(shapes)
            return _eased([a for i in shapes for a in self._reveal(i)])

        def finish():
            self.on.update(rest)
            return _eased([a for i in rest for a in self._reveal(i)]
                          + [FadeIn(self.labels[i]) for i in self.initial if self.texts[i]])
        return Change(self, [draw, finish])

    def step(self, index: int) -> Change:
        self._index = index
        return super().step(index)

    def phases(self, step: dict) -> list:
        k = self._index
        chunks = self._chunks(k)
        if not chunks:  # labels change as earlier highlights end
            return [lambda: _eased(self._clear(step) + self._relabel(step)),
                    travel(lambda: _eased(self._move(k))) if step.get("move") else None,
                    (lambda: _eased(self._show(step.get("show") or []))) if step.get("show") else None,
                    (lambda: _eased(self._highlight(step["highlight"]))) if step.get("highlight") else None]
        # A pour plays in turns of a few cells each (the eye can count them); labels change as the first turn starts.
        pours = [travel(lambda c=c: _eased(self._pour(k, c) + (self._move(k) + self._relabel(step) if c == 0 else [])))
                 for c in range(len(chunks))]
        return [lambda: _eased(self._clear(step)), *pours,
                (lambda: _eased(self._show(step.get("show") or []))) if step.get("show") else None,
                (lambda: _eased(self._highlight(step["highlight"]))) if step.get("highlight") else None]

    def _reveal(self, i: str):
        t, mob = self.types[i], self.mobs[i]
        if t == "square_on":
            p, q, r, s = (self._to_scene(c) for c in self.fig.squares[i])
            grow = UpdateFromAlphaFunc(mob, lambda m, a: m.set_points_as_corners(
                [p, q, q + a * (r - q), p + a * (s - p), p]))
            if i not in self.grids:
                return [grow]
            return [grow, UpdateFromAlphaFunc(self.grids[i], lambda m, a: self._grow_grid(i, m, a))]
        if t == "point":
            return [GrowFromCenter(mob)]
        return [Create(mob)]  # a filled shape fills in as its outline is drawn round

    def _show(self, ids: list[str]) -> list:
        self.on.update(ids)
        late = lambda t: smooth(max(0.0, 2 * t - 1))  # labels come once their shape is there
        return [a for i in ids for a in self._reveal(i)] + [FadeIn(self._place(i), rate_func=late) for i in ids if self.texts[i]]

    def _place(self, i: str) -> Text:
        """The label of i, where it belongs now (a polygon's follows the polygon)."""
        if self.types[i] == "polygon":
            self.anchors[i] = (G.centroid(self.current[i]), *self.anchors[i][1:])
        return self._label_at(i, self.labels[i])

    def _clear(self, step: dict) -> list:
        anims = []
        hide = set(step.get("hide") or [])
        for i in sorted(self.transient - hide):
            color, width, fill = self.style[i]
            anims.append(self.mobs[i].animate.set_stroke(color, width=width).set_fill(color, opacity=fill)
                         if self.types[i] != "point" else self.mobs[i].animate.set_fill(color, opacity=1))
            if self.texts[i] and i not in (step.get("label") or {}):  # a new text comes in white anyway
                anims.append(self.labels[i].animate.set_color(theme.TEXT))
            anims += self._light_cells(i, False)
        self.transient = set()
        for i in step.get("hide") or []:
            self.on.discard(i)
            anims.append(FadeOut(self.mobs[i]))
            if i in self.grids:
                anims.append(FadeOut(self.grids[i]))
            anims += [FadeOut(self.cells[c]) for c in self.poured.get(i, [])]
            if self.texts[i]:
                anims.append(FadeOut(self.labels[i]))
        return anims

    def _relabel(self, step: dict) -> list:
        anims = []
        for i, text in (step.get("label") or {}).items():
            new = self._label_at(i, self._text(text)).set_z_index(LABEL_Z)
            if i in self.on and self.texts[i]:
                anims.append(Transform(self.labels[i], new))
            elif i in self.on:
                self.labels[i].become(new)
                anims.append(FadeIn(self.labels[i]))
            else:
                self.labels[i].become(new)
            self.texts[i] = text
        return anims

    def _move(self, k: int) -> list:
        anims = []
        for i, (old, end, path) in self.fig.moves[k].items():
            self.current[i] = list(end)

            def shape_at(m, a, path=path):
                corners = [self._to_scene(p) for p in path(a)]
                m.set_points_as_corners(corners + corners[:1])
            anims.append(UpdateFromAlphaFunc(self.mobs[i], shape_at))
            if self.texts[i]:
                label = self.labels[i]
                # The label rides along, faded out mid-way so it never slides across other labels.
                anims.append(UpdateFromAlphaFunc(label, lambda m, a, path=path: m.move_to(
                    self._to_scene(G.centroid(path(a)))).set_opacity(1 - math.sin(math.pi * a))))
                self.anchors[i] = (G.centroid(end), *self.anchors[i][1:])
        return anims

    def _highlight(self, ids: list[str]) -> list:
        anims = []
        for i in ids:
            self.transient.add(i)
            color, width, fill = self.style[i]
            mob = self.mobs[i]
            bright = min(1.0, fill + 0.3) if self.types[i] in G.FILLED else 0.0
            if self.types[i] == "point":
                anims.append(mob.animate.set_fill(theme.ACCENT, opacity=1))
            else:
                anims.append(mob.animate.set_stroke(theme.ACCENT, width=width * 1.6).set_fill(color, opacity=bright))
            if self.texts[i] and not (self.types[i] in G.FILLED and bright > 0):  # on a fill: stays white
                anims.append(self.labels[i].animate.set_color(theme.ACCENT))
            anims += self._light_cells(i, True)  # cells poured into a square light up with it
        return anims


def _eased(anims: list) -> list:
    """The animations, paced evenly: a gentle start and end instead of a quick middle between long stops.

    A change then moves the picture through all of its run time (the eye
    follows a square growing at an even pace), instead of most of it
    happening in the middle third.
    """
    out = []
    for anim in anims:
        anim = prepare_animation(anim)
        if anim.rate_func in (smooth, double_smooth):
            anim.rate_func = ease_in_out_sine
        out.append(anim)
    return out


def geometry(size: Size, shapes: list[dict], **spec) -> GeometryVisual:
    """A figure of named points and shapes that appear, light up and move; see ``kinds.geometry``."""
    return GeometryVisual(size, shapes, **spec)
