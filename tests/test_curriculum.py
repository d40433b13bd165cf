"""Curriculum files: parsing, settings and their precedence, and every kind of mistake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import FAST_PACING, ROOT, small_topic
from lessonreel.curriculum import (BuildPlan, CurriculumError, apply_topic_settings, build_plan, load_curriculum,
                                   read_curriculum)
from lessonreel.errors import InputError

CONFIG = {"engine": "offline", "quality": "preview", "topics": ["topics/*.yaml"],
          "pacing": {"seconds_per_word": 0.32, "min_step_seconds": 2.5, "max_step_seconds": 14}}


@pytest.fixture
def root(tmp_path) -> Path:
    """A project folder with three small topics (one in a subfolder)."""
    (tmp_path / "topics" / "extra").mkdir(parents=True)
    (tmp_path / "curricula").mkdir()
    for name, title in (("alpha", "Alpha"), ("beta", "Beta")):
        (tmp_path / "topics" / f"{name}.yaml").write_text(yaml.safe_dump(small_topic(title, sections=1)))
    topic = small_topic("Gamma", sections=1) | {"audience": "its own audience"}
    (tmp_path / "topics" / "extra" / "gamma.yaml").write_text(yaml.safe_dump(topic))
    (tmp_path / "topics" / "notes.txt").write_text("not a topic")
    return tmp_path


def write(root: Path, data, name: str = "c.yaml") -> str:
    path = root / "curricula" / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return f"curricula/{name}"


def test_the_example_curriculum_loads():
    plan = load_curriculum("curricula/science-week.yaml", CONFIG, ROOT)
    assert plan.title == "Science week" and plan.curriculum == "curricula/science-week.yaml"
    assert list(plan.topics) == ["pythagorean-theorem", "projectile-motion", "photosynthesis", "binary-search"]
    assert {slug: t.quality for slug, t in plan.topics.items()} == {
        "pythagorean-theorem": "preview", "projectile-motion": "draft", "photosynthesis": "preview",
        "binary-search": "preview"}
    assert plan.topics["binary-search"].pacing == {**CONFIG["pacing"], "seconds_per_word": 0.4}
    assert plan.topics["photosynthesis"].pacing == CONFIG["pacing"]
    assert plan.topics["photosynthesis"].meta == {"defaults": {"audience": "secondary school students",
                                                               "language": "en"}}
    assert plan.paths["binary-search"] == "topics/binary-search.md"


def test_shared_settings_overrides_and_globs(root):
    path = write(root, {
        "title": "Mixed",
        "audience": "everyone here",
        "quality": "draft",
        "pacing": {"min_step_seconds": 1.0},
        "topics": [
            "topics/*.yaml",
            {"topic": "topics/beta.yaml", "overrides": {"quality": "final", "audience": "beta readers",
                                                        "pacing": {"seconds_per_word": 0.5}}},
            {"topic": "topics/**/gamma.yaml", "overrides": {"language": "de"}},
        ],
    })
    plan = load_curriculum(path, CONFIG, root)
    assert list(plan.topics) == ["alpha", "beta", "gamma"]  # first mention decides the order; notes.txt is skipped
    alpha, beta, gamma = plan.topics.values()
    assert (alpha.quality, beta.quality, gamma.quality) == ("draft", "final", "draft")
    assert alpha.pacing == {**CONFIG["pacing"], "min_step_seconds": 1.0}
    assert beta.pacing == {**CONFIG["pacing"], "min_step_seconds": 1.0, "seconds_per_word": 0.5}
    assert beta.meta == {"defaults": {"audience": "everyone here"}, "overrides": {"audience": "beta readers"}}
    assert gamma.source == "topics/extra/gamma.yaml" and gamma.overrides == {"language": "de"}
    assert beta.settings()["audience"] == "beta readers" and alpha.settings()["audience"] == "everyone here"
    # The plan survives the trip through a rule param.
    assert BuildPlan.from_json(json.loads(json.dumps(plan.to_json()))) == plan


def test_audience_precedence_override_then_topic_file_then_shared():
    topic = {"title": "T", "audience": "from the topic file"}
    shared = {"defaults": {"audience": "shared", "language": "fr"}}
    assert apply_topic_settings(topic, shared) == {"title": "T", "audience": "from the topic file", "language": "fr"}
    assert apply_topic_settings(topic, shared | {"overrides": {"audience": "forced"}})["audience"] == "forced"
    assert apply_topic_settings({"title": "T"}, shared)["audience"] == "shared"
    assert apply_topic_settings(topic, {}) is topic and apply_topic_settings(topic, None) is topic


def test_without_a_curriculum_the_config_decides(root):
    plan = build_plan(CONFIG | {"curriculum": None}, root)
    assert plan.curriculum is None and list(plan.topics) == ["alpha", "beta"]
    assert all(t.quality == "preview" and t.pacing == CONFIG["pacing"] and t.meta == {} for t in plan.topics.values())


def test_the_curriculum_may_choose_the_engine_of_the_run(root):
    (root / "topics" / "title-only.yaml").write_text("title: Only a title\n")
    path = write(root, {"title": "LLM", "engine": "llm", "topics": ["topics/title-only.yaml"]})
    assert build_plan(CONFIG | {"curriculum": path}, root).engine == "llm"
    # With the offline engine the same topic is refused, naming the topic file, not the curriculum.
    path = write(root, {"title": "Offline", "topics": ["topics/title-only.yaml"]})
    with pytest.raises(InputError) as err:
        build_plan(CONFIG | {"curriculum": path}, root)
    assert not isinstance(err.value, CurriculumError)
    assert str(err.value).startswith(str(root / "topics" / "title-only.yaml") + ": sections: expected")


@pytest.mark.parametrize("data, field, expected", [
    ("", "title", "a curriculum with a title and topics (the file is empty)"),
    ("- topics/alpha.yaml\n", "(top level)", "a mapping with title, topics and shared settings"),
    ("title: [unclosed\n", "line 2, column 1", "valid YAML"),
    ({"title": "No topics"}, "topics", "a value (this field is required)"),
    ({"title": "T", "topics": []}, "topics", "a list of at least 1 item(s)"),
    ({"title": "T", "colour": "red", "topics": ["topics/alpha.yaml"]}, "colour", "one of the known fields"),
    ({"title": "T", "quality": "ultra", "topics": ["topics/alpha.yaml"]}, "quality", "one of: preview, draft, final"),
    ({"title": "T", "language": "English", "topics": ["topics/alpha.yaml"]}, "language", "a text matching"),
    ({"title": "T", "pacing": {"min_step_seconds": 0}, "topics": ["topics/alpha.yaml"]}, "pacing.min_step_seconds",
     "a number at least 0.1"),
    ({"title": "T", "topics": [{"topic": "topics/alpha.yaml", "overrides": {"engine": "llm"}}]},
     "topics[0].overrides.engine",
     "a setting that can differ per topic (audience, language, quality, pacing); `engine` applies to the whole run: "
     "set it in the curriculum's top level"),
    ({"title": "T", "topics": ["topics/alpha.yaml", {"topic": "topics/beta.yaml", "overrides": {"critic": {}}}]},
     "topics[1].overrides.critic", "`critic` applies to the whole run: set it in config.yaml"),
    ({"title": "T", "topics": [{"topic": "topics/alpha.yaml", "overrides": {"colour": "red"}}]},
     "topics[0].overrides.colour", "one of the known fields: audience, language, pacing, quality"),
    ({"title": "T", "topics": [{"topic": "topics/alpha.yaml", "overrides": {"quality": "4k"}}]},
     "topics[0].overrides.quality", "one of: preview, draft, final"),
    ({"title": "T", "topics": [{"overrides": {"quality": "final"}}]}, "topics[0].topic", "a value"),
    ({"title": "T", "topics": [""]}, "topics[0]", "a non-empty text"),
    ({"title": "T", "topics": [3]}, "topics[0]", "a string or a mapping"),
    ({"title": "T", "topics": ["topics/alpha.yaml", "topics/missing.yaml"]}, "topics[1]",
     "an existing topic file, relative to the project folder"),
    ({"title": "T", "topics": ["topics/*.md"]}, "topics[0]", "a pattern that matches at least one topic file"),
    ({"title": "T", "topics": ["topics/notes.txt"]}, "topics[0]", "a topic file ending in .yaml, .yml or .md"),
    ({"title": "T", "topics": ["topics/alpha.yaml", "other/alpha.yaml"]}, "topics[1]",
     "a topic whose file name (its slug) is not already used by topics/alpha.yaml"),
    ({"title": "T", "pacing": {"min_step_seconds": 5, "max_step_seconds": 2}, "topics": ["topics/alpha.yaml"]},
     "pacing", "min_step_seconds no greater than max_step_seconds"),
    ({"title": "T", "topics": [{"topic": "topics/alpha.yaml", "overrides": {"pacing": {"min_step_seconds": 20}}}]},
     "topics[0].overrides.pacing", "min_step_seconds no greater than max_step_seconds"),
])
def test_mistakes_name_the_file_and_field(root, data, field, expected):
    (root / "other").mkdir()
    (root / "other" / "alpha.yaml").write_text(yaml.safe_dump(small_topic("Other alpha", sections=1)))
    path = write(root, data)
    with pytest.raises(CurriculumError) as err:
        load_curriculum(path, CONFIG, root)
    message = str(err.value)
    assert message.startswith(f"{path}: {field}: expected ") or message.startswith(f"{root / path}: {field}: expected "), message
    assert expected in message, message


def test_a_missing_curriculum_file_is_named(root):
    with pytest.raises(CurriculumError, match=r"curricula/nope.yaml: config.yaml curriculum: expected an existing "
                                              r"curriculum file"):
        load_curriculum("curricula/nope.yaml", CONFIG, root)
    with pytest.raises(CurriculumError, match="not a folder"):
        read_curriculum(root / "curricula")


# ------------------------------------------------------ through Snakemake ---

def test_snakemake_reports_a_bad_curriculum_in_one_line(project):
    project.write_topic("alpha.yaml", small_topic("Alpha", sections=1))
    (project.path / "curricula").mkdir()
    write(project.path, {"title": "T", "topics": [{"topic": "topics/alpha.yaml", "overrides": {"engine": "llm"}}]},
          "bad.yaml")
    proc = project.snakemake("-n", "--config", "curriculum=curricula/bad.yaml", check=False)
    assert proc.returncode != 0
    assert ("Invalid curriculum: curricula/bad.yaml: topics[0].overrides.engine: expected a setting that can differ "
            "per topic") in proc.stdout + proc.stderr
    # A mistake in one of its topics is reported as a topic's, naming the topic file.
    project.write_topic("beta.yaml", {"title": "Beta", "sections": [{"title": "S", "lines": ["x"],
                                                                      "visuals": [{"kind": "graph"}]}]})
    write(project.path, {"title": "T", "topics": ["topics/*.yaml"]}, "ok.yaml")
    proc = project.snakemake("-n", "--config", "curriculum=curricula/ok.yaml", check=False)
    assert proc.returncode != 0
    assert "Invalid topic: topics/beta.yaml: sections[0].visuals[0].kind: expected one of" in proc.stdout + proc.stderr
    # And the config option itself is checked.
    proc = project.snakemake("-n", "--config", "curriculum=[1]", check=False)
    assert proc.returncode != 0 and "Invalid configuration: config.yaml: curriculum: expected a string or nothing" \
        in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_per_topic_settings_reach_the_outline_and_storyboard(project):
    """Audience, language and pacing per topic, through the rules' params (no rendering)."""
    project.write_config(pacing=FAST_PACING)
    project.write_topic("alpha.yaml", small_topic("Alpha", sections=1))
    project.write_topic("beta.yaml", small_topic("Beta", sections=1) | {"audience": "the topic's own readers"})
    project.write_topic("gamma.yaml", small_topic("Gamma", sections=1) | {"audience": "gamma's own readers"})
    (project.path / "curricula").mkdir()
    path = write(project.path, {
        "title": "Settings", "audience": "shared readers", "language": "de",
        "topics": ["topics/alpha.yaml", "topics/beta.yaml",
                   {"topic": "topics/gamma.yaml", "overrides": {"audience": "forced readers", "language": "fr",
                                                                 "pacing": {"min_step_seconds": 4,
                                                                            "max_step_seconds": 5}}}],
    })
    project.snakemake("-j2", "--until", "storyboard", "--config", f"curriculum={path}")
    results = project.path / "results"
    outline = {s: json.loads((results / s / "outline.json").read_text()) for s in ("alpha", "beta", "gamma")}
    assert [(o["audience"], o["language"]) for o in outline.values()] == [
        ("shared readers", "de"), ("the topic's own readers", "de"), ("forced readers", "fr")]
    def steps(slug):
        board = json.loads((results / slug / "storyboard.json").read_text())
        return [step["duration"] for section in board["sections"] for step in section["steps"]]
    assert all(d <= FAST_PACING["max_step_seconds"] for d in steps("alpha"))
    assert all(4 <= d <= 5 for d in steps("gamma"))
    # A changed per-topic setting re-plans that topic only.
    write(project.path, {
        "title": "Settings", "audience": "shared readers", "language": "de",
        "topics": ["topics/alpha.yaml", "topics/beta.yaml",
                   {"topic": "topics/gamma.yaml", "overrides": {"audience": "other readers", "language": "fr",
                                                                 "pacing": {"min_step_seconds": 4,
                                                                            "max_step_seconds": 5}}}],
    })
    proc = project.snakemake("-n", "--until", "storyboard", "--config", f"curriculum={path}")
    planned = [line.strip() for line in proc.stdout.splitlines() if line.strip().startswith("wildcards:")]
    assert planned == ["wildcards: topic=gamma", "wildcards: topic=gamma"], proc.stdout
