"""The ``vectors`` visual: vectors grow, add head to tail, stretch, and move with a matrix applied to the plane."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from conftest import ROOT
from stepped import build, center, render

from lessonreel import codegen, planner
from lessonreel.errors import InputError
from lessonreel.kinds import vectors as spec_side
from lessonreel.schemas import validate
from lessonreel.topic import check_topic

SHEAR = [[1, 1], [0, 1]]
TURN = [[0, -1], [1, 0]]

MAPS = {
    "title": "Linear maps",
    "sections": [{
        "title": "Moving the plane",
        "lines": ["A vector v", "Then w", "Add them head to tail", "Flip v", "Shear the plane", "Turn it"],
        "narration": ["Here is the vector v, two across and one up.",
                      "And here is w.",
                      "To add them, slide w onto the tip of v; the sum runs from the origin.",
                      "Minus v points the other way.",
                      "Now w comes back, and a shear pushes every line sideways.",
                      "Finally the whole plane turns a quarter turn."],
        "visuals": [{
            "kind": "vectors", "line": 1, "range": [-4, 4],
            "vectors": [{"id": "v", "to": [2, 1]}, {"id": "w", "to": [-1, 2], "label": "w"}],
            "show": ["v"],
            "steps": [
                {"show": ["w"]},
                {"add": ["v", "w"], "id": "s", "label": "v + w", "cue": "slide w"},
                {"hide": ["s", "w"], "scale": {"v": -1}},
                {"show": ["w"], "matrix": SHEAR, "name": "S", "cue": "a shear"},
                {"matrix": TURN, "labels": {"w": "Rw"}, "cue": "turns"},
            ],
        }],
    }],
}


def _error(topic: dict) -> str:
    with pytest.raises(InputError) as info:
        validate(topic, "topic", "topics/t.yaml")
        check_topic(topic, Path("topics/t.yaml"), ROOT)
    return str(info.value)


def _visual(topic: dict) -> dict:
    return topic["sections"][0]["visuals"][0]


@pytest.mark.parametrize("change, field, expected", [
    (lambda v: v["steps"][0].update(show=["u"]), "steps[0].show[0]", "a vector of `vectors`"),
    (lambda v: v["steps"][1].update(add=["v", "u"]), "steps[1].add[1]", "a vector on screen: v, w"),
    (lambda v: v["steps"][1].update(add=["v", "v"]), "steps[1].add", "two different vectors"),
    (lambda v: v["steps"][2].update(scale={"v": 0}), "steps[2].scale.v", "a non-zero number"),
    (lambda v: v["steps"][3].update(matrix=[[1, 2], [2, 4]]), "steps[3].matrix", "an invertible matrix"),
    (lambda v: v["steps"][3].update(matrix=[[1, 2, 3], [0, 1]]), "steps[3].matrix[0]", "a list of at most 2 item(s)"),
    (lambda v: v["steps"][2].update(name="S"), "steps[2].name", "`matrix` in the same step"),
    (lambda v: v["steps"][0].update(label="x"), "steps[0].label", "`add` in the same step"),
    (lambda v: v["vectors"].append({"id": "v", "to": [1, 1]}), "vectors[2].id", "a vector name used once"),
    (lambda v: v["steps"][2].update(scale={"v": 3}), "steps[2]", "vectors that stay on the plane (x in [-4, 4]"),
    (lambda v: v.update(range=[1, 4]), "range", "[min, max] with min < 0 < max"),
    (lambda v: v.update(y_range=[-3.1, 3.1]), "steps[4]", "vectors that stay on the plane (x in [-4, 4], y in"),
    (lambda v: v["steps"][4].update(hide=["s"]), "steps[4].hide[0]", "a vector on screen: v, w"),
    (lambda v: v["steps"][0].update(colour="red"), "steps[0].colour", "one of the known fields"),
])
def test_bad_specs_are_refused_clearly(change, field, expected):
    topic = copy.deepcopy(MAPS)
    change(_visual(topic))
    message = _error(topic)
    assert f"sections[0].visuals[0].{field}: expected {expected}" in message, message


def test_simulation_follows_vectors_through_the_steps():
    states = spec_side.simulate(_visual(MAPS))
    assert states[0]["vectors"]["v"]["tip"] == (2, 1) and not states[0]["vectors"]["w"]["shown"]
    added = states[2]["vectors"]
    assert added["w"]["tail"] == (2, 1) and added["w"]["tip"] == (1, 3)   # head to tail
    assert added["s"]["tip"] == (1, 3) and added["s"]["label"] == "v + w"
    flipped = states[3]["vectors"]["v"]
    assert flipped["tip"] == (-2, -1) and flipped["label"] == "-v"
    sheared = states[4]["vectors"]
    assert sheared["w"]["tail"] == (0, 0) and sheared["w"]["tip"] == (1, 2)  # shown again: from the origin
    assert sheared["v"]["tip"] == (-3, -1)
    turned = states[5]
    assert turned["vectors"]["v"]["tip"] == (1, -3) and turned["vectors"]["w"]["label"] == "Rw"
    assert turned["matrix"] == ((0, -1), (1, 1))  # R S


@pytest.mark.parametrize("label, factor, out", [
    ("v", 2, "2v"), ("2v", 1.5, "3v"), ("v", -1, "-v"), ("-v", -1, "v"), ("v + w", 2, "2(v + w)"),
    ("2(v + w)", 0.5, "v + w"), ("w", 0.5, "0.5w"),
])
def test_scaled_labels_follow_the_factor(label, factor, out):
    assert spec_side.scaled_label(label, factor) == out


def test_cues_time_the_matrix_steps_and_comments_say_what_moves():
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14}
    board = planner.make_storyboard(MAPS, planner.make_outline(MAPS, "maps"), ROOT, pacing)
    validate(board, "storyboard", "storyboard.json")
    steps = board["sections"][0]["steps"]
    assert steps[4]["changes"] == [{"visual": 0, "step": 3, "beat": 0, "cue": "a shear"}]
    narration = steps[4]["narration"]
    at = codegen.beat_times(steps[4], 5.0)[0]
    assert at == round(5.0 * narration.lower().index("a shear") / len(narration), 2) > 1
    code = codegen.generate_scene(board["sections"][0], MAPS, "t.yaml", first_section=False,
                                  voices={"steps": {"5": {"id": "05", "seconds": 5.0}}, "pause": 0.4})
    compile(code, "scene.py", "exec")
    assert f"self.play_changes(vectors.step(3), at={at:g}" in code
    assert "# vectors: show w; apply [[1, 1], [0, 1]] to the plane" in code
    assert "V.vectors(" in code and "range=[-4, 4]" in code


def _plane(parts):
    """Screen position of plane point (x, y), from the plane's box (x range [-4, 4], y centred on 0)."""
    left, bottom, right, top = parts["plane"][:4]
    unit = (right - left) / 8

    def at(x, y):
        return (left + (x + 4) * unit, (bottom + top) / 2 + y * unit)
    return at, unit


def _spans(parts, name, tail, tip, tol=0.08):
    """The arrow's box runs from tail to tip (its tip adds a little on one side)."""
    at, _ = _plane(parts)
    (ax, ay), (bx, by) = at(*tail), at(*tip)
    box = parts[f"vector:{name}"]
    assert center(box)[0] == pytest.approx((ax + bx) / 2, abs=tol), name
    assert center(box)[1] == pytest.approx((ay + by) / 2, abs=tol), name
    assert box[2] - box[0] == pytest.approx(abs(bx - ax), abs=0.27), name
    assert box[3] - box[1] == pytest.approx(abs(by - ay), abs=0.27), name


def _apart(a, b, pad=0.0):
    return a[2] <= b[0] + pad or b[2] <= a[0] + pad or a[3] <= b[1] + pad or b[3] <= a[1] + pad


@pytest.mark.render
def test_vectors_add_flip_and_move_with_the_plane(tmp_path):
    built = build(tmp_path, MAPS, voices={1: 2.5, 2: 1.5, 3: 4.0, 4: 2.0, 5: 4.0, 6: 3.0})
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]

    start = done.after_entrance("vectors")
    assert {"vector:v", "vector:i", "vector:j", "label:v"} <= set(start) and "vector:w" not in start
    _spans(start, "v", (0, 0), (2, 1))
    _spans(start, "i", (0, 0), (1, 0))
    after = [done.after_step("vectors", k) for k in range(5)]
    _spans(after[0], "w", (0, 0), (-1, 2))
    _spans(after[1], "w", (2, 1), (1, 3))        # slid onto v's tip
    _spans(after[1], "s", (0, 0), (1, 3))        # the sum, from the origin
    assert "vector:s" not in after[2] and "vector:w" not in after[2]
    _spans(after[2], "v", (0, 0), (-2, -1))      # flipped
    _spans(after[3], "w", (0, 0), (1, 2))        # back from the origin, sheared
    _spans(after[3], "v", (0, 0), (-3, -1))
    _spans(after[3], "j", (0, 0), (1, 1))        # the basis moves with the plane
    _spans(after[4], "v", (0, 0), (1, -3))
    _spans(after[4], "i", (0, 0), (0, 1))
    assert "matrix" not in after[2] and "matrix" in after[3]
    for parts in [start, *after]:
        plane = parts["plane"]
        assert parts["grid"][0] >= plane[0] - 0.05 and parts["grid"][2] <= plane[2] + 0.05  # lines clipped
        assert parts["grid"][1] >= plane[1] - 0.05 and parts["grid"][3] <= plane[3] + 0.05
        labels = [v for k, v in parts.items() if k.startswith("label:")]
        for n, a in enumerate(labels):
            assert all(_apart(a, b) for b in labels[n + 1:]), parts
        if "matrix" in parts:  # beside the plane, never over its grid
            assert parts["matrix"][0] >= plane[2]
    # The shear step starts when the voice says "a shear" (w comes back, the matrix is written, the plane moves).
    line = next(t for t in built.scene.read_text().splitlines() if "vectors.step(3)" in t)
    at = float(line.split("at=")[1].split(",")[0].rstrip(")"))
    plays = [s for s in done.snapshots if s["after"] == "play" and "vectors.step(3)" in
             built.scene.read_text().splitlines()[s["line"] - 1]]
    assert done.play_start(plays[0]) == pytest.approx(done.voice_start(5) + at, abs=0.15)
