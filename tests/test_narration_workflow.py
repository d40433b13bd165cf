"""End to end with narration: videos that speak, subtitles timed from the real audio, a cache that holds."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FAST_PACING
from lessonreel.narration.stage import said_in
from lessonreel.schemas import validate_file

pytestmark = [pytest.mark.render,
              pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")]

TOPIC = {
    "title": "Squares and roots",
    "audience": "high school students",
    "language": "en",
    "sections": [
        {"title": "Squares", "lines": ["Squaring multiplies a number by itself", "Three squared is nine"],
         "narration": ["To square a number, multiply it by itself.",
                       "For example, three times three is nine. That is three squared."],
         "visuals": [{"kind": "equation", "tex": "3^2 = 9", "line": 2}]},
        {"title": "Roots", "lines": ["A square root undoes squaring"],
         "visuals": [{"kind": "text", "text": "The root of nine is three"}]},
    ],
}


def streams(path: Path) -> dict[str, dict]:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                          "stream=codec_type,codec_name,duration,avg_frame_rate,sample_rate", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return {s["codec_type"]: s for s in json.loads(out)["streams"]}


def srt_cues(text: str) -> list[tuple[float, float, str]]:
    def seconds(stamp: str) -> float:
        h, m, rest = stamp.split(":")
        s, ms = rest.split(",")
        return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000

    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        start, end = re.fullmatch(r"(\S+) --> (\S+)", lines[1]).groups()
        cues.append((seconds(start), seconds(end), "\n".join(lines[2:])))
    return cues


def test_a_narrated_topic_speaks_with_subtitles_and_a_second_build_synthesises_nothing(project):
    project.write_config(pacing=FAST_PACING)
    project.write_topic("squares.yaml", TOPIC)
    project.snakemake("-j2")
    out = project.path / "results" / "squares"
    manifest = validate_file(out / "manifest.json", "manifest")

    # Every section video and the final video carry audio; the final is H.264 + AAC, same length within a frame.
    for sid in ("01", "02"):
        for name in ("section.mp4", "section.critic.mp4"):
            assert "audio" in streams(out / "sections" / sid / name), (sid, name)
    final = streams(out / "video.mp4")
    assert final["video"]["codec_name"] == "h264" and final["audio"]["codec_name"] == "aac"
    num, den = map(int, final["video"]["avg_frame_rate"].split("/"))
    assert abs(float(final["video"]["duration"]) - float(final["audio"]["duration"])) <= den / num + 1e-3
    head = (out / "video.mp4").read_bytes()[:1 << 20]
    assert head.find(b"moov") < head.find(b"mdat")  # faststart: playable while it downloads
    assert manifest["video"]["joined_by"] == "stream copy"

    # Speech first: each narrated step lasts at least as long as its voice.
    narrations = [validate_file(out / "sections" / sid / "narration.json", "narration") for sid in ("01", "02")]
    assert [len(n["steps"]) for n in narrations] == [2, 1]
    assert narrations[1]["steps"][0]["text"] == "A square root undoes squaring"  # the lecture line by default
    assert narrations[0]["title"]["text"] == "Squares and roots" and not narrations[1].get("title")
    for sid, narration in zip(("01", "02"), narrations):
        layout = json.loads((out / "sections" / sid / "layout.json").read_text())
        assert [v["id"] for v in layout["voices"]] == [s["id"] for s in said_in(narration)]
        assert layout["duration"] >= layout["voices"][-1]["t"] + layout["voices"][-1]["seconds"]

    # Subtitles: SRT and WebVTT, monotonic, non-overlapping, inside the video, each section's after its start.
    cues = srt_cues((out / "video.srt").read_text())
    vtt = (out / "video.vtt").read_text()
    assert vtt.startswith("WEBVTT") and vtt.count(" --> ") == len(cues) == manifest["narration"]["subtitles"]["cues"]
    assert all(end > start for start, end, _ in cues)
    assert all(a[1] <= b[0] + 1e-9 for a, b in zip(cues, cues[1:]))
    assert cues[-1][1] <= manifest["duration"] + 1e-3
    second_start = manifest["sections"][1]["start"]
    assert second_start > 0 and cues[-1][0] >= second_start
    assert cues[0][2] == "Squares and roots"  # said on the title card
    assert "multiply it by itself" in cues[1][2].replace("\n", " ")
    assert all(len(line) <= 42 for _, _, text in cues for line in text.splitlines())

    # The manifest: words, seconds and words per minute per section, with the audience's pace flag.
    first = manifest["sections"][0]["narration"]
    assert first["words"] == 3 + 8 + 11 and 0 < first["seconds"] < 20
    assert abs(first["wpm"] - first["words"] * 60 / first["seconds"]) < 0.5
    assert first["pace"] in ("ok", "too slow", "too fast") and first["range"]
    assert manifest["narration"]["voice"]["voice"] == "en-us"
    assert manifest["video"]["audio"]["codec"] == "aac"

    # A second build from scratch: every narration comes from the cache.
    shutil.rmtree(project.path / "results")
    project.snakemake("-j2")
    for sid in ("01", "02"):
        again = json.loads((out / "sections" / sid / "narration.json").read_text())
        assert again["steps"] and all(s["cached"] for s in again["steps"]), sid
    assert "Nothing to be done" in project.snakemake("-n").stdout


def test_editing_one_narration_re_speaks_only_that_section(project):
    project.write_config(pacing=FAST_PACING, critic={"enabled": False})
    project.write_topic("squares.yaml", TOPIC)
    project.snakemake("-j2")
    edited = json.loads(json.dumps(TOPIC))
    edited["sections"][0]["narration"][1] = "Three times three is nine."
    project.write_topic("squares.yaml", edited)
    project.snakemake("-j1", "--until", "storyboard")
    planned = sorted(project.planned_jobs())
    assert planned == sorted([("all", ""), ("assemble", "topic=squares"), ("gallery", ""),
                              ("narrate", "topic=squares, section=01"), ("render_section", "topic=squares, section=01"),
                              ("scene", "topic=squares, section=01"), ("thumbnail", "topic=squares")]), planned
    project.snakemake("-j2")
    cues = srt_cues((project.path / "results" / "squares" / "video.srt").read_text())
    assert any("Three times three is nine." in text.replace("\n", " ") for _, _, text in cues)


def test_engine_none_builds_silent_videos_without_subtitles(project):
    project.write_config(pacing=FAST_PACING, narration={"engine": "none"})
    project.write_topic("squares.yaml", TOPIC)
    project.snakemake("-j2")
    out = project.path / "results" / "squares"
    assert "audio" not in streams(out / "video.mp4")
    assert not (out / "video.srt").exists()
    manifest = project.manifest("squares")
    assert manifest["narration"] is None and "narration" not in manifest["sections"][0]
    assert "narrate(" not in (out / "sections" / "01" / "scene.py").read_text()


CHINESE = {
    "title": "勾股定理",
    "audience": "初中学生",
    "language": "zh",
    "sections": [
        {"title": "直角三角形", "lines": ["直角三角形有一个九十度的角", "最长的边叫做斜边，它对着直角"],
         "visuals": [{"kind": "text", "text": "两条直角边的平方和等于斜边的平方", "line": 2}]},
    ],
}


def test_a_chinese_topic_speaks_mandarin_in_a_cjk_font(project):
    project.write_config(pacing=FAST_PACING)
    project.write_topic("gougu.yaml", CHINESE)
    project.snakemake("-j2")
    out = project.path / "results" / "gougu"
    narration = validate_file(out / "sections" / "01" / "narration.json", "narration")
    assert narration["voice"]["voice"] == "cmn" and narration["language"] == "zh"
    assert narration["pace"]["pace"] == "not rated"  # words per minute mean little without spaces
    assert "audio" in streams(out / "video.mp4")
    scene = (out / "sections" / "01" / "scene.py").read_text()
    assert "language = 'zh'" in scene
    layout = json.loads((out / "sections" / "01" / "layout.json").read_text())
    assert layout["score"] == 100, layout["problems"]
    cues = srt_cues((out / "video.srt").read_text())
    assert cues and "".join(text.replace("\n", "") for _, _, text in cues).startswith("勾股定理直角三角形有一个九十度的角")


def test_a_voice_espeak_does_not_have_fails_clearly_and_keeps_the_built_video(project):
    project.write_config(pacing=FAST_PACING, critic={"enabled": False})
    project.write_topic("squares.yaml", TOPIC)
    project.snakemake("-j2")
    video = project.path / "results" / "squares" / "video.mp4"
    before = video.read_bytes()
    project.write_config(pacing=FAST_PACING, critic={"enabled": False}, narration={"voice": "germn"})
    proc = project.snakemake("-j2", check=False)
    assert proc.returncode != 0
    said = proc.stdout + proc.stderr
    assert "rule narrate" in said and "config.yaml, narration.voice: espeak-ng has no voice 'germn'" in said
    assert "close voices:" in said and "german" in said
    assert video.read_bytes() == before  # nothing already built is lost
