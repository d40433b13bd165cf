"""The ``geometry`` visual: shapes that appear, light up and move, in time with the narration.

Three figures: Pythagoras by rearrangement (four triangles slide so the
square c² becomes the squares a² and b²), squares built on a right
triangle's sides (with unit grids: the 9 + 16 cells of the legs' squares
pour into the 25 of the hypotenuse's), and a copy of a triangle turned half
way round (with a circle and a labelled point).
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest

from conftest import ROOT
from lessonreel import codegen, grid, kinds, planner
from lessonreel.errors import InputError
from lessonreel.kinds import geocells
from lessonreel.kinds import geometry as G
from lessonreel.schemas import validate
from lessonreel.topic import check_topic
from stepped import build, center, inside, render

# A proof of Pythagoras by rearrangement, a = 3 and b = 4: the square of side a + b = 7 holds four copies of
# the right triangle; first they leave the tilted square c² (corners (4,0), (7,4), (3,7), (0,3)) free, then
# (t4 slides across the middle, t1 and t3 move up and left) the squares a² (top right) and b² (bottom left).
PYTHAGORAS = {
    "kind": "geometry", "line": 1,
    "shapes": [
        {"id": "big", "polygon": [[0, 0], [7, 0], [7, 7], [0, 7]], "color": "grey", "fill": 0},
        {"id": "t1", "polygon": [[0, 0], [4, 0], [0, 3]]},
        {"id": "t2", "polygon": [[4, 0], [7, 0], [7, 4]]},
        {"id": "t3", "polygon": [[7, 4], [7, 7], [3, 7]]},
        {"id": "t4", "polygon": [[3, 7], [0, 7], [0, 3]]},
        {"id": "b_low", "segment": [[0, 0], [4, 0]], "label": "b", "color": "yellow"},
        {"id": "a_low", "segment": [[4, 0], [7, 0]], "label": "a", "color": "green"},
        {"id": "b_right", "segment": [[7, 0], [7, 4]], "label": "b", "color": "yellow"},
        {"id": "a_right", "segment": [[7, 4], [7, 7]], "label": "a", "color": "green"},
        {"id": "c2", "polygon": [[4, 0], [7, 4], [3, 7], [0, 3]], "color": "pink", "fill": 0.35, "label": "c²"},
        {"id": "a2", "polygon": [[4, 4], [7, 4], [7, 7], [4, 7]], "color": "green", "fill": 0.35, "label": "a²"},
        {"id": "b2", "polygon": [[0, 0], [4, 0], [4, 4], [0, 4]], "color": "yellow", "fill": 0.35, "label": "b²"},
    ],
    "show": ["big", "t1", "t2", "t3", "t4", "b_low", "a_low", "b_right", "a_right"],
    "steps": [
        {"show": ["c2"], "cue": "a square too"},
        {"hide": ["c2"], "move": {"t4": [[7, 4], [4, 4], [4, 0]]}},
        {"move": {"t1": [[0, 4], [4, 4], [0, 7]], "t3": [[4, 4], [4, 7], [0, 7]]}},
        {"show": ["a2", "b2"]},
        {"highlight": ["a2", "b2"]},
    ],
}
REARRANGE = {"title": "Pythagoras", "sections": [{
    "title": "A proof by rearrangement",
    "lines": ["Four copies of one right triangle in a square of side a + b",
              "The space they leave is a square of side c", "Slide one triangle across", "Move two more",
              "The space is now a square of side a and one of side b", "So a² + b² = c²"],
    "narration": [
        "Take four copies of one right triangle, with legs a and b, and lay them in a square whose side is a plus b.",
        "The space in the middle is a square too: its side is the hypotenuse c, so its area is c squared.",
        "Now slide one triangle across the middle, along the hypotenuse.",
        "Then move the two others into the top left corner.",
        "The same triangles leave the same space, and now it is a square of side a and a square of side b.",
        "So a squared plus b squared equals c squared."],
    "visuals": [PYTHAGORAS]}]}

SQUARES = {"title": "Pythagoras", "sections": [{
    "title": "Squares on the sides",
    "lines": ["A right triangle with legs a = 3, b = 4", "Build a square on each leg", "And one on the hypotenuse",
              "Its area is 25 = 9 + 16", "The 9 + 16 cells fill the 25", "The angle θ at B"],
    "visuals": [{
        "kind": "geometry", "line": 1,
        "points": {"A": [0, 0], "B": [4, 0], "C": [0, 3]},
        "shapes": [
            {"id": "tri", "polygon": ["A", "B", "C"], "color": "#60A5FA", "fill": 0.3},
            {"id": "AB", "segment": ["A", "B"], "label": "b"},
            {"id": "AC", "segment": ["A", "C"], "label": "a"},
            {"id": "BC", "segment": ["B", "C"], "label": "c"},
            {"id": "rA", "right_angle": ["B", "A", "C"]},
            {"id": "th", "angle": ["C", "B", "A"], "label": "θ"},
            {"id": "sq_a", "square_on": ["A", "C"], "label": "a²", "grid": True},
            {"id": "sq_b", "square_on": ["A", "B"], "label": "b²", "grid": True},
            {"id": "sq_c", "square_on": ["B", "C"], "label": "c²", "grid": True},
            {"id": "pA", "point": "A", "label": "A"},
            {"id": "pB", "point": "B", "label": "B"},
            {"id": "pC", "point": "C", "label": "C"},
        ],
        "show": ["tri", "AB", "AC", "BC", "rA", "pA", "pB", "pC"],
        "steps": [
            {"show": ["sq_a", "sq_b"]},
            {"show": ["sq_c"]},
            {"highlight": ["sq_c"], "label": {"BC": "c = 5"}},
            {"pour": {"from": ["sq_a", "sq_b"], "into": "sq_c"}},
            {"hide": ["sq_a", "sq_b"], "show": ["th"]},
        ],
    }]}]}

HALF_TURN = {"title": "Right triangles", "sections": [{
    "title": "Two copies make a rectangle",
    "lines": ["A right triangle", "A copy of it", "Turn the copy half way round", "The corners lie on one circle",
              "Its centre is the middle of c"],
    "visuals": [{
        "kind": "geometry", "line": 1,
        "points": {"A": [0, 0], "B": [4, 0], "C": [0, 3], "M": [2, 1.5]},
        "shapes": [
            {"id": "t1", "polygon": ["A", "B", "C"]},
            {"id": "t2", "polygon": ["A", "B", "C"], "color": "green", "label": "copy"},
            {"id": "rA", "right_angle": ["B", "A", "C"]},
            {"id": "BC", "segment": ["B", "C"], "label": "c"},
            {"id": "circ", "circle": {"center": "M", "through": "A"}, "label": "r = c/2"},
            {"id": "pM", "point": "M", "label": "M"},
        ],
        "show": ["t1", "rA", "BC"],
        "steps": [
            {"show": ["t2"]},
            {"move": {"t2": [[4, 0], [4, 3], [0, 3]]}},
            {"show": ["circ"]},
            {"show": ["pM"], "label": {"pM": "centre"}, "highlight": ["BC"]},
        ],
    }]}]}


def _topic(visual: dict, lines: int = 6) -> dict:
    return {"title": "T", "sections": [{"title": "S", "lines": [f"Line {n}" for n in range(1, lines + 1)],
                                        "visuals": [visual]}]}


def _error(topic: dict) -> str:
    with pytest.raises(InputError) as info:
        validate(topic, "topic", "topics/t.yaml")
        check_topic(topic, Path("topics/t.yaml"), ROOT)
    return str(info.value)


# ------------------------------------------------------------ checks ---

def test_the_three_topics_are_valid():
    for topic in (REARRANGE, SQUARES, HALF_TURN):
        validate(topic, "topic", "t.yaml")
        check_topic(topic, Path("t.yaml"), ROOT)


def test_an_unknown_point_names_the_field_and_the_points():
    visual = copy.deepcopy(SQUARES["sections"][0]["visuals"][0])
    visual["shapes"][0]["polygon"][2] = "D"
    message = _error(_topic(visual))
    assert message.startswith("topics/t.yaml: sections[0].visuals[0].shapes[0].polygon[2]: expected a point named "
                              "in `points` (A, B, C) or [x, y], got 'D'"), message


@pytest.mark.parametrize("change, field, expected", [
    (lambda v: v["shapes"][0].update(polygon=["A", "B"]), "shapes[0].polygon", "a list of at least 3 item(s)"),
    (lambda v: v["shapes"][0].update(polygon=["A", "B", "A"]), "shapes[0].polygon", "distinct vertices"),
    (lambda v: v["shapes"][6].update(square_on=["A", [0, 0]]), "shapes[6].square_on", "two distinct points"),
    (lambda v: v["shapes"][4].update(right_angle=["C", "B", "A"]), "shapes[4].right_angle",
     "a right angle at B (this one is 36.9°)"),
    (lambda v: v["shapes"][1].update(fill=0.5), "shapes[1].fill", "no fill on a segment"),
    (lambda v: v["shapes"][2].update(id="AB"), "shapes[2].id", "an id no other shape has (shapes[1] has it too)"),
    (lambda v: v["shapes"][2].update(point="A"), "shapes[2]", "exactly one of polygon, segment"),
    (lambda v: v["shapes"].append({"id": "o", "circle": {"center": "A", "radius": 1, "through": "B"}}),
     "shapes[12].circle", "a center and one of radius, through"),
    (lambda v: v.update(show=["tri", "nope"]), "show[1]", "the id of a shape: tri, AB, AC"),
    (lambda v: v["steps"][1].update(highlight=["th"]), "steps[1].highlight[0]", "a shape on screen at this step"),
    (lambda v: v["steps"][2].update(hide=["sq_x"]), "steps[2].hide[0]", "the id of a shape"),
    (lambda v: v["steps"][0].update(show=["tri"]), "steps[0].show[0]", "a shape not on screen yet"),
    (lambda v: v["steps"][0].update(move={"tri": [[0, 0], [1, 0]]}), "steps[0].move.tri",
     "a list of at least 3 item(s)"),
    (lambda v: v["steps"][0].update(move={"tri": [[0, 0], [1, 0], [0, 1], [1, 1]]}), "steps[0].move.tri",
     "3 vertices, as polygon tri has"),
    (lambda v: v["steps"][0].update(move={"AB": [[0, 0], [1, 0], [0, 1]]}), "steps[0].move.AB",
     "the id of a polygon (move takes polygons; AB is a segment)"),
    (lambda v: v["steps"][0].update(move={"tri": ["A", "B", "Q"]}), "steps[0].move.tri[2]",
     "a point named in `points`"),
    (lambda v: v["steps"].append({"cue": "and"}), "steps[5]", "a change: show, hide, highlight, move, pour or label"),
    (lambda v: v["steps"][0].update(grow=["sq_a"]), "steps[0].grow", "one of the known fields"),
    (lambda v: v["shapes"][1].update(grid=True), "shapes[1].grid", "no grid on a segment"),
    (lambda v: v["shapes"][9].update(width=3), "shapes[9].width", "no width on a point"),
    (lambda v: v["shapes"][8]["square_on"].__setitem__(1, [0, 3.5]), "shapes[8].grid",
     "a square whose side is a whole number of figure units from 1 to 20 (its unit cells; this side is 5.315)"),
    (lambda v: v["shapes"][6].pop("grid"), "steps[3].pour.from[0]", "a square_on with grid: true"),
    (lambda v: v["steps"][3]["pour"].update(into="sq_a", **{"from": ["sq_b"]}), "steps[3].pour",
     "at most 9 cells in all (sq_a has 3 x 3), got 16"),
    (lambda v: v["steps"].insert(3, {"pour": {"from": ["sq_a"], "into": "sq_c"}}), "steps[4].pour.from[0]",
     "a square whose cells are still in it (they were poured at steps[3])"),
    (lambda v: v["steps"][1].update(pour={"from": ["sq_a"], "into": "sq_c"}), "steps[1].pour.into",
     "a square on screen at this step (shown before it)"),
])
def test_bad_figures_are_refused_clearly(change, field, expected):
    visual = copy.deepcopy(SQUARES["sections"][0]["visuals"][0])
    change(visual)
    message = _error(_topic(visual))
    assert f"sections[0].visuals[0].{field}: expected {expected}" in message, message


# ---------------------------------------------------------- geometry ---

def test_a_turned_copy_is_matched_in_any_vertex_order():
    # The spec's example: [A, B, C] to [[4, 0], [4, 3], [0, 3]] is a half turn about (2, 1.5).
    target, angle = G.rigid_match([(0, 0), (4, 0), (0, 3)], [(4, 0), (4, 3), (0, 3)])
    assert abs(angle) == pytest.approx(math.pi)
    assert target == [(4, 3), (0, 3), (4, 0)]
    _, path = G.move_path([(0, 0), (4, 0), (0, 3)], [(4, 0), (4, 3), (0, 3)])
    middle = path(0.5)
    assert [math.dist(middle[i], middle[j]) for i, j in ((0, 1), (1, 2), (2, 0))] == pytest.approx([4, 5, 3])
    # A mirror image cannot turn there: its vertices slide straight, in the order given.
    assert G.rigid_match([(0, 0), (4, 0), (0, 3)], [(0, 0), (-4, 0), (0, 3)]) is None


def test_cells_pour_row_by_row_from_the_side_as_turned_unit_squares():
    fig = G.Figure(SQUARES["sections"][0]["visuals"][0])
    (a, into_a, trips_a), (b, into_b, trips_b) = fig.pours[3]
    assert (a, into_a, len(trips_a), b, into_b, len(trips_b)) == ("sq_a", "sq_c", 9, "sq_b", "sq_c", 16)
    assert not any(fig.pours[k] for k in (0, 1, 2, 4))

    def key(cell):
        return tuple(sorted((round(x, 6), round(y, 6)) for x, y in cell))
    slots = [key(c) for c in geocells.cells(fig.squares["sq_c"])]
    ends = [key(end) for _, end, _ in trips_a + trips_b]
    assert sorted(ends) == sorted(slots)  # every cell of c² filled, once
    assert set(ends[:5]) == set(slots[:5])  # the row along the hypotenuse first
    for start, end, path in trips_a + trips_b:
        mid = path(0.5)
        assert [math.dist(mid[i], mid[(i + 1) % 4]) for i in range(4)] == pytest.approx([1, 1, 1, 1])  # rigid


def test_squares_stand_outside_their_polygon_and_rows_follow_the_shape():
    fig = G.Figure(SQUARES["sections"][0]["visuals"][0])
    assert fig.squares["sq_b"] == [(0, 0), (4, 0), (4, -4), (0, -4)]
    assert fig.squares["sq_a"] == [(0, 0), (0, 3), (-3, 3), (-3, 0)]
    assert sorted(fig.squares["sq_c"]) == [(0, 3), (3, 7), (4, 0), (7, 4)]
    assert kinds.rows(PYTHAGORAS) == (4, 6)
    wide = {"kind": "geometry", "shapes": [{"id": "s", "segment": [[0, 0], [10, 0]]}, {"id": "p", "point": [5, 1]}]}
    assert kinds.rows(wide) == (3, 3)


def _placed(visual: dict):
    """The visual built and placed the way the scene kit does it, in a full-page area."""
    from lessonreel.kit import PAD
    from lessonreel.visuals import geometry

    fields = {k: v for k, v in visual.items() if k not in ("kind", "line", "caption")}
    fields["steps"] = [{k: v for k, v in s.items() if k not in ("line", "cue")} for s in fields.get("steps", [])]
    box = grid.area_box("A1", "F6").shrink(PAD)
    g = geometry((box.width, box.height), **fields)
    g.move_to([*box.center, 0])
    return g, box


def _finish(anims):
    for anim in anims:
        anim = anim.build() if hasattr(anim, "build") else anim
        anim.begin()
        anim.interpolate(1.0)
        anim.finish()


def _clip_area(a: list, b: list) -> float:
    """Area shared by two convex polygons (Sutherland-Hodgman)."""
    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    sign = 1 if sum(side(b[i], b[(i + 1) % len(b)], b[(i + 2) % len(b)]) for i in range(len(b))) > 0 else -1
    out = list(a)
    for i in range(len(b)):
        p, q, poly, out = b[i], b[(i + 1) % len(b)], out, []
        for j in range(len(poly)):
            s, e = poly[j - 1], poly[j]
            ins, ine = sign * side(p, q, s) >= 0, sign * side(p, q, e) >= 0
            if ins != ine:
                d1, d2 = side(p, q, s), side(p, q, e)
                t = d1 / (d1 - d2)
                out.append((s[0] + t * (e[0] - s[0]), s[1] + t * (e[1] - s[1])))
            if ine:
                out.append(e)
        if not out:
            return 0.0
    return abs(sum(out[i][0] * out[i - 1][1] - out[i - 1][0] * out[i][1] for i in range(len(out)))) / 2


def test_moving_triangles_stay_in_the_area_and_never_overlap_mid_move():
    g, box = _placed(PYTHAGORAS)
    for phase in g.entrance().phases:
        _finish(phase())
    triangles = ["t1", "t2", "t3", "t4"]
    checked = 0
    for k in range(len(PYTHAGORAS["steps"])):
        for phase in g.step(k).phases:
            anims = phase()
            moving = [a for a in anims if type(a).__name__ == "UpdateFromAlphaFunc"]
            for alpha in [n / 20 for n in range(21)] if moving else []:
                for anim in moving:
                    anim.interpolate_mobject(alpha)
                corners = {t: [tuple(p[:2]) for p in g.mobs[t].get_vertices()] for t in triangles}
                for t in triangles:
                    for x, y in corners[t]:
                        assert box.left - 1e-6 <= x <= box.right + 1e-6 and box.bottom - 1e-6 <= y <= box.top + 1e-6
                for n, a in enumerate(triangles):
                    for b in triangles[n + 1:]:
                        assert _clip_area(corners[a][:3], corners[b][:3]) < 1e-3, (k, alpha, a, b)
                checked += 1
            _finish(anims)
    assert checked == 42
    assert g.width <= box.width + 1e-6 and g.height <= box.height + 1e-6


def test_labels_cover_no_line_of_the_figure():
    g, _ = _placed(SQUARES["sections"][0]["visuals"][0])
    fig = g.fig
    lines = []
    for i, t in fig.types.items():
        corners = fig.vertices.get(i) or fig.squares.get(i)
        if corners:
            lines += [(i, p, q) for p, q in zip(corners, corners[1:] + corners[:1])]
        elif t == "segment":
            lines.append((i, *(fig.at(r) for r in fig.shapes[i]["segment"])))
    for i, label in g.labels.items():
        left, bottom, right, top = g._box(label, 0.0)
        for owner, p, q in lines:
            if owner == i:
                continue
            a, b = g._to_scene(p), g._to_scene(q)
            for n in range(101):  # no point of the line inside the label's box
                x, y = a[0] + (b[0] - a[0]) * n / 100, a[1] + (b[1] - a[1]) * n / 100
                assert not (left < x < right and bottom < y < top), (i, owner)


# ------------------------------------------------------ plan and code ---

def test_a_cue_times_the_change_and_the_comment_says_it():
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14}
    board = planner.make_storyboard(REARRANGE, planner.make_outline(REARRANGE, "p"), ROOT, pacing)
    validate(board, "storyboard", "storyboard.json")
    steps = board["sections"][0]["steps"]
    assert steps[1]["changes"] == [{"visual": 0, "step": 0, "beat": 0, "cue": "a square too"}]
    code = codegen.generate_scene(board["sections"][0], REARRANGE, "t.yaml", first_section=False,
                                  voices={"steps": {"2": {"id": "s02", "seconds": 4.0}}, "pause": 0.4})
    compile(code, "scene.py", "exec")
    narration = steps[1]["narration"]
    at = round(4.0 * narration.lower().index("a square too") / len(narration), 2)
    assert f"self.play_changes(geometry.step(0), at={at:g}" in code
    assert "# geometry: hide c2; move t4" in code
    assert "V.geometry(" in code and "'move': {'t1': [[0, 4], [4, 4], [0, 7]]" in code


# ------------------------------------------------------------ renders ---

def _inside_area_always(done, name: str = "geometry") -> None:
    for snap in done.snapshots:
        for unit in snap["units"]:
            if unit.get("name") == name and unit.get("area"):
                for part, box in (unit.get("parts") or {}).items():
                    assert inside(box[:4], unit["area"]), (snap["i"], part)


def _approx(box, expected, tol=0.03):
    assert box[:4] == pytest.approx(expected, abs=tol)


@pytest.mark.render
def test_pythagoras_by_rearrangement(tmp_path):
    built = build(tmp_path, REARRANGE, voices={1: 4.0, 2: 4.0, 3: 2.5, 4: 2.5, 5: 4.0, 6: 2.5})
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]
    _inside_area_always(done)
    first = done.after_entrance("geometry")
    left, bottom, right, _ = first["big"][:4]
    u = (right - left) / 7

    def box(x0, y0, x1, y1):
        return [left + x0 * u, bottom + y0 * u, left + x1 * u, bottom + y1 * u]
    assert "c2" not in first and {"t1", "t2", "t3", "t4", "label:b_low"} <= set(first)
    assert first["label:b_low"][3] < bottom and first["label:b_right"][0] > right  # outside the square
    after = [done.after_step("geometry", k) for k in range(5)]
    _approx(after[0]["c2"], box(0, 0, 7, 7))
    assert "c2" not in after[1] and "label:c2" not in after[1]
    _approx(after[1]["t4"], box(4, 0, 7, 4))
    _approx(after[1]["t1"], box(0, 0, 4, 3))  # t1 waits for the next step
    _approx(after[2]["t1"], box(0, 4, 4, 7))
    _approx(after[2]["t3"], box(0, 4, 4, 7))
    _approx(after[2]["t2"], box(4, 0, 7, 4))  # never moves
    _approx(after[3]["a2"], box(4, 4, 7, 7))
    _approx(after[3]["b2"], box(0, 0, 4, 4))
    assert after[4]["a2"][5] > after[3]["a2"][5]  # highlighted: brighter fill
    step0 = [s for s in done.snapshots if s["after"] == "play" and "geometry.step(0)" in
             built.scene.read_text().splitlines()[s["line"] - 1]]
    call = next(t for t in built.scene.read_text().splitlines() if "geometry.step(0)" in t)
    at = float(call.split("at=")[1].split(",")[0])
    assert at > 0.5  # "a square too" comes late in its line: the square c² appears when it is said
    assert done.play_start(step0[0]) == pytest.approx(done.voice_start(2) + at, abs=0.15)


@pytest.mark.render
def test_squares_grow_on_the_sides(tmp_path):
    done = render(tmp_path, build(tmp_path, SQUARES))
    assert done.score == 100, done.report["problems"]
    _inside_area_always(done)
    first = done.after_entrance("geometry")
    left, bottom, right, top = first["tri"][:4]
    u = (right - left) / 4
    assert top - bottom == pytest.approx(3 * u, abs=0.02)
    assert not {"sq_a", "sq_b", "sq_c", "th"} & set(first)
    assert center(first["label:pA"])[0] < left and center(first["label:pA"])[1] < bottom  # away from the triangle
    after = [done.after_step("geometry", k) for k in range(5)]
    _approx(after[0]["sq_b"], [left, bottom - 4 * u, right, bottom])
    _approx(after[0]["sq_a"], [left - 3 * u, bottom, left, top])
    _approx(after[1]["sq_c"], [left, bottom, left + 7 * u, bottom + 7 * u])
    assert after[2]["sq_c"][5] == pytest.approx(0.6)  # highlighted
    wide = after[2]["label:BC"]
    assert wide[2] - wide[0] > 3 * (after[1]["label:BC"][2] - after[1]["label:BC"][0])  # "c" became "c = 5"
    # The pour: both legs' squares are left empty, their cells fill the square on c (its own fill fades).
    assert after[3]["sq_a"][5] == pytest.approx(0.0) and after[3]["sq_b"][5] == pytest.approx(0.0)
    assert after[3]["sq_c"][5] == pytest.approx(0.08)
    cells = [after[3]["cells:sq_a"], after[3]["cells:sq_b"]]
    for box in cells:
        assert inside(box[:4], [c + d for c, d in zip(after[3]["sq_c"][:4], (-0.02, -0.02, 0.02, 0.02))])
    union = [min(b[0] for b in cells), min(b[1] for b in cells), max(b[2] for b in cells), max(b[3] for b in cells)]
    _approx(union, after[3]["sq_c"][:4])
    assert not {"sq_a", "sq_b", "label:sq_a"} & set(after[4]) and "th" in after[4]
    assert "cells:sq_a" in after[4]  # hiding a square it was poured from leaves the cells where they are


@pytest.mark.render
def test_a_copy_turns_half_way_round(tmp_path):
    done = render(tmp_path, build(tmp_path, HALF_TURN))
    assert done.score == 100, done.report["problems"]
    _inside_area_always(done)
    after = [done.after_step("geometry", k) for k in range(4)]
    left, bottom, right, _ = after[0]["t1"][:4]
    u = (right - left) / 4

    def at(x, y):
        return (left + x * u, bottom + y * u)
    assert center(after[0]["label:t2"]) == pytest.approx(at(4 / 3, 1), abs=0.03)
    assert center(after[1]["label:t2"]) == pytest.approx(at(8 / 3, 2), abs=0.03)  # turned round the middle
    _approx(after[1]["t2"], after[1]["t1"][:4])
    _approx(after[2]["circ"], [*at(-0.5, -1), *at(4.5, 4)])
    assert center(after[3]["pM"]) == pytest.approx(at(2, 1.5), abs=0.02)
    assert after[3]["label:BC"][4].upper() == "#FBBF24"  # highlighted segment: its label lights up
    label = after[3]["label:pM"]
    assert label[2] - label[0] > 0.6  # "M" became "centre"
