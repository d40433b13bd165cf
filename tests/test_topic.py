"""Topic files: the examples load, and every kind of bad input gets one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import DATA, ROOT, small_topic
from lessonreel import planner
from lessonreel.errors import InputError
from lessonreel.texcheck import FORBIDDEN
from lessonreel.topic import load_topic

EXAMPLES = sorted((ROOT / "topics").glob("*.yaml")) + sorted((ROOT / "topics").glob("*.md"))


def test_there_are_four_example_topics_one_in_markdown():
    assert len(EXAMPLES) >= 4
    assert any(p.suffix == ".md" for p in EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES + [DATA / "all_kinds.yaml"], ids=lambda p: p.name)
def test_example_topics_load(path):
    topic = load_topic(path, ROOT)
    assert topic["title"] and topic["sections"]


def test_examples_use_most_visual_kinds():
    kinds = set()
    for path in EXAMPLES:
        for section in load_topic(path, ROOT)["sections"]:
            kinds.update(v["kind"] for v in section.get("visuals", []))
    assert len(kinds) >= 10, kinds


def write(tmp_path: Path, text: str, name: str = "t.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def error_for(tmp_path: Path, data, name: str = "t.yaml") -> InputError:
    text = data if isinstance(data, str) else yaml.safe_dump(data)
    path = write(tmp_path, text, name)
    with pytest.raises(InputError) as info:
        load_topic(path, tmp_path)
    assert str(path) in str(info.value)
    return info.value


def test_malformed_yaml_names_line(tmp_path):
    err = error_for(tmp_path, "title: [unclosed\nsections: 3\n")
    assert "line" in err.field and "valid YAML" in err.expected


def test_missing_title(tmp_path):
    err = error_for(tmp_path, {"sections": small_topic()["sections"]})
    assert err.field == "title"
    assert "required" in err.expected


def test_unknown_visual_kind_lists_the_known_ones(tmp_path):
    topic = small_topic()
    topic["sections"][1]["visuals"][0] = {"kind": "hologram", "tex": "x"}
    err = error_for(tmp_path, topic)
    assert err.field == "sections[1].visuals[0].kind"
    assert "equation" in err.expected and "bar_chart" in err.expected


def test_wrong_field_type(tmp_path):
    topic = small_topic()
    topic["sections"][0]["lines"] = "just one string"
    err = error_for(tmp_path, topic)
    assert err.field == "sections[0].lines" and "list" in err.expected


def test_wrong_type_inside_a_visual(tmp_path):
    topic = small_topic()
    topic["sections"][2]["visuals"] = [{"kind": "plot", "function": "x", "x_range": "0 to 1"}]
    err = error_for(tmp_path, topic)
    assert err.field == "sections[2].visuals[0].x_range" and "list" in err.expected


def test_unknown_field_is_named(tmp_path):
    topic = small_topic()
    topic["sections"][0]["visuals"][0]["texx"] = "y"
    err = error_for(tmp_path, topic)
    assert err.field == "sections[0].visuals[0].texx"


def test_image_outside_project_is_refused(tmp_path):
    outside = tmp_path.parent / "secret.png"
    outside.write_bytes(b"not really")
    project = tmp_path / "p"
    project.mkdir()
    topic = small_topic()
    topic["sections"][0]["visuals"] = [{"kind": "image", "path": "../../secret.png"}]
    path = write(project, yaml.safe_dump(topic))
    with pytest.raises(InputError) as info:
        load_topic(path, project)
    assert info.value.field == "sections[0].visuals[0].path"
    assert "inside the project" in info.value.expected


def test_missing_image(tmp_path):
    topic = small_topic()
    topic["sections"][0]["visuals"] = [{"kind": "image", "path": "nowhere.png"}]
    err = error_for(tmp_path, topic)
    assert "existing image" in err.expected


def test_no_sections_without_a_model(tmp_path):
    err = error_for(tmp_path, {"title": "Eigenvectors and eigenvalues"})
    assert err.field == "sections"


@pytest.mark.parametrize("command", sorted(FORBIDDEN))
def test_dangerous_tex_is_refused(tmp_path, command):
    topic = small_topic()
    topic["sections"][0]["visuals"][0]["tex"] = f"x + \\{command}{{/etc/passwd}}"
    err = error_for(tmp_path, topic)
    assert err.field == "sections[0].visuals[0].tex"
    assert f"\\{command}" in err.expected


@pytest.mark.parametrize("tex", ["^^5cinput{/etc/passwd}", r"\begin{filecontents}{x.tex}", r"\csname input\endcsname"])
def test_disguised_tex_is_refused(tmp_path, tex):
    topic = small_topic()
    topic["sections"][0]["visuals"] = [{"kind": "derivation", "steps": ["x", tex]}]
    err = error_for(tmp_path, topic)
    assert err.field == "sections[0].visuals[0].steps[1]"


@pytest.mark.parametrize("function", ["__import__('os').system('id')", "x.__class__", "open('f')", "lambda: 1", "x if x else 1"])
def test_unsafe_plot_expression_is_refused(tmp_path, function):
    topic = small_topic()
    topic["sections"][0]["visuals"] = [{"kind": "plot", "function": function, "x_range": [0, 1]}]
    err = error_for(tmp_path, topic)
    assert err.field == "sections[0].visuals[0].function"


@pytest.mark.parametrize("visual, field", [
    ({"kind": "bar_chart", "labels": ["a", "b"], "values": [1]}, "values"),
    ({"kind": "table", "header": ["a", "b"], "rows": [["1"]]}, "rows[0]"),
    ({"kind": "diagram", "nodes": ["a"], "edges": [["a", "b"]]}, "edges[0]"),
    ({"kind": "number_line", "range": [0, 5], "points": [7]}, "points[0]"),
    ({"kind": "plot", "function": "x", "x_range": [3, 1]}, "x_range"),
    ({"kind": "code", "language": "klingon", "source": "x"}, "language"),
    ({"kind": "equation", "tex": "x", "line": 9}, "line"),
])
def test_inconsistent_visuals(tmp_path, visual, field):
    topic = small_topic()
    topic["sections"][0]["visuals"] = [visual]
    err = error_for(tmp_path, topic)
    assert err.field == f"sections[0].visuals[0].{field}"


def test_markdown_and_yaml_give_the_same_outline(tmp_path):
    md = """---
audience: students
---
# Waves

## What a wave is
- A wave carries energy
- It does not carry matter

$$ v = f \\lambda $$

## Measuring waves
- Frequency counts cycles per second
"""
    yml = {
        "title": "Waves",
        "audience": "students",
        "sections": [
            {"title": "What a wave is", "lines": ["A wave carries energy", "It does not carry matter"],
             "visuals": [{"kind": "equation", "tex": "v = f \\lambda", "line": 2}]},
            {"title": "Measuring waves", "lines": ["Frequency counts cycles per second"]},
        ],
    }
    a = load_topic(write(tmp_path, md, "waves.md"), tmp_path)
    b = load_topic(write(tmp_path, yaml.safe_dump(yml), "waves.yaml"), tmp_path)
    assert planner.make_outline(a, "waves") == planner.make_outline(b, "waves")
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 10}
    sa = planner.make_storyboard(a, planner.make_outline(a, "waves"), tmp_path, pacing)
    sb = planner.make_storyboard(b, planner.make_outline(b, "waves"), tmp_path, pacing)
    assert sa == sb


def test_markdown_without_title(tmp_path):
    err = error_for(tmp_path, "## Only a section\n- a line\n", name="x.md")
    assert err.field == "title"


def test_bad_topic_stops_the_workflow_before_rendering(project):
    project.write_topic("good.yaml", small_topic())
    project.write_topic("bad.yaml", {"title": "Bad", "sections": [{"title": "S", "lines": ["l"],
                                                                    "visuals": [{"kind": "sound"}]}]})
    proc = project.snakemake("-n", check=False)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "topics/bad.yaml: sections[0].visuals[0].kind: expected one of" in out
    assert not (project.path / "results").exists()


def test_wrong_config_option_names_the_allowed_values(project):
    project.write_topic("good.yaml", small_topic())
    proc = project.snakemake("-n", "--config", "quality=ultra", check=False)
    assert proc.returncode != 0
    assert "config.yaml: quality: expected one of: preview, draft, final" in proc.stdout + proc.stderr


def test_free_text_animation_needs_the_llm_engine(tmp_path):
    topic = small_topic()
    topic["sections"][0]["visuals"] = [{"kind": "animation", "description": "A ball rolls down a slope"}]
    err = error_for(tmp_path, topic)
    assert err.field == "sections[0].visuals[0].kind" and "engine: llm" in err.expected
    path = tmp_path / "t.yaml"
    assert load_topic(path, tmp_path, engine="llm")["sections"][0]["visuals"][0]["kind"] == "animation"


def test_title_only_topic_is_fine_for_the_llm_engine(tmp_path):
    path = write(tmp_path, "title: Eigenvectors and eigenvalues\n")
    assert load_topic(path, tmp_path, engine="llm") == {"title": "Eigenvectors and eigenvalues"}
