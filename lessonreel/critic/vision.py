"""The Critic's eyes: keyframes with the 6x6 grid drawn over them, shown to a vision model.

* :func:`extract_keyframes` cuts one PNG per time out of a section's video (ffmpeg);
* :func:`draw_grid` draws the labelled anchor grid, the lecture column and the
  title bar over a frame, so that a model can name cells ("C4", "B2:D4");
* :func:`propose_moves` asks the ``critic`` role for layout problems and fixes
  (prompt ``prompts/critic.md``, schema ``schemas/llm_critic.schema.json``) and
  keeps only fixes that name a known object and valid cells.

Geometry comes from :mod:`lessonreel.grid` (Manim units); pixels follow from
the frame's size, so any 16:9 resolution works.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
from pathlib import Path
from typing import Any, Iterable

from .. import grid
from ..errors import LessonError

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
ACTIONS = ("move", "scale", "fade_out", "keep")
FFMPEG_TIMEOUT = 120.0

# Overlay colours (RGBA). Every line is a light stroke on a dark halo, so it shows
# on the dark lesson background (#111827) and on bright content alike.
_GRID_LINE = (229, 231, 235, 170)
_HALO = (0, 0, 0, 120)
_RESERVED = (251, 191, 36, 220)
_LABEL_TEXT = (243, 244, 246, 255)
_LABEL_BACKING = (0, 0, 0, 205)


class KeyframeError(LessonError):
    """ffprobe/ffmpeg could not read a video or cut a frame out of it."""


# ------------------------------------------------------------- keyframes ---

def _run(cmd: list[str], video: Path, what: str) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=FFMPEG_TIMEOUT)
    except FileNotFoundError:
        raise KeyframeError(f"{what} for video {video}: {cmd[0]!r} is not installed (not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise KeyframeError(f"{what} for video {video}: {cmd[0]} took longer than {FFMPEG_TIMEOUT:g} s") from None
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        tail = " | ".join(detail[-3:]) or f"exit code {proc.returncode}"
        raise KeyframeError(f"{what} for video {video} failed: {tail}")
    return proc


def _rate(text: str | None) -> float | None:
    try:
        num, _, den = str(text).partition("/")
        value = float(num) / float(den or 1)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return value if value > 0 and math.isfinite(value) else None


def probe_video(video: str | Path) -> tuple[float, float]:
    """(duration in seconds, frames per second) of a video's first video stream."""
    video = Path(video)
    if not video.is_file():
        raise KeyframeError(f"cannot take keyframes: video {video} does not exist")
    proc = _run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                 "-show_entries", "stream=duration,avg_frame_rate,r_frame_rate:format=duration",
                 "-of", "json", str(video)], video, "ffprobe")
    try:
        info = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        info = {}
    streams = info.get("streams") or []
    if not streams:
        raise KeyframeError(f"cannot take keyframes: video {video} has no video stream")
    stream = streams[0]
    fps = _rate(stream.get("avg_frame_rate")) or _rate(stream.get("r_frame_rate")) or 30.0
    duration = None
    for value in (stream.get("duration"), (info.get("format") or {}).get("duration")):
        try:
            duration = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(duration) and duration > 0:
            break
        duration = None
    if duration is None:
        raise KeyframeError(f"cannot take keyframes: ffprobe reports no duration for video {video}")
    return duration, fps


def clamp_times(times: Iterable[float], duration: float, fps: float) -> list[float]:
    """Times moved into [0, duration - one frame]; NaN becomes 0."""
    last = max(0.0, duration - 1.0 / fps)
    out = []
    for t in times:
        t = float(t)
        out.append(0.0 if math.isnan(t) else min(max(t, 0.0), last))
    return out


def extract_keyframes(video: Path, times: list[float], out_dir: Path) -> list[Path]:
    """One PNG per time (same order) in ``out_dir``, cut with accurate seeking.

    Times outside the video are clamped into [0, duration - one frame]. Raises
    KeyframeError naming the video when ffprobe or ffmpeg fails.
    """
    video, out_dir = Path(video), Path(out_dir)
    if not times:
        return []
    duration, fps = probe_video(video)
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = 1.0 / fps
    paths = []
    for index, t in enumerate(clamp_times(times, duration, fps), start=1):
        out = out_dir / f"keyframe_{index:02d}_at_{t:.2f}s.png"
        out.unlink(missing_ok=True)
        # Seeking before -i is accurate (frames before t are decoded and dropped) and fast.
        # Near the end a container's duration can overstate the last frame: step back and retry.
        for attempt in (t, max(0.0, t - frame), max(0.0, t - 3 * frame)):
            _run(["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y", "-accurate_seek",
                  "-ss", f"{attempt:.4f}", "-i", str(video), "-map", "0:v:0", "-frames:v", "1",
                  "-an", "-update", "1", str(out)], video, f"ffmpeg (frame at {t:.3f} s)")
            if out.is_file() and out.stat().st_size > 0:
                break
        else:
            raise KeyframeError(f"ffmpeg wrote no frame at {t:.3f} s for video {video} "
                                f"(duration {duration:.3f} s)")
        paths.append(out)
    return paths


# ------------------------------------------------------------------ grid ---

def to_pixels(x: float, y: float, width: int, height: int) -> tuple[float, float]:
    """Manim units (origin at the centre, y up) to pixels (origin top left, y down)."""
    return ((x + grid.FRAME_WIDTH / 2) / grid.FRAME_WIDTH * width,
            (grid.FRAME_HEIGHT / 2 - y) / grid.FRAME_HEIGHT * height)


def box_to_pixels(box: grid.Box, width: int, height: int) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) pixel rectangle of a grid.Box, rounded."""
    left, top = to_pixels(box.left, box.top, width, height)
    right, bottom = to_pixels(box.right, box.bottom, width, height)
    return round(left), round(top), round(right), round(bottom)


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    for path in ((FONT_BOLD_PATH, FONT_PATH) if bold else (FONT_PATH,)):
        try:
            return ImageFont.truetype(str(path), size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)  # Pillow >= 10.1
    except TypeError:
        return ImageFont.load_default()


def _label(draw, xy: tuple[float, float], text: str, font, pad: int, color=_LABEL_TEXT, anchor: str = "lt") -> None:
    """Text on a dark backing; ``anchor`` 'lt' puts the backing's top-left at xy, 'lb' its bottom-left."""
    x, y = xy
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    w, h = right - left + 2 * pad, bottom - top + 2 * pad
    if anchor == "lb":
        y -= h
    draw.rectangle([x, y, x + w - 1, y + h - 1], fill=_LABEL_BACKING)
    draw.text((x + pad - left, y + pad - top), text, font=font, fill=color)


def draw_grid(png: Path | bytes, out: Path | None = None, *, max_width: int | None = None) -> bytes:
    """The frame with the labelled 6x6 grid, lecture column and title bar drawn over it, as PNG bytes.

    ``png`` is a file or PNG/JPEG bytes of any 16:9 size; ``max_width`` first scales a
    larger frame down (labels are drawn at the final size, so they stay sharp).
    Written to ``out`` as well when given.
    """
    from PIL import Image, ImageDraw

    source = Image.open(io.BytesIO(png) if isinstance(png, (bytes, bytearray)) else Path(png))
    base = source.convert("RGB")
    if max_width and base.width > max_width:
        base = base.resize((max_width, round(base.height * max_width / base.width)), Image.LANCZOS)
    width, height = base.size
    scale = height / 480
    line = max(1, round(scale))
    halo = line + 2
    pad = max(1, round(2 * scale))
    font = _font(max(8, round(height * 0.023)))
    reserved_font = _font(max(8, round(height * 0.026)), bold=True)

    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)

    def stroke(points, color, w):
        draw.line(points, fill=_HALO, width=w + 2)
        draw.line(points, fill=color, width=w)

    # Grid lines: the halos first, then every light line, so crossings stay clean.
    g_left, g_top, g_right, g_bottom = box_to_pixels(grid.GRID, width, height)
    xs = [round(to_pixels(grid.GRID.left + i * grid.CELL_WIDTH, 0, width, height)[0])
          for i in range(len(grid.COLUMNS) + 1)]
    ys = [round(to_pixels(0, grid.GRID.top - j * grid.CELL_HEIGHT, width, height)[1]) for j in range(grid.ROWS + 1)]
    segments = [[(x, g_top), (x, g_bottom)] for x in xs] + [[(g_left, y), (g_right, y)] for y in ys]
    for seg in segments:
        draw.line(seg, fill=_HALO, width=halo)
    for seg in segments:
        draw.line(seg, fill=_GRID_LINE, width=line)

    # Reserved areas: outlined, labelled in the safe margin just outside them.
    for box, name, corner in ((grid.TITLE_BAR, "title", "top"), (grid.LECTURE_COLUMN, "lecture", "bottom")):
        left, top, right, bottom = box_to_pixels(box, width, height)
        rect = [(left, top), (right, top), (right, bottom), (left, bottom), (left, top)]
        stroke(rect, _RESERVED, line + 1)
        if corner == "top":
            _label(draw, (left, top - line), name, reserved_font, pad, color=_RESERVED, anchor="lb")
        else:
            _label(draw, (left, bottom + line + 1), name, reserved_font, pad, color=_RESERVED)

    # Cell names in each cell's top-left corner.
    inset = line // 2 + 2
    for col in range(len(grid.COLUMNS)):
        for row in range(grid.ROWS):
            _label(draw, (xs[col] + inset, ys[row] + inset), grid.cell_name(col, row), font, pad)

    result = Image.alpha_composite(base.convert("RGBA"), overlay).convert("RGB")
    buffer = io.BytesIO()
    result.save(buffer, format="PNG", optimize=False)
    data = buffer.getvalue()
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_bytes(data)
    return data


# ----------------------------------------------------------------- cells ---

def parse_area(text: str) -> tuple[str, str]:
    """'C4' -> ('C4', 'C4'); 'd4:b2' -> ('B2', 'D4'): the top-left and bottom-right corner cells."""
    parts = [p.strip() for p in str(text).split(":")]
    if len(parts) not in (1, 2) or not all(parts):
        raise ValueError(f"not a cell or area: {text!r} (expected like 'C4' or 'B2:D4')")
    (c1, r1), (c2, r2) = grid.parse_cell(parts[0]), grid.parse_cell(parts[-1])
    return grid.cell_name(min(c1, c2), min(r1, r2)), grid.cell_name(max(c1, c2), max(r1, r2))


def format_area(first: str, last: str) -> str:
    return first if first == last else f"{first}:{last}"


def compact_cells(cells: Iterable[str]) -> str:
    """['C2', 'C3', 'D2', 'D3'] -> 'C2:D3' when they fill a rectangle, else the names joined by spaces."""
    names = list(dict.fromkeys(str(c).strip().upper() for c in cells or []))
    if not names:
        return "-"
    try:
        parsed = {grid.parse_cell(n) for n in names}
    except ValueError:
        return " ".join(names)
    cols, rows = {c for c, _ in parsed}, {r for _, r in parsed}
    full = {(c, r) for c in range(min(cols), max(cols) + 1) for r in range(min(rows), max(rows) + 1)}
    if parsed == full:
        return format_area(grid.cell_name(min(cols), min(rows)), grid.cell_name(max(cols), max(rows)))
    return " ".join(grid.cell_name(c, r) for c, r in sorted(parsed, key=lambda p: (p[1], p[0])))


# ---------------------------------------------------------------- prompt ---

def _seconds(value: Any) -> str:
    try:
        return f"{float(value):.2f} s"
    except (TypeError, ValueError):
        return "?"


def _object_rows(objects: list[dict]) -> list[str]:
    rows = [("name", "line", "cells", "kind")]
    for obj in objects:
        line = obj.get("line")
        rows.append((str(obj.get("name", "?")), "-" if line is None else str(line),
                     compact_cells(obj.get("cells") or []), str(obj.get("kind") or "-")))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return ["  " + "  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows]


def format_objects(objects: list[dict], times: list[float] | None = None) -> str:
    """A compact table of objects; grouped per keyframe when items carry a ``time``."""
    if not objects:
        return "(none)"
    if not any("time" in obj for obj in objects):
        return "\n".join(_object_rows(objects))
    groups: dict[Any, list[dict]] = {}
    for obj in objects:
        groups.setdefault(obj.get("time"), []).append(obj)
    out = []
    for t, items in groups.items():
        head = f"At {_seconds(t)}"
        if times and t is not None:
            try:
                nearest = min(range(len(times)), key=lambda i: abs(float(times[i]) - float(t)))
                head += f" (image {nearest + 1})"
            except (TypeError, ValueError):
                pass
        out.append(head + ":")
        out.extend(_object_rows(items))
    return "\n".join(out)


def format_problems(problems: list[dict]) -> str:
    """One line per measured problem: kind, time, objects with their lines, cells, message."""
    if not problems:
        return "(none measured)"
    out = []
    for p in problems:
        names = [str(n) for n in p.get("objects") or []]
        lines = list(p.get("lines") or [])
        who = ", ".join(f"{n} (line {lines[i]})" if i < len(lines) and lines[i] is not None else n
                        for i, n in enumerate(names)) or "-"
        text = f"- {p.get('kind', 'problem')}"
        if p.get("time") is not None:
            text += f" at {_seconds(p['time'])}"
        text += f": {who}"
        if p.get("cells"):
            text += f" in {compact_cells(p['cells'])}"
        if p.get("message"):
            text += f" - {p['message']}"
        out.append(text)
    return "\n".join(out)


def number_lines(code: str) -> str:
    lines = code.rstrip("\n").split("\n")
    width = len(str(len(lines)))
    return "\n".join(f"{i:>{width}}  {line}" for i, line in enumerate(lines, start=1))


# ---------------------------------------------------------------- answer ---

def check_moves(problems: list[dict], objects: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """Split the model's items into (moves, dropped, kept).

    A move names an object from ``objects``; ``move`` gets ``move_to`` normalised
    ("d4:b2" -> "B2:D4") plus ``area`` = [first, last] for ``place_in``; ``scale`` gets
    a factor in (0, 3]. ``line`` is corrected to the object's line when the name has
    only one, else set to None when the model's line is not one of the name's lines.
    Only the first fix per object is kept. ``keep`` items (false alarms) go to ``kept``.
    """
    lines_of: dict[str, list] = {}
    for obj in objects:
        name = str(obj.get("name", ""))
        known = lines_of.setdefault(name, [])
        if obj.get("line") not in known:
            known.append(obj.get("line"))
    moves: list[dict] = []
    dropped: list[dict] = []
    kept: list[dict] = []
    seen: set[tuple] = set()

    def drop(item: Any, reason: str) -> None:
        entry = {"reason": reason}
        if isinstance(item, dict):
            entry.update({k: item.get(k) for k in ("object", "line", "action", "move_to", "scale") if k in item})
        else:
            entry["item"] = item
        dropped.append(entry)

    for item in problems or []:
        if not isinstance(item, dict):
            drop(item, "not an object")
            continue
        name = str(item.get("object", "")).strip()
        action = item.get("action")
        if name not in lines_of:
            drop(item, f"unknown object {name!r}; known: {', '.join(sorted(lines_of)) or 'none'}")
            continue
        if action not in ACTIONS:
            drop(item, f"unknown action {action!r}")
            continue
        known = lines_of[name]
        line = item.get("line")
        if line not in known:
            line = known[0] if len(known) == 1 else None
        result = {"object": name, "line": line, "issue": str(item.get("issue", "")).strip(), "action": action}
        if action == "keep":
            kept.append(result)
            continue
        if action == "move":
            try:
                first, last = parse_area(item.get("move_to", ""))
            except ValueError as exc:
                drop(item, str(exc))
                continue
            result["move_to"] = format_area(first, last)
            result["area"] = [first, last]
        elif action == "scale":
            factor = item.get("scale")
            if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 < factor <= 3:
                drop(item, f"scale must be a number in (0, 3], got {factor!r}")
                continue
            result["scale"] = float(factor)
        key = (name, line)
        if key in seen:
            drop(item, f"a second fix for {name!r}; only the first is used")
            continue
        seen.add(key)
        moves.append(result)
    return moves, dropped, kept


def propose_moves(client, keyframes: list[bytes], objects: list[dict], problems: list[dict], code: str, *,
                  section_title: str = "", prompts_dir=None, step: str = "",
                  times: list[float] | None = None) -> tuple[list[dict], dict]:
    """Ask the ``critic`` role about the keyframes; return (valid moves, usage).

    ``keyframes`` are PNG bytes (grid drawn already, see :func:`draw_grid`), in time
    order; ``times`` (optional, same order) lets the object table name the image
    for each ``time``. usage = {prompt_tokens, completion_tokens, cached, model,
    cache_key, dropped: [{object, action, ..., reason}], kept: [false alarms]}.
    """
    from ..llm import load_prompt

    if not keyframes:
        raise LessonError("propose_moves needs at least one keyframe image")
    prompt = load_prompt("critic", prompts_dir)
    messages = prompt.render(section_title=section_title or "(untitled)",
                             objects=format_objects(objects, times),
                             problems=format_problems(problems),
                             code=number_lines(code))
    response = client.complete("critic", messages, template_hash=prompt.sha256, schema="llm_critic",
                               images=list(keyframes), step=step)
    data = response.data if isinstance(response.data, dict) else {}
    moves, dropped, kept = check_moves(data.get("problems") or [], objects)
    usage = {"prompt_tokens": response.prompt_tokens, "completion_tokens": response.completion_tokens,
             "cached": response.cached, "model": response.model, "cache_key": response.cache_key,
             "dropped": dropped, "kept": kept}
    return moves, usage
