"""The offline layout and the generated scene code, without rendering."""

from __future__ import annotations

import ast
import warnings

import pytest

from conftest import DATA, ROOT
from lessonreel import codegen, grid, layout, planner
from lessonreel.schemas import validate
from lessonreel.topic import load_topic

PACING = {"seconds_per_word": 0.3, "min_step_seconds": 2.5, "max_step_seconds": 12}
TOPICS = sorted((ROOT / "topics").glob("*.yaml")) + sorted((ROOT / "topics").glob("*.md")) + [DATA / "all_kinds.yaml"]


def storyboard_of(path):
    topic = load_topic(path, ROOT)
    outline = planner.make_outline(topic, path.stem)
    return outline, planner.make_storyboard(topic, outline, ROOT, PACING)


@pytest.mark.parametrize("path", TOPICS, ids=lambda p: p.name)
def test_outline_and_storyboard_match_their_schemas(path):
    outline, board = storyboard_of(path)
    validate(outline, "outline", "outline.json")
    validate(board, "storyboard", "storyboard.json")
    for section in board["sections"]:
        lines = [step["line"] for step in section["steps"]]
        assert lines == sorted(lines), "steps follow the lecture lines in order"
        assert set(lines) == set(range(1, len(section["lines"]) + 1)), "every line gets a step"


def test_storyboard_schema_rejects_a_broken_storyboard():
    _, board = storyboard_of(DATA / "all_kinds.yaml")
    del board["sections"][0]["steps"][0]["visual"]
    with pytest.raises(Exception) as info:
        validate(board, "storyboard", "storyboard.json")
    assert "sections[0].steps[0].visual" in str(info.value)


def test_section_ids_sort_numerically():
    ids = [planner.section_id(i) for i in (1, 2, 9, 10, 11, 100)]
    assert planner.sorted_ids(reversed(ids)) == ids
    assert planner.sorted_ids(["10", "9", "1"]) == ["1", "9", "10"]


def _areas(visuals):
    return list(zip(visuals, layout.plan_pages(visuals)))


@pytest.mark.parametrize("path", TOPICS, ids=lambda p: p.name)
def test_layout_never_overlaps_and_stays_on_the_grid(path):
    _, board = storyboard_of(path)
    for section in board["sections"]:
        visuals = [s["visual"] for s in section["steps"] if s["visual"]]
        page: list[grid.Box] = []
        for visual, place in _areas(visuals):
            box = grid.area_box(place.first, place.last)
            assert grid.GRID.left - 1e-9 <= box.left and box.right <= grid.GRID.right + 1e-9
            assert grid.GRID.bottom - 1e-9 <= box.bottom and box.top <= grid.GRID.top + 1e-9
            if place.new_page:
                page = []
            for other in page:
                overlap = min(box.top, other.top) - max(box.bottom, other.bottom)
                assert overlap <= 1e-9, f"{visual['kind']} overlaps a visual on its page"
            page.append(box)
            lo, hi = layout.row_range(visual)
            assert lo <= place.rows <= hi


def test_grid_cells_are_spreadsheet_style():
    a1, f6 = grid.cell_box("A1"), grid.cell_box("F6")
    assert a1.left == grid.GRID.left and a1.top == grid.GRID.top
    assert abs(f6.right - grid.GRID.right) < 1e-9 and abs(f6.bottom - grid.GRID.bottom) < 1e-9
    assert grid.area_box("C3", "A1") == grid.area_box("A1", "C3")
    with pytest.raises(ValueError):
        grid.parse_cell("G7")
    assert grid.cells_touched(*[a1.left + 0.1, a1.right - 0.1, a1.top - 0.1, a1.bottom + 0.1]) == ["A1"]


@pytest.mark.parametrize("path", TOPICS, ids=lambda p: p.name)
def test_generated_scenes_parse_and_read_like_manim(path):
    _, board = storyboard_of(path)
    for i, section in enumerate(board["sections"]):
        code = codegen.generate_scene(section, board, "storyboard.json", i == 0)
        tree = ast.parse(code)
        imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert [getattr(n, "module", None) for n in imports] == ["manim", "lessonreel.kit"]
        classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        assert classes == [codegen.class_name(section["id"])]
        assert code.count("# === Step ") == len(section["steps"])


def test_user_text_cannot_inject_code():
    section = {
        "id": "01", "title": 'Quote " and \\ backslash',
        "lines": ['"); import os; os.system("id"); ("', "x'''"],
        "steps": [
            {"line": 1, "narration": "n", "visual": {"kind": "text", "text": '"""; import os #'}, "duration": 1},
            {"line": 2, "narration": "", "visual": {"kind": "equation", "tex": '\\frac{a}{b}"'}, "duration": 1},
            {"line": 2, "narration": "", "visual": {"kind": "code", "language": "python",
                                                    "source": "print('''hi''')\n\\"}, "duration": 1},
        ],
    }
    code = codegen.generate_scene(section, {"title": 'T"""', "audience": "a"}, "s", True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. an invalid escape sequence in the docstring
        tree = ast.parse(code)
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "__import__" not in calls
    assert sum(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(tree)) == 2
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert '"); import os; os.system("id"); ("' in strings
    assert '\\frac{a}{b}"' in strings
    assert "print('''hi''')\n\\" in strings


def test_step_durations_follow_reading_time():
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2.0, "max_step_seconds": 20}
    short = planner.step_duration("Two words", None, pacing)
    long = planner.step_duration("A much longer lecture line with many more words to read", None, pacing)
    assert short == 2.0 and long > short
    table = {"kind": "table", "header": ["a", "b"], "rows": [["1", "2"]] * 5}
    assert planner.step_duration("Two words", table, pacing) > short
