"""Stepped plots: a point that travels along its curve, an area that fills, more graphs, a swept parameter.

Everything drawn on the axes is a function of a small state (the point's x,
the parameter's value, the area's bounds, which side of the curve the labels
sit on). A step interpolates that state from what is on screen to its target
and redraws every part from it, frame by frame (one ``UpdateFromAlphaFunc``
per part, so each is a moving mobject and nothing is left behind on a static
frame); the last frame is exactly the end state, which the layout trace sees.

The named parts (``plane``: the axes' coordinate rectangle, ``graph``,
``also:0``, ``also_label:0``, ``label``, ``point``, ``point_label``, ``tangent``, ``tangent_label``,
``area``, ``parameter`` (its value text), ``parameter:track``, ``parameter:knob``) are what tests read back.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Create, DecimalNumber, Dot, FadeIn, FadeOut, Line, MathTex, Rectangle,
    UpdateFromAlphaFunc, VGroup, VMobject,
)

from .. import expr, theme
from .charts import _nice_step, _range3, plot_axes
from .common import Size, shrink_to
from .plotpoint import LABEL_SIZE, PointOnCurve
from .stepped import Change, Stepped, travel

CURVE_STROKE = 8       # the curve (others one thinner): bold enough that its sweep is seen at 480p
SAMPLES = 240          # points of a drawn curve
TOP_ROOM = 0.6         # strip above the axes for the labels and the parameter
ALSO_COLORS = [theme.GREEN, theme.PURPLE]


def _fit_y(curves) -> list[float]:
    """A y range with round ends showing every curve (each an array of values on x_range)."""
    ys = np.concatenate([np.asarray(c, dtype=float) for c in curves])
    ys = ys[np.isfinite(ys)]
    if ys.size == 0:
        return [-1.0, 1.0, 0.5]
    lo, hi = min(float(np.percentile(ys, 1)), 0.0), max(float(np.percentile(ys, 99)), 0.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    step = _nice_step(hi - lo, 5)
    return [float(np.floor(lo / step) * step), float(np.ceil(hi / step) * step), step]


def _lerp(a, b, t):
    return a + (b - a) * t


class PlotSteps(PointOnCurve, Stepped):
    def __init__(self, size: Size, function: str, x_range: list, y_range: list | None = None, label: str | None = None,
                 x_label: str | None = None, y_label: str | None = None, also: list | None = None,
                 point: dict | None = None, area: list | None = None, parameter: dict | None = None,
                 steps: list | None = None):
        super().__init__(steps)
        self.pname = parameter["name"] if parameter else None
        names = (self.pname,) if parameter else ()
        self.f = expr.compile_function(function, names)
        self.also = [dict(a) for a in also or []]
        self.g = [expr.compile_function(a["function"], names) for a in self.also]
        self.pspec = parameter
        p0 = float(parameter.get("value", parameter["from"])) if parameter else None
        self.xr = _range3(x_range)
        self.yr = _range3(y_range, 5) if y_range else self._auto_y(parameter)
        strip = bool(label or y_label or parameter or any(a.get("label") for a in self.also))
        axes, self.axis_names = plot_axes(self.xr, self.yr, size, x_label, y_label, TOP_ROOM if strip else 0.0)
        self.axes = self.part("axes", axes)
        self.y_name = self.axis_names[-1] if y_label else None
        (x0, x1), (y0, y1) = self.xr[:2], self.yr[:2]
        a, b = axes.c2p(x0, y0), axes.c2p(x1, y1)
        self.plane = self.part("plane", Rectangle(width=b[0] - a[0], height=b[1] - a[1], stroke_opacity=0,
                                                  fill_opacity=0).move_to((a + b) / 2))
        self.add(axes, self.plane, self.axis_names)
        self.set_reference(self.plane)
        self.state = {"p": p0, "x": float(point["x"]) if point else None,
                      "area": tuple(map(float, area)) if area else None, "side": 1.0}
        # The area is drawn behind the curves, the point and its tangent in front of them.
        self.area = self.part("area", VMobject(fill_color=theme.BLUE, fill_opacity=0.35, stroke_width=0))
        self.area.set_z_index(0)
        self.graph = self.part("graph", VMobject(stroke_color=theme.BLUE, stroke_width=CURVE_STROKE).set_z_index(1))
        self.others = [self.part(f"also:{i}", VMobject(stroke_color=a.get("color") or ALSO_COLORS[i],
                                                      stroke_width=CURVE_STROKE - 1).set_z_index(1))
                       for i, a in enumerate(self.also)]
        self.add(self.area, self.graph, *self.others)
        self._legend(label)
        self.value = None
        if parameter:
            self._parameter_display(parameter, p0)
        self.point = None
        if point:
            self._point_parts(point)
        self.shown: set = set()
        self._drawers = {id(self.graph): lambda s: self._curve(self.graph, self.f, s["p"]),
                         id(self.area): lambda s: s["area"] is not None and self._area_shape(s["area"], s["p"])}
        for i, other in enumerate(self.others):
            self._drawers[id(other)] = lambda s, i=i: self._curve(self.others[i], self.g[i], s["p"])
        if self.value is not None:
            self._drawers[id(self.value)] = lambda s: self._draw_value(s["p"])
        if self.point is not None:
            self._drawers[id(self.point)] = self._draw_point
        for draw in self._drawers.values():  # every part in its first state (the others not shown yet)
            draw(self.state)
        shrink_to(self, size)

    # ------------------------------------------------------------ build ---
    def _values(self, fn, xs, p):
        xs = np.atleast_1d(np.asarray(xs, dtype=float))
        values = {self.pname: p} if self.pname else {}
        with np.errstate(all="ignore"):
            return np.asarray(fn(xs, **values), dtype=float) * np.ones_like(xs)

    def _auto_y(self, parameter):
        """A y range for every curve at every value the parameter can take: the axes never change."""
        xs = np.linspace(self.xr[0], self.xr[1], 400)
        ps = np.linspace(parameter["from"], parameter["to"], 5) if parameter else [None]
        return _fit_y([self._values(fn, xs, p) for fn in [self.f, *self.g] for p in ps])

    def _legend(self, label):
        """The function's label at the top right, the others' to its left (shown with their graphs)."""
        self.label = None
        items = []
        if label:
            self.label = self.part("label", MathTex(label, font_size=LABEL_SIZE + 4, color=theme.BLUE))
            items.append(self.label)
        self.legend = {}
        for i, other in enumerate(self.also):
            if other.get("label"):
                tex = MathTex(other["label"], font_size=LABEL_SIZE + 4, color=other.get("color") or ALSO_COLORS[i])
                self.legend[i] = self.part(f"also_label:{i}", tex)
                items.append(tex)
        self.legend_items = items
        right = self.axes.get_right()[0]
        for tex in items:
            tex.next_to(self.axes, UP, buff=0.15)
            tex.set_x(right - tex.width / 2)
            right -= tex.width + 0.45
            self.add(tex)

    def _parameter_display(self, spec, p0):
        name = MathTex(f"{spec.get('label') or spec['name']} =", font_size=LABEL_SIZE, color=theme.ACCENT)
        number = DecimalNumber(p0, num_decimal_places=2, font_size=LABEL_SIZE, color=theme.ACCENT)
        number.next_to(name, RIGHT, buff=0.15)
        widest = max(DecimalNumber(v, num_decimal_places=2, font_size=LABEL_SIZE).width
                     for v in (spec["from"], spec["to"], p0))  # room for every value it will show
        track = Line(LEFT * 0.7, RIGHT * 0.7, color=theme.DIM, stroke_width=4)
        track.move_to(number.get_left() + RIGHT * (widest + 0.35 + 0.7)).set_y(number.get_y())
        knob = Dot(radius=0.08, color=theme.ACCENT).set_z_index(2)
        self.value, self.track, self.knob = number, track, knob
        group = VGroup(self.part("parameter", VGroup(name, number)), self.part("parameter:track", track),
                       self.part("parameter:knob", knob))
        group.next_to(self.axes, UP, buff=0.15).align_to(self.axes, LEFT)
        if self.y_name is not None and self.y_name.get_left()[0] < group.get_right()[0] + 0.3:
            group.next_to(self.y_name, RIGHT, buff=0.4)  # beside the y axis' name
        free = min([t.get_left()[0] for t in self.legend_items] + [self.axes.get_right()[0]]) - 0.3
        room = free - group.get_left()[0]
        if group.width > room:  # keep clear of the labels on the right, at a legible size
            group.scale(max(room / group.width, theme.MIN_FONT_SIZE / LABEL_SIZE), about_edge=LEFT)
        self.add(group)
        self.param_group = group

    # --------------------------------------------------------- geometry ---
    def _frame(self):
        (x0, x1), (y0, y1) = self.xr[:2], self.yr[:2]
        o = self.axes.c2p(x0, y0)
        return o, (self.axes.c2p(x1, y0) - o) / (x1 - x0), (self.axes.c2p(x0, y1) - o) / (y1 - y0)

    def _scene(self, xs, ys):
        o, ex, ey = self._frame()
        xs, ys = np.atleast_1d(xs) - self.xr[0], np.atleast_1d(ys) - self.yr[0]
        return o + xs[:, None] * ex + ys[:, None] * ey

    def _slope(self, x, p, fn=None):
        h, fn, x = (self.xr[1] - self.xr[0]) * 1e-4, fn or self.f, np.asarray(x, dtype=float)
        return (self._values(fn, x + h, p) - self._values(fn, x - h, p)) / (2 * h)

    def _box(self):
        plane = self.plane
        return plane.get_left()[0], plane.get_bottom()[1], plane.get_right()[0], plane.get_top()[1]

    def _curve(self, mob, fn, p):
        xs = np.linspace(self.xr[0], self.xr[1], SAMPLES)
        ys = self._values(fn, xs, p)
        y0, y1 = self.yr[:2]
        inside = np.isfinite(ys) & (ys >= y0) & (ys <= y1)
        near = inside.copy()  # points just outside the range keep the curve reaching the edge
        near[1:] |= inside[:-1] & np.isfinite(ys[1:])
        near[:-1] |= inside[1:] & np.isfinite(ys[:-1])
        points = self._scene(xs, np.clip(np.nan_to_num(ys), y0, y1))
        mob.clear_points()
        start = None
        for i in range(len(xs) + 1):
            if i < len(xs) and near[i]:
                start = i if start is None else start
            elif start is not None:
                if i - start >= 2:
                    mob.start_new_path(points[start])
                    mob.add_points_as_corners(points[start + 1:i])
                start = None

    def _area_shape(self, bounds, p):
        lo, hi = bounds
        xs = np.linspace(lo, hi, max(2, int(120 * (hi - lo) / (self.xr[1] - self.xr[0])) + 2))
        y0, y1 = self.yr[:2]
        ys = np.clip(np.nan_to_num(self._values(self.f, xs, p)), y0, y1)
        base = min(max(0.0, y0), y1)
        outline = self._scene(np.concatenate([[lo], xs, [hi]]), np.concatenate([[base], ys, [base]]))
        self.area.set_points_as_corners(np.vstack([outline, outline[:1]]))

    def _draw_value(self, p):
        spec = self.pspec
        self.value.set_value(p)
        u = (p - spec["from"]) / (spec["to"] - spec["from"])
        self.knob.move_to(self.track.get_start() + (self.track.get_end() - self.track.get_start()) * u)

    # ------------------------------------------------------- animations ---
    def entrance(self):
        def axes():
            return [Create(self.axes), FadeIn(self.axis_names), FadeIn(self.plane)]

        def graph():
            anims = [Create(self.graph)]
            if self.label is not None:
                anims.append(FadeIn(self.label, shift=DOWN * 0.1))
            if self.value is not None:
                anims.append(FadeIn(self.param_group))
            return anims

        def extras():
            if self.state["area"] is None and self.point is None:
                return []
            anims = []
            if self.state["area"] is not None:
                lo, hi = self.state["area"]
                anims += self._motion({"area": (lo, lo)}, {"area": (lo, hi)}, [self.graph, self.area])
            if self.point is not None:
                anims.append(FadeIn(self.point, scale=0.4))
                anims += [FadeIn(m) for m in (self.point_label, self.tangent_label) if m is not None]
                if self.tangent is not None:
                    anims.append(Create(self.tangent))
            return anims

        return Change(self, [axes, graph, extras])

    def phases(self, step: dict) -> list:
        return [self._show_phase(step), travel(self._move_phase(step))]

    def _show_phase(self, step):
        shows = step.get("show")
        indices = [shows] if isinstance(shows, int) else list(shows or [])
        indices = [i for i in indices if i not in self.shown]
        if not indices:
            return None

        def play():
            anims = []
            for i in indices:
                self._curve(self.others[i], self.g[i], self.state["p"])
                self.shown.add(i)
                anims.append(Create(self.others[i]))
                if i in self.legend:
                    anims.append(FadeIn(self.legend[i], shift=DOWN * 0.1))
            return anims
        return play

    def _move_phase(self, step):
        if not any(key in step for key in ("point", "parameter", "area")):
            return None

        def play():
            start = dict(self.state)
            end = dict(start)
            if "parameter" in step:
                end["p"] = float(step["parameter"])
            if "point" in step:
                end["x"] = float(step["point"])
            anims = []
            if "area" in step:
                if step["area"] is None:
                    end["area"] = None
                    if start["area"] is not None:
                        anims.append(FadeOut(self.area))
                else:
                    lo, hi = map(float, step["area"])
                    end["area"] = (lo, hi)
                    if start["area"] is None:  # a new area grows from its left bound
                        start["area"] = (lo, lo)
                        self._area_shape((lo, lo), start["p"])
                    # else its bounds move to the new ones (the same left bound: its right edge sweeps)
            if self.point is not None:
                end["side"] = self._side(end)
            self.state = {k: end[k] for k in ("p", "x", "area", "side")}
            parts = [self.graph]  # the graph is redrawn too: it stays in front of a growing area
            if end["p"] != start["p"]:
                parts += [self.others[i] for i in sorted(self.shown)]
                parts += [self.value, self.knob]
            if end["area"] is not None and (end["area"] != start["area"] or end["p"] != start["p"]):
                parts.append(self.area)
            if self.point is not None and (end["x"] != start["x"] or end["p"] != start["p"]):
                parts += [m for m in (self.point, self.point_label, self.tangent, self.tangent_label) if m is not None]
            return anims + self._motion(start, end, parts)
        return play

    def _motion(self, start: dict, end: dict, parts: list):
        """One animation per part, each redrawing its part from the state interpolated at the frame's alpha."""
        full = {**self.state, **start}
        target = {**self.state, **end}

        def state_at(t):
            s = {"p": full["p"] if full["p"] is None else _lerp(full["p"], target["p"], t),
                 "x": full["x"] if full["x"] is None else _lerp(full["x"], target["x"], t),
                 "side": _lerp(full["side"], target["side"], t), "area": target["area"]}
            if full["area"] is not None and target["area"] is not None:
                s["area"] = (_lerp(full["area"][0], target["area"][0], t), _lerp(full["area"][1], target["area"][1], t))
            return s

        def redraw(draw):
            return lambda mob, t: draw(state_at(t)) if draw else None

        # Parts drawn with another (the point's label and tangent, the knob) get no-op updates:
        # animated, they are moving mobjects, redrawn every frame instead of frozen on the background.
        return [UpdateFromAlphaFunc(part, redraw(self._drawers.get(id(part)))) for part in parts]


def plot_steps(size: Size, **spec) -> PlotSteps:
    """A plot whose point moves along the curve, whose area fills, whose parameter sweeps; see ``kinds.plot``."""
    return PlotSteps(size, **spec)
