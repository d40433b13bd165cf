"""Stepped ``plot`` and ``number_line``: a point that travels along its curve, an area that fills, a swept
parameter, a marker that hops along a line; checked from the layout trace and from frames mid-animation."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT
from lessonreel import codegen, expr, kinds, planner
from lessonreel.errors import InputError
from lessonreel.schemas import validate
from lessonreel.topic import check_topic
from stepped import build, center, render

BALL = "x*tan(0.9) - 9.8*x^2/(2*15^2*cos(0.9)^2)"  # a ball thrown at 15 m/s, 0.9 rad up: lands at x = 22.4
APEX = 11.18

PROJECTILE = {
    "title": "Projectile motion",
    "sections": [{
        "title": "The path of a ball",
        "lines": ["A ball leaves the ground at 15 m/s", "Its velocity points along the path",
                  "At the top it moves sideways only", "It comes down as fast as it went up"],
        "narration": ["A ball leaves the ground at fifteen metres per second.",
                      "As it flies, its velocity points along the path.",
                      "At the very top it moves sideways only.",
                      "Then it comes down, as fast as it went up."],
        "visuals": [{
            "kind": "plot", "line": 1, "function": BALL, "x_range": [0, 24, 4], "y_range": [0, 8],
            "x_label": "x (m)", "y_label": "y (m)",
            "point": {"x": 0, "tangent": "arrow", "tangent_label": "v"},
            "steps": [{"point": 6, "cue": "as it flies"}, {"point": APEX}, {"point": 20}],
        }],
    }],
}

SLOPES = {
    "title": "Slopes and areas",
    "sections": [{
        "title": "A parabola that grows",
        "lines": ["The parabola y = a x squared", "The area from 0 to 2", "Its derivative 2ax",
                  "Make a bigger: 2", "Slide the point"],
        "visuals": [{
            "kind": "plot", "line": 1, "function": "a*x^2", "x_range": [-3, 3], "y_range": [-6, 18, 6],
            "label": "f(x) = a x^2",
            "also": [{"function": "2*a*x", "label": "f'(x) = 2ax"}],
            "parameter": {"name": "a", "from": 0.5, "to": 2, "value": 1},
            "point": {"x": -2, "tangent": "line", "label": "P"},
            "area": [0, 1],
            "steps": [{"area": [0, 2]}, {"show": 0}, {"parameter": 2}, {"point": 1.5}],
        }],
    }],
}

LINE = {
    "title": "Integers",
    "sections": [{
        "title": "Adding and subtracting",
        "lines": ["Start at x", "Add 3", "Subtract 5", "Add 3 again: it lands on 1"],
        "visuals": [{
            "kind": "number_line", "line": 1, "range": [-5, 5], "marker": {"value": 0, "label": "x"},
            "steps": [{"marker": 3, "label": "x + 3"}, {"marker": -2, "label": "x - 2"},
                      {"marker": 1, "label": "x + 1", "mark": [{"value": 1, "label": "1"}]}],
        }],
    }],
}

ACCENT = (0xFB, 0xBF, 0x24)


def _error(topic: dict) -> str:
    with pytest.raises(InputError) as info:
        validate(topic, "topic", "topics/t.yaml")
        check_topic(topic, Path("topics/t.yaml"), ROOT)
    return str(info.value)


def _visual(topic: dict) -> dict:
    return topic["sections"][0]["visuals"][0]


# ---------------------------------------------------------------- spec ---

def test_plain_plots_and_number_lines_stay_as_they_were():
    plot = {"kind": "plot", "function": "x^2", "x_range": [0, 1], "label": "x^2", "y_label": "y"}
    line = {"kind": "number_line", "range": [0, 5], "points": [1, {"value": 2, "label": "two"}]}
    assert not kinds.stepped(plot) and not kinds.stepped(line)
    assert kinds.rows(plot) is None and kinds.seconds(line) is None
    topic = {"title": "T", "sections": [{"title": "S", "lines": ["a", "b"], "visuals": [plot, line]}]}
    validate(topic, "topic", "t.yaml")
    check_topic(topic, Path("t.yaml"), ROOT)
    board = planner.make_storyboard(topic, planner.make_outline(topic, "t"), ROOT,
                                    {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14})
    code = codegen.generate_scene(board["sections"][0], topic, "t.yaml", first_section=False)
    assert "V.plot('x^2', x_range=[0, 1], size=" in code and "V.number_line([0, 5], " in code
    assert "plot_steps" not in code and "number_line_steps" not in code


def test_expressions_may_use_the_plots_parameter_only():
    f = expr.compile_function("a*x^2 + 1", ["a"])
    assert f(2.0, a=3.0) == 13.0
    with pytest.raises(expr.ExpressionError, match="unknown name 'a'"):
        expr.parse("a*x")
    with pytest.raises(expr.ExpressionError, match="unknown name 'b'; use x, a, pi"):
        expr.parse("b*x", ["a"])
    for name in ("x", "pi", "sin", "np", "__a", "1a"):
        with pytest.raises(expr.ExpressionError, match="cannot name a parameter"):
            expr.parse("x", [name])
    with pytest.raises(expr.ExpressionError):
        expr.parse("a.__class__", ["a"])


@pytest.mark.parametrize("topic, change, field, expected", [
    (PROJECTILE, lambda v: v["steps"][1].update(point=30), "steps[1].point",
     "an x inside x_range from 0 to 24, got 30"),
    (PROJECTILE, lambda v: v["point"].update(x=-1), "point.x", "an x inside x_range from 0 to 24"),
    (PROJECTILE, lambda v: v.update(area=[2, 30]), "area[1]", "a bound inside x_range from 0 to 24"),
    (PROJECTILE, lambda v: v["steps"].append({"area": [5, 2], "line": 4}), "steps[3].area",
     "[from, to] with from < to"),
    (PROJECTILE, lambda v: v["steps"][0].update(show=0), "steps[0].show", "an index of `also`, which is empty"),
    (PROJECTILE, lambda v: v["steps"][0].update(parameter=1), "steps[0].parameter", "a `parameter` on the visual"),
    (PROJECTILE, lambda v: v["point"].update(tangent="ray"), "point.tangent", "one of"),
    (PROJECTILE, lambda v: v["steps"][0].update(speed=2), "steps[0].speed", "one of the known fields"),
    (PROJECTILE, lambda v: v.pop("point"), "steps[0].point", "a `point` on the visual to move"),
    (PROJECTILE, lambda v: v["steps"][2].update(point=0) or v.update(function="log(x)"), "point.x",
     "an x where the function is defined"),
    (SLOPES, lambda v: v["steps"][1].update(show=1), "steps[1].show", "an index of `also` from 0 to 0, got 1"),
    (SLOPES, lambda v: v["steps"][2].update(parameter=3), "steps[2].parameter", "a value of a from 0.5 to 2, got 3"),
    (SLOPES, lambda v: v["parameter"].update(value=0), "parameter.value", "a value of the parameter from 0.5 to 2"),
    (SLOPES, lambda v: v["also"][0].update(function="2*b*x"), "also[0].function",
     "a function of x and a (unknown name 'b'"),
    (SLOPES, lambda v: v["parameter"].update(name="pi"), "parameter.name", "a parameter name"),
    (SLOPES, lambda v: v["point"].update(label="\\input{x}"), "point.label", "safe TeX math"),
    (LINE, lambda v: v["steps"][1].update(marker=7), "steps[1].marker", "a value on the line from -5 to 5, got 7"),
    (LINE, lambda v: v["steps"][2]["mark"][0].update(value=-9), "steps[2].mark[0].value", "a value on the line"),
    (LINE, lambda v: v.pop("marker"), "steps[0].marker", "a `marker` on the visual to move"),
])
def test_bad_input_names_the_field_and_what_was_expected(topic, change, field, expected):
    topic = copy.deepcopy(topic)
    change(_visual(topic))
    message = _error(topic)
    assert f"topics/t.yaml: sections[0].visuals[0].{field}: expected " in message, message
    assert expected in message, message


def test_topic_check_accepts_a_function_of_the_parameter():
    validate(SLOPES, "topic", "t.yaml")
    check_topic(copy.deepcopy(SLOPES), Path("t.yaml"), ROOT)


def test_stepped_code_and_the_cue_timing():
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14}
    board = planner.make_storyboard(PROJECTILE, planner.make_outline(PROJECTILE, "p"), ROOT, pacing)
    validate(board, "storyboard", "storyboard.json")
    step = board["sections"][0]["steps"][1]
    assert step["changes"] == [{"visual": 0, "step": 0, "beat": 0, "cue": "as it flies"}]
    code = codegen.generate_scene(board["sections"][0], PROJECTILE, "t.yaml", first_section=False,
                                  voices={"steps": {"2": {"id": "02", "seconds": 3.0}}, "pause": 0.4})
    compile(code, "scene.py", "exec")
    at = round(3.0 * step["narration"].lower().index("as it flies") / len(step["narration"]), 2)
    assert f"self.play_changes(plot.step(0), at={at:g}," in code
    assert "plot = V.plot_steps(" in code and "point={'x': 0, 'tangent': 'arrow', 'tangent_label': 'v'}" in code
    assert "# plot: point -> x = 6" in code
    slopes = planner.make_storyboard(SLOPES, planner.make_outline(SLOPES, "s"), ROOT, pacing)
    code = codegen.generate_scene(slopes["sections"][0], SLOPES, "t.yaml", first_section=False)
    assert "# plot: show f'(x) = 2ax" in code and "# plot: a -> 2" in code and "# plot: area 0..2" in code
    line = planner.make_storyboard(LINE, planner.make_outline(LINE, "l"), ROOT, pacing)
    code = codegen.generate_scene(line["sections"][0], LINE, "t.yaml", first_section=False)
    assert "number_line = V.number_line_steps(" in code
    assert "# number_line: marker -> 1; label x + 1; mark 1 (1)" in code


# ------------------------------------------------------------- renders ---

def _frame(rendered, visual: str, k: int) -> np.ndarray:
    """The video frame in the middle of step k's (last) play."""
    lines = rendered.built.scene.read_text(encoding="utf-8").splitlines()
    number = next(n + 1 for n, text in enumerate(lines) if f"{visual}.step({k})" in text)
    end = [s for s in rendered.snapshots if s["line"] == number and s["after"] == "play"][-1]
    return _grab(rendered.video, (rendered.play_start(end) + end["t"]) / 2)


def _grab(video: Path, t: float) -> np.ndarray:
    from PIL import Image

    png = video.with_name(f"frame_{t:.2f}.png")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-ss", f"{t:.3f}", "-i", str(video), "-frames:v", "1",
                    str(png)], check=True)
    return np.asarray(Image.open(png).convert("RGB")).astype(int)


def _to_pixels(box, image):
    """A scene box (left, bottom, right, top) as pixel slices of a frame (8 units high, 16:9)."""
    h, w = image.shape[:2]
    scale = h / 8.0
    return (slice(int((4 - box[3]) * scale), int((4 - box[1]) * scale) + 1),
            slice(int((box[0] + w / scale / 2) * scale), int((box[2] + w / scale / 2) * scale) + 1))


def _dot_centre(image, box, color=ACCENT, radius=2):
    """Scene centre of the filled disk of ``color`` inside box: text strokes are too thin to survive an erosion."""
    rows, cols = _to_pixels(box, image)
    mask = (np.abs(image - np.array(color)).sum(axis=2) < 90)
    core = mask.copy()
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            core &= np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    region = np.zeros_like(core)
    region[rows, cols] = True
    ys, xs = np.nonzero(core & region)
    assert len(xs), "no dot of that colour in the box"
    h, w = image.shape[:2]
    scale = h / 8.0
    return xs.mean() / scale - w / scale / 2, 4 - ys.mean() / scale


def _mapper(parts: dict, xr, yr):
    """Coordinates -> scene position, from the trace's box of the axes' coordinate rectangle."""
    left, bottom, right, top = parts["plane"][:4]
    return lambda x, y: (left + (x - xr[0]) / (xr[1] - xr[0]) * (right - left),
                         bottom + (y - yr[0]) / (yr[1] - yr[0]) * (top - bottom))


@pytest.mark.render
def test_a_ball_moves_along_its_path_with_its_velocity_arrow(tmp_path):
    rendered = render(tmp_path, build(tmp_path, PROJECTILE))
    assert rendered.score == 100, rendered.report["problems"]
    ball = expr.compile_function(BALL)
    first = rendered.after_entrance("plot")
    to_scene = _mapper(first, (0, 24), (0, 8))
    assert center(first["point"]) == pytest.approx(to_scene(0, 0), abs=0.02)
    for k, x in enumerate([6, APEX, 20]):
        parts = rendered.after_step("plot", k)
        assert center(parts["point"]) == pytest.approx(to_scene(x, float(ball(x))), abs=0.02)
        assert {"tangent", "tangent_label"} <= set(parts)
    top = rendered.after_step("plot", 1)  # at the top the velocity is horizontal, ahead
    assert center(top["tangent"])[1] == pytest.approx(center(top["point"])[1], abs=0.02)
    assert top["tangent"][0] == pytest.approx(center(top["point"])[0], abs=0.02)
    down = rendered.after_step("plot", 2)["tangent"]  # coming down it points down and ahead
    assert center(down)[0] > center(rendered.after_step("plot", 2)["point"])[0]
    assert center(down)[1] < center(rendered.after_step("plot", 2)["point"])[1]
    # Halfway through the first move the ball is on the curve, between where it was and where it goes.
    x, y = _dot_centre(_frame(rendered, "plot", 0), first["plane"][:4])
    left, bottom, right, top = first["plane"][:4]
    cx = (x - left) / (right - left) * 24
    assert 0.5 < cx < 5.5
    assert (y - bottom) / (top - bottom) * 8 == pytest.approx(float(ball(cx)), abs=0.25)


@pytest.mark.render
def test_area_fills_a_second_graph_appears_and_the_parameter_sweeps(tmp_path):
    rendered = render(tmp_path, build(tmp_path, SLOPES))
    assert rendered.score == 100, rendered.report["problems"]
    parts = [rendered.after_step("plot", k) for k in range(4)]
    plane = parts[0]["plane"][:4]
    to_scene = _mapper(parts[0], (-3, 3), (-6, 18))
    assert center(rendered.after_entrance("plot")["point"]) == pytest.approx(to_scene(-2, 4.0), abs=0.02)
    area = parts[0]["area"]
    assert (area[0], area[2]) == pytest.approx((to_scene(0, 0)[0], to_scene(2, 0)[0]), abs=0.02)
    assert area[3] == pytest.approx(to_scene(2, 4.0)[1], abs=0.02)
    assert "also:0" not in parts[0] and {"also:0", "also_label:0"} <= set(parts[1])
    # a = 2: the graph, the area and the point follow; the knob is at the slider's right end
    assert center(parts[2]["point"]) == pytest.approx(to_scene(-2, 8.0), abs=0.02)
    assert parts[2]["area"][3] == pytest.approx(to_scene(2, 8.0)[1], abs=0.02)
    assert center(parts[2]["parameter:knob"])[0] == pytest.approx(parts[2]["parameter:track"][2], abs=0.02)
    assert center(parts[1]["parameter:knob"])[0] < center(parts[2]["parameter:knob"])[0] - 0.3
    assert center(parts[3]["point"]) == pytest.approx(to_scene(1.5, 4.5), abs=0.02)
    # the value text changed from 1.00 to 2.00: its pixels differ
    box = parts[2]["parameter"][:4]
    rows, cols = _to_pixels(box, _grab(rendered.video, 0.1))
    before = _grab(rendered.video, _step_end(rendered, 1) + 0.2)[rows, cols]
    after = _grab(rendered.video, _step_end(rendered, 2) + 0.2)[rows, cols]
    assert np.abs(before - after).sum() > 1000
    # mid-sweep the point is on a curve between y = x^2 and y = 2x^2
    x, y = _dot_centre(_frame(rendered, "plot", 2), plane)
    assert x == pytest.approx(to_scene(-2, 0)[0], abs=0.05)
    assert to_scene(-2, 4.6)[1] < y < to_scene(-2, 7.4)[1]


def _step_end(rendered, k: int) -> float:
    lines = rendered.built.scene.read_text(encoding="utf-8").splitlines()
    number = next(n + 1 for n, text in enumerate(lines) if f"plot.step({k})" in text)
    return [s for s in rendered.snapshots if s["line"] == number and s["after"] == "play"][-1]["t"]


@pytest.mark.render
def test_a_marker_hops_along_the_number_line_and_is_relabelled(tmp_path):
    rendered = render(tmp_path, build(tmp_path, LINE))
    assert rendered.score == 100, rendered.report["problems"]
    entrance = rendered.after_entrance("number_line")
    track = entrance["track"]

    def x_of(value):
        return track[0] + (value + 5) / 10 * (track[2] - track[0])

    assert center(entrance["marker"]) == pytest.approx((x_of(0), track[1]), abs=0.02)
    for k, value in enumerate([3, -2, 1]):
        parts = rendered.after_step("number_line", k)
        assert center(parts["marker"]) == pytest.approx((x_of(value), track[1]), abs=0.02)
        label = parts["marker_label"]
        assert center(label)[0] == pytest.approx(x_of(value), abs=0.05) and label[1] > parts["marker"][3]
    last = rendered.after_step("number_line", 2)
    assert center(last["mark:0"])[0] == pytest.approx(x_of(1), abs=0.02)
    assert last["marker_label"][1] >= last["mark:0"][3]  # its label goes up a lane, over the mark's
    # Mid-hop the marker is in the air between 0 and 3.
    x, y = _dot_centre(_frame(rendered, "number_line", 0), (track[0], track[1] - 0.5, track[2], track[1] + 2.5))
    assert x_of(0.3) < x < x_of(2.7) and y > track[1] + 0.2
