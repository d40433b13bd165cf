"""Turn a layout trace into a layout report: problems, the objects involved, and a score.

A problem names its kind, when it shows (scene time of the first snapshot,
and until when it lasts), the objects involved by the names the scene's code
uses, their anchor cells (A1..F6) and their source lines. The kinds:

off_frame       part of an object lies outside the frame
margin          inside the frame but within the safe margin of its edge
overlap         text over another object's drawing (a curve, a line, other
                text, a shape's outline), an image over a drawing, or two
                placed visuals on top of each other. Not a problem: a label
                wholly inside a filled shape or image, text in an empty part
                of a plot, the parts of one visual, shapes crossing shapes
tiny_text       text whose effective font size is below MIN_FONT (too small
                to read at 1080p)
lecture_column  a visual reaching into the lecture column or the title bar
                while they are on screen
crowded         MIN_CROWD objects or more filling most grid cells
leftover        a step clears earlier objects but leaves one of them, which
                it does not use, on screen

The score starts at 100 and loses a fixed weight per distinct problem
(PENALTY); a change to a scene is judged by this number.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import grid

MIN_FONT = 16.0          # effective Manim font size; DejaVu text below it is hard to read at 1080p
EDGE_TOLERANCE = 0.05    # scene units an object may cross a boundary by before it counts
OVERLAP_SHARE = 0.04     # share of a text's area that may touch another drawing
OVERLAP_MIN_AREA = 0.01  # and in absolute terms (scene units squared)
CROWD_CELLS = 27         # of the 36 grid cells
MIN_CROWD = 4
CELL_FILLED = 0.2        # share of a cell's area covered by drawing that makes it "filled"
RASTER = 0.05            # resolution of the coverage raster (scene units)

PENALTY = {"off_frame": 15, "overlap": 12, "lecture_column": 10, "crowded": 8, "tiny_text": 8, "leftover": 8,
           "margin": 4}
SEVERITY = {"margin": "warning"}
_STEP = re.compile(r"^\s*# === Step (\d+)")


@dataclass
class Unit:
    uid: int
    name: str | None
    role: str | None
    bbox: tuple
    boxes: np.ndarray = field(default=None)  # (n, 4): left, bottom, right, top
    types: tuple = ()
    kind: str = ""
    font: float | None = None
    area: tuple | None = None
    touched: bool = False

    def boxes_of(self, types: str) -> np.ndarray:
        mask = np.array([t in types for t in self.types], dtype=bool)
        return self.boxes[mask] if len(self.types) else np.zeros((0, 4))


@dataclass
class Snapshot:
    index: int
    time: float
    after: str
    line: int | None
    units: list[Unit]
    clear: bool = False   # made by a clear_grid() call
    finish: bool = False  # made by the kit's finish(): the section's closing fade, in no step

    def content(self) -> list[Unit]:
        return [u for u in self.units if u.role is None]

    def roles(self) -> set:
        return {u.role for u in self.units if u.role}


@dataclass
class Trace:
    header: dict
    snapshots: list[Snapshot]
    voices: list[dict] = field(default_factory=list)  # {"id", "t", "seconds"}: when each narration started


def load_trace(path: str | Path) -> Trace:
    """Read a trace; ``"boxes": "same"`` entries get the unit's boxes from before."""
    header: dict = {}
    snapshots: list[Snapshot] = []
    voices: list[dict] = []
    last_boxes: dict[int, list] = {}
    text = Path(path).read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:  # a run killed mid-write leaves a torn last line
            break
        if "trace" in record:
            header = record
            continue
        if "voice" in record:
            voices.append({"id": record["voice"], "t": record["t"], "seconds": record["seconds"]})
            continue
        units = []
        for u in record["units"]:
            boxes = u.get("boxes")
            if boxes == "same":
                boxes = last_boxes.get(u["uid"], [])
            elif boxes is not None:
                last_boxes[u["uid"]] = boxes
            unit = Unit(uid=u["uid"], name=u.get("name"), role=u.get("role"), bbox=tuple(u["bbox"]),
                        kind=u.get("kind", u.get("role") or ""), font=u.get("font"),
                        area=tuple(u["area"]) if u.get("area") else None, touched=bool(u.get("touched")))
            if boxes:
                unit.boxes = np.array([b[:4] for b in boxes], dtype=float)
                unit.types = tuple(b[4] for b in boxes)
            else:
                unit.boxes = np.array([unit.bbox], dtype=float) if unit.role is None else np.zeros((0, 4))
                unit.types = ("f",) if unit.role is None else ()
            units.append(unit)
        snapshots.append(Snapshot(record["i"], record["t"], record.get("after", "play"), record.get("line"),
                                  units))
    return Trace(header, snapshots, voices)


# ------------------------------------------------------------- geometry ---

def _inter_area(a: np.ndarray, b: np.ndarray) -> float:
    """Sum of pairwise intersection areas between two sets of boxes."""
    if not len(a) or not len(b):
        return 0.0
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    return float((np.clip(w, 0, None) * np.clip(h, 0, None)).sum())


def _area(boxes: np.ndarray) -> float:
    if not len(boxes):
        return 0.0
    return float(((boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])).sum())


def _union(boxes: np.ndarray) -> tuple:
    return (float(boxes[:, 0].min()), float(boxes[:, 1].min()), float(boxes[:, 2].max()), float(boxes[:, 3].max()))


def _contains(outer, inner, tol: float = 0.02) -> bool:
    return (outer[0] - tol <= inner[0] and outer[1] - tol <= inner[1] and inner[2] <= outer[2] + tol
            and inner[3] <= outer[3] + tol)


def _region(box: grid.Box) -> np.ndarray:
    return np.array([[box.left, box.bottom, box.right, box.top]])


def cells_of(bbox) -> list[str]:
    """Grid cells a bounding box (left, bottom, right, top) touches."""
    left, bottom, right, top = bbox
    return grid.cells_touched(left, right, top, bottom)


class _Raster:
    """Coverage of the anchor grid at RASTER resolution, to count filled cells."""

    def __init__(self):
        g = grid.GRID
        self.nx = int(round(g.width / RASTER))
        self.ny = int(round(g.height / RASTER))
        self.cover = np.zeros((self.ny, self.nx), dtype=bool)

    def add(self, boxes: np.ndarray) -> None:
        g = grid.GRID
        for left, bottom, right, top in boxes:
            x0 = int(np.clip(np.floor((left - g.left) / RASTER), 0, self.nx))
            x1 = int(np.clip(np.ceil((right - g.left) / RASTER), 0, self.nx))
            y0 = int(np.clip(np.floor((g.top - top) / RASTER), 0, self.ny))
            y1 = int(np.clip(np.ceil((g.top - bottom) / RASTER), 0, self.ny))
            if x1 > x0 and y1 > y0:
                self.cover[y0:y1, x0:x1] = True

    def filled_cells(self) -> list[str]:
        names = []
        cols, rows = len(grid.COLUMNS), grid.ROWS
        for c in range(cols):
            for r in range(rows):
                x0, x1 = round(c * self.nx / cols), round((c + 1) * self.nx / cols)
                y0, y1 = round(r * self.ny / rows), round((r + 1) * self.ny / rows)
                if self.cover[y0:y1, x0:x1].mean() >= CELL_FILLED:
                    names.append(grid.cell_name(c, r))
        return names


# -------------------------------------------------------------- source ---

def step_markers(source: str) -> list[tuple[int, int]]:
    """(line, step number) of every ``# === Step N`` marker."""
    return [(i, int(m.group(1))) for i, text in enumerate(source.splitlines(), 1) if (m := _STEP.match(text))]


def _step_of(markers: list[tuple[int, int]], line: int | None) -> int | None:
    if line is None:
        return None
    step = None
    for marker_line, number in markers:
        if marker_line <= line:
            step = number
    return step


def _bindings(source: str) -> dict[str, list[int]]:
    """Lines where each name is assigned (for the line that created a named object)."""
    found: dict[str, list[int]] = {}
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = [node.target]
        elif isinstance(node, (ast.For, ast.comprehension)):
            targets = [node.target]
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets = [node.optional_vars]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name):
                    found.setdefault(sub.id, []).append(getattr(node, "lineno", getattr(target, "lineno", 0)))
    for lines in found.values():
        lines.sort()
    return found


# ------------------------------------------------------------- analysis ---

@dataclass
class _Object:
    uid: int
    name: str | None
    kind: str
    line: int | None
    shown_line: int | None
    shown_time: float
    step: int | None
    bbox: tuple
    label: str = ""
    font: float | None = None  # the smallest effective font size it was shown at


def analyze(trace: Trace, source: str | None = None) -> dict:
    """The layout report of one run (see the module docstring), JSON-ready."""
    source = source if source is not None else _read(trace.header.get("scene_file"))
    markers = step_markers(source or "")
    bindings = _bindings(source or "")
    objects: dict[int, _Object] = {}
    problems: dict[tuple, dict] = {}

    for snap in trace.snapshots:
        for unit in snap.content():
            obj = objects.get(unit.uid)
            if obj is None:
                line = snap.line
                if unit.name and bindings.get(unit.name):
                    before = [n for n in bindings[unit.name] if snap.line is None or n <= snap.line]
                    line = before[-1] if before else bindings[unit.name][0]
                obj = objects[unit.uid] = _Object(unit.uid, unit.name, unit.kind, line, snap.line, snap.time,
                                                  _step_of(markers, line), unit.bbox)
                obj.label = unit.name or f"{unit.kind or 'object'}@{snap.line}"
            else:
                obj.bbox = _merge_bbox(obj.bbox, unit.bbox)
            if unit.font is not None:
                obj.font = unit.font if obj.font is None else min(obj.font, unit.font)
        for kind, uids, message, detail in _snapshot_problems(snap, trace.header):
            _note(problems, kind, uids, message, detail, snap, objects)

    for kind, uids, message, detail, snap in _leftovers(trace.snapshots, markers):
        _note(problems, kind, uids, message, detail, snap, objects)

    problem_list = sorted(problems.values(), key=lambda p: (p["time"], p["kind"], p["objects"]))
    score = max(0, 100 - sum(PENALTY[p["kind"]] for p in problem_list))
    return {
        "scene_file": trace.header.get("scene_file"),
        "class": trace.header.get("class"),
        "snapshots": len(trace.snapshots),
        "duration": trace.snapshots[-1].time if trace.snapshots else 0.0,
        "score": score,
        "problems": problem_list,
        "objects": [
            {"uid": o.uid, "name": o.name, "label": o.label, "kind": o.kind, "line": o.line,
             "shown_line": o.shown_line, "shown_time": o.shown_time, "step": o.step,
             "cells": cells_of(o.bbox), "bbox": [round(v, 3) for v in o.bbox], "font": o.font}
            for o in sorted(objects.values(), key=lambda o: (o.shown_time, o.uid))
        ],
        "steps": _step_ends(trace.snapshots, markers),
        "voices": list(trace.voices),
    }


def _read(path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8") if path else ""
    except OSError:
        return ""


def _merge_bbox(a, b):
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _note(problems, kind, uids, message, detail, snap, objects):
    key = (kind, tuple(uids))
    found = problems.get(key)
    if found is not None:
        found["until"] = snap.time
        found["snapshots"] += 1
        return
    involved = [objects[u] for u in uids if u in objects]
    boxes = [detail["bbox"]] if "bbox" in detail else [o.bbox for o in involved]
    cells = sorted({c for box in boxes for c in cells_of(box)}, key=lambda c: (c[1], c[0]))
    problems[key] = {
        "kind": kind,
        "severity": SEVERITY.get(kind, "error"),
        "time": snap.time,
        "until": snap.time,
        "snapshots": 1,
        "at_line": snap.line,
        "objects": [o.label for o in involved],
        "uids": list(uids),
        "lines": [o.line for o in involved],
        "cells": cells,
        "message": message,
        **{k: v for k, v in detail.items() if k != "bbox"},
    }


def _overflow(bbox, box: grid.Box) -> float:
    """How far a bbox (left, bottom, right, top) reaches outside ``box`` (<= 0: inside)."""
    left, bottom, right, top = bbox
    return max(box.left - left, right - box.right, box.bottom - bottom, top - box.top)


def _snapshot_problems(snap: Snapshot, header: dict):
    width, height = header.get("frame", [grid.FRAME_WIDTH, grid.FRAME_HEIGHT])
    frame = grid.Box(-width / 2, width / 2, height / 2, -height / 2)
    safe = frame.shrink(grid.SAFE.left - grid.FRAME.left)
    content = snap.content()
    roles = snap.roles()

    for u in content:
        label = u.name or f"{u.kind}@{snap.line}"
        out = _overflow(u.bbox, frame)
        if out > EDGE_TOLERANCE:
            yield "off_frame", [u.uid], f"{label} reaches {out:.2f} units outside the frame", \
                {"amount": round(out, 3), "bbox": u.bbox}
        else:
            out = _overflow(u.bbox, safe)
            if out > EDGE_TOLERANCE:
                yield "margin", [u.uid], f"{label} reaches {out:.2f} units into the safe margin", \
                    {"amount": round(out, 3), "bbox": u.bbox}
        if u.font is not None and u.font < MIN_FONT:
            lines = u.boxes_of("t")
            px = float((lines[:, 3] - lines[:, 1]).min()) * 1080 / height if len(lines) else 0.0
            yield "tiny_text", [u.uid], (f"{label}: font size {u.font:g} (below {MIN_FONT:g}); its smallest "
                                         f"text line is {px:.0f} px tall at 1080p"), \
                {"font": u.font, "px_1080": round(px, 1)}
        for role, box in (("lecture", grid.LECTURE_COLUMN), ("title", grid.TITLE_BAR)):
            if role not in roles:
                continue
            inside = _inter_area(u.boxes, _region(box))
            if inside > 0.02 and -_overflow_into(u.bbox, box) > EDGE_TOLERANCE:
                where = "lecture column" if role == "lecture" else "title bar"
                yield "lecture_column", [u.uid], f"{label} covers part of the {where}", \
                    {"region": where, "area": round(inside, 3)}

    for i, a in enumerate(content):
        for b in content[i + 1:]:
            found = _overlap(a, b)
            if found:
                first, second = found
                la = first.name or f"{first.kind}@{snap.line}"
                lb = second.name or f"{second.kind}@{snap.line}"
                fa, fb = first.bbox, second.bbox
                meet = (max(fa[0], fb[0]), max(fa[1], fb[1]), min(fa[2], fb[2]), min(fa[3], fb[3]))
                yield "overlap", [first.uid, second.uid], f"{la} lies over {lb}", {"bbox": meet}

    on_grid = [u for u in content if _inter_area(np.array([u.bbox]), _region(grid.GRID)) > 0]
    if len(on_grid) >= MIN_CROWD:
        raster = _Raster()
        for u in on_grid:
            raster.add(u.boxes)
        filled = raster.filled_cells()
        if len(filled) >= CROWD_CELLS:
            yield "crowded", sorted(u.uid for u in on_grid), \
                f"{len(on_grid)} objects fill {len(filled)} of the 36 grid cells", {"filled_cells": len(filled)}


def _overflow_into(bbox, box: grid.Box) -> float:
    """Negative depth by which bbox reaches into box (0 when apart)."""
    left, bottom, right, top = bbox
    depth = min(right - box.left, box.right - left, top - box.bottom, box.top - bottom)
    return -max(depth, 0.0)


def _overlap(a: Unit, b: Unit):
    """(front, back) when a and b overlap in a way that hides something, else None."""
    for first, second in ((a, b), (b, a)):
        text = first.boxes_of("t")
        if not len(text):
            continue
        others = second.boxes
        hit = _inter_area(text, others)
        if hit > max(OVERLAP_MIN_AREA, OVERLAP_SHARE * _area(text)):
            if _label_inside(_union(text), second):
                continue
            return first, second
    for first, second in ((a, b), (b, a)):
        image = first.boxes_of("i")
        if not len(image):
            continue
        drawn = second.boxes_of("fs")
        hit = _inter_area(image, drawn)
        if hit > max(OVERLAP_MIN_AREA, 0.05 * min(_area(image), max(_area(drawn), 1e-6))):
            return first, second
    if a.area is not None and b.area is not None:  # two visuals the code placed: their drawings collide
        if _inter_area(a.boxes, b.boxes) > 0.05:
            return a, b
    return None


def _label_inside(text_box, holder: Unit) -> bool:
    """A label wholly inside one filled shape or image of the holder, touching none of its text."""
    filled = holder.boxes_of("fi")
    if not any(_contains(tuple(h), text_box) for h in filled):
        return False
    return _inter_area(np.array([text_box]), holder.boxes_of("t")) <= OVERLAP_MIN_AREA


def _step_ends(snapshots: list[Snapshot], markers) -> list[dict]:
    """Each step's marker line and the time its last snapshot ends (for keyframes)."""
    ends: dict[int, dict] = {}
    for snap in snapshots:
        step = _step_of(markers, snap.line)
        if step is None or snap.finish:
            continue
        entry = ends.setdefault(step, {"step": step, "line": dict((n, l) for l, n in markers).get(step),
                                       "start": snap.time, "end": snap.time})
        if snap.content() or entry["end"] == entry["start"]:  # not an empty stage after a closing fade
            entry["end"] = snap.time
    return [ends[k] for k in sorted(ends)]


def _leftovers(snapshots: list[Snapshot], markers):
    """Objects an earlier step left on screen when a later step cleared its neighbours."""
    if not markers:
        return
    by_step: dict[int, list[Snapshot]] = {}
    order: list[int] = []
    for snap in snapshots:
        step = _step_of(markers, snap.line)
        if step is None or snap.finish:
            continue
        if step not in by_step:
            order.append(step)
        by_step.setdefault(step, []).append(snap)
    previous_end: Snapshot | None = None
    created: dict[int, int] = {}  # uid -> step it first appeared in
    for step in order:
        snaps = by_step[step]
        for snap in snaps:
            for u in snap.content():
                created.setdefault(u.uid, step)
        if previous_end is not None:
            earlier = {u.uid: u for u in previous_end.content() if created.get(u.uid, step) < step}
            shown = [s for s in snaps if s.content()]
            end = shown[-1] if shown else snaps[-1]  # not the empty stage after a closing fade
            at_end = {u.uid for u in end.content()}
            touched = {u.uid for s in snaps for u in s.content() if u.touched}
            removed = [uid for uid in earlier if uid not in at_end]
            survivors = [uid for uid in earlier if uid in at_end and uid not in touched]
            clears = any(s.clear for s in snaps)
            if removed and survivors and (clears or (len(removed) >= 2 and len(removed) >= 2 * len(survivors))):
                clear_snap = next((s for s in snaps if any(uid not in {u.uid for u in s.content()}
                                                          for uid in removed)), end)
                for uid in survivors:
                    name = earlier[uid].name or f"{earlier[uid].kind}@?"
                    yield "leftover", [uid], (f"{name} from step {created[uid]} stays on screen through step "
                                              f"{step}, which clears the objects around it"), \
                        {"step": step, "clear_line": clear_snap.line}, end
        previous_end = snaps[-1]


def mark_clear_calls(trace: Trace, source: str) -> None:
    """Flag snapshots made by ``clear_grid()`` (an explicit "clear the stage") and by ``finish()``."""
    lines = source.splitlines()
    for snap in trace.snapshots:
        if snap.line and 0 < snap.line <= len(lines):
            text = lines[snap.line - 1]
            snap.clear = "clear_grid(" in text
            snap.finish = "self.finish(" in text


def measure(trace_path: str | Path, source: str | None = None) -> tuple[dict, Trace]:
    """Load a trace once and analyze it against the scene source; return (report, trace)."""
    trace = load_trace(trace_path)
    if source is None:
        source = _read(trace.header.get("scene_file"))
    mark_clear_calls(trace, source)
    return analyze(trace, source), trace


def report_for(trace_path: str | Path, source: str | None = None) -> dict:
    """The layout report of a trace (the scene source is read from the trace's header if not given)."""
    return measure(trace_path, source)[0]
