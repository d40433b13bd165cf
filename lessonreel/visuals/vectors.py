"""The ``vectors`` visual: a coordinate plane whose vectors grow, add, stretch, and move with a matrix.

Every change is a move from one *pose* of the plane to the next: the grid's
matrix, and where each vector's tail and tip are. The builder plans all poses
when it is made (so each label's place, clear of the arrows and the other
labels, is chosen once), and a phase animates the whole picture from one
pose to the next with a single updater: grid lines (clipped to the plane),
basis vectors, arrows and labels are recomputed at every frame, so they
always agree. A matrix step first writes the matrix beside the plane (its
columns coloured like î and ĵ), then moves the plane: a rotation turns, any
other matrix moves each point straight to its image.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DL,
    RIGHT,
    UP,
    Animation,
    Create,
    LaggedStart,
    Line,
    MathTex,
    Matrix,
    Mobject,
    Polygon,
    Rectangle,
    Text,
    VGroup,
    smooth,
)

from .. import theme
from ..kinds.vectors import apply, sum_id, x_range
from .common import Size, font_for_all
from .stepped import Change, Stepped, travel
from .vectors_plan import IDENTITY, RED, TIP, PlanePlan, _clip, _mul, path_of

COLORS = [theme.ACCENT, theme.PURPLE, "#FB923C", "#22D3EE", theme.PINK, theme.TEXT]
MATRIX_FONT = 32
LABEL_FONT = 28
STRIP_GAP = 0.35      # between the plane and the matrix beside it


class _Run(Animation):
    """An animation that calls ``fn(t)`` with the eased time (no copy of the visual is kept)."""

    def __init__(self, mob, fn, **kwargs):
        self.fn = fn
        super().__init__(mob, rate_func=smooth, **kwargs)

    def create_starting_mobject(self):
        return Mobject()

    def interpolate_mobject(self, alpha: float) -> None:
        self.fn(self.rate_func(alpha))


class VectorsVisual(Stepped, PlanePlan):
    def __init__(self, size: Size, vectors: list[dict], x_range_: tuple, y_range=None, basis: bool = True,
                 show=None, steps=None):
        super().__init__(steps)
        self.spec = {"vectors": vectors, "show": show, "steps": self.spec_steps}
        self.basis = basis
        self.colors = {}
        for n, v in enumerate(vectors):
            self.colors[v["id"]] = v.get("color") or COLORS[n % len(COLORS)]
        n = len(vectors)
        for step in self.spec_steps:
            if step.get("add"):
                self.colors[sum_id(step)] = step.get("color") or COLORS[n % len(COLORS)]
                n += 1
        labels = [v.get("label", v["id"]) for v in vectors] + [s.get("label", "") for s in self.spec_steps]
        self.font = font_for_all(*labels)
        self.poses, self.plan = self._plan(vectors, show)
        # The matrices written beside the plane, one per matrix step.
        self.matrices = {k: self._matrix_mob(s["matrix"], s.get("name")) for k, s in enumerate(self.spec_steps)
                         if s.get("matrix")}
        # A matrix sits on a panel in a corner of the plane that no vector ever crosses; when every
        # corner is used, in a strip beside the plane.
        self.x0, self.x1 = x_range_
        mats = list(self.matrices.values())
        self.panel_size = (max(m.width for m in mats) + 0.3, max(m.height for m in mats) + 0.24) if mats else None
        self.corner, strip = None, 0.0
        unit = self._fit(size, 0.0, y_range)
        if mats:
            self.corner = self._free_corner(unit)
            if self.corner is None:
                strip = self.panel_size[0] - 0.3 + STRIP_GAP
                unit = self._fit(size, strip, y_range)
        self.vp = Rectangle(width=(self.x1 - self.x0) * unit, height=(self.y1 - self.y0) * unit,
                            stroke_opacity=0, fill_opacity=0)
        self.add(self.part("plane", self.vp))
        self.set_reference(self.vp)
        if strip:  # the strip's room is kept from the start, so the size never changes
            slot = Rectangle(width=strip - STRIP_GAP, height=max(m.height for m in mats), stroke_opacity=0,
                             fill_opacity=0)
            self.add(slot.next_to(self.vp, RIGHT, buff=STRIP_GAP).align_to(self.vp, UP))
        self.panel = None
        self.label_size = {}
        self.offsets = [self._place_labels(pose, unit) for pose in self.poses]
        self._make_grid()
        self.arrows, self.labels = {}, {}
        self.shown_matrix = None

    # ---------------------------------------------------------- labels ---
    def _text(self, text: str, color: str) -> Text:
        return Text(text, font=self.font, font_size=LABEL_FONT, color=color)

    def _label_size(self, label: str) -> tuple[float, float]:
        if label not in self.label_size:
            t = self._text(label, theme.TEXT)
            self.label_size[label] = (t.width + 0.12, t.height + 0.1)
        return self.label_size[label]

    # ------------------------------------------------------------ grid ---
    def _make_grid(self):
        """Grid lines for every k any pose (or the way between two) needs, in a pool."""
        self.kx, self.ky = self._line_ranges()
        moving = any(p["m"] != IDENTITY for p in self.poses)
        self.back = VGroup()
        if moving:  # the plane as it was, faint, under the moving one
            for axis, ks in ((0, range(math.ceil(self.x0), math.floor(self.x1) + 1)),
                             (1, range(math.ceil(self.y0), math.floor(self.y1) + 1))):
                for k in ks:
                    line = Line(stroke_color=theme.DIM, stroke_width=3 if k == 0 else 1.5, stroke_opacity=0.7)
                    self.back.add(line)
                    self._set_line(line, IDENTITY, axis, k)
        self.lines = []
        for axis, ks in ((0, self.kx), (1, self.ky)):
            for k in ks:
                line = Line(stroke_color=theme.TEXT if k == 0 else theme.BLUE, stroke_width=3 if k == 0 else 2)
                self.lines.append((line, axis, k))
        self.grid = VGroup(*[line for line, _, _ in sorted(self.lines, key=lambda t: t[2] == 0)])
        self.add(self.back, self.part("grid", self.grid))
        self._set_grid(IDENTITY)

    def _set_line(self, line, m, axis, k):
        """Line ``axis``=k of the plane (x = k for axis 0), as matrix m maps it, clipped to the plane."""
        p = (k * m[0][0], k * m[1][0]) if axis == 0 else (k * m[0][1], k * m[1][1])
        d = (m[0][1], m[1][1]) if axis == 0 else (m[0][0], m[1][0])
        seg = _clip(p, d, (self.x0, self.y0, self.x1, self.y1)) if math.hypot(*d) > 1e-9 else None
        if seg is None:
            centre = self._pt((0, 0))
            line.set_points_as_corners([centre, centre]).set_stroke(opacity=0)
        else:
            line.set_points_as_corners([self._pt(seg[0]), self._pt(seg[1])])
            line.set_stroke(opacity=0.7 if k else 1.0)

    def _set_grid(self, m):
        for line, axis, k in self.lines:
            self._set_line(line, m, axis, k)

    def _pt(self, p):
        corner = self.vp.get_corner(DL)
        s = self.vp.width / (self.x1 - self.x0)
        return corner + np.array([(p[0] - self.x0) * s, (p[1] - self.y0) * s, 0.0])

    # ---------------------------------------------------------- arrows ---
    def _arrow(self, name, color):
        shaft = Line(stroke_color=color, stroke_width=5)
        tip = Polygon(*[np.zeros(3)] * 3, stroke_width=0, fill_color=color, fill_opacity=1)
        return VGroup(shaft, tip)

    def _label(self, text, color):
        t = self._text(text, color).scale(self.unit)
        bg = Rectangle(width=t.width + 0.12 * self.unit, height=t.height + 0.1 * self.unit, stroke_width=0,
                       fill_color=theme.BACKGROUND, fill_opacity=0.8)
        return VGroup(bg, t)

    def _set_arrow(self, arrow, tail, tip, opacity=1.0):
        a, b = self._pt(tail), self._pt(tip)
        d = b - a
        length = float(np.linalg.norm(d))
        shaft, head = arrow
        if length < 1e-6:
            shaft.set_points_as_corners([a, a])
            head.set_points_as_corners([a, a, a, a])
        else:
            u = d / length
            n = np.array([-u[1], u[0], 0.0])
            tl = min(TIP * self.unit, 0.45 * length)
            base = b - u * tl
            shaft.set_points_as_corners([a, b - u * tl * 0.8])
            head.set_points_as_corners([b, base + n * tl * 0.5, base - n * tl * 0.5, b])
        shaft.set_stroke(opacity=opacity)
        head.set_fill(opacity=opacity)

    def _set_label(self, label, tip, offset, opacity=1.0):
        label.move_to(self._pt((tip[0] + offset[0], tip[1] + offset[1])))
        label[0].set_fill(opacity=0.8 * opacity)
        label[1].set_opacity(opacity)

    # ------------------------------------------------------ animations ---
    def _matrix_mob(self, m, name):
        def fmt(x):
            return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")
        cells = [[fmt(x) for x in row] for row in m]
        widest = max(MathTex(c, font_size=MATRIX_FONT).width for row in cells for c in row)
        mob = Matrix(cells, element_to_mobject=MathTex, element_to_mobject_config={"font_size": MATRIX_FONT},
                     bracket_config={"color": theme.TEXT}, h_buff=widest + 0.45)
        if self.basis:
            mob.get_columns()[0].set_color(theme.GREEN)
            mob.get_columns()[1].set_color(RED)
        if name:
            return VGroup(MathTex(name, "=", font_size=MATRIX_FONT, color=theme.TEXT), mob).arrange(RIGHT, buff=0.15)
        return mob

    def entrance(self) -> Change:
        def draw():
            lines = [Create(line) for line in self.back] + [Create(line) for line in self.grid if line.get_stroke_opacity() > 0]
            return [LaggedStart(*lines, lag_ratio=0.02)]
        empty = {"m": IDENTITY, "vecs": {}}
        return Change(self, [draw, self._pose_phase(empty, 0, None, {}, grow_basis=True)])

    def step(self, index: int) -> Change:
        return Change(self, [self._phase(kind, pose, m, index) for kind, pose, m in self.plan[index]])

    def _phase(self, kind, pose, m, k):
        if kind == "matrix":
            return self._matrix_phase(k)
        return travel(self._pose_phase(self.poses[pose - 1], pose, m, self.offsets[pose - 1]))

    def _matrix_phase(self, k):
        def play():
            new, old = self.matrices[k], self.shown_matrix
            new.scale(self.unit)
            fresh = []
            if self.corner:
                if self.panel is None:
                    s = self.vp.width / (self.x1 - self.x0)
                    x0, y0, x1, y1 = self._panel_box(self.corner, s)
                    self.panel = Rectangle(width=(x1 - x0) * s, height=(y1 - y0) * s, stroke_color=theme.DIM,
                                           stroke_width=2, fill_color=theme.BACKGROUND, fill_opacity=0.92)
                    self.panel.move_to((self._pt((x0, y0)) + self._pt((x1, y1))) / 2)
                    self.add(self.part("panel", self.panel))
                    fresh.append(self.panel)
                new.move_to(self.panel)
            else:
                new.next_to(self.vp, RIGHT, buff=STRIP_GAP * self.unit).align_to(self.vp, UP)
            self.add(self.part("matrix", new))
            self.shown_matrix = new
            fresh.append(new)
            for mob in fresh:
                mob.set_opacity(0)

            def fade(t):  # the old matrix goes, then the new one comes (they share the place)
                come = t if old is None else max(0.0, 2 * t - 1)
                for mob in fresh:
                    mob.set_opacity(come)
                if self.panel in fresh:
                    self.panel.set_fill(opacity=0.92 * t)
                if old is not None:
                    old.set_opacity(max(0.0, 1 - 2 * t))
                    if t >= 1 and old in self.submobjects:
                        self.remove(old)
            return [_Run(self, fade)]
        return play

    def _pose_phase(self, before, index, m, offsets_before, grow_basis=False):
        def play():
            after = self.poses[index]
            start, end = self._shown(before), self._shown(after)
            if grow_basis:
                start = {}
            off0, off1 = offsets_before, self.offsets[index]
            way = path_of(m) if m is not None else None
            fresh, fading = {}, {}
            for name, (tail, tip, label, color) in end.items():
                if name not in self.arrows:
                    self.arrows[name] = self.part(f"vector:{name}", self._arrow(name, color))
                if name not in start or start[name][2] != label:
                    fresh[name] = self._label(label, color)
                if name not in start:
                    self.add(self.arrows[name])
            for name in start:
                if name not in end or name in fresh:
                    fading[name] = self.labels.get(name)
            for name, label in fresh.items():
                self.add(label)

            def pose(t):
                mt = before["m"] if way is None else _mul(way(t), before["m"])
                if way is not None:
                    self._set_grid(mt)
                for name in set(start) | set(end):
                    if name in start and name in end:
                        (t0, h0), (t1, h1) = start[name][:2], end[name][:2]
                        if way is not None:
                            tail, tip = apply(way(t), t0), apply(way(t), h0)
                        else:
                            tail = tuple(a + t * (b - a) for a, b in zip(t0, t1))
                            tip = tuple(a + t * (b - a) for a, b in zip(h0, h1))
                        o0, o1 = off0.get(name, off1[name]), off1[name]
                        off = tuple(a + t * (b - a) for a, b in zip(o0, o1))
                        self._set_arrow(self.arrows[name], tail, tip)
                    elif name in end:  # grows from its tail
                        tail, h1 = end[name][:2]
                        tip = tuple(a + t * (b - a) for a, b in zip(tail, h1))
                        off = off1[name]
                        self._set_arrow(self.arrows[name], tail, tip)
                    else:  # fades where it is
                        tail, tip = start[name][:2]
                        off = off0[name]
                        self._set_arrow(self.arrows[name], tail, tip, 1 - t)
                    if name in fresh:
                        self._set_label(fresh[name], tip, off, t)
                    if name in self.labels and self.labels[name] is not fresh.get(name):
                        self._set_label(self.labels[name], tip, off, 1 - t if name in fading else 1.0)
                if t >= 1:
                    self._settle(start, end, fresh, fading)
            return [_Run(self, pose)]
        return play

    def _settle(self, start, end, fresh, fading):
        for name, label in fading.items():
            if label is not None and label in self.submobjects:
                self.remove(label)
            if name not in end:
                self.labels.pop(name, None)
                if self.arrows[name] in self.submobjects:
                    self.remove(self.arrows[name])
        self.labels.update(fresh)
        for name, label in fresh.items():
            self.part(f"label:{name}", label[1])


def vectors(size: Size, vectors: list[dict], **spec) -> VectorsVisual:
    """Vectors on a coordinate plane that grow, add, stretch and move with a matrix; see ``kinds.vectors``."""
    return VectorsVisual(size, vectors, x_range(spec), y_range=spec.get("y_range"), basis=spec.get("basis", True),
                         show=spec.get("show"), steps=spec.get("steps"))
