"""Helpers for the tests of visuals that change step by step: plan, write, render, read the trace.

``build(tmp, topic)`` runs a topic through the offline planner and the
code generator exactly as the workflow does (optionally with silent voice
files of given lengths, so narrated timing is real), ``render(...)`` renders
the section at preview quality in the sandbox with its layout trace, and
``Rendered`` answers questions about the trace: where a named part of a
visual was after a given step, and the layout report.
"""

from __future__ import annotations

import json
import wave
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT
from lessonreel import codegen, planner
from lessonreel.critic.analyze import measure
from lessonreel.render import render_scene
from lessonreel.topic import check_topic
from lessonreel.schemas import validate

PACING = {"seconds_per_word": 0.05, "min_step_seconds": 0.5, "max_step_seconds": 3.0}


@dataclass
class Built:
    scene: Path
    section: dict
    voice_dir: Path | None


def build(tmp: Path, topic: dict, section: int = 0, voices: dict[int, float] | None = None,
          pacing: dict | None = None) -> Built:
    """Check, plan and write the scene of one section of ``topic`` into ``tmp``.

    ``voices`` maps step numbers (1-based) to the seconds of a silent voice
    recording made for them, so the scene is timed as a narrated one.
    """
    tmp.mkdir(parents=True, exist_ok=True)
    validate(topic, "topic", "test topic")
    check_topic(topic, Path("test topic"), ROOT)
    outline = planner.make_outline(topic, "test")
    board = planner.make_storyboard(topic, outline, ROOT, pacing or PACING)
    validate(board, "storyboard", "test storyboard")
    spec = board["sections"][section]
    voice_dir = None
    scene_voices = None
    if voices:
        voice_dir = tmp / "voice"
        voice_dir.mkdir(exist_ok=True)
        steps = {}
        for number, seconds in voices.items():
            vid = f"s{number:02d}"
            _silence(voice_dir / f"{vid}.wav", seconds)
            steps[str(number)] = {"id": vid, "seconds": seconds}
        scene_voices = {"steps": steps, "pause": 0.4}
    code = codegen.generate_scene(spec, topic, "test topic", first_section=False, voices=scene_voices)
    scene = tmp / "scene.py"
    scene.write_text(code, encoding="utf-8")
    return Built(scene, spec, voice_dir)


def _silence(path: Path, seconds: float, rate: int = 16000) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\0\0" * int(rate * seconds))


class Rendered:
    def __init__(self, built: Built, video: Path, trace: Path):
        self.built, self.video, self.trace_path = built, video, trace
        self.records = [json.loads(line) for line in trace.read_text().splitlines() if line.strip()]
        self.snapshots = [r for r in self.records if "i" in r]
        self.report, _ = measure(trace, built.scene.read_text(encoding="utf-8"))

    @property
    def score(self) -> float:
        return self.report["score"]

    def plays(self, visual: str) -> list[dict]:
        """The snapshots after a play that animated ``visual`` (its entrance, then each step's phases)."""
        return [s for s in self.snapshots if s["after"] == "play"
                and any(u.get("name") == visual and u.get("touched") for u in s["units"])]

    def parts_at(self, snapshot: dict, visual: str) -> dict:
        for unit in snapshot["units"]:
            if unit.get("name") == visual:
                return unit.get("parts") or {}
        return {}

    def after_line(self, visual: str, code_fragment: str) -> dict:
        """The parts of ``visual`` in the last snapshot of the play whose source line contains the fragment.

        Generated scenes play each step as ``self.play_changes(name.step(k), ...)``;
        a play's snapshot records that source line, so ``after_step`` can find it.
        """
        lines = self.built.scene.read_text(encoding="utf-8").splitlines()
        wanted = {n + 1 for n, text in enumerate(lines) if code_fragment in text}
        found = [s for s in self.snapshots if s["line"] in wanted and s["after"] == "play"]
        assert found, f"no play from a line with {code_fragment!r}"
        return self.parts_at(found[-1], visual)

    def after_step(self, visual: str, k: int) -> dict:
        return self.after_line(visual, f"{visual}.step({k})")

    def after_entrance(self, visual: str) -> dict:
        return self.after_line(visual, f"{visual}.entrance()")

    def play_start(self, snapshot: dict) -> float:
        """When the play that ended at ``snapshot`` began: the end of whatever came before it."""
        timed = [s for s in self.snapshots if "t" in s]
        return timed[timed.index(snapshot) - 1]["t"]

    def voice_start(self, number: int) -> float:
        vid = f"s{number:02d}"
        return next(r["t"] for r in self.records if r.get("voice") == vid)


def render(tmp: Path, built: Built, timeout: float = 240) -> Rendered:
    video = tmp / "section.mp4"
    trace = tmp / "layout-trace.jsonl"
    class_name = codegen.class_name(built.section["id"])
    render_scene(built.scene, class_name, video, "preview", project_root=ROOT, package_root=ROOT,
                 timeout=timeout, trace=trace, voice_dir=built.voice_dir)
    return Rendered(built, video, trace)


def center(part: list) -> tuple[float, float]:
    return ((part[0] + part[2]) / 2, (part[1] + part[3]) / 2)


def inside(inner: list, outer: list, tol: float = 0.02) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol
            and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol)
