"""The ``array`` visual: pointers that move, cells that change, in time with the narration."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from conftest import ROOT
from lessonreel import codegen, planner
from lessonreel.errors import InputError
from lessonreel.markdown import parse_markdown
from lessonreel.topic import check_topic
from lessonreel.schemas import validate
from stepped import build, center, render

SEARCH = {
    "title": "Binary search",
    "sections": [{
        "title": "Searching for 42",
        "lines": ["Eight sorted numbers; we look for 42", "Check the middle item",
                  "17 is too small: drop the left half", "Check the middle of what is left", "Found 42 at index 6"],
        "narration": ["Here are eight sorted numbers, and we look for forty-two.",
                      "lo and hi mark the ends. The middle index is three, and the item there is seventeen.",
                      "Seventeen is smaller than forty-two, so everything up to index three is dropped.",
                      "Now the middle is index five, thirty-one, still too small, so lo moves to six.",
                      "At index six we find forty-two."],
        "visuals": [{
            "kind": "array", "line": 1, "values": [3, 8, 12, 17, 23, 31, 42, 56], "pointers": {"lo": 0, "hi": 7},
            "steps": [
                {"pointers": {"mid": 3}, "compare": [3, 7], "note": "items[3] = 17 < 42", "cue": "the middle index"},
                {"grey": [0, 1, 2, 3], "pointers": {"lo": 4}},
                {"pointers": {"mid": 5}, "note": "items[5] = 31 < 42"},
                {"line": 4, "grey": [4, 5], "pointers": {"lo": 6}, "cue": "lo moves"},
                {"pointers": {"mid": 6}, "done": [6], "note": "found at index 6"},
            ],
        }],
    }],
}

SORT = {
    "title": "Bubble sort",
    "sections": [{
        "title": "One pass",
        "lines": ["Compare neighbours", "Swap when out of order", "The largest is now last"],
        "visuals": [{
            "kind": "array", "line": 1, "values": [5, 2, 4], "pointers": {"i": 0},
            "steps": [
                {"line": 1, "compare": [0, 1]},
                {"swap": [0, 1]},
                {"pointers": {"i": 1}, "compare": [1, 2], "line": 2},
                {"swap": [1, 2], "line": 2},
                {"done": [2], "pointers": {"i": None}},
            ],
        }],
    }],
}


def _error(topic: dict) -> str:
    with pytest.raises(InputError) as info:
        validate(topic, "topic", "topics/t.yaml")
        check_topic(topic, Path("topics/t.yaml"), ROOT)
    return str(info.value)


def test_bad_pointer_index_names_the_field_and_the_range():
    topic = copy.deepcopy(SEARCH)
    topic["sections"][0]["visuals"][0]["steps"][2]["pointers"]["mid"] = 12
    message = _error(topic)
    assert message.startswith("topics/t.yaml: sections[0].visuals[0].steps[2].pointers.mid: expected an index of "
                              "the array from 0 to 7, got 12"), message


@pytest.mark.parametrize("change, field, expected", [
    (lambda v: v["steps"][1].update(swap=[2, 2]), "steps[1].swap", "two different cells"),
    (lambda v: v["steps"][0].update(cue="the left half"), "steps[0].cue", "a phrase of line 2's narration"),
    (lambda v: v["steps"].append({"grey": [7]}), "steps[5].line", "a lecture line number from 5 to 5"),
    (lambda v: v["steps"][3].update(line=2), "steps[3].line", "a lecture line from 4 on"),
    (lambda v: v["steps"][0].update(colour=1), "steps[0].colour", "one of the known fields"),
    (lambda v: v.update(pointers={"pointer_name_too_long": 1}), "pointers", "a text matching"),
])
def test_bad_steps_are_refused_clearly(change, field, expected):
    topic = copy.deepcopy(SEARCH)
    change(topic["sections"][0]["visuals"][0])
    message = _error(topic)
    assert f"sections[0].visuals[0].{field}: expected {expected}" in message, message


def test_a_visual_that_would_clear_the_screen_mid_steps_is_refused():
    topic = copy.deepcopy(SEARCH)
    topic["sections"][0]["visuals"].append({"kind": "plot", "function": "x", "x_range": [0, 1], "line": 3})
    message = _error(topic)
    assert "sections[0].visuals[1].line: expected a line after 5: visuals[0] (array) still has steps until line 5" \
        in message, message


def test_markdown_visual_block_gives_the_same_outline_and_storyboard():
    md = """# Binary search

## Searching for 42

- Eight sorted numbers; we look for 42

```visual
kind: array
values: [3, 8, 12, 17, 23, 31, 42, 56]
pointers: {lo: 0, hi: 7}
steps:
  - {pointers: {mid: 3}, compare: [3, 7]}
  - {grey: [0, 1, 2, 3], pointers: {lo: 4}}
```

- Check the middle item
- 17 is too small: drop the left half
"""
    topic = parse_markdown(md, "topics/bs.md")
    validate(topic, "topic", "topics/bs.md")
    check_topic(topic, Path("topics/bs.md"), ROOT)
    yaml_topic = {"title": "Binary search", "sections": [{
        "title": "Searching for 42",
        "lines": ["Eight sorted numbers; we look for 42", "Check the middle item", "17 is too small: drop the left half"],
        "visuals": [{"kind": "array", "line": 1, "values": [3, 8, 12, 17, 23, 31, 42, 56],
                     "pointers": {"lo": 0, "hi": 7},
                     "steps": [{"pointers": {"mid": 3}, "compare": [3, 7]},
                               {"grey": [0, 1, 2, 3], "pointers": {"lo": 4}}]}]}]}
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14}
    boards = [planner.make_storyboard(t, planner.make_outline(t, "bs"), ROOT, pacing) for t in (topic, yaml_topic)]
    assert boards[0]["sections"] == boards[1]["sections"]
    steps = boards[0]["sections"][0]["steps"]
    assert [s.get("changes") for s in steps] == [None, [{"visual": 0, "step": 0, "beat": 0}],
                                                [{"visual": 0, "step": 1, "beat": 0}]]


def test_changes_are_scheduled_by_line_and_timed_by_their_cue():
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14}
    board = planner.make_storyboard(SEARCH, planner.make_outline(SEARCH, "bs"), ROOT, pacing)
    validate(board, "storyboard", "storyboard.json")
    steps = board["sections"][0]["steps"]
    assert steps[3]["changes"] == [{"visual": 0, "step": 2, "beat": 0},
                                   {"visual": 0, "step": 3, "beat": 1, "cue": "lo moves"}]
    narration = steps[3]["narration"]
    times = codegen.beat_times(steps[3], 4.0)
    assert times == [0.0, round(4.0 * narration.lower().index("lo moves") / len(narration), 2)]
    code = codegen.generate_scene(board["sections"][0], SEARCH, "t.yaml", first_section=False,
                                  voices={"steps": {"4": {"id": "04", "seconds": 4.0}}, "pause": 0.4})
    compile(code, "scene.py", "exec")
    assert f"self.play_changes(array.step(3), at={times[1]:g}" in code
    assert "# array: lo -> 6; grey 4, 5" in code


@pytest.mark.render
def test_binary_search_pointers_follow_the_narration(tmp_path):
    built = build(tmp_path, SEARCH, voices={1: 2.5, 2: 4.0, 3: 3.5, 4: 4.0, 5: 2.0})
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]

    def x(parts, name):
        return center(parts[name])[0]

    entrance = done.after_entrance("array")
    assert {"pointer:lo", "pointer:hi"} <= set(entrance) and "pointer:mid" not in entrance
    assert x(entrance, "pointer:lo") == pytest.approx(x(entrance, "cell:0"), abs=0.02)
    assert x(entrance, "pointer:hi") == pytest.approx(x(entrance, "cell:7"), abs=0.02)
    after = [done.after_step("array", k) for k in range(5)]
    assert x(after[0], "pointer:mid") == pytest.approx(x(after[0], "cell:3"), abs=0.02)
    assert x(after[1], "pointer:lo") == pytest.approx(x(after[1], "cell:4"), abs=0.02)
    assert [after[1][f"cell:{i}"][4] for i in range(8)] == ["#111827"] * 4 + ["#1F2937"] * 4  # greyed out
    assert x(after[2], "pointer:mid") == pytest.approx(x(after[2], "cell:5"), abs=0.02)
    assert x(after[3], "pointer:lo") == pytest.approx(x(after[3], "cell:6"), abs=0.02)
    assert after[4]["cell:6"][4].upper() == "#34D399"  # done: green
    # Pointers in different lanes never share a place: lo and mid on cell 6 stack.
    lo, mid = after[4]["pointer:lo"], after[4]["pointer:mid"]
    assert lo[3] <= mid[1] + 0.02 or mid[3] <= lo[1] + 0.02
    # Step 0 starts when the voice says "the middle index", step 3 at "lo moves".
    step0 = [s for s in done.snapshots if s["after"] == "play" and s["line"] in _lines(built.scene, "array.step(0)")]
    at0 = float(_arg(built.scene, "array.step(0)", "at"))
    assert at0 > 0.5
    assert done.play_start(step0[0]) == pytest.approx(done.voice_start(2) + at0, abs=0.15)


@pytest.mark.render
def test_bubble_sort_swaps_move_the_values(tmp_path):
    built = build(tmp_path, SORT)
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]
    code = built.scene.read_text()
    assert "self.play_changes(array.step(1)" in code
    after_swap = done.after_step("array", 1)
    pink = [k for k in range(3) if after_swap[f"cell:{k}"][4].upper() != "#1F2937"]
    assert pink == []  # the comparison's colour lasts one step
    end = done.after_step("array", 4)
    assert end["cell:2"][4].upper() == "#34D399"
    assert "pointer:i" not in end  # removed with null


def _lines(scene: Path, fragment: str) -> set[int]:
    return {n + 1 for n, text in enumerate(scene.read_text().splitlines()) if fragment in text}


def _arg(scene: Path, fragment: str, name: str) -> str:
    line = next(t for t in scene.read_text().splitlines() if fragment in t)
    return line.split(f"{name}=")[1].split(",")[0].rstrip(")")


def test_text_in_a_stepped_visual_cannot_inject_code():
    """Every value of a stepped visual's spec enters the scene as a literal, never as code."""
    import ast

    topic = copy.deepcopy(SEARCH)
    evil = "\"), __import__('os').system('x'), (\"\n'''"
    topic["sections"][0]["visuals"][0]["steps"][0]["note"] = evil[:70]
    topic["sections"][0]["visuals"][0]["values"][0] = evil[:40]
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14}
    board = planner.make_storyboard(topic, planner.make_outline(topic, "bs"), ROOT, pacing)
    code = codegen.generate_scene(board["sections"][0], topic, "t.yaml", first_section=False)
    tree = ast.parse(code)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "__import__"]
    assert not calls
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert evil[:70] in strings and evil[:40] in strings


def test_a_carriage_return_in_an_animation_description_stays_in_its_comment():
    from lessonreel import codegen as cg

    w = cg._Writer()
    place = cg.layout.Placement("A1", "F3", True)
    cg._animation_block(w, 1, {"description": "an arrow\rimport os\r"}, place, "self.wait(1)")
    code = "\n".join(w.out)
    assert all(line.lstrip().startswith(("#", "self.")) for line in code.replace("\r", "\n").splitlines() if line.strip())
