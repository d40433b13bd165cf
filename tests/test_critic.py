"""The layout critic: trace, analysis and deterministic fixes on a corpus of scenes with known faults.

Every file in tests/layout_scenes/ says in its header what is wrong with it:

    # expect-problem: overlap label, plot   (kind, then the objects involved, front first)
    # expect-fix: deterministic             (or: none: no deterministic fix can apply)
    # expect-clean                          (a scene with no layout problem at all)

Each scene is measured once per session (a dry run in the sandbox that
records the layout trace) and then put through the critic's deterministic
rounds, two scenes at a time.
"""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT
from lessonreel.critic.analyze import PENALTY, analyze, load_trace, report_for
from lessonreel.critic.fixes import Action, apply_actions, free_area
from lessonreel.critic.stage import Measurer, deterministic_rounds

CORPUS = ROOT / "tests" / "layout_scenes"
SCENES = sorted(p.name for p in CORPUS.glob("*.py"))
FAULTS = [name for name in SCENES if name.startswith("fault_")]
CLEAN = [name for name in SCENES if name.startswith("clean_")]


def expectations(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    problems = []
    for kind, objects in re.findall(r"^# expect-problem: *(\w+) *(.*?)\s*$", text, re.M):
        problems.append((kind, [o.strip() for o in objects.split(",") if o.strip()]))
    fix = re.search(r"^# expect-fix: *(\w+)", text, re.M)
    return {"problems": problems, "fix": fix.group(1) if fix else None,
            "clean": re.search(r"^# expect-clean\b", text, re.M) is not None}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """name -> (first measurement, best after the deterministic rounds, rounds)."""
    base = tmp_path_factory.mktemp("layout")

    def run(name: str):
        work = base / name.removesuffix(".py")
        measure = Measurer("scene.py", "Section01", work, timeout=90, project_root=ROOT, package_root=ROOT)
        first = measure((CORPUS / name).read_text(encoding="utf-8"))
        assert first.ok, f"{name} does not run: {first.error}"
        best, rounds = deterministic_rounds(first, measure, 3)
        shutil.rmtree(work, ignore_errors=True)
        return first, best, rounds

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(SCENES, pool.map(run, SCENES)))
    return results


def test_corpus_size():
    assert len(FAULTS) >= 20 and len(CLEAN) >= 10
    for name in SCENES:
        exp = expectations(CORPUS / name)
        assert exp["clean"] == name.startswith("clean_"), name
        assert exp["clean"] or (exp["problems"] and exp["fix"] in ("deterministic", "none")), name


@pytest.mark.render
@pytest.mark.parametrize("name", FAULTS)
def test_every_fault_is_detected(corpus, name):
    first, _, _ = corpus[name]
    exp = expectations(CORPUS / name)
    found = first.report["problems"]
    found_kinds = {p["kind"] for p in found}
    assert found_kinds == {kind for kind, _ in exp["problems"]}, \
        f"{name}: expected {exp['problems']}, found {[(p['kind'], p['objects']) for p in found]}"
    for kind, objects in exp["problems"]:
        matching = [p for p in found if p["kind"] == kind]
        assert any(set(objects) <= set(p["objects"]) for p in matching), \
            f"{name}: {kind} should involve {objects}, found {[p['objects'] for p in matching]}"
        for p in matching:  # every problem says where it is and where it comes from
            assert p["cells"] or kind in ("off_frame", "margin", "lecture_column"), p
            assert all(isinstance(line, int) for line in p["lines"] if p["objects"]), p
    assert first.report["score"] == 100 - sum(PENALTY[p["kind"]] for p in found)


@pytest.mark.render
@pytest.mark.parametrize("name", CLEAN)
def test_no_false_alarm_on_clean_scenes(corpus, name):
    first, best, rounds = corpus[name]
    assert first.report["problems"] == [], [(p["kind"], p["objects"], p["message"]) for p in first.report["problems"]]
    assert first.report["score"] == 100 and best is first and rounds == []


@pytest.mark.render
@pytest.mark.parametrize("name", [n for n in FAULTS if expectations(CORPUS / n)["fix"] == "deterministic"])
def test_deterministic_fixes(corpus, name):
    first, best, rounds = corpus[name]
    exp = expectations(CORPUS / name)
    left = {p["kind"] for p in best.report["problems"]}
    assert not left & {kind for kind, _ in exp["problems"]}, \
        f"{name}: still {[(p['kind'], p['objects']) for p in best.report['problems']]} after {rounds}"
    assert best.score > first.score
    assert rounds[0]["verdict"] == "kept"
    assert "# layout critic" in best.code  # every change is marked in the revised scene


@pytest.mark.render
def test_fix_share_reported(corpus, capsys):
    """The share of faults the deterministic rounds fix, per kind (printed; the tests above hold the floor)."""
    per_kind: dict[str, list[int]] = {}
    for name in FAULTS:
        first, best, _ = corpus[name]
        for kind, _ in expectations(CORPUS / name)["problems"]:
            fixed = kind not in {p["kind"] for p in best.report["problems"]}
            per_kind.setdefault(kind, [0, 0])
            per_kind[kind][0] += fixed
            per_kind[kind][1] += 1
    with capsys.disabled():
        print("\nlayout corpus, fixed deterministically per kind: "
              + ", ".join(f"{k} {f}/{n}" for k, (f, n) in sorted(per_kind.items())))
    assert sum(f for f, _ in per_kind.values()) >= 0.6 * sum(n for _, n in per_kind.values())


# ------------------------------------------------------------ unit tests ---

def _write_trace(path: Path, snapshots: list[dict]) -> Path:
    header = {"trace": "lessonreel-layout", "version": 1, "scene_file": "scene.py", "class": "S",
              "frame": [14.2222, 8.0]}
    path.write_text("\n".join(json.dumps(x) for x in [header, *snapshots]) + "\n", encoding="utf-8")
    return path


def _unit(uid, name, boxes, **extra):
    xs = [b[0] for b in boxes] + [b[2] for b in boxes]
    ys = [b[1] for b in boxes] + [b[3] for b in boxes]
    return {"uid": uid, "name": name, "role": None, "bbox": [min(xs), min(ys), max(xs), max(ys)],
            "kind": extra.pop("kind", "text"), "font": extra.pop("font", 24), "area": extra.pop("area", None),
            "boxes": boxes, **extra}


def test_label_inside_filled_shape_is_fine_but_across_its_edge_is_not(tmp_path):
    square = [0, 0, 2, 2, "f"]
    inside = _unit(2, "label", [[0.5, 0.8, 1.5, 1.1, "t"]])
    across = _unit(3, "label2", [[1.5, 0.8, 2.8, 1.1, "t"]])
    trace = load_trace(_write_trace(tmp_path / "t.jsonl", [
        {"i": 0, "t": 1.0, "after": "play", "line": 5, "units": [_unit(1, "square", [square], kind="shape"), inside]},
        {"i": 1, "t": 2.0, "after": "play", "line": 6, "units": [_unit(1, "square", [square], kind="shape"), across]},
    ]))
    report = analyze(trace, "")
    assert [(p["kind"], p["objects"], p["time"]) for p in report["problems"]] == [("overlap", ["label2", "square"], 2.0)]


def test_text_in_empty_part_of_a_plot_is_fine(tmp_path):
    # a curve from (0,0) to (3,3) in short stroke chunks, and a label in the empty top-left corner
    curve = [[i * 0.25 - 0.03, i * 0.25 - 0.03, (i + 1) * 0.25 + 0.03, (i + 1) * 0.25 + 0.03, "s"] for i in range(12)]
    label = _unit(2, "label", [[0.1, 2.5, 1.2, 2.8, "t"]])
    on_curve = _unit(3, "tag", [[1.4, 1.5, 2.2, 1.8, "t"]])
    trace = load_trace(_write_trace(tmp_path / "t.jsonl", [
        {"i": 0, "t": 1.0, "after": "play", "line": 5,
         "units": [_unit(1, "plot", curve, kind="shape", font=None), label, on_curve]},
    ]))
    kinds = [(p["kind"], p["objects"]) for p in analyze(trace, "")["problems"]]
    assert kinds == [("overlap", ["tag", "plot"])]


def test_same_boxes_are_carried_over_and_edges_are_measured(tmp_path):
    trace = load_trace(_write_trace(tmp_path / "t.jsonl", [
        {"i": 0, "t": 1.0, "after": "play", "line": 5, "units": [_unit(1, "note", [[6.0, 0, 7.5, 0.4, "t"]])]},
        {"i": 1, "t": 2.0, "after": "wait", "line": 6,
         "units": [{**_unit(1, "note", [[6.0, 0, 7.5, 0.4, "t"]]), "boxes": "same"}]},
    ]))
    report = analyze(trace, "")
    (problem,) = report["problems"]
    assert problem["kind"] == "off_frame" and problem["time"] == 1.0 and problem["until"] == 2.0
    assert problem["snapshots"] == 2 and problem["amount"] == pytest.approx(7.5 - 64 / 9, abs=1e-3)


def test_free_area_picks_nearest_free_cells():
    from lessonreel import grid

    busy = [(grid.GRID.left, grid.cell_box("A4").bottom + 0.01, grid.GRID.right, grid.GRID.top)]  # rows 1-4
    assert free_area((5.1, -3.0, 6.4, -2.6), busy) == ("F6", "F6")  # one cell, where it already is
    assert free_area((-1.0, 1.0, 3.0, 2.5), busy) == ("B5", "D6")  # 3 x 2 cells, the nearest free ones
    assert free_area((0, 0, 1, 1), busy + [(grid.GRID.left, grid.GRID.bottom, grid.GRID.right, 0)]) is None


def test_actions_are_inserted_where_the_object_is_shown():
    source = (
        "class S(LessonScene):\n"
        "    def construct(self):\n"
        "        label = Text('x')\n"
        "        label.move_to(RIGHT * 9)\n"
        "        self.play(FadeIn(label))\n"
        "        for i in range(2):\n"
        "            self.wait(0.1)\n"
    )
    report = {"objects": [{"uid": 1, "name": "label", "label": "label", "kind": "text", "line": 3,
                           "shown_line": 5, "shown_time": 1.0, "bbox": [8, 0, 10, 1]}]}
    new, applied, refused = apply_actions(source, [Action("move", "label", 1, area=("E2", "F3"), reason="off_frame"),
                                                   Action("scale", "label", 1, factor=1.5, reason="tiny_text")],
                                          report)
    lines = new.splitlines()
    assert lines[4].strip().startswith("label.scale(1.5)")
    assert lines[5].strip().startswith('self.place_in(label, "E2", "F3")')
    assert lines[6].strip() == "self.play(FadeIn(label))"
    assert len(applied) == 2 and refused == []
    # a name that the report does not know is refused, with the reason
    _, applied, refused = apply_actions(source, [Action("move", "ghost", area=("A1", "A1"))], report)
    assert applied == [] and "ghost" in refused[0]["why"]


def test_a_real_trace_of_a_generated_section(tmp_path):
    """The trace a dry run records for a generated scene: kit parts by role, visuals by variable name."""
    from conftest import DATA  # noqa: F401  (fixtures live next to it)
    scene = tmp_path / "scene.py"
    shutil.copy(CORPUS / "clean_square_label_inside.py", scene)
    measure = Measurer("scene.py", "Section01", tmp_path / "work", timeout=90, project_root=ROOT, package_root=ROOT)
    measured = measure(scene.read_text(encoding="utf-8"))
    assert measured.ok
    roles = {u.role for s in measured.trace.snapshots for u in s.units}
    assert {"title", "lecture"} <= roles
    from lessonreel import grid
    lecture = [u.bbox for s in measured.trace.snapshots for u in s.units if u.role == "lecture"]
    assert max(b[2] for b in lecture) <= grid.LECTURE_COLUMN.right  # the kit's own lines stay in their column
    assert min(b[0] for b in lecture) >= grid.SAFE.left
    names = {o["name"] for o in measured.report["objects"]}
    assert names and None not in names
    for obj in measured.report["objects"]:
        assert obj["line"] and obj["shown_line"] >= obj["line"] and obj["cells"]
    assert report_for  # the same analysis the stage runs on a render's trace


# ------------------------------------------------- the vision critic, staged ---

def _critique(tmp_path, scene_name: str, server, *, rounds: int, vision_rounds: int = 2):
    """Render a corpus scene at preview with its trace, then run the critic stage with a scripted vision model."""
    from lessonreel.engines.llm import LLMEngine
    from lessonreel.llm import client_from_config
    from lessonreel.render import render_scene
    from lessonreel.critic.stage import critique_section

    section = tmp_path / "section"
    section.mkdir()
    scene = section / "scene.py"
    shutil.copy(CORPUS / scene_name, scene)
    render_scene(scene, "Section01", section / "section.mp4", "preview", project_root=ROOT, package_root=ROOT,
                 timeout=120, trace=section / "layout-trace.jsonl")
    config = {"base_url": server.base_url, "max_retries": 0,
              "roles": {"critic": {"model": "vision-model", "temperature": 0.0, "max_tokens": 800}}}
    engine = LLMEngine(client_from_config(config, cache_dir=tmp_path / "cache", ledger=tmp_path / "ledger.jsonl"))
    layout = critique_section(scene, section / "layout-trace.jsonl", section / "section.mp4",
                              out_scene=section / "scene.critic.py", out_video=section / "section.critic.mp4",
                              out_layout=section / "layout.json", class_name="Section01", quality="preview",
                              timeout=120, settings={"rounds": rounds, "vision": "auto", "vision_rounds": vision_rounds},
                              engine=engine, section_title="test", label="test", project_root=ROOT,
                              package_root=ROOT)
    return section, layout


@pytest.mark.render
def test_vision_critic_move_is_kept_when_the_layout_measures_better(tmp_path, monkeypatch):
    from fake_openai import ScriptedServer

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with ScriptedServer() as server:
        server.push(json.dumps({"problems": [{"object": "label", "line": 32, "issue": "the curve runs through it",
                                              "action": "move", "move_to": "E5:F5"}]}),
                    json.dumps({"problems": []}))
        # deterministic rounds off: the vision model has to find the fix
        section, layout = _critique(tmp_path, "fault_overlap_label_on_curve.py", server, rounds=0)
        assert server.count == 2
        first = server.bodies[0]
        images = [part for part in first["messages"][-1]["content"] if part.get("type") == "image_url"]
        assert len(images) == 2  # one keyframe per step, with the grid drawn over
        assert "label lies over plot" in first["messages"][-1]["content"][0]["text"]
    vision = [r for r in layout["rounds"] if r["by"] == "vision"]
    assert vision[0]["verdict"] == "kept" and vision[0]["before"] == 88 and vision[0]["after"] == 100
    assert vision[0]["prompt_tokens"] > 0 and vision[0]["keyframes"] == 2
    assert vision[1]["verdict"] == "no change proposed"
    assert layout["revised"] and layout["score"] == 100 and layout["before"]["score"] == 88
    assert 'self.place_in(label, "E5", "F5")  # layout critic: vision:' in (section / "scene.critic.py").read_text()
    ledger = [json.loads(line) for line in (tmp_path / "ledger.jsonl").read_text().splitlines()]
    assert [e["role"] for e in ledger] == ["critic", "critic"] and all(e["outcome"] == "ok" for e in ledger)


@pytest.mark.render
def test_vision_critic_move_that_makes_the_layout_worse_is_rejected(tmp_path, monkeypatch):
    from fake_openai import ScriptedServer

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with ScriptedServer() as server:
        # Moving the equation onto the bullets: the model means well, the measurement says no.
        server.push(json.dumps({"problems": [{"object": "law", "line": 33, "issue": "too far from the facts",
                                              "action": "move", "move_to": "A1:F3"}]}))
        section, layout = _critique(tmp_path, "clean_bullets_equation.py", server, rounds=3)
        assert server.count == 1
    (round_,) = layout["rounds"]
    assert round_["by"] == "vision" and round_["before"] == 100 and round_["after"] < 100
    assert round_["verdict"].startswith("rejected: score")
    assert not layout["revised"] and layout["score"] == 100
    assert (section / "scene.critic.py").read_text() == (section / "scene.py").read_text()
    assert (section / "section.critic.mp4").stat().st_ino == (section / "section.mp4").stat().st_ino
