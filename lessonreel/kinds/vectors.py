"""The ``vectors`` kind: arrows from the origin of a coordinate plane, and the plane's linear maps.

Vectors grow from the origin (``show``; again after a ``hide``), leave (``hide``), add head to tail
(``add``: the second slides onto the first's tip, then their sum is drawn
from the origin), stretch (``scale``) and get new labels (``labels``). A
``matrix`` step applies a 2x2 matrix to the whole plane, the way
3Blue1Brown draws linear transformations: the grid lines, the basis vectors
î and ĵ and every vector move together, and the matrix is written beside
the plane, its columns coloured like the basis vectors they say where go.

A vector's ``to`` is in the starting plane's coordinates: a vector first
shown after a matrix step appears where the plane took it. :func:`simulate`
follows every vector through the steps; the builder uses it too.
"""

from __future__ import annotations

import math
import re

from .common import Fail

KINDS = ("vectors",)
ACTIONS = ("hide", "show", "scale", "labels", "add", "matrix")
ADD_FIELDS = ("id", "label", "color")
DEFAULT_RANGE = (-4, 4)


def stepped(visual: dict) -> bool:
    return True


def builder(visual: dict) -> str:
    return "vectors"


def x_range(visual: dict) -> tuple[float, float]:
    r = visual.get("range") or DEFAULT_RANGE
    return float(r[0]), float(r[1])


def apply(m, p) -> tuple[float, float]:
    return (m[0][0] * p[0] + m[0][1] * p[1], m[1][0] * p[0] + m[1][1] * p[1])


def is_turn(m) -> bool:
    """Whether a matrix is a rotation (maybe scaled): [[a, -c], [c, a]]."""
    (a, b), (c, d) = m
    return abs(a - d) < 1e-9 and abs(b + c) < 1e-9


def path_of(m):
    """t -> matrix: the way from the identity to ``m`` (a turn for a scaled rotation, else straight)."""
    (a, b), (c, d) = m
    if is_turn(m):
        angle, r = math.atan2(c, a), math.hypot(a, c)

        def turn(t):
            k, th = 1 + t * (r - 1), t * angle
            return ((k * math.cos(th), -k * math.sin(th)), (k * math.sin(th), k * math.cos(th)))
        return turn
    return lambda t: ((1 - t + t * a, t * b), (t * c, 1 - t + t * d))



def simulate(visual: dict) -> list[dict]:
    """The plane after the entrance and after each step (no checks: :func:`check` makes them).

    Each state is ``{"matrix": M, "vectors": {id: {"tail", "tip", "label", "shown", "color"}}}``:
    M is the product of the matrices applied so far; tails and tips are where
    the vectors are drawn, in the plane's coordinates.
    """
    shown = set(visual.get("show") if visual.get("show") is not None else [v["id"] for v in visual["vectors"]])
    vecs = {v["id"]: {"tail": (0.0, 0.0), "tip": (float(v["to"][0]), float(v["to"][1])),
                      "label": v.get("label", v["id"]), "shown": v["id"] in shown, "color": v.get("color")}
            for v in visual["vectors"]}
    matrix = ((1.0, 0.0), (0.0, 1.0))
    states = [{"matrix": matrix, "vectors": {k: dict(v) for k, v in vecs.items()}}]
    for step in visual.get("steps") or []:
        for name in step.get("hide") or []:
            if name in vecs:
                vecs[name]["shown"] = False
        for name in step.get("show") or []:
            if name in vecs:
                _reshow(vecs[name])
        for name, factor in (step.get("scale") or {}).items():
            if name in vecs:
                v = vecs[name]
                (tx, ty), (hx, hy) = v["tail"], v["tip"]
                v["tip"] = (tx + factor * (hx - tx), ty + factor * (hy - ty))
                v["label"] = scaled_label(v["label"], factor)
        for name, text in (step.get("labels") or {}).items():
            if name in vecs:
                vecs[name]["label"] = str(text)
        if step.get("add"):
            a, b = step["add"]
            if a in vecs and b in vecs:
                va, vb = vecs[a], vecs[b]
                da = (va["tip"][0] - va["tail"][0], va["tip"][1] - va["tail"][1])
                db = (vb["tip"][0] - vb["tail"][0], vb["tip"][1] - vb["tail"][1])
                vb["tail"], vb["tip"] = va["tip"], (va["tip"][0] + db[0], va["tip"][1] + db[1])
                sid = sum_id(step)
                vecs[sid] = {"tail": va["tail"], "tip": (va["tail"][0] + da[0] + db[0], va["tail"][1] + da[1] + db[1]),
                             "label": step.get("label", f"{va['label']} + {vb['label']}"), "shown": True,
                             "color": step.get("color")}
        if step.get("matrix"):
            m = step["matrix"]
            for v in vecs.values():
                v["tail"], v["tip"] = apply(m, v["tail"]), apply(m, v["tip"])
            matrix = tuple(tuple(row) for row in _mul(m, matrix))
        states.append({"matrix": matrix, "vectors": {k: dict(v) for k, v in vecs.items()}})
    return states


def _reshow(v: dict) -> None:
    """A vector shown (again) grows from the origin, whatever tail it had when it left."""
    (tx, ty), (hx, hy) = v["tail"], v["tip"]
    v["tail"], v["tip"], v["shown"] = (0.0, 0.0), (hx - tx, hy - ty), True


def sum_id(step: dict) -> str:
    a, b = step["add"]
    return step.get("id") or f"{a}+{b}"


_COEFF = re.compile(r"^(-?(?:\d+(?:\.\d+)?)?)(.*)$")


def scaled_label(label: str, factor: float) -> str:
    """``v`` scaled by 2 is ``2v``; ``2v`` by 1.5 is ``3v``; ``v + w`` by -1 is ``-(v + w)``."""
    head, base = _COEFF.match(label).groups()
    if not base:
        return f"{factor:g}({label})"
    if (" " in base and not (base.startswith("(") and base.endswith(")"))):
        head, base = "", label  # a label like "v + w" or "2 v" is scaled as a whole
    old = -1.0 if head == "-" else float(head) if head else 1.0
    k = old * factor
    inner = base[1:-1] if base.startswith("(") and base.endswith(")") else base
    if " " in inner:
        base = f"({inner})"
    if abs(k - 1) < 1e-9:
        return inner
    if abs(k + 1) < 1e-9:
        return f"-{base}"
    return f"{k:g}{base}"


def _mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(2)) for j in range(2)] for i in range(2)]


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def check(visual: dict, fail: Fail) -> None:
    lo, hi = x_range(visual)
    if not lo < 0 < hi:
        fail("range", "[min, max] with min < 0 < max (the origin is on the plane)", visual.get("range"))
    if hi - lo > 24:
        fail("range", "a range at most 24 units wide (the grid lines are one unit apart)", visual.get("range"))
    y_range = visual.get("y_range")
    if y_range and not (y_range[0] < 0 < y_range[1] and y_range[1] - y_range[0] <= 24):
        fail("y_range", "[min, max] with min < 0 < max, at most 24 units wide", y_range)
    ids = [v["id"] for v in visual["vectors"]]
    known = set()
    for i, name in enumerate(ids):
        if name in known or name in ("i", "j"):
            fail(f"vectors[{i}].id", "a vector name used once (i and j are the basis vectors)", name)
        known.add(name)
    for i, name in enumerate(visual.get("show") or []):
        if name not in known:
            fail(f"show[{i}]", "a vector of `vectors`: " + ", ".join(ids), name)
    shown = set(visual.get("show") if visual.get("show") is not None else ids)
    for k, step in enumerate(visual.get("steps") or []):
        shown = _check_step(step, f"steps[{k}].", known, shown, fail)
    _check_inside(visual, fail, lo, hi, y_range)


def _check_step(step: dict, at: str, known: set, shown: set, fail: Fail) -> set:
    if not any(step.get(a) for a in ACTIONS):
        fail(at[:-1], "a step with one of: " + ", ".join(ACTIONS), step)
    listed = ", ".join(sorted(known))
    for i, name in enumerate(step.get("hide") or []):
        if name not in shown:
            fail(f"{at}hide[{i}]", "a vector on screen: " + (", ".join(sorted(shown)) or "none is"), name)
        shown = shown - {name}
    for i, name in enumerate(step.get("show") or []):
        if name not in known:
            fail(f"{at}show[{i}]", f"a vector of `vectors` (or a sum made before): {listed}", name)
        if name in shown:
            fail(f"{at}show[{i}]", "a vector not on screen yet", name)
        shown = shown | {name}
    for name, factor in (step.get("scale") or {}).items():
        if name not in shown:
            fail(f"{at}scale.{name}", "a vector on screen: " + (", ".join(sorted(shown)) or "none is"), name)
        if not _number(factor) or factor == 0:
            fail(f"{at}scale.{name}", "a non-zero number", factor)
    for name in step.get("labels") or {}:
        if name not in known:
            fail(f"{at}labels.{name}", f"a vector of `vectors`: {listed}", name)
    extra = [f for f in ADD_FIELDS if f in step]
    if extra and not step.get("add"):
        fail(f"{at}{extra[0]}", "`add` in the same step (id, label and color name the sum)", step[extra[0]])
    if step.get("add"):
        pair = step["add"]
        for i, name in enumerate(pair):
            if name not in shown:
                fail(f"{at}add[{i}]", "a vector on screen: " + (", ".join(sorted(shown)) or "none is"), name)
        if pair[0] == pair[1]:
            fail(f"{at}add", "two different vectors", pair)
        sid = sum_id(step)
        if sid in known or sid in ("i", "j"):
            fail(f"{at}id" if step.get("id") else f"{at}add", f"a new name for the sum ({sid} is taken: give `id`)",
                 sid)
        known.add(sid)
        shown = shown | {sid}
    m = step.get("matrix")
    if step.get("name") and m is None:
        fail(f"{at}name", "`matrix` in the same step (name is the matrix's letter)", step["name"])
    if m is not None:
        if not (isinstance(m, list) and len(m) == 2 and all(isinstance(r, list) and len(r) == 2 for r in m)
                and all(_number(x) for r in m for x in r)):
            fail(f"{at}matrix", "a 2x2 matrix of numbers, [[a, b], [c, d]]", m)
        if abs(m[0][0] * m[1][1] - m[0][1] * m[1][0]) < 1e-9:
            fail(f"{at}matrix", "an invertible matrix (this one flattens the plane onto a line)", m)
    return shown


def _check_inside(visual: dict, fail: Fail, lo: float, hi: float, y_range) -> None:
    """Every vector (and the basis) stays on the plane after every step, and while the plane turns."""
    basis = visual.get("basis", True)
    steps = visual.get("steps") or []
    for k, state in enumerate(simulate(visual)):
        points = [(name, p) for name, v in state["vectors"].items() if v["shown"] for p in (v["tail"], v["tip"])]
        if basis:
            m = state["matrix"]
            points += [("î", (m[0][0], m[1][0])), ("ĵ", (m[0][1], m[1][1]))]
        m = steps[k - 1].get("matrix") if k else None
        if m and is_turn(m):  # the points on the way round count too
            back = _inverse(m)
            points += [(name, apply(path_of(m)(t / 8), apply(back, p))) for name, p in list(points) for t in range(1, 8)]
        for name, (x, y) in points:
            out = not lo - 1e-9 <= x <= hi + 1e-9 or (y_range and not y_range[0] - 1e-9 <= y <= y_range[1] + 1e-9)
            if out:
                field = "vectors" if k == 0 else f"steps[{k - 1}]"
                where = f"x in [{lo:g}, {hi:g}]" + (f", y in [{y_range[0]:g}, {y_range[1]:g}]" if y_range else "")
                fail(field, f"vectors that stay on the plane ({where}; widen `range`)",
                     f"{name} reaches ({x:.3g}, {y:.3g})")


def _inverse(m):
    det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
    return ((m[1][1] / det, -m[0][1] / det), (-m[1][0] / det, m[0][0] / det))


def rows(visual: dict) -> tuple[int, int]:
    return 4, 6


def seconds(visual: dict) -> float:
    first = simulate({**visual, "steps": []})[0]["vectors"]
    return 2.5 + 0.5 * sum(1 for v in first.values() if v["shown"])


def step_seconds(visual: dict, step: dict) -> float:
    cost = {"hide": 0.6, "show": 1.2, "scale": 1.2, "labels": 0.6, "add": 2.5, "matrix": 3.0}
    return 0.8 + sum(cost[a] for a in ACTIONS if step.get(a))


def describe(visual: dict, step: dict) -> str:
    parts = []
    if step.get("hide"):
        parts.append("hide " + ", ".join(step["hide"]))
    if step.get("show"):
        parts.append("show " + ", ".join(step["show"]))
    for name, factor in (step.get("scale") or {}).items():
        parts.append(f"scale {name} by {factor:g}")
    for name, text in (step.get("labels") or {}).items():
        parts.append(f"{name} is now {text!r}")
    if step.get("add"):
        parts.append(f"add {step['add'][0]} + {step['add'][1]} head to tail")
    if step.get("matrix"):
        parts.append(f"apply {step['matrix']} to the plane")
    return "; ".join(parts) or "no change"
