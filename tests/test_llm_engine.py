"""The LLM engine through the real openai client against a scripted OpenAI-compatible server."""

from __future__ import annotations

import json

import pytest

from conftest import FAST_PACING, ROOT
from fake_openai import ScriptedServer, contains
from lessonreel.engines.llm import LLMEngine
from lessonreel.llm import ModelClient, RoleSettings
from lessonreel.schemas import validate

OUTLINE = {"sections": [
    {"title": "What an eigenvector is",
     "lines": ["A matrix moves most vectors off their line", "Eigenvectors stay on their own line"]},
    {"title": "Finding eigenvalues", "lines": ["Solve det(A - λI) = 0", "Each root is an eigenvalue"]},
]}
STORYBOARD = {"sections": [
    {"id": "01", "steps": [
        {"line": 1, "narration": "Most vectors change direction.", "visual": {"kind": "matrix", "rows": [[2, 1], [1, 2]]}},
        {"line": 2, "narration": "Eigenvectors only stretch.",
         "animation": "An arrow grows from the origin, then stretches along its own line"},
    ]},
    {"id": "02", "steps": [
        {"line": 1, "narration": "Set the determinant to zero.", "visual": {"kind": "equation", "tex": "\\det(A - \\lambda I) = 0"}},
        {"line": 2, "narration": "Its roots are the eigenvalues.",
         "visual": {"kind": "derivation", "steps": ["(2-\\lambda)^2 - 1 = 0", "\\lambda = 1 \\text{ or } \\lambda = 3"]}},
    ]},
]}
BLOCKS = {"blocks": {"2": (
    "arrow = Arrow(ORIGIN, RIGHT * 2, color=theme.ACCENT, buff=0)\n"
    'self.place_in(arrow, "B3", "E4")\n'
    "self.play(GrowArrow(arrow), run_time=1)\n"
    "self.play(arrow.animate.scale(1.3), run_time=1)"
)}}

PLANNER_RULES = [
    (contains("Plan the lesson as JSON"), json.dumps(OUTLINE)),
    (contains("Turn a lesson outline into"), json.dumps(STORYBOARD)),
    (contains("You are the Coder"), json.dumps(BLOCKS)),
]


def client_for(server, tmp_path) -> ModelClient:
    roles = {r: RoleSettings(model="fake-model") for r in ("planner", "coder", "repair")}
    return ModelClient(roles, base_url=server.base_url, api_key="sk-test", cache_dir=tmp_path / "cache",
                       ledger=tmp_path / "ledger.jsonl", sleep=lambda s: None)


def test_title_only_topic_is_planned_into_schema_valid_files(tmp_path):
    with ScriptedServer(rules=PLANNER_RULES) as server:
        engine = LLMEngine(client_for(server, tmp_path))
        topic = {"title": "Eigenvectors and eigenvalues", "audience": "first-year students"}
        outline = engine.outline(topic, "eigen")
        validate(outline, "outline", "outline.json")
        board = engine.storyboard(topic, outline, ROOT, FAST_PACING)
        validate(board, "storyboard", "storyboard.json")
        assert [s["id"] for s in board["sections"]] == ["01", "02"]
        animation = board["sections"][0]["steps"][1]["visual"]
        assert animation["kind"] == "animation" and "arrow" in animation["description"]
        spec = {"topic": {k: board[k] for k in ("slug", "title", "audience", "language")}, "first": True,
                "section": board["sections"][0]}
        code = engine.scene(spec, "storyboard.json")
        assert "GrowArrow(arrow)" in code and "# === Step 2 (line 2) ===" in code
        compile(code, "scene.py", "exec")
        assert server.count == 3


def test_a_teachers_full_sections_are_kept_and_compiled_offline(tmp_path):
    topic = {"title": "Waves", "sections": [
        {"title": "Given", "lines": ["A wave carries energy"], "visuals": [{"kind": "equation", "tex": "v = f\\lambda"}]},
    ]}
    with ScriptedServer() as server:  # any request would fail with HTTP 500
        engine = LLMEngine(client_for(server, tmp_path))
        outline = engine.outline(topic, "waves")
        board = engine.storyboard(topic, outline, ROOT, FAST_PACING)
        assert board["sections"][0]["steps"][0]["visual"]["tex"] == "v = f\\lambda"
        assert server.count == 0


def test_unsafe_tex_from_the_model_is_refused_and_asked_again(tmp_path):
    bad = json.loads(json.dumps(STORYBOARD))
    bad["sections"][1]["steps"][0]["visual"]["tex"] = "\\input{/etc/passwd}"
    with ScriptedServer(script=[json.dumps(OUTLINE), json.dumps(bad), json.dumps(STORYBOARD)]) as server:
        engine = LLMEngine(client_for(server, tmp_path))
        topic = {"title": "Eigenvectors and eigenvalues"}
        board = engine.storyboard(topic, engine.outline(topic, "eigen"), ROOT, FAST_PACING)
        assert board["sections"][1]["steps"][0]["visual"]["tex"].startswith("\\det")
        retry = server.requests[-1]["body"]["messages"][-1]["content"]
        assert "\\input is not allowed" in retry


@pytest.mark.render
def test_title_only_topic_builds_a_video_and_a_warm_rerun_makes_no_requests(project, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET-KEY")
    project.write_topic("eigen.yaml", {"title": "Eigenvectors and eigenvalues"})
    with ScriptedServer(rules=PLANNER_RULES) as server:
        llm = {"base_url": server.base_url, "cache_dir": ".cache/llm",
               "roles": {r: {"model": "fake-model"} for r in ("planner", "coder", "repair")}}
        project.write_config(engine="llm", llm=llm, pacing=FAST_PACING)
        project.snakemake("-j2")
        first = server.count
        assert first == 3  # outline, storyboard, one coder call
        manifest = project.manifest("eigen")
        assert [s["id"] for s in manifest["sections"]] == ["01", "02"]
        assert manifest["engine"] == "llm"
        ledger = (project.path / "results" / "eigen" / "ledger.jsonl").read_text()
        assert len(ledger.splitlines()) == 3
        cost = manifest["cost"]
        assert cost["model_calls"] == 3 and cost["prompt_tokens"] > 0 and cost["completion_tokens"] > 0
        # Rebuild everything from scratch with the cache warm: no HTTP request at all.
        import shutil

        shutil.rmtree(project.path / "results")
        project.snakemake("-j2")
        assert server.count == first
        assert project.manifest("eigen")["cost"]["cached_calls"] == 3
        assert "Nothing to be done" in project.snakemake("-n").stdout

        # Changing a prompt template re-runs exactly the stages that use it.
        coder = project.path / "prompts" / "coder.md"
        coder.write_text(coder.read_text().replace("at most 25 lines", "at most 20 lines"))
        planned = {rule for rule, _ in project.planned_jobs()}
        assert {"scene", "render_section", "assemble"} <= planned
        assert not planned & {"outline", "storyboard"}
        coder.write_text(coder.read_text().replace("at most 20 lines", "at most 25 lines"))
        assert "Nothing to be done" in project.snakemake("-n").stdout
        story = project.path / "prompts" / "storyboard.md"
        story.write_text(story.read_text() + "\n")
        planned = {rule for rule, _ in project.planned_jobs()}
        assert "storyboard" in planned and "outline" not in planned
    for path in list((project.path / "results").rglob("*")) + list((project.path / ".cache").rglob("*")) + \
            list((project.path / ".snakemake").rglob("*")):
        if path.is_file():
            assert b"sk-test-SECRET-KEY" not in path.read_bytes(), path


ARRAY_OUTLINE = {"sections": [{"title": "Searching a sorted list",
                               "lines": ["Start with the whole list", "Check the middle", "Drop the smaller half"]}]}
ARRAY_STORYBOARD = {"sections": [{"id": "01", "steps": [
    {"line": 1, "narration": "lo and hi mark the whole list.",
     "visual": {"kind": "array", "values": [3, 8, 12, 17, 23], "pointers": {"lo": 0, "hi": 4},
                "steps": [{"pointers": {"mid": 2}, "compare": [2, 4], "cue": "middle item"},
                          {"grey": [0, 1, 2], "pointers": {"lo": 3}, "cue": "we drop"}]}},
    {"line": 2, "narration": "We look at the middle item, twelve."},
    {"line": 3, "narration": "Twelve is too small, so we drop everything up to it."},
]}]}


def test_a_planned_array_is_compiled_not_sent_to_the_coder(tmp_path):
    """A stepped visual in the Planner's answer is drawn by the offline compiler: no Coder call."""
    rules = [(contains("Plan the lesson as JSON"), json.dumps(ARRAY_OUTLINE)),
             (contains("Turn a lesson outline into"), json.dumps(ARRAY_STORYBOARD))]
    with ScriptedServer(rules=rules) as server:
        engine = LLMEngine(client_for(server, tmp_path))
        topic = {"title": "Binary search"}
        outline = engine.outline(topic, "bs")
        board = engine.storyboard(topic, outline, ROOT, FAST_PACING)
        validate(board, "storyboard", "storyboard.json")
        steps = board["sections"][0]["steps"]
        assert [s.get("changes") for s in steps] == [
            None, [{"visual": 0, "step": 0, "beat": 0, "cue": "middle item"}],
            [{"visual": 0, "step": 1, "beat": 0, "cue": "we drop"}]]
        spec = {"topic": {k: board[k] for k in ("slug", "title", "audience", "language")}, "first": False,
                "section": board["sections"][0]}
        code = engine.scene(spec, "storyboard.json")
        compile(code, "scene.py", "exec")
        assert "array = V.array(" in code and "self.play_changes(array.step(1)" in code
        assert server.count == 2  # outline and storyboard; the Coder was never asked
        assert not any("You are the Coder" in json.dumps(r) for r in server.requests)


def test_a_planned_array_with_a_bad_pointer_is_asked_again(tmp_path):
    bad = json.loads(json.dumps(ARRAY_STORYBOARD))
    bad["sections"][0]["steps"][0]["visual"]["steps"][0]["pointers"]["mid"] = 9
    with ScriptedServer(script=[json.dumps(ARRAY_OUTLINE), json.dumps(bad), json.dumps(ARRAY_STORYBOARD)]) as server:
        engine = LLMEngine(client_for(server, tmp_path))
        topic = {"title": "Binary search"}
        board = engine.storyboard(topic, engine.outline(topic, "bs"), ROOT, FAST_PACING)
        assert server.count == 3
        retry = json.dumps(server.requests[-1])
        assert "steps[0].pointers.mid" in retry and "from 0 to 4" in retry
        assert board["sections"][0]["steps"][1]["changes"][0]["step"] == 0
