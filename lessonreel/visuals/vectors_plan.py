"""The plan of the ``vectors`` visual, without Manim: poses, label places, where the matrix goes.

A *pose* is the plane's matrix and where each vector's tail and tip are (and
its label, and whether it is shown). The plan is the entrance's pose, then a
pose per phase of every step. Labels get their place in each pose once, clear
of every arrow and the other labels; the matrix panel gets a corner of the
plane no vector ever crosses (or none: then it goes beside the plane).
"""

from __future__ import annotations

import math

from .. import theme
from ..kinds.vectors import _reshow, apply, path_of, scaled_label, sum_id
from .common import Size

IDENTITY = ((1.0, 0.0), (0.0, 1.0))
LABEL_GAP = 0.08      # between a label's box and what it must not touch (scene units)
TIP = 0.24            # arrow tip length (scene units, at natural size)
MAX_LINES = 30        # grid lines each side of an axis, at most
RED = "#F87171"


def _mul(a, b):
    return tuple(tuple(sum(a[i][k] * b[k][j] for k in range(2)) for j in range(2)) for i in range(2))


def _clip(p, d, box):
    """The part of the line p + s d inside box (x0, y0, x1, y1), or None (Liang-Barsky)."""
    lo, hi = -1e9, 1e9
    for k in range(2):
        if abs(d[k]) < 1e-12:
            if not box[k] <= p[k] <= box[k + 2]:
                return None
            continue
        s0, s1 = (box[k] - p[k]) / d[k], (box[k + 2] - p[k]) / d[k]
        lo, hi = max(lo, min(s0, s1)), min(hi, max(s0, s1))
    if hi - lo < 1e-9:
        return None
    return (p[0] + lo * d[0], p[1] + lo * d[1]), (p[0] + hi * d[0], p[1] + hi * d[1])


def _hits_segment(box, a, b, pad):
    """Whether segment a-b passes through box (x0, y0, x1, y1) grown by pad."""
    x0, y0, x1, y1 = box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
    d = (b[0] - a[0], b[1] - a[1])
    lo, hi = 0.0, 1.0
    for k, (mn, mx) in enumerate(((x0, x1), (y0, y1))):
        if abs(d[k]) < 1e-12:
            if not mn <= a[k] <= mx:
                return False
            continue
        s0, s1 = (mn - a[k]) / d[k], (mx - a[k]) / d[k]
        lo, hi = max(lo, min(s0, s1)), min(hi, max(s0, s1))
    return lo <= hi


def _relabel(pose, step):
    for name, text in (step.get("labels") or {}).items():
        pose["vecs"][name]["label"] = str(text)


def _inverse(m):
    det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
    if abs(det) < 1e-9:
        return None
    return ((m[1][1] / det, -m[0][1] / det), (-m[1][0] / det, m[0][0] / det))


class PlanePlan:
    """The planning half of :class:`~lessonreel.visuals.vectors.VectorsVisual` (a mixin)."""

    def _fit(self, size: Size, strip: float, y_range) -> float:
        """The plane's unit (scene units per plane unit) for an area, and its y range."""
        width, height = size[0] - strip, size[1]
        if y_range:
            self.y0, self.y1 = y_range
            return min(width / (self.x1 - self.x0), height / (self.y1 - self.y0))
        unit = width / (self.x1 - self.x0)
        need = max([abs(p[1]) for seg in self._paths() for p in seg] + [0.5]) + 0.6
        unit = min(unit, height / (2 * max(height / unit / 2, need)))
        self.y0, self.y1 = -height / unit / 2, height / unit / 2
        return unit

    def _panel_box(self, corner: str, unit: float):
        """The matrix panel's box in plane coordinates, in a corner ("ul", "ur", "dl", "dr")."""
        w, h = (v / unit for v in self.panel_size)
        inset = 0.1 / unit
        x = self.x0 + inset if corner[1] == "l" else self.x1 - inset - w
        y = self.y1 - inset - h if corner[0] == "u" else self.y0 + inset
        return (x, y, x + w, y + h)

    def _paths(self):
        """Every arrow (tail, tip) of every pose, and of the way between two when the plane moves."""
        paths = []
        for k, pose in enumerate(self.poses):
            paths += [(a, b) for a, b, _, _ in self._shown(pose).values()]
            before = self.poses[k - 1] if k else None
            if before and pose["m"] != before["m"]:
                way = path_of(_mul(pose["m"], _inverse(before["m"])))
                for t in range(1, 8):
                    m = way(t / 8)
                    paths += [(apply(m, a), apply(m, b)) for a, b, _, _ in self._shown(before).values()]
        return paths

    def _free_corner(self, unit: float):
        """A corner whose panel no vector crosses, in any pose or on the way between two."""
        paths = self._paths()
        pad = 0.45 / unit  # room for the labels by the tips
        for corner in ("ul", "ur", "dl", "dr"):
            box = self._panel_box(corner, unit)
            if not any(_hits_segment(box, a, b, pad) for a, b in paths):
                return corner
        return None

    def _plan(self, vectors, show):
        """All poses: the entrance's, then one per phase of each step; and the steps' phases."""
        ids = [v["id"] for v in vectors]
        shown = set(ids if show is None else show)
        vecs = {v["id"]: {"tail": (0.0, 0.0), "tip": (float(v["to"][0]), float(v["to"][1])),
                          "label": v.get("label", v["id"]), "shown": v["id"] in shown} for v in vectors}
        pose = {"m": IDENTITY, "vecs": vecs}
        poses, plan = [pose], []

        def nxt(change):
            new = {"m": pose["m"], "vecs": {k: dict(v) for k, v in pose["vecs"].items()}}
            change(new)
            poses.append(new)
            return new

        for step in self.spec_steps:
            phases = []
            if any(step.get(k) for k in ("hide", "show", "scale")) or (step.get("labels") and not step.get("matrix")):
                def simple(p, step=step):
                    for name in step.get("hide") or []:
                        p["vecs"][name]["shown"] = False
                    for name in step.get("show") or []:
                        _reshow(p["vecs"][name])
                    for name, k in (step.get("scale") or {}).items():
                        v = p["vecs"][name]
                        v["tip"] = tuple(t + k * (h - t) for t, h in zip(v["tail"], v["tip"]))
                        v["label"] = scaled_label(v["label"], k)
                    if not step.get("matrix"):  # with a matrix, new labels come as the plane moves
                        _relabel(p, step)
                pose = nxt(simple)
                phases.append(("pose", len(poses) - 1, None))
            if step.get("add"):
                a, b = step["add"]

                def slide(p, a=a, b=b):
                    va, vb = p["vecs"][a], p["vecs"][b]
                    d = (vb["tip"][0] - vb["tail"][0], vb["tip"][1] - vb["tail"][1])
                    vb["tail"], vb["tip"] = va["tip"], (va["tip"][0] + d[0], va["tip"][1] + d[1])

                def total(p, a=a, b=b, step=step):
                    va, vb = p["vecs"][a], p["vecs"][b]
                    p["vecs"][sum_id(step)] = {"tail": va["tail"], "tip": vb["tip"], "shown": True,
                                               "label": step.get("label", f"{va['label']} + {vb['label']}")}
                pose = nxt(slide)
                phases.append(("pose", len(poses) - 1, None))
                pose = nxt(total)
                phases.append(("pose", len(poses) - 1, None))
            if step.get("matrix"):
                m = tuple(tuple(float(x) for x in row) for row in step["matrix"])

                def move(p, m=m, step=step):
                    _relabel(p, step)
                    p["m"] = _mul(m, p["m"])
                    for v in p["vecs"].values():
                        v["tail"], v["tip"] = apply(m, v["tail"]), apply(m, v["tip"])
                phases.append(("matrix", None, None))
                pose = nxt(move)
                phases.append(("pose", len(poses) - 1, m))
            plan.append(phases)
        return poses, plan

    def _shown(self, pose):
        """{id: (tail, tip, label, colour)} of what a pose draws, the basis vectors first."""
        out = {}
        if self.basis:
            m = pose["m"]
            out["i"] = ((0.0, 0.0), (m[0][0], m[1][0]), "î", theme.GREEN)
            out["j"] = ((0.0, 0.0), (m[0][1], m[1][1]), "ĵ", RED)
        for name, v in pose["vecs"].items():
            if v["shown"]:
                out[name] = (v["tail"], v["tip"], v["label"], self.colors[name])
        return out

    def _label_size(self, label: str) -> tuple[float, float]:  # pragma: no cover - the visual measures text
        raise NotImplementedError

    def _place_labels(self, pose, unit):
        """Each drawn vector's label centre, as an offset from its tip in plane units."""
        shown = self._shown(pose)
        segments = [(a, b) for a, b, _, _ in shown.values() if math.dist(a, b) > 1e-9]
        boxes, out = [], {}
        lo_x, lo_y, hi_x, hi_y = self.x0, self.y0, self.x1, self.y1
        pad = LABEL_GAP / unit
        panel = self._panel_box(self.corner, unit) if self.corner else None
        order = [k for k in shown if k not in ("i", "j")] + [k for k in shown if k in ("i", "j")]
        for name in order:
            tail, tip, label, _ = shown[name]
            w, h = (s / unit for s in self._label_size(label))
            length = math.dist(tail, tip)
            u = ((tip[0] - tail[0]) / length, (tip[1] - tail[1]) / length) if length > 1e-9 else (1.0, 0.0)
            n = (-u[1], u[0])
            ext_u = (abs(u[0]) * w + abs(u[1]) * h) / 2
            ext_n = (abs(n[0]) * w + abs(n[1]) * h) / 2
            g = 1.5 * pad
            back = min(0.35 * length, TIP / unit)
            cands = [(u[0] * (ext_u + g), u[1] * (ext_u + g))]
            for along in (back, 0.5 * length):
                for side in (1, -1):
                    cands.append((-u[0] * along + side * n[0] * (ext_n + g), -u[1] * along + side * n[1] * (ext_n + g)))
            for side in (1, -1):
                cands.append((u[0] * (ext_u + g) + side * n[0] * (ext_n + g), u[1] * (ext_u + g) + side * n[1] * (ext_n + g)))
            best, best_cost = cands[0], None
            for off in cands:
                c = (tip[0] + off[0], tip[1] + off[1])
                box = (c[0] - w / 2, c[1] - h / 2, c[0] + w / 2, c[1] + h / 2)
                cost = sum(1 for a, b in segments if _hits_segment(box, a, b, pad))
                cost += sum(1 for o in boxes if box[0] < o[2] + pad and o[0] < box[2] + pad
                            and box[1] < o[3] + pad and o[1] < box[3] + pad)
                cost += 3 * (box[0] < lo_x or box[1] < lo_y or box[2] > hi_x or box[3] > hi_y)
                if panel and box[0] < panel[2] and panel[0] < box[2] and box[1] < panel[3] and panel[1] < box[3]:
                    cost += 3
                if best_cost is None or cost < best_cost:
                    best, best_cost = off, cost
                if cost == 0:
                    break
            c = (tip[0] + best[0], tip[1] + best[1])
            boxes.append((c[0] - w / 2, c[1] - h / 2, c[0] + w / 2, c[1] + h / 2))
            out[name] = best
        return out

    def _line_ranges(self):
        """The grid lines (x = k, y = k) any pose, or the way between two, shows: a pool of lines."""
        need = [0, 0, 0, 0]  # min kx, max kx, min ky, max ky
        corners = [(self.x0, self.y0), (self.x1, self.y0), (self.x0, self.y1), (self.x1, self.y1)]
        mats = [IDENTITY]
        for k, pose in enumerate(self.poses[1:], 1):
            before = self.poses[k - 1]["m"]
            if pose["m"] != before:
                step_m = _mul(pose["m"], _inverse(before))
                way = path_of(step_m)
                mats += [_mul(way(t / 12), before) for t in range(1, 13)]
        for m in mats:
            inv = _inverse(m)
            if inv is None:
                continue
            pre = [apply(inv, c) for c in corners]
            for axis in range(2):
                vals = [p[axis] for p in pre]
                need[2 * axis] = min(need[2 * axis], math.floor(min(vals)))
                need[2 * axis + 1] = max(need[2 * axis + 1], math.ceil(max(vals)))
        return (range(max(need[0], -MAX_LINES), min(need[1], MAX_LINES) + 1),
                range(max(need[2], -MAX_LINES), min(need[3], MAX_LINES) + 1))
