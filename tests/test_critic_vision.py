"""The Critic's vision side: keyframes from a video, the grid overlay, and moves proposed by a model.

Videos come from ffmpeg's lavfi test source; the model is tests/fake_openai.py's ScriptedServer.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from fake_openai import ScriptedServer, prompt_text
from lessonreel import grid
from lessonreel.critic.vision import (
    KeyframeError,
    check_moves,
    compact_cells,
    draw_grid,
    extract_keyframes,
    format_objects,
    parse_area,
    probe_video,
    propose_moves,
    to_pixels,
)
from lessonreel.errors import InputError
from lessonreel.llm import client_from_config, load_prompt
from lessonreel.schemas import validate

BACKGROUND = (17, 24, 39)  # theme.BACKGROUND, #111827


def _png(size=(854, 480), color=BACKGROUND) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


# -- keyframes -----------------------------------------------------------------


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("video") / "test.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc=size=320x180:rate=10:duration=2", "-pix_fmt", "yuv420p", str(path)],
                   check=True, timeout=60)
    return path


def test_keyframes_one_png_per_time_with_clamping(video, tmp_path):
    duration, fps = probe_video(video)
    assert duration == pytest.approx(2.0, abs=0.05) and fps == pytest.approx(10)

    paths = extract_keyframes(video, [0.5, 1.0, 7.5, -3], tmp_path / "frames")
    assert [p.name for p in paths] == ["keyframe_01_at_0.50s.png", "keyframe_02_at_1.00s.png",
                                       "keyframe_03_at_1.90s.png", "keyframe_04_at_0.00s.png"]
    frames = [Image.open(p).convert("RGB") for p in paths]
    assert all(f.size == (320, 180) for f in frames)
    assert frames[0].tobytes() != frames[1].tobytes()  # testsrc changes every frame

    # Accurate seeking: the frame at 1.0 s is exactly frame 10, and the clamped one is the last frame (19).
    for n, frame in ((10, frames[1]), (19, frames[2]), (0, frames[3])):
        ref = tmp_path / f"ref{n}.png"
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(video), "-vf",
                        f"select=eq(n\\,{n})", "-frames:v", "1", "-fps_mode", "passthrough", str(ref)],
                       check=True, timeout=60)
        assert Image.open(ref).convert("RGB").tobytes() == frame.tobytes(), f"frame {n}"

    assert extract_keyframes(video, [], tmp_path / "none") == []


def test_keyframe_errors_name_the_video(tmp_path):
    missing = tmp_path / "missing.mp4"
    with pytest.raises(KeyframeError, match="missing.mp4"):
        extract_keyframes(missing, [1.0], tmp_path)
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"this is not a video")
    with pytest.raises(KeyframeError, match="broken.mp4"):
        extract_keyframes(broken, [1.0], tmp_path)


# -- grid overlay --------------------------------------------------------------


def _line_points(width: int, height: int) -> list[tuple[int, int]]:
    """Points on grid lines, half-way between crossings (away from the cell labels)."""
    xs = [to_pixels(grid.GRID.left + i * grid.CELL_WIDTH, 0, width, height)[0] for i in range(7)]
    ys = [to_pixels(0, grid.GRID.top - j * grid.CELL_HEIGHT, width, height)[1] for j in range(7)]
    points = [(round(xs[i]), round((ys[2] + ys[3]) / 2)) for i in range(7)]       # vertical lines
    points += [(round((xs[3] + xs[4]) / 2), round(ys[j])) for j in range(7)]      # horizontal lines
    return points


def test_grid_drawn_on_dark_frame(tmp_path):
    out = tmp_path / "overlay.png"
    data = draw_grid(_png(), out)
    assert out.read_bytes() == data and data.startswith(b"\x89PNG")
    image = _image(data)
    assert image.size == (854, 480)
    for point in _line_points(854, 480):
        pixel = image.getpixel(point)
        assert sum(abs(a - b) for a, b in zip(pixel, BACKGROUND)) > 60, (point, pixel)

    # Inside cells, far from lines and labels: untouched.
    for cell in ("D4", "A1", "F6"):
        cx, cy = to_pixels(*grid.cell_box(cell).center, 854, 480)
        assert image.getpixel((round(cx), round(cy))) == BACKGROUND
        assert image.getpixel((round(cx) + 10, round(cy) + 10)) == BACKGROUND

    # A cell's name sits in its top-left corner: something bright on a dark backing there.
    box = grid.cell_box("C3")
    left, top = to_pixels(box.left, box.top, 854, 480)
    corner = image.crop((round(left) + 2, round(top) + 2, round(left) + 22, round(top) + 16))
    assert max(sum(p) for p in corner.getdata()) > 500

    # The reserved areas are outlined: the lecture column's right edge and the title bar's bottom edge.
    x = round(to_pixels(grid.LECTURE_COLUMN.right, 0, 854, 480)[0])
    assert image.getpixel((x, 240)) != BACKGROUND
    y = round(to_pixels(0, grid.TITLE_BAR.bottom, 854, 480)[1])
    assert image.getpixel((427, y)) != BACKGROUND


def test_grid_visible_on_bright_content_and_any_size(tmp_path):
    white = (255, 255, 255)
    image = _image(draw_grid(_png((1920, 1080), white)))
    assert image.size == (1920, 1080)
    # Light lines with a dark edge: within a few pixels across each line, something clearly darker.
    for x, y in _line_points(1920, 1080):
        near = [image.getpixel((x + d, y)) for d in range(-3, 4)] + [image.getpixel((x, y + d)) for d in range(-3, 4)]
        assert max(sum(abs(a - b) for a, b in zip(pixel, white)) for pixel in near) > 150, (x, y)
    cx, cy = to_pixels(*grid.cell_box("B2").center, 1920, 1080)
    assert image.getpixel((round(cx), round(cy))) == white

    path = tmp_path / "frame.png"
    path.write_bytes(_png((1280, 720)))
    small = _image(draw_grid(path, max_width=640))
    assert small.size == (640, 360)


# -- schema and prompt -----------------------------------------------------------


def test_critic_schema():
    validate({"problems": []}, "llm_critic", "answer")
    validate({"problems": [{"object": "a", "line": None, "issue": "i", "action": "move", "move_to": "B2:D4"},
                           {"object": "b", "line": 3, "issue": "i", "action": "scale", "scale": 0.5},
                           {"object": "c", "issue": "i", "action": "fade_out"}]}, "llm_critic", "answer")
    for bad, field in [({}, "problems"),
                       ({"problems": [{"object": "a", "issue": "i", "action": "move"}]}, "move_to"),
                       ({"problems": [{"object": "a", "issue": "i", "action": "scale"}]}, "scale"),
                       ({"problems": [{"object": "a", "issue": "i", "action": "scale", "scale": 4}]}, "scale"),
                       ({"problems": [{"object": "a", "issue": "i", "action": "move", "move_to": "G7"}]}, "move_to"),
                       ({"problems": [{"object": "a", "issue": "i", "action": "jump"}]}, "action"),
                       ({"problems": [{"issue": "i", "action": "keep"}]}, "object")]:
        with pytest.raises(InputError, match=field):
            validate(bad, "llm_critic", "answer")


def test_prompt_variables_and_formatting():
    assert load_prompt("critic").variables == {"section_title", "objects", "problems", "code"}
    assert compact_cells(["D3", "C2", "C3", "D2"]) == "C2:D3"
    assert compact_cells(["C2", "D3"]) == "C2 D3"
    assert compact_cells(["E5"]) == "E5"
    assert parse_area("d4:b2") == ("B2", "D4") and parse_area("C4") == ("C4", "C4")
    with pytest.raises(ValueError):
        parse_area("B2:G9")
    table = format_objects([{"name": "axes", "line": 28, "cells": ["C2", "C3"], "kind": "axes", "time": 3.2},
                            {"name": "label", "line": 31, "cells": ["C2"], "kind": "text", "time": 3.2},
                            {"name": "label", "line": 31, "cells": ["E5"], "kind": "text", "time": 6.0}],
                           times=[3.2, 6.0])
    assert "At 3.20 s (image 1):" in table and "At 6.00 s (image 2):" in table
    assert "axes   28    C2:C3  axes" in table


def test_check_moves():
    objects = [{"name": "label", "line": 31, "cells": ["C2"], "kind": "text"},
               {"name": "dot", "line": 40, "cells": ["B3"], "kind": "shape"},
               {"name": "dot", "line": 52, "cells": ["D3"], "kind": "shape"}]
    moves, dropped, kept = check_moves([
        {"object": "label", "line": 99, "issue": "over the axes", "action": "move", "move_to": "f6:e5"},
        {"object": "dot", "line": 52, "issue": "tiny", "action": "scale", "scale": 1.5},
        {"object": "dot", "line": 7, "issue": "left over", "action": "fade_out"},
        {"object": "label", "line": 31, "issue": "again", "action": "fade_out"},
        {"object": "label", "issue": "bad cell", "action": "move", "move_to": "Z9"},
        {"object": "dot", "line": 40, "issue": "huge", "action": "scale", "scale": 0},
        {"object": "ghost", "issue": "?", "action": "move", "move_to": "A1"},
        {"object": "dot", "line": 40, "issue": "measured overlap is a false alarm", "action": "keep"},
    ], objects)
    assert moves == [
        {"object": "label", "line": 31, "issue": "over the axes", "action": "move", "move_to": "E5:F6",
         "area": ["E5", "F6"]},
        {"object": "dot", "line": 52, "issue": "tiny", "action": "scale", "scale": 1.5},
        {"object": "dot", "line": None, "issue": "left over", "action": "fade_out"},
    ]
    reasons = [d["reason"] for d in dropped]
    assert len(reasons) == 4
    assert "second fix" in reasons[0] and "not a grid cell" in reasons[1] and "scale" in reasons[2]
    assert "unknown object 'ghost'" in reasons[3]
    assert kept == [{"object": "dot", "line": 40, "issue": "measured overlap is a false alarm", "action": "keep"}]


# -- propose_moves against a scripted model --------------------------------------

OBJECTS = [
    {"name": "axes", "line": 3, "cells": ["B2", "C2", "B3", "C3", "B4", "C4", "D2", "D3", "D4"], "kind": "axes",
     "time": 3.2},
    {"name": "label", "line": 5, "cells": ["C2", "C3"], "kind": "text", "time": 3.2},
    {"name": "old_graph", "line": 2, "cells": ["E5"], "kind": "graph", "time": 3.2},
]
PROBLEMS = [{"kind": "overlap", "objects": ["label", "axes"], "time": 3.2, "cells": ["C2", "C3"], "lines": [5, 3],
             "message": "label covers axes by 40%"}]
CODE = ("old_graph = Line(LEFT, RIGHT)\n"
        "axes = Axes(x_range=[0, 4], y_range=[0, 4])\n"
        "self.place_in(axes, 'B2', 'D4')\n"
        "label = Text('speed', font_size=24)\n"
        "self.place_in(label, 'C2', 'C3')\n")
ANSWER = {"problems": [
    {"object": "label", "line": 5, "issue": "the label covers the axes", "action": "move", "move_to": "E2:F3"},
    {"object": "legend", "line": 9, "issue": "not in the list", "action": "move", "move_to": "A1"},
    {"object": "old_graph", "line": 2, "issue": "left over from step 1", "action": "fade_out"},
    {"object": "axes", "line": 3, "issue": "small tick labels", "action": "scale", "scale": 1.2},
]}


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture
def client(server, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    config = {"base_url": server.base_url, "max_retries": 0,
              "roles": {"critic": {"model": "vision-model", "temperature": 0.0, "max_tokens": 800}}}
    return client_from_config(config, cache_dir=tmp_path / "cache", ledger=tmp_path / "ledger.jsonl",
                              sleep=lambda s: None)


def test_propose_moves(server, client, tmp_path):
    keyframes = [draw_grid(_png((427, 240))), draw_grid(_png((427, 240), (200, 200, 200)))]
    server.push("Sure! The label overlaps.",                                                    # not JSON
                json.dumps({"problems": [{"object": "label", "issue": "x", "action": "move"}]}),  # no move_to
                json.dumps(ANSWER))
    moves, usage = propose_moves(client, keyframes, OBJECTS, PROBLEMS, CODE, section_title="Speed",
                                 step="demo/01 critic", times=[3.2, 6.0])

    assert moves == [
        {"object": "label", "line": 5, "issue": "the label covers the axes", "action": "move", "move_to": "E2:F3",
         "area": ["E2", "F3"]},
        {"object": "old_graph", "line": 2, "issue": "left over from step 1", "action": "fade_out"},
        {"object": "axes", "line": 3, "issue": "small tick labels", "action": "scale", "scale": 1.2},
    ]
    (dropped,) = usage["dropped"]
    assert dropped["object"] == "legend" and "unknown object" in dropped["reason"]
    assert usage["cached"] is False and usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert usage["kept"] == []

    # Two re-asks by the client: invalid JSON, then a move without move_to.
    assert server.count == 3
    first, _, third = server.bodies
    assert first["model"] == "vision-model" and first["response_format"] == {"type": "json_object"}
    system, user = first["messages"]
    assert "6x6 grid" in system["content"] and "JSON only" in system["content"]
    text, *images = user["content"]
    assert text["type"] == "text"
    assert len(images) == 2
    for part, png in zip(images, keyframes):
        url = part["image_url"]["url"]
        assert part["type"] == "image_url" and url.startswith("data:image/png;base64,")
        assert base64.b64decode(url.split(",", 1)[1]) == png
    prompt = prompt_text(first)
    assert "Section: Speed" in prompt
    assert "At 3.20 s (image 1):" in prompt and "label      5     C2:C3  text" in prompt
    assert "- overlap at 3.20 s: label (line 5), axes (line 3) in C2:C3 - label covers axes by 40%" in prompt
    assert "4  label = Text('speed', font_size=24)" in prompt
    assert third["messages"][-1]["role"] == "user" and "move_to" in third["messages"][-1]["content"]

    # Same inputs again: from the cache, no request.
    again, usage2 = propose_moves(client, keyframes, OBJECTS, PROBLEMS, CODE, section_title="Speed",
                                  step="demo/01 critic", times=[3.2, 6.0])
    assert again == moves and usage2["cached"] is True and server.count == 3
    # Another keyframe is another question.
    server.push(json.dumps({"problems": []}))
    other, usage3 = propose_moves(client, keyframes[:1], OBJECTS, PROBLEMS, CODE, section_title="Speed")
    assert other == [] and usage3["cached"] is False and server.count == 4

    ledger = [json.loads(line) for line in (tmp_path / "ledger.jsonl").read_text().splitlines()]
    assert [line["role"] for line in ledger] == ["critic"] * 3
    assert [line["outcome"] for line in ledger][1] == "cached"
    assert ledger[0]["step"] == "demo/01 critic" and ledger[0]["json_retries"] == 2
