"""The point on a stepped plot's curve: its dot, label, tangent line or velocity arrow, redrawn from the state.

A mixin of :class:`lessonreel.visuals.plotsteps.PlotSteps`: it uses the
plot's ``f``, ``xr``/``yr``, ``plane`` and coordinate helpers (``_frame``,
``_scene``, ``_values``, ``_slope``, ``_box``).

Labels sit on the side of the tangent away from the curve's bend (so they
never cover the curve near the point), the point's label behind the point
when an arrow points ahead, and all of them stay inside the axes.
"""

from __future__ import annotations

import numpy as np
from manim import Arrow, Dot, Line, MathTex, VMobject

from .. import theme

LABEL_SIZE = 32        # TeX labels (point, tangent)
ARROW_CAP = 0.42       # the velocity arrow's longest length, as a share of the plane's smaller side
POINT_RADIUS = 0.14    # a point on the curve: its travel must be seen in a small picture
BODY_RADIUS = 0.25     # a point with a velocity arrow is a moving body (a ball): big enough to follow at 480p
TANGENT_STROKE = 7      # a tangent line, bolder than the curve it touches
ARROW_STROKE = 16      # the velocity arrow's width, bold enough to read at 480p
ARROW_HALF_WIDTH = 0.06  # about half that width, in scene units: its label keeps this much further off


def _clip_segment(p, q, box):
    """The part of segment p-q inside box (left, bottom, right, top), as (t0, t1) along it, or None."""
    t0, t1 = 0.0, 1.0
    d = q - p
    for dk, lo, hi, pk in ((d[0], box[0], box[2], p[0]), (d[1], box[1], box[3], p[1])):
        if abs(dk) < 1e-12:
            if not lo <= pk <= hi:
                return None
            continue
        a, b = (lo - pk) / dk, (hi - pk) / dk
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
    return (t0, t1) if t0 <= t1 else None


class PointOnCurve:
    def _point_parts(self, spec):
        self.tangent_kind = spec.get("tangent", "none")
        radius = BODY_RADIUS if self.tangent_kind == "arrow" else POINT_RADIUS
        self.point = self.part("point", Dot(radius=radius, color=theme.ACCENT).set_z_index(3))
        self.point_label = self.tangent = self.tangent_label = None
        parts = [self.point]
        if spec.get("label"):
            self.point_label = self.part("point_label", MathTex(spec["label"], font_size=LABEL_SIZE,
                                                                color=theme.ACCENT).set_z_index(3))
            parts.append(self.point_label)
        if self.tangent_kind != "none":
            self.tangent = self.part("tangent", VMobject().set_z_index(2))
            parts.append(self.tangent)
            if spec.get("tangent_label"):
                self.tangent_label = self.part("tangent_label", MathTex(spec["tangent_label"], font_size=LABEL_SIZE,
                                                                        color=theme.PINK).set_z_index(3))
                parts.append(self.tangent_label)
        if self.tangent_kind == "arrow":
            self.arrow_dx = self._arrow_scale(spec)
        self.add(*parts)
        self.state["side"] = self._side(self.state)

    def _visits(self, spec):
        xs = [float(spec["x"])] + [float(s["point"]) for s in self.spec_steps if "point" in s]
        ps = [self.state["p"]] + [float(s["parameter"]) for s in self.spec_steps if "parameter" in s]
        return np.linspace(min(xs), max(xs), 60), np.linspace(min(ps), max(ps), 5) if self.pname else [None]

    def _arrow_scale(self, spec):
        """dx (in x units) of the velocity arrow (dx, f'(x) dx): its longest on the point's way is ARROW_CAP."""
        _, ex, ey = self._frame()
        xs, ps = self._visits(spec)
        longest = max(float(np.nanmax(np.hypot(ex[0] + self._slope(xs, p) * ey[0], ex[1] + self._slope(xs, p) * ey[1])))
                      for p in ps)
        cap = ARROW_CAP * min(self.plane.width, self.plane.height)
        return cap / longest if np.isfinite(longest) and longest > 0 else (self.xr[1] - self.xr[0]) * 0.1

    def _side(self, state) -> float:
        """Which side of the tangent the labels go: away from the curve's bend (+1 above, -1 below)."""
        x, p = state["x"], state["p"]
        h = (self.xr[1] - self.xr[0]) * 1e-2
        ys = self._values(self.f, [x - h, x, x + h], p)
        bend = float(ys[0] - 2 * ys[1] + ys[2])
        return -1.0 if bend > 1e-9 else 1.0

    def _place_label(self, label, anchor, directions, gap, segment):
        """Put label beside anchor in the first direction (unit vectors) where, pushed inside the plane,
        it stays clear of the tangent's segment; else in the first one."""
        left, bottom, right, top = self._box()
        tried = []
        for direction in directions:
            reach = (abs(direction[0]) * label.width + abs(direction[1]) * label.height) / 2
            label.move_to(anchor + direction * (reach + gap))
            dx = max(0.0, left - label.get_left()[0]) - max(0.0, label.get_right()[0] - right)
            dy = max(0.0, bottom - label.get_bottom()[1]) - max(0.0, label.get_top()[1] - top)
            label.shift([dx, dy, 0])
            box = (label.get_left()[0], label.get_bottom()[1], label.get_right()[0], label.get_top()[1])
            if (not dx and not dy) or _clip_segment(*segment, box) is None:
                return
            tried.append(label.get_center())
        label.move_to(tried[0])

    def _draw_point(self, state):
        x, p, side = state["x"], state["p"], state["side"]
        y0, y1 = self.yr[:2]
        y = float(np.clip(np.nan_to_num(self._values(self.f, x, p)[0]), y0, y1))
        at = self._scene(x, y)[0]
        self.point.move_to(at)
        _, ex, ey = self._frame()
        slope = float(self._slope(x, p)[0])
        d = ex + slope * ey
        d = d / max(np.linalg.norm(d), 1e-9)
        n = np.array([-d[1], d[0], 0.0]) * side
        gap = 0.12 * self.unit + self.point.width / 2
        tip = at
        box = self._box()
        if self.tangent_kind == "line":
            half = 0.22 * self.plane.width
            p0, p1 = at - d * half, at + d * half
            t = _clip_segment(p0, p1, box) or (0.5, 0.5)
            start, tip = p0 + (p1 - p0) * t[0], p0 + (p1 - p0) * t[1]
            self.tangent.become(Line(start, tip, color=theme.PINK, stroke_width=TANGENT_STROKE).set_z_index(2))
        elif self.tangent_kind == "arrow":
            v = self.arrow_dx * (ex + slope * ey)
            m = 0.35 * self.unit  # it may reach a little past the axes (over the tick numbers), not beyond
            t = _clip_segment(at, at + v, (box[0] - m, box[1] - m, box[2] + m, box[3] + 0.1 * self.unit))
            end = at + v * (t[1] if t else 0.0)
            if np.linalg.norm(end - at) < 0.12 * self.unit:
                end = at + d * 0.12 * self.unit
            tip = end
            self.tangent.become(Arrow(at, end, buff=0, color=theme.PINK, stroke_width=ARROW_STROKE,
                                      tip_length=0.36 * self.unit, max_tip_length_to_length_ratio=0.45).set_z_index(2))
        segment = (start, tip) if self.tangent_kind == "line" else (at, tip)
        if self.point_label is not None:
            if self.tangent_kind == "arrow":  # behind the point, away from the arrow and the bend
                u, w = -0.6 * d + 0.8 * n, -0.6 * d - 0.8 * n
                self._place_label(self.point_label, at, [u / np.linalg.norm(u), w / np.linalg.norm(w)], gap, segment)
            else:
                self._place_label(self.point_label, at, [n, -n], gap, segment)
        if self.tangent_label is not None:
            beside = at + (tip - at) * 0.65  # beside the arrow's (or the line's front) part, off the bend
            clear = 0.1 * self.unit + (ARROW_HALF_WIDTH * self.unit if self.tangent_kind == "arrow" else 0.0)
            self._place_label(self.tangent_label, beside, [n, -n], clear, segment)

