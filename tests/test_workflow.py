"""End to end: Snakemake builds real videos, rebuilds only what changed, reports failures."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import DATA, FAST_PACING, small_topic
from lessonreel.errors import RenderError
from lessonreel.media import probe
from lessonreel.render import render_scene
from lessonreel.schemas import validate_file

pytestmark = pytest.mark.render


def stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns)


def test_every_visual_kind_renders_into_a_checked_video(project):
    """The all-kinds topic: every visual kind compiles, renders and joins; checked with ffprobe."""
    shutil.copy(DATA / "cell.png", project.path / "topics" / "cell.png")
    shutil.copy(DATA / "all_kinds.yaml", project.path / "topics" / "all_kinds.yaml")
    project.write_config(pacing=FAST_PACING)
    project.snakemake("-j2")
    out = project.path / "results" / "all_kinds"
    for name, schema in (("outline.json", "outline"), ("storyboard.json", "storyboard"), ("manifest.json", "manifest")):
        validate_file(out / name, schema)
    manifest = project.manifest("all_kinds")
    video = probe(out / "video.mp4")
    assert (video["width"], video["height"], round(video["fps"])) == (854, 480, 15)
    assert [s["id"] for s in manifest["sections"]] == ["01", "02", "03", "04", "05", "06"]
    section_total = sum(probe(out / "sections" / s["id"] / "section.mp4")["duration"] for s in manifest["sections"])
    assert abs(video["duration"] - section_total) < 0.5
    assert abs(manifest["duration"] - video["duration"]) < 0.01
    assert manifest["video"]["joined_by"] == "stream copy"
    assert all(s["status"] == "rendered" and len(s["content_hash"]) == 64 for s in manifest["sections"])
    for log in ("outline.log", "storyboard.log", "assemble.log", "render_01.log", "scene_02.log"):
        assert (out / "logs" / log).exists(), log
    assert (out / "benchmarks" / "render_03.tsv").exists()
    # The critic measured every section from its render; the offline compiler's layouts are clean.
    for section in manifest["sections"]:
        layout = validate_file(out / "sections" / section["id"] / "layout.json", "layout")
        assert layout["snapshots"] > 3 and layout["objects"], section["id"]
        assert section["layout"] == {"score": 100, "score_before": 100, "problems": 0, "revised": False,
                                     "report": str(Path("results/all_kinds/sections") / section["id"] / "layout.json")}
        first, passed = out / "sections" / section["id"] / "section.mp4", out / "sections" / section["id"] / "section.critic.mp4"
        assert first.stat().st_ino == passed.stat().st_ino  # passed through: the same file, not a copy


def test_editing_one_section_rebuilds_only_that_section(project):
    project.write_config(pacing=FAST_PACING)
    topic = small_topic("Edited", sections=3)
    project.write_topic("edited.yaml", topic)
    project.write_topic("other.yaml", small_topic("Other", sections=2))
    project.snakemake("-j2")
    results = project.path / "results"
    videos = {sid: results / "edited" / "sections" / sid / "section.mp4" for sid in ("01", "02", "03")}
    other = results / "other" / "sections" / "01" / "section.mp4"
    before = {sid: stamp(p) for sid, p in videos.items()}
    other_before = stamp(other)

    # Nothing changed: nothing to do.
    assert "Nothing to be done" in project.snakemake("-j1").stdout + project.snakemake("-n").stdout

    # A fresh clone or a branch switch gives every tracked file a new time: still nothing to do.
    for path in project.path.rglob("*"):
        if path.is_file() and "results" not in path.parts and ".snakemake" not in path.parts:
            os.utime(path)
    assert "Nothing to be done" in project.snakemake("-n").stdout

    # Edit the second section of one topic.
    topic["sections"][1]["lines"][1] = "A second line, now edited"
    topic["sections"][1]["visuals"][0]["tex"] = "x^2 + 2 = y"
    project.write_topic("edited.yaml", topic)
    project.snakemake("-j1", "--until", "storyboard")  # the cheap planning stages
    planned = sorted(project.planned_jobs())
    assert planned == sorted([
        ("all", ""),
        ("assemble", "topic=edited"),
        ("critic", "topic=edited, section=02"),
        ("gallery", ""),
        ("narrate", "topic=edited, section=02"),  # the edited line is also what it says
        ("render_section", "topic=edited, section=02"),
        ("scene", "topic=edited, section=02"),
        ("thumbnail", "topic=edited"),
    ]), planned

    project.snakemake("-j2")
    assert stamp(videos["01"]) == before["01"]
    assert stamp(videos["03"]) == before["03"]
    assert stamp(videos["02"]) != before["02"]
    assert stamp(other) == other_before
    assert "x^2 + 2 = y" in (results / "edited" / "sections" / "02" / "scene.py").read_text()
    assert "Nothing to be done" in project.snakemake("-n").stdout


def test_a_failing_section_fails_its_topic_and_names_it(project):
    project.write_config(pacing=FAST_PACING)
    project.write_topic("good.yaml", small_topic("Good", sections=1))
    project.write_topic("broken.yaml", small_topic("Broken", sections=2))
    project.snakemake("-j2")
    (project.path / "results" / "good" / "video.mp4").unlink()
    broken_video = project.path / "results" / "broken" / "video.mp4"
    built_before = stamp(broken_video)
    scene = project.path / "results" / "broken" / "sections" / "02" / "scene.py"
    scene.write_text(scene.read_text().replace("self.show_title()", "self.show_title()\n        self.no_such_method()"))
    proc = project.snakemake("-j2", "--keep-going", check=False)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "topic broken, section 02: render failed" in out
    assert "no_such_method" in out  # the end of the render log is shown
    assert (project.path / "results" / "good" / "video.mp4").exists()  # other topics went on
    assert (project.path / "results" / "broken" / "sections" / "01" / "section.mp4").exists()
    # The failed section is not silently dropped from a new video: the video
    # already built stays as it was until every section renders again.
    assert stamp(broken_video) == built_before


def test_render_timeout_kills_the_scene(tmp_path):
    scene = tmp_path / "scene.py"
    scene.write_text(textwrap.dedent("""
        from manim import *

        class Forever(Scene):
            def construct(self):
                while True:
                    pass
    """))
    with pytest.raises(RenderError, match="timed out after 3 s"):
        render_scene(scene, "Forever", tmp_path / "out.mp4", "preview", project_root=tmp_path,
                     package_root=Path(__file__).resolve().parent.parent, timeout=3, label="forever")


def test_render_environment_holds_no_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "also-secret")
    scene = tmp_path / "scene.py"
    scene.write_text(textwrap.dedent("""
        import os
        from manim import *

        class Leak(Scene):
            def construct(self):
                found = [k for k in os.environ if "KEY" in k or "SECRET" in k]
                if found:
                    raise RuntimeError("secrets visible: " + ",".join(found))
                self.add(Dot())
                self.wait(0.1)
    """))
    render_scene(scene, "Leak", tmp_path / "out.mp4", "preview", project_root=tmp_path,
                 package_root=Path(__file__).resolve().parent.parent, timeout=120)
    assert probe(tmp_path / "out.mp4")["duration"] > 0


def test_critic_fixes_an_edited_scene_and_can_be_switched_off(project):
    """A teacher's edit puts a label off the frame: the critic moves it back and the final video uses that."""
    project.write_config(pacing=FAST_PACING)
    project.write_topic("lab.yaml", small_topic("Lab", sections=2))
    project.snakemake("-j2")
    section = project.path / "results" / "lab" / "sections" / "02"
    scene = section / "scene.py"
    code = scene.read_text(encoding="utf-8")
    marker = "        self.finish()"
    edit = textwrap.indent(textwrap.dedent("""\
        remark = Text("Note this well", font_size=28)
        remark.move_to(RIGHT * 7.2 + DOWN * 1.5)
        self.play(FadeIn(remark), run_time=0.3)
        self.wait(0.3)
    """), "        ")
    scene.write_text(code.replace(marker, edit + marker), encoding="utf-8")
    project.snakemake("-j2")

    layout = validate_file(section / "layout.json", "layout")
    assert [p["kind"] for p in layout["before"]["problems"]] == ["off_frame"]
    assert layout["before"]["problems"][0]["objects"] == ["remark"]
    assert layout["revised"] and layout["score"] == 100 and layout["problems"] == []
    assert layout["rounds"][0]["verdict"] == "kept"
    revised = (section / "scene.critic.py").read_text(encoding="utf-8")
    assert 'self.place_in(remark, "' in revised and "# layout critic: off_frame" in revised
    assert scene.read_text(encoding="utf-8") != revised  # the teacher's file is left as it was
    assert (section / "section.critic.mp4").stat().st_ino != (section / "section.mp4").stat().st_ino
    manifest = project.manifest("lab")
    assert manifest["sections"][1]["layout"]["revised"] is True
    assert manifest["sections"][1]["scene"].endswith("scene.critic.py")
    assert abs(manifest["duration"] - probe(project.path / "results" / "lab" / "video.mp4")["duration"]) < 0.01

    # Critic off: the final video joins the first renders; nothing is critiqued.
    project.write_config(pacing=FAST_PACING, critic={"enabled": False})
    planned = project.planned_jobs()
    assert ("assemble", "topic=lab") in planned and not any(rule == "critic" for rule, _ in planned)
    project.snakemake("-j2")
    manifest = project.manifest("lab")
    assert "layout" not in manifest["sections"][1] and manifest["sections"][1]["scene"].endswith("/scene.py")
