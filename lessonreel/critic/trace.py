"""Record the layout of a scene while it runs: after every ``play`` and ``wait``.

Runs inside the render or dry-run child (the sandbox), switched on by the
environment variable ``LESSONREEL_LAYOUT_TRACE`` (a JSON-lines file in the
child's scratch folder); the scene kit installs it when it is imported, so the
trace comes from the execution that already runs, not from a second one.

Every snapshot lists the *units* on screen. A unit is what the scene's code
names: the smallest local variable of the scene's method that holds an
on-screen mobject (so ``shape.body`` and ``shape.label`` are one unit,
``shape``); mobjects no variable holds are units of their own, named by the
line that showed them. Kit parts (title bar, lecture lines, title card) are
marked by their ``lesson_role``.

For each unit the trace keeps its drawn content as boxes in scene units:
text as one box per line of glyphs, filled shapes and images as their
rectangle, strokes (curves, axes, outlines) as short chunks, so "text over
a plot's curve" can be told from "a label in the empty corner of the axes".
Unchanged units are written as ``"boxes": "same"`` to keep the file small.

The analysis (:mod:`lessonreel.critic.analyze`) runs later, outside the child.
"""

from __future__ import annotations

import json
import os
import sys
from itertools import count

ENV = "LESSONREEL_LAYOUT_TRACE"
BOX_LIMIT = 160       # more boxes than this per unit are merged on a coarse grid
CHUNK_DIAGONAL = 0.3  # stroke chunks are at most this long (scene units)
STROKE_PAD = 0.03     # half the width of a typical stroke


def install_from_env() -> None:
    path = os.environ.get(ENV)
    if path:
        install(path)


def install(path: str) -> None:
    """Wrap ``Scene.play`` and ``Scene.wait`` so each ends with a snapshot written to ``path``."""
    from manim import Scene

    if getattr(Scene.play, "_lessonreel_traced", False):
        return
    global _RECORDER
    recorder = _RECORDER = _Recorder(path)
    play, wait = Scene.play, Scene.wait

    def traced_play(self, *args, **kwargs):
        if recorder.waiting:  # Manim's wait() plays a Wait animation: one snapshot, from wait
            return play(self, *args, **kwargs)
        touched = _animated(args)
        result = play(self, *args, **kwargs)
        recorder.snapshot(self, "play", touched)
        return result

    def traced_wait(self, *args, **kwargs):
        recorder.waiting = True
        try:
            result = wait(self, *args, **kwargs)
        finally:
            recorder.waiting = False
        recorder.snapshot(self, "wait", ())
        return result

    traced_play._lessonreel_traced = traced_wait._lessonreel_traced = True
    Scene.play, Scene.wait = traced_play, traced_wait


_RECORDER: "_Recorder | None" = None


def note_voice(scene, voice_id: str, seconds: float) -> None:
    """Record that a step's narration starts now (the scene kit's ``narrate``), when tracing.

    The final video's subtitles are timed from these: the real start of each
    voice in the real render, whatever the animations before it took.
    """
    if _RECORDER is not None:
        _RECORDER.voice(scene, voice_id, seconds)


def _animated(args) -> tuple:
    """The mobjects a play's arguments animate (Animation, .animate builder, bound mobject method)."""
    found = []
    for arg in args:
        mob = getattr(arg, "mobject", None)
        if mob is None:
            mob = getattr(arg, "__self__", None)
        if mob is not None and hasattr(mob, "get_family"):
            found.append(mob)
    return tuple(found)


class _Recorder:
    def __init__(self, path: str):
        self.path = path
        self.file = None
        self.index = 0
        self.waiting = False
        self.uids = count(1)
        self.last: dict[int, tuple] = {}  # uid -> signature of the boxes written last

    # ---------------------------------------------------------- helpers ---
    def _open(self, scene):
        self.file = open(self.path, "w", encoding="utf-8")
        code = type(scene).construct.__code__
        header = {"trace": "lessonreel-layout", "version": 1, "scene_file": code.co_filename,
                  "class": type(scene).__name__, "frame": [_config_frame()[0], _config_frame()[1]]}
        self.file.write(json.dumps(header) + "\n")

    def _scene_frame(self, scene):
        """The innermost frame of the scene's own file (construct or a helper in that file)."""
        filename = type(scene).construct.__code__.co_filename
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename != filename:
            frame = frame.f_back
        return frame

    def _uid(self, mob) -> int:
        uid = getattr(mob, "_lessonreel_uid", None)
        if uid is None:
            uid = next(self.uids)
            try:
                mob._lessonreel_uid = uid
            except AttributeError:  # pragma: no cover - slotted objects
                uid = id(mob)
        return uid

    def _write(self, record: dict) -> None:
        self.file.write(json.dumps(record, separators=(",", ":")) + "\n")
        self.file.flush()

    def voice(self, scene, voice_id: str, seconds: float) -> None:
        if self.file is None:
            self._open(scene)
        self._write({"voice": voice_id, "t": round(float(scene.renderer.time), 3), "seconds": round(float(seconds), 3)})

    # --------------------------------------------------------- snapshot ---
    def snapshot(self, scene, after: str, touched) -> None:
        if self.file is None:
            self._open(scene)
        frame = self._scene_frame(scene)
        line = frame.f_lineno if frame is not None else None
        names = {}
        if frame is not None:
            for name, value in frame.f_locals.items():
                if name != "self" and hasattr(value, "get_family") and id(value) not in names:
                    names[id(value)] = (name, value)
        del frame

        families = {key: {id(m) for m in value.get_family()} for key, (_, value) in names.items()}
        units: dict[int, dict] = {}
        for mob in scene.mobjects:
            role = _role(mob)
            owner = None
            if role is None:
                owners = [key for key, fam in families.items() if id(mob) in fam]
                if owners:
                    owner = min(owners, key=lambda key: len(families[key]))
            rep = names[owner][1] if owner is not None else mob
            uid = self._uid(rep)
            unit = units.get(uid)
            if unit is None:
                unit = units[uid] = {"uid": uid, "name": names[owner][0] if owner is not None else None,
                                     "role": role, "parts": [], "rep": rep}
            unit["parts"].append(mob)

        touched_ids = set()
        for mob in touched:
            touched_ids.update(id(m) for m in mob.get_family())

        records = []
        for unit in units.values():
            parts = unit.pop("parts")
            rep = unit.pop("rep")
            family_ids = set()
            for part in parts:
                family_ids.update(id(m) for m in part.get_family())
            record = {"uid": unit["uid"], "name": unit["name"], "role": unit["role"]}
            if unit["role"] is not None:
                box = _bbox_of(parts)
                if box is None:
                    continue
                record["bbox"] = box
            else:
                boxes, fonts, kind = [], [], set()
                for part in parts:
                    _content(part, boxes, fonts, kind)
                if not boxes:
                    continue
                boxes = _limit(boxes)
                record["bbox"] = _union(boxes)
                record["kind"] = _kind_name(kind)
                record["font"] = round(min(fonts), 1) if fonts else None
                area = getattr(rep, "lesson_area", None)
                record["area"] = [round(area.left, 3), round(area.bottom, 3), round(area.right, 3),
                                  round(area.top, 3)] if area is not None else None
                signature = (tuple(record["bbox"]), len(boxes), record["font"])
                if self.last.get(unit["uid"]) == signature:
                    record["boxes"] = "same"
                else:
                    record["boxes"] = boxes
                    self.last[unit["uid"]] = signature
                parts = getattr(rep, "lesson_parts", None)
                if parts:  # a stepped visual's named parts: where each is now (only those on screen)
                    record["parts"] = _part_records(parts, family_ids)
            if family_ids & touched_ids:
                record["touched"] = True
            records.append(record)

        snap = {"i": self.index, "t": round(float(scene.renderer.time), 3), "after": after, "line": line,
                "units": records}
        self.index += 1
        self._write(snap)


def _part_records(parts: dict, on_screen: set) -> dict:
    """{name: [left, bottom, right, top, fill colour, fill opacity]} of the named parts on screen."""
    out = {}
    for name, mob in parts.items():
        if id(mob) not in on_screen or not len(mob.get_all_points()):
            continue
        left, bottom, right, top = _box(mob.get_all_points())
        try:
            color, opacity = mob.get_fill_color().to_hex(), round(float(mob.get_fill_opacity()), 2)
        except Exception:  # noqa: BLE001 - a part without a fill (an image, a group of strokes)
            color, opacity = None, None
        out[name] = [round(left, 3), round(bottom, 3), round(right, 3), round(top, 3), color, opacity]
    return out


def _config_frame():
    from manim import config

    return round(float(config.frame_width), 4), round(float(config.frame_height), 4)


def _role(mob):
    return getattr(mob, "lesson_role", None)


# ------------------------------------------------------------ geometry ---

def _text_types():
    from manim import DecimalNumber, MarkupText, Paragraph, SingleStringMathTex, Text

    return (Text, MarkupText, SingleStringMathTex, DecimalNumber, Paragraph)


_TEXT_TYPES = None


def _visible(mob) -> tuple[bool, bool]:
    """(filled, stroked) for a VMobject; images count as filled."""
    try:
        fill = float(mob.get_fill_opacity()) > 0.05
    except Exception:  # noqa: BLE001 - odd mobjects: treat as filled
        fill = True
    try:
        stroke = float(mob.get_stroke_width()) > 0 and float(mob.get_stroke_opacity()) > 0.05
    except Exception:  # noqa: BLE001
        stroke = False
    return fill, stroke


def _content(mob, boxes: list, fonts: list, kind: set) -> None:
    """Append the drawn boxes of ``mob`` and its family: [left, bottom, right, top, type]."""
    global _TEXT_TYPES
    if _TEXT_TYPES is None:
        _TEXT_TYPES = _text_types()
    from manim import ImageMobject

    if isinstance(mob, _TEXT_TYPES):
        glyphs = [m for m in mob.get_family() if len(getattr(m, "points", ())) and any(_visible(m))]
        if glyphs:
            kind.add("math" if type(mob).__name__.endswith("Tex") else "text")
            boxes.extend(_text_lines([_box(m.points) for m in glyphs]))
            try:
                size = float(mob.font_size)
                if size > 0:
                    fonts.append(size)
            except Exception:  # noqa: BLE001 - a text type without a usable size
                pass
        return
    if isinstance(mob, ImageMobject):
        if getattr(mob, "pixel_array", None) is not None:
            kind.add("image")
            boxes.append(_box(mob.points) + ["i"])
        return
    points = getattr(mob, "points", ())
    if len(points):
        fill, stroke = _visible(mob)
        if fill:
            boxes.append(_box(points) + ["f"])
            kind.add("shape")
        elif stroke:
            boxes.extend(_stroke_chunks(points))
            kind.add("shape")
    for sub in mob.submobjects:
        _content(sub, boxes, fonts, kind)


def _box(points) -> list:
    xs, ys = points[:, 0], points[:, 1]
    return [float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())]


def _stroke_chunks(points) -> list:
    """Boxes along a stroked path, each at most CHUNK_DIAGONAL long, padded by the stroke width."""
    out = []
    n = len(points) - len(points) % 4
    start = 0
    while start < n:
        end = start + 4
        box = _box(points[start:end])
        while end < n:
            nxt = _box(points[start:end + 4])
            if (nxt[2] - nxt[0]) ** 2 + (nxt[3] - nxt[1]) ** 2 > CHUNK_DIAGONAL ** 2:
                break
            box, end = nxt, end + 4
        out.append([box[0] - STROKE_PAD, box[1] - STROKE_PAD, box[2] + STROKE_PAD, box[3] + STROKE_PAD, "s"])
        start = end
    if not out and len(points):
        box = _box(points)
        out.append([box[0] - STROKE_PAD, box[1] - STROKE_PAD, box[2] + STROKE_PAD, box[3] + STROKE_PAD, "s"])
    return out


def _text_lines(glyphs: list) -> list:
    """Merge glyph boxes (in reading order) into one box per run of glyphs on a line."""
    out = []
    cur = None
    for g in glyphs:
        if cur is not None:
            height = max(cur[3] - cur[1], g[3] - g[1], 1e-6)
            overlap_y = min(cur[3], g[3]) - max(cur[1], g[1])
            gap = g[0] - cur[2]
            if overlap_y > 0.3 * min(cur[3] - cur[1], g[3] - g[1]) and -0.05 < gap < 0.8 * height:
                cur = [min(cur[0], g[0]), min(cur[1], g[1]), max(cur[2], g[2]), max(cur[3], g[3])]
                continue
            out.append(cur + ["t"])
        cur = list(g)
    if cur is not None:
        out.append(cur + ["t"])
    return out


def _limit(boxes: list) -> list:
    boxes = [[round(b[0], 3), round(b[1], 3), round(b[2], 3), round(b[3], 3), b[4]] for b in boxes]
    if len(boxes) <= BOX_LIMIT:
        return boxes
    cell = 0.25
    merged: dict[tuple, list] = {}
    for b in boxes:
        key = (b[4], int((b[0] + b[2]) / 2 // cell), int((b[1] + b[3]) / 2 // cell))
        m = merged.get(key)
        merged[key] = list(b) if m is None else [min(m[0], b[0]), min(m[1], b[1]), max(m[2], b[2]),
                                                  max(m[3], b[3]), b[4]]
    return list(merged.values())


def _union(boxes: list) -> list:
    return [round(min(b[0] for b in boxes), 3), round(min(b[1] for b in boxes), 3),
            round(max(b[2] for b in boxes), 3), round(max(b[3] for b in boxes), 3)]


def _bbox_of(parts) -> list | None:
    pts = [p.get_all_points() for p in parts]
    pts = [p for p in pts if len(p)]
    if not pts:
        return None
    import numpy as np

    allp = np.concatenate(pts)
    return [round(v, 3) for v in _box(allp)]


def _kind_name(kinds: set) -> str:
    if kinds == {"text"}:
        return "text"
    if kinds <= {"text", "math"} and kinds:
        return "math" if "math" in kinds else "text"
    if "image" in kinds:
        return "image" if kinds == {"image"} else "group"
    if kinds == {"shape"}:
        return "shape"
    return "group"
