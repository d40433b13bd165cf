"""The stepped ``code`` visual: lines light up as a run is traced, a variables panel, a scrolling window."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from conftest import ROOT
from lessonreel import codegen, kinds, layout, planner
from lessonreel.errors import InputError
from lessonreel.schemas import validate
from lessonreel.topic import check_topic
from stepped import build, center, inside, render

SEARCH_SOURCE = """def search(items, target):
    lo, hi = 0, len(items) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
"""

SEARCH = {
    "title": "Binary search",
    "sections": [{
        "title": "Tracing the search",
        "lines": ["The search keeps two ends", "It checks the middle item", "Too small: lo moves past mid",
                  "Found: return mid"],
        "narration": ["The search keeps two ends, lo and hi.",
                      "The middle index is three.",
                      "The item there is too small, so lo moves past mid, to four.",
                      "Now the item matches, and the search returns mid."],
        "visuals": [{
            "kind": "code", "line": 1, "language": "python", "source": SEARCH_SOURCE,
            "highlight": [2], "vars": {"lo": 0, "hi": 7},
            "steps": [
                {"highlight": [4], "vars": {"mid": 3}, "cue": "the middle index"},
                {"highlight": [7, 8], "vars": {"lo": 4}, "cue": "lo moves"},
                {"highlight": [6], "vars": {"mid": None}},
            ],
        }],
    }],
}

MERGE_SOURCE = """def merge_sort(items):
    if len(items) <= 1:
        return items
    mid = len(items) // 2
    a = merge_sort(items[:mid])
    b = merge_sort(items[mid:])
    return merge(a, b)


def merge(xs, ys):
    out = []
    i = j = 0
    while xs[i:] and ys[j:]:
        if xs[i] <= ys[j]:
            out.append(xs[i])
            i += 1
        else:
            out.append(ys[j])
            j += 1
    # one side is used up,
    # the rest is already sorted
    out.extend(xs[i:])
    out.extend(ys[j:])
    return out
"""

MERGE = {
    "title": "Merge sort",
    "sections": [{
        "title": "Merging two halves",
        "lines": ["Merge sort splits the list", "Then it merges the halves", "Take the smaller front item",
                  "One side runs out", "Done"],
        "visuals": [{
            "kind": "code", "line": 1, "language": "python", "source": MERGE_SOURCE, "highlight": [4],
            "steps": [
                {"highlight": [12], "vars": {"i": 0, "j": 0}},
                {"highlight": [14, 15, 16], "vars": {"out": [1], "i": 1}},
                {"highlight": [22, 23]},
                {"highlight": [24], "vars": {"i": None, "j": None}},
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


# ------------------------------------------------------------- spec side ---

def test_plain_code_is_drawn_as_before():
    plain = {"kind": "code", "language": "python", "source": "x = 1\ny = 2\n"}
    assert not kinds.stepped(plain)
    assert layout.row_range(plain) == (2, 3)  # n * 0.42 + 0.8 high: the old band
    topic = {"title": "T", "sections": [{"title": "S", "lines": ["one"], "visuals": [plain]}]}
    validate(topic, "topic", "t.yaml")
    check_topic(topic, Path("t.yaml"), ROOT)
    board = planner.make_storyboard(topic, planner.make_outline(topic, "t"), ROOT,
                                    {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14})
    code = codegen.generate_scene(board["sections"][0], topic, "t.yaml", first_section=False)
    assert "V.code(" in code and "traced_code" not in code and ".step(" not in code


@pytest.mark.parametrize("change, field, expected", [
    (lambda v: v["steps"][1].update(highlight=[7, 12]), "steps[1].highlight[1]",
     "a line of the code from 1 to 11, got 12"),
    (lambda v: v.update(highlight=[0]), "highlight[0]", "a number at least 1"),
    (lambda v: v["steps"][0]["vars"].update({"2x": 1}), "steps[0].vars.2x",
     "a variable name (letters, digits and _, not starting with a digit)"),
    (lambda v: v["vars"].update(lo=None), "vars.lo", "a value (null removes a variable in a step"),
    (lambda v: v["steps"].append({"line": 4}), "steps[3]", "a change: `highlight` (the lines the run is at)"),
    (lambda v: v["steps"][0].update(note="x"), "steps[0].note", "one of the known fields: cue, highlight, line, vars"),
    (lambda v: v.update(source=v["source"] + "    # a comment that makes this line far too long\n"), "source",
     "lines of at most 33 characters beside the variables panel"),
    (lambda v: v["steps"][1].update(cue="lo jumps"), "steps[1].cue", "a phrase of line 3's narration"),
])
def test_bad_traces_are_refused_clearly(change, field, expected):
    topic = copy.deepcopy(SEARCH)
    change(_visual(topic))
    message = _error(topic)
    assert message.startswith(f"topics/t.yaml: sections[0].visuals[0].{field}: expected {expected}"), message


def test_rows_make_room_for_the_panel_and_a_window():
    search = _visual(SEARCH)
    assert kinds.stepped(search) and kinds.builder(search) == "traced_code"
    assert layout.row_range(search) == (5, 5)  # 11 lines: all of them, at font 20.5 to 24, need 5 rows
    # Long code asks for a window of 12 lines at least, and at most the whole grid.
    assert layout.row_range(_visual(MERGE)) == (5, 6)
    # A short listing with a tall panel: the panel sets the height.
    tall = {"kind": "code", "language": "python", "source": "x = 1\n",
            "vars": {name: 1 for name in "abcdefgh"}}
    assert layout.row_range(tall)[0] >= 4


def test_the_window_follows_the_lit_lines():
    from lessonreel.kit import V

    code = V.traced_code((8.77, 6.31), **{k: v for k, v in _visual(MERGE).items() if k not in ("kind", "line")})
    assert code.windowed and code.k == 16
    # Lines 4, 12, 14-16 fit in the first window; 22-23 scroll it down, a line of context kept below.
    assert code.tops == [0, 0, 1, 8, 8]
    assert code.rows[0][1].font_size >= 20  # the window keeps the text legible


def test_steps_play_where_their_cue_is_said():
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14}
    board = planner.make_storyboard(SEARCH, planner.make_outline(SEARCH, "bs"), ROOT, pacing)
    validate(board, "storyboard", "storyboard.json")
    steps = board["sections"][0]["steps"]
    assert steps[2]["changes"] == [{"visual": 0, "step": 1, "beat": 0, "cue": "lo moves"}]
    narration = steps[2]["narration"]
    at = round(4.0 * narration.lower().index("lo moves") / len(narration), 2)
    code = codegen.generate_scene(board["sections"][0], SEARCH, "t.yaml", first_section=False,
                                  voices={"steps": {"3": {"id": "03", "seconds": 4.0}}, "pause": 0.4})
    compile(code, "scene.py", "exec")
    assert "code = V.traced_code(" in code and "vars={'lo': 0, 'hi': 7}" in code
    assert f"self.play_changes(code.step(1), at={at:g}" in code
    assert "# code: lines 7, 8; lo = 4" in code
    assert "# code: lines 6; mid removed" in code


# ---------------------------------------------------------------- render ---

@pytest.mark.render
def test_a_long_trace_scrolls_and_its_values_change(tmp_path):
    built = build(tmp_path, MERGE)
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]
    entrance = done.after_entrance("code")
    after = [done.after_step("code", k) for k in range(4)]
    panel = entrance["code_panel"]

    def lit_by_bar(parts, line, bar="bar:0"):
        box, lit = parts[bar], parts[f"line:{line}"]
        return box[1] - 0.02 <= lit[1] and lit[3] <= box[3] + 0.02 and box[0] < lit[0] < box[2]

    # The entrance: 16 of 24 lines in view, line 4 lit, the others dimmed.
    assert {f"line:{n}" for n in range(1, 17)} <= set(entrance) and "line:17" not in entrance
    assert lit_by_bar(entrance, 4)
    assert entrance["line:4"][5] == 1.0 and entrance["line:5"][5] < 0.5
    # Step 0: the bar moved down to line 12; i and j appear in the panel, just set.
    assert lit_by_bar(after[0], 12) and not lit_by_bar(after[0], 4)
    assert after[0]["var:i"][4].upper() == "#FBBF24" and "var:out" not in after[0]
    # Step 1: three lines lit under one bar; the window moved a line; i changed from 0 to 1, out appeared.
    assert all(lit_by_bar(after[1], n) for n in (14, 15, 16))
    assert "line:1" not in after[1] and "line:17" in after[1]
    assert after[1]["var:i"][4].upper() == "#FBBF24" and after[1]["var:j"][4].upper() == "#E5E7EB"
    assert after[1]["var:out"][2] - after[1]["var:out"][0] > 2 * (after[1]["var:j"][2] - after[1]["var:j"][0])
    # Step 2: the window scrolled down so lines 22 and 23 are in view, lit, inside the panel.
    assert lit_by_bar(after[2], 22) and lit_by_bar(after[2], 23)
    assert "line:8" not in after[2] and "line:24" in after[2]
    assert all(inside(box, panel) for name, box in after[2].items() if name.startswith("line:"))
    assert center(after[2]["scroll"])[1] < center(after[1]["scroll"])[1] - 0.5
    assert center(after[2]["line:22"])[1] < center(entrance["line:12"])[1]
    # Step 3: i and j leave the panel.
    assert lit_by_bar(after[3], 24)
    assert "var:i" not in after[3] and "var:j" not in after[3] and "var:out" in after[3]
