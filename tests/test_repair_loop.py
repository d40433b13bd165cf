"""ScopeRefine end to end: scripted model answers walk a broken scene through every scope."""

from __future__ import annotations

import json

import pytest

from fake_openai import ScriptedServer, contains
from lessonreel import pipeline
from lessonreel.engines.llm import LLMEngine
from lessonreel.errors import RenderError
from lessonreel.llm import ModelClient, RoleSettings

pytestmark = pytest.mark.render

SECTION = {
    "id": "01", "title": "Stretching", "lines": ["Eigenvectors only stretch"],
    "steps": [{"line": 1, "narration": "", "duration": 0.3,
               "visual": {"kind": "animation", "description": "An arrow grows, then stretches along its line"}}],
}
SPEC = {"topic": {"slug": "t", "title": "T", "audience": "a", "language": "en"}, "first": False, "section": SECTION}
GOOD = ('arrow = Arrow(ORIGIN, RIGHT * 2, buff=0, color=theme.ACCENT)\n'
        'self.place_in(arrow, "B2", "E5")\n'
        'self.play(Create(arrow), run_time=0.3)')


def blocks(code: str) -> str:
    return json.dumps({"blocks": {"1": code}})


def build(tmp_path, server, budgets):
    roles = {r: RoleSettings(model="fake-model") for r in ("planner", "coder", "repair")}
    client = ModelClient(roles, base_url=server.base_url, api_key="x", cache_dir=tmp_path / "cache",
                         sleep=lambda s: None)
    engine = LLMEngine(client)
    out = tmp_path / "sections" / "01"
    out.mkdir(parents=True)
    pipeline._engine = lambda name, llm, topic_dir: engine  # the engine under test, with its scripted client
    return pipeline.build_scene(SPEC, str(out / "scene.py"), "storyboard.json", "llm", None,
                                {"verify": True, "timeout": 60, "budgets": budgets},
                                str(out / "scene.original.py"), str(out / "repair.json"))


@pytest.fixture(autouse=True)
def restore_engine_factory():
    original = pipeline._engine
    yield
    pipeline._engine = original


def test_deterministic_then_line_then_block(tmp_path):
    broken = GOOD.replace("Create(arrow)", "ShowCreation(arrow)") + "\nself.play(arrow.make_it_sparkle_brightly())"
    still_broken = json.dumps({"code": "        self.play(arrow.make_it_shine_brightly())"})
    fixed_block = json.dumps({"code": GOOD})
    rules = [(contains("You are the Coder"), blocks(broken)),
             (contains("(line scope)"), still_broken),
             (contains("(block scope)"), fixed_block)]
    with ScriptedServer(rules=rules) as server:
        code = build(tmp_path, server, {"deterministic": 2, "line": 1, "block": 1, "section": 1})
    log = json.loads((tmp_path / "sections" / "01" / "repair.json").read_text())
    scopes = [a["scope"] for a in log["attempts"]]
    assert scopes[0] == "deterministic" and log["attempts"][0]["error_class"] == "NameError"
    assert "line" in scopes and scopes[-1] == "block"
    assert log["ok"] and log["attempts"][-1]["outcome"] == "fixed"
    assert all(a["prompt_tokens"] > 0 for a in log["attempts"] if a["scope"] in ("line", "block"))
    assert "ShowCreation" in (tmp_path / "sections" / "01" / "scene.original.py").read_text()
    assert "make_it" not in code and "Create(arrow)" in code


def test_section_scope_regenerates_after_line_and_block_fail(tmp_path):
    broken = GOOD + "\nself.play(arrow.make_it_sparkle_brightly())"
    nope = json.dumps({"code": "        self.play(arrow.make_it_shine_brightly())"})
    rules = [(contains("An earlier version of these blocks failed"), blocks(GOOD)),
             (contains("You are the Coder"), blocks(broken)),
             (contains("You fix Manim"), nope)]
    with ScriptedServer(rules=rules) as server:
        build(tmp_path, server, {"deterministic": 1, "line": 1, "block": 1, "section": 1})
    log = json.loads((tmp_path / "sections" / "01" / "repair.json").read_text())
    assert [a["scope"] for a in log["attempts"]][-1] == "section"
    assert log["ok"]


def test_a_refused_scene_is_repaired_not_run(tmp_path):
    hostile = 'import os\nos.system("touch /tmp/lessonreel-pwned")\n' + GOOD
    rules = [(contains("An earlier version of these blocks failed"), blocks(GOOD)),
             (contains("You are the Coder"), blocks(hostile)),
             (contains("You fix Manim"), json.dumps({"code": "        pass"}))]
    with ScriptedServer(rules=rules) as server:
        build(tmp_path, server, {"deterministic": 1, "line": 0, "block": 0, "section": 1})
    log = json.loads((tmp_path / "sections" / "01" / "repair.json").read_text())
    assert log["attempts"][0]["error_class"] == "PolicyError"
    assert log["ok"]


def test_budget_exhausted_fails_with_the_last_error(tmp_path):
    broken = GOOD + "\nself.play(arrow.make_it_sparkle_brightly())"
    rules = [(contains("You are the Coder"), blocks(broken)),
             (contains("You fix Manim"), json.dumps({"code": "        self.play(arrow.make_it_shine())"}))]
    with ScriptedServer(rules=rules) as server:
        with pytest.raises(RenderError, match="still fails after"):
            build(tmp_path, server, {"deterministic": 1, "line": 1, "block": 0, "section": 0})
