"""The ``geometry`` kind: a figure of named points and shapes that appear, light up and move.

Shapes are polygons, segments, right-angle marks, angle arcs, squares built
on a side, circles and labelled points, each with an ``id``. A step shows,
hides or highlights shapes, moves polygons to new vertex positions (a
rearrangement proof: the pieces slide and turn as rigid pieces) and changes
labels. A square on a side may show its unit cells (``grid``: 3 x 3 = 9).
Enough for Pythagoras by rearrangement, squares on a triangle's sides (their
areas counted in unit squares), a triangle in a semicircle.

This module also holds the figure's geometry (points, square corners, the
path of a moving polygon, the extent the figure ever covers), without Manim:
the builder (:mod:`lessonreel.visuals.geometry`) draws from the same numbers.
"""

from __future__ import annotations

import math

from . import geocells
from .common import Fail

KINDS = ("geometry",)
TYPES = ("polygon", "segment", "right_angle", "angle", "square_on", "circle", "point")
FILLED = ("polygon", "square_on", "circle")
LISTS = ("show", "hide", "highlight")
RIGHT_TOLERANCE = 2.0  # degrees a right-angle mark's angle may differ from 90
MAX_GRID = 20          # most unit cells along a square's side

Point = tuple[float, float]


def stepped(visual: dict) -> bool:
    return True


def builder(visual: dict) -> str:
    return "geometry"


def shape_type(shape: dict) -> str | None:
    found = [t for t in TYPES if t in shape]
    return found[0] if len(found) == 1 else None


# ------------------------------------------------------------ geometry ---

def centroid(pts) -> Point:
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


def _rot(v: Point, angle: float) -> Point:
    c, s = math.cos(angle), math.sin(angle)
    return (c * v[0] - s * v[1], s * v[0] + c * v[1])


def _size(pts) -> float:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)


def rigid_match(old: list[Point], new: list[Point]):
    """(new vertices reordered to match old, turn angle) when ``new`` is a turned and shifted copy of ``old``.

    The new positions may be listed from any vertex, in either direction;
    None when no rotation and shift takes the polygon there.
    """
    n, best = len(old), None
    co = centroid(old)
    a = [(p[0] - co[0], p[1] - co[1]) for p in old]
    for order in (new, new[::-1]):
        for shift in range(n):
            cand = order[shift:] + order[:shift]
            cn = centroid(cand)
            b = [(p[0] - cn[0], p[1] - cn[1]) for p in cand]
            cross = sum(x[0] * y[1] - x[1] * y[0] for x, y in zip(a, b))
            dot = sum(x[0] * y[0] + x[1] * y[1] for x, y in zip(a, b))
            angle = math.atan2(cross, dot)
            if abs(angle + math.pi) < 1e-9:
                angle = math.pi
            err = max(math.dist(_rot(x, angle), y) for x, y in zip(a, b))
            if err <= 1e-3 * _size(old) and (best is None or abs(angle) < abs(best[1]) - 1e-9):
                best = (cand, angle)
    return best


def move_path(old: list[Point], new: list[Point]):
    """(final vertices, f(alpha) -> vertices): a rigid turn-and-slide when possible, else straight slides."""
    match = rigid_match(old, new)
    if match is None:
        return list(new), lambda t: [(p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])) for p, q in zip(old, new)]
    target, angle = match
    co, cn = centroid(old), centroid(target)
    arms = [(p[0] - co[0], p[1] - co[1]) for p in old]

    def at(t: float) -> list[Point]:
        cx, cy = co[0] + t * (cn[0] - co[0]), co[1] + t * (cn[1] - co[1])
        return [(cx + r[0], cy + r[1]) for r in (_rot(v, t * angle) for v in arms)]
    return target, at


def square_corners(p: Point, q: Point, away: Point) -> list[Point]:
    """The square on side p-q, on the side of the line away from the point ``away``."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    nx, ny = -dy, dx  # left of p -> q
    side = (away[0] - p[0]) * nx + (away[1] - p[1]) * ny
    if side > 1e-9 * (dx * dx + dy * dy):
        nx, ny = -nx, -ny
    return [p, q, (q[0] + nx, q[1] + ny), (p[0] + nx, p[1] + ny)]


def angle_between(p: Point, v: Point, q: Point) -> float:
    """The angle p-v-q in degrees (0..180)."""
    a, b = (p[0] - v[0], p[1] - v[1]), (q[0] - v[0], q[1] - v[1])
    return abs(math.degrees(math.atan2(a[0] * b[1] - a[1] * b[0], a[0] * b[0] + a[1] * b[1])))


class Figure:
    """A checked spec's geometry in figure coordinates: every shape, every state, the extent."""

    def __init__(self, visual: dict):
        self.points = {k: (float(x), float(y)) for k, (x, y) in (visual.get("points") or {}).items()}
        self.shapes = {s["id"]: s for s in visual["shapes"]}
        self.types = {i: shape_type(s) for i, s in self.shapes.items()}
        self.order = [s["id"] for s in visual["shapes"]]
        self.vertices = {i: [self.at(p) for p in s["polygon"]] for i, s in self.shapes.items()
                         if self.types[i] == "polygon"}
        corners = [p for vs in self.vertices.values() for p in vs]
        self.centre = centroid(corners or self._all_points() or [(0.0, 0.0)])
        self.squares = {}
        for i, s in self.shapes.items():
            if self.types[i] == "square_on":
                p, q = (self.at(r) for r in s["square_on"])
                self.squares[i] = square_corners(p, q, self._away_for(p, q))
        # Stage 0 is the figure after its entrance, stage k + 1 after step k: what is on screen
        # at each stage, and where each polygon is.
        self.moves: list[dict] = []  # per step: id -> (start vertices, end vertices, path)
        self.visible: dict[str, set[int]] = {i: set() for i in self.order}
        self.placed: dict[str, list] = {i: [] for i in self.vertices}
        current = {i: list(v) for i, v in self.vertices.items()}
        on = set(visual["show"] if visual.get("show") is not None else self.order)
        self._stage(0, on, current)
        for k, step in enumerate(visual.get("steps") or []):
            on -= set(step.get("hide") or [])
            moves = {}
            for i, new in (step.get("move") or {}).items():
                old = current[i]
                end, path = move_path(old, [self.at(p) for p in new])
                moves[i] = (old, end, path)
                current[i] = end
            self.moves.append(moves)
            on |= set(step.get("show") or [])
            self._stage(k + 1, on, current)
        grids = {i: c for i, c in self.squares.items() if self.shapes[i].get("grid")}
        self.pours = geocells.plan(grids, visual.get("steps") or [], move_path)

    def _stage(self, stage: int, on: set, current: dict) -> None:
        for i in on:
            self.visible[i].add(stage)
        for i, vs in current.items():
            self.placed[i].append(list(vs))

    def at(self, ref) -> Point:
        """A point reference (a name in ``points`` or [x, y]) in figure coordinates."""
        if isinstance(ref, str):
            return self.points[ref]
        return (float(ref[0]), float(ref[1]))

    def _all_points(self) -> list[Point]:
        out = list(self.points.values())
        for i, s in self.shapes.items():
            t = self.types[i]
            refs = s[t] if t in ("segment", "right_angle", "angle", "square_on", "polygon") else \
                [s["point"]] if t == "point" else [s["circle"]["center"]]
            out += [self.at(r) for r in refs]
        return out

    def _away_for(self, p: Point, q: Point) -> Point:
        """What a square on p-q turns away from: the polygon it is a side of, else the figure's centre."""
        for vs in self.vertices.values():
            for a, b in zip(vs, vs[1:] + vs[:1]):
                if {a, b} == {p, q}:
                    return centroid(vs)
        return self.centre

    def radius(self, shape_id: str) -> float:
        c = self.shapes[shape_id]["circle"]
        if "radius" in c:
            return float(c["radius"])
        return math.dist(self.at(c["center"]), self.at(c["through"]))

    def outline_points(self, shape_id: str) -> list[Point]:
        """Points the shape covers in its first state (circles: their bounding square)."""
        t, s = self.types[shape_id], self.shapes[shape_id]
        if t == "polygon":
            return self.vertices[shape_id]
        if t == "square_on":
            return self.squares[shape_id]
        if t == "circle":
            (x, y), r = self.at(s["circle"]["center"]), self.radius(shape_id)
            return [(x - r, y - r), (x + r, y + r)]
        if t == "point":
            return [self.at(s["point"])]
        return [self.at(r) for r in s[t]]

    def extent(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) the figure ever covers, moving polygons' whole paths included."""
        pts = [p for i in self.order for p in self.outline_points(i)]
        for moves in self.moves:
            for old, end, path in moves.values():
                pts += [p for k in range(21) for p in path(k / 20)]
        for pours in self.pours:
            for _, _, trips in pours:
                pts += [p for _, _, path in trips for k in range(11) for p in path(k / 10)]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
        pad = 0.5 * max(1.0 - (right - left), 0.0), 0.5 * max(1.0 - (top - bottom), 0.0)
        return left - pad[0], bottom - pad[1], right + pad[0], top + pad[1]


# -------------------------------------------------------------- checks ---

def _check_ref(fail: Fail, field: str, ref, points: dict) -> None:
    if isinstance(ref, str) and ref not in points:
        names = ", ".join(points) if points else "none are defined"
        fail(field, f"a point named in `points` ({names}) or [x, y]", ref)


def check(visual: dict, fail: Fail) -> None:
    points = visual.get("points") or {}
    shapes = visual["shapes"]
    seen: dict[str, int] = {}
    for k, shape in enumerate(shapes):
        if shape["id"] in seen:
            fail(f"shapes[{k}].id", f"an id no other shape has (shapes[{seen[shape['id']]}] has it too)",
                 shape["id"])
        seen[shape["id"]] = k
        found = [t for t in TYPES if t in shape]
        if len(found) != 1:
            fail(f"shapes[{k}]", "exactly one of " + ", ".join(TYPES), " and ".join(found) or "none of them")
        _check_shape(shape, found[0], f"shapes[{k}]", points, fail)
    ids = list(seen)
    known = ", ".join(ids)
    types = {s["id"]: shape_type(s) for s in shapes}
    fig = Figure({"points": points, "shapes": shapes})
    sizes = {i: geocells.side_cells(c) for i, c in fig.squares.items()}
    poured: dict[str, int] = {}
    filled: dict[str, int] = {}
    on = set(visual.get("show", ids))
    for n, i in enumerate(visual.get("show") or []):
        if i not in seen:
            fail(f"show[{n}]", f"the id of a shape: {known}", i)
    for k, step in enumerate(visual.get("steps") or []):
        where = f"steps[{k}]"
        if not any(step.get(key) for key in (*LISTS, "move", "label", "pour")):
            fail(where, "a change: show, hide, highlight, move, pour or label", step)
        for key in LISTS:
            for n, i in enumerate(step.get(key) or []):
                if i not in seen:
                    fail(f"{where}.{key}[{n}]", f"the id of a shape: {known}", i)
        for n, i in enumerate(step.get("hide") or []):
            if i not in on:
                fail(f"{where}.hide[{n}]", "a shape on screen at this step", i)
        for i in step.get("hide") or []:
            on.discard(i)
        for n, i in enumerate(step.get("show") or []):
            if i in on:
                fail(f"{where}.show[{n}]", "a shape not on screen yet (it is shown already)", i)
        for i, vertices in (step.get("move") or {}).items():
            field = f"{where}.move.{i}"
            if i not in seen:
                fail(field, f"the id of a polygon: {known}", i)
            shape = shapes[seen[i]]
            if shape_type(shape) != "polygon":
                fail(field, f"the id of a polygon (move takes polygons; {i} is a {shape_type(shape)})", i)
            if len(vertices) != len(shape["polygon"]):
                fail(field, f"{len(shape['polygon'])} vertices, as polygon {i} has", f"{len(vertices)} vertices")
            for m, ref in enumerate(vertices):
                _check_ref(fail, f"{field}[{m}]", ref, points)
            if i not in on:
                fail(field, "a polygon on screen at this step (shown before it, not hidden by it)", i)
        geocells.check_pour(step, where, fail, {s["id"]: s for s in shapes}, types, on, poured, filled, sizes)
        for i in (step.get("label") or {}):
            if i not in seen:
                fail(f"{where}.label.{i}", f"the id of a shape: {known}", i)
        on.update(step.get("show") or [])
        for n, i in enumerate(step.get("highlight") or []):
            if i not in on:
                fail(f"{where}.highlight[{n}]", "a shape on screen at this step", i)


def _check_shape(shape: dict, t: str, where: str, points: dict, fail: Fail) -> None:
    value = shape[t]
    if t == "circle":
        _check_ref(fail, f"{where}.circle.center", value["center"], points)
        if ("radius" in value) == ("through" in value):
            fail(f"{where}.circle", "a center and one of radius, through", value)
        if "through" in value:
            _check_ref(fail, f"{where}.circle.through", value["through"], points)
    elif t == "point":
        _check_ref(fail, f"{where}.point", value, points)
    else:
        for m, ref in enumerate(value):
            _check_ref(fail, f"{where}.{t}[{m}]", ref, points)
    if "fill" in shape and t not in FILLED:
        fail(f"{where}.fill", f"no fill on a {t} (fill is for {', '.join(FILLED)})", shape["fill"])
    if "width" in shape and t == "point":
        fail(f"{where}.width", "no width on a point (a point is a dot; width is for lines and outlines)",
             shape["width"])
    if "grid" in shape and t != "square_on":
        fail(f"{where}.grid", f"no grid on a {t} (grid is for square_on)", shape["grid"])
    fig = Figure({"points": points, "shapes": [shape]})
    pts = fig.outline_points(shape["id"])
    if shape.get("grid") and t == "square_on" and pts[0] != pts[1]:
        side = math.dist(pts[0], pts[1])
        if abs(side - round(side)) > 1e-3 or not 1 <= round(side) <= MAX_GRID:
            fail(f"{where}.grid", f"a square whose side is a whole number of figure units from 1 to {MAX_GRID} "
                                  f"(its unit cells; this side is {side:.4g})", shape["grid"])
    if t == "polygon":
        if len(pts) < 3:
            fail(f"{where}.polygon", "3 or more vertices", value)
        if len(set(pts)) != len(pts):
            fail(f"{where}.polygon", "distinct vertices (no point twice)", value)
    elif t in ("segment", "square_on") and pts[0] == pts[1]:
        what = "the side the square stands on" if t == "square_on" else "its two ends"
        fail(f"{where}.{t}", f"two distinct points ({what})", value)
    elif t in ("angle", "right_angle"):
        p, v, q = pts
        if v in (p, q):
            fail(f"{where}.{t}", "[P, V, Q]: the angle at V between V-P and V-Q, with P and Q not at V", value)
        size = angle_between(p, v, q)
        if size < 1e-6 or size > 180 - 1e-6:
            fail(f"{where}.{t}", "two arms that are not on one line", value)
        if t == "right_angle" and abs(size - 90) > RIGHT_TOLERANCE:
            fail(f"{where}.{t}", f"a right angle at {value[1]} (this one is {size:.1f}°)", value)
    elif t == "circle" and "through" in value and fig.radius(shape["id"]) <= 0:
        fail(f"{where}.circle.through", "a point other than the center", value["through"])


# ---------------------------------------------------------- planning ---

def rows(visual: dict) -> tuple[int, int]:
    """Rows for the figure's shape: a square figure wants most of the page, a wide one less."""
    try:
        left, bottom, right, top = Figure(visual).extent()
    except Exception:  # noqa: BLE001 - unchecked input: the usual band
        return 4, 6
    aspect = (top - bottom) / max(right - left, 1e-9)
    height = 7.0 * aspect + 0.8  # the figure drawn about 7 units wide, with room for labels
    need = max(3, min(6, math.ceil((height + 0.3) / 1.09)))
    return max(3, need - 2), need


def seconds(visual: dict) -> float:
    """The entrance: its outlines' phase; the marks and labels come while its line is said."""
    shown = visual.get("show", [s["id"] for s in visual["shapes"]])
    return round(1.2 + 0.05 * min(len(shown), 10), 2)


def step_seconds(visual: dict, step: dict) -> float:
    """Time a change adds to its line: about what it takes to play, since it plays while the line is said."""
    return round(0.4 + 0.1 * min(len(step.get("show") or []), 4) + 0.1 * len(step.get("hide") or [])
                 + 0.1 * min(len(step.get("highlight") or []), 4) + (0.3 if step.get("move") else 0.0)
                 + 0.1 * len(step.get("label") or {}) + (0.8 if step.get("pour") else 0.0), 2)


def describe(visual: dict, step: dict) -> str:
    parts = [f"{key} {', '.join(step[key])}" for key in ("hide", "show", "highlight") if step.get(key)]
    if step.get("move"):
        parts.insert(1 if step.get("hide") else 0, "move " + ", ".join(step["move"]))
    if step.get("pour"):
        parts.insert(1 if step.get("hide") else 0,
                     f"pour {', '.join(step['pour']['from'])} into {step['pour']['into']}")
    for i, text in (step.get("label") or {}).items():
        parts.append(f"label {i} = {text!r}")
    return "; ".join(parts) or "no change"
