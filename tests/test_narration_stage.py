"""The narrate stage and speech-first scenes: narration.json, voice files, scene timing and the rendered audio."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lessonreel import codegen
from lessonreel.critic.analyze import load_trace
from lessonreel.errors import RenderError
from lessonreel.narration.stage import narrate_section, scene_voices, section_narration
from lessonreel.narration.tts import TTSError
from lessonreel.render import render_scene

ROOT = Path(__file__).resolve().parent.parent
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed (./setup.sh installs it)")
ESPEAK = {"engine": "espeak-ng", "voice": "auto", "pause": 0.4, "espeak": {"speed": 150, "pitch": 50}}

BOARD = {
    "slug": "demo", "title": "Demo", "audience": "high school", "language": "en", "engine": "offline",
    "sections": [{
        "id": "01", "title": "Squares", "lines": ["A square has four equal sides", "Its area is side times side"],
        "steps": [
            {"line": 1, "narration": "A square has four equal sides.", "visual": None, "duration": 2.5},
            {"line": 2, "narration": "Its area is the side times itself.",
             "visual": {"kind": "equation", "tex": "A = s^2"}, "duration": 3.0},
            {"line": 2, "narration": "", "visual": {"kind": "text", "text": "s = 3 gives 9"}, "duration": 2.5},
        ],
    }],
}


def ffprobe_streams(path: Path) -> dict[str, float]:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,duration", "-of", "json",
                          str(path)], capture_output=True, text=True, check=True).stdout
    return {s["codec_type"]: float(s["duration"]) for s in json.loads(out)["streams"]}


def test_section_narration_lists_only_steps_that_speak():
    spec = section_narration(BOARD, "01")
    assert spec["language"] == "en" and spec["audience"] == "high school"
    assert [(s["step"], s["line"]) for s in spec["steps"]] == [(1, 1), (2, 2)]  # step 3 has no narration
    assert spec["steps"][1]["text"] == "Its area is the side times itself."


def test_scene_code_speaks_first_and_lasts_as_long_as_its_voice():
    section = BOARD["sections"][0]
    voices = {"pause": 0.5, "steps": {"1": {"id": "a" * 16, "seconds": 2.71}, "2": {"id": "b" * 16, "seconds": 3.2}}}
    code = codegen.generate_scene(section, BOARD, "topics/demo.yaml", False, voices=voices)
    assert "    voice_pause = 0.5\n" in code
    step1 = code[code.index("# === Step 1"):code.index("# === Step 2")]
    step2 = code[code.index("# === Step 2"):code.index("# === Step 3")]
    step3 = code[code.index("# === Step 3"):]
    # The voice starts with the step, before its first animation; the step ends when it has been said.
    assert step1.index("self.narrate('aaaaaaaaaaaaaaaa', 2.71)") < step1.index("self.highlight_line(0)")
    assert step1.rstrip().endswith("self.wait_for_voice(at_least=2.5)")
    assert "self.narrate('bbbbbbbbbbbbbbbb', 3.2)" in step2 and "wait_for_voice(at_least=3)" in step2
    # A step without narration keeps its planned wait.
    assert "narrate(" not in step3 and "self.wait(2.5)" in step3
    first = codegen.generate_scene(section, BOARD, "topics/demo.yaml", True,
                                   voices={**voices, "title": {"id": "c" * 16, "seconds": 1.1}})
    assert "self.title_card('Demo', 'for high school', voice=('cccccccccccccccc', 1.1))" in first
    silent = codegen.generate_scene(section, BOARD, "topics/demo.yaml", False)
    assert "narrate(" not in silent and "wait_for_voice" not in silent and "voice_pause" not in silent


@needs_espeak
def test_narrate_section_writes_measured_audio_and_hits_the_cache_the_second_time(tmp_path):
    spec = section_narration(BOARD, "01")
    out = tmp_path / "sections" / "01"
    record = narrate_section(spec, ESPEAK, out / "narration.json", out / "voice", cache_dir=tmp_path / "cache")
    assert record["voice"]["voice"] == "en-us" and record["engine"] == "espeak-ng"
    assert [s["cached"] for s in record["steps"]] == [False, False]
    for step in record["steps"]:
        wav = out / "voice" / f"{step['id']}.wav"
        assert wav.is_file() and step["key"].startswith(step["id"])
        # the seconds are the file's own length (ffprobe agrees within a millisecond)
        assert abs(ffprobe_streams(wav)["audio"] - step["seconds"]) < 1e-3
        assert 1.0 < step["seconds"] < 5.0
    # the first section also says the topic's title on its title card
    assert record["title"]["text"] == "Demo" and (out / "voice" / f"{record['title']['id']}.wav").is_file()
    assert record["pace"]["words"] == 1 + 13 and record["pace"]["pace"] in ("ok", "too slow", "too fast")
    assert json.loads((out / "narration.json").read_text()) == record

    again = narrate_section(spec, ESPEAK, out / "narration.json", out / "voice", cache_dir=tmp_path / "cache")
    assert [s["cached"] for s in again["steps"]] == [True, True]
    assert [s["seconds"] for s in again["steps"]] == [s["seconds"] for s in record["steps"]]

    voices = scene_voices(out / "narration.json")
    assert voices["pause"] == 0.4 and set(voices["steps"]) == {"1", "2"}
    assert voices["steps"]["1"]["id"] == record["steps"][0]["id"]


def test_engine_none_writes_an_empty_narration(tmp_path):
    record = narrate_section(section_narration(BOARD, "01"), {"engine": "none"}, tmp_path / "n.json",
                             tmp_path / "voice", cache_dir=tmp_path / "cache")
    assert record["steps"] == [] and record["voice"] is None and record["pace"]["pace"] == "not rated"
    assert scene_voices(tmp_path / "n.json") is None and (tmp_path / "voice").is_dir()


@needs_espeak
def test_an_unknown_voice_is_a_clear_error_naming_close_ones(tmp_path):
    with pytest.raises(TTSError) as info:
        narrate_section(section_narration(BOARD, "01"), {**ESPEAK, "voice": "germn"}, tmp_path / "n.json",
                        tmp_path / "voice", cache_dir=tmp_path / "cache")
    message = str(info.value)
    assert message.startswith("config.yaml, narration.voice: ")
    assert "no voice 'germn'" in message and "close voices:" in message and "german" in message
    assert not (tmp_path / "n.json").exists()


def test_a_missing_espeak_binary_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng anywhere
    with pytest.raises(TTSError) as info:
        narrate_section(section_narration(BOARD, "01"), {**ESPEAK, "voice": "en-us"}, tmp_path / "n.json",
                        tmp_path / "voice", cache_dir=tmp_path / "cache")
    assert "espeak-ng is not installed" in str(info.value) and "setup.sh" in str(info.value)


@needs_espeak
def test_a_narrated_scene_renders_with_its_voice_and_never_cuts_it_off(tmp_path):
    spec = section_narration(BOARD, "01")
    section_dir = tmp_path / "sections" / "01"
    record = narrate_section(spec, ESPEAK, section_dir / "narration.json", section_dir / "voice",
                             cache_dir=tmp_path / "cache")
    section = BOARD["sections"][0]
    fast = {**section, "steps": [{**s, "duration": 0.3} for s in section["steps"]]}  # speech sets the pace
    code = codegen.generate_scene(fast, BOARD, "topics/demo.yaml", False,
                                  voices=scene_voices(section_dir / "narration.json"))
    scene = section_dir / "scene.py"
    scene.write_text(code)
    video, trace = section_dir / "section.mp4", section_dir / "trace.jsonl"
    render_scene(scene, "Section01", video, "preview", project_root=ROOT, package_root=ROOT, timeout=300,
                 trace=trace, voice_dir=section_dir / "voice")
    streams = ffprobe_streams(video)
    assert "audio" in streams and "video" in streams
    voices = load_trace(trace).voices
    assert [v["id"] for v in voices] == [s["id"] for s in record["steps"]]
    snapshots = load_trace(trace).snapshots
    # Each voice ends (plus the pause) before the next step starts, and the audio track ends with the last voice.
    for voice, following in zip(voices, voices[1:]):
        assert voice["t"] + voice["seconds"] + 0.4 <= following["t"] + 1e-6
    last = voices[-1]
    assert abs(streams["audio"] - (last["t"] + last["seconds"])) < 0.1
    assert streams["video"] >= last["t"] + last["seconds"] + 0.4
    assert snapshots[-1].time == pytest.approx(streams["video"], abs=0.1)


@needs_espeak
def test_a_missing_voice_file_fails_the_render_with_a_clear_message(tmp_path):
    section = BOARD["sections"][0]
    voices = {"pause": 0.4, "steps": {"1": {"id": "0123456789abcdef", "seconds": 1.0}}}
    scene = tmp_path / "scene.py"
    scene.write_text(codegen.generate_scene(section, BOARD, "topics/demo.yaml", False, voices=voices))
    (tmp_path / "voice").mkdir()
    with pytest.raises(RenderError) as info:
        render_scene(scene, "Section01", tmp_path / "out.mp4", "preview", project_root=ROOT, package_root=ROOT,
                     timeout=300, voice_dir=tmp_path / "voice")
    assert "narration audio" in str(info.value) and "0123456789abcdef.wav is missing" in str(info.value)


def test_narration_through_an_openai_compatible_speech_server_is_counted_apart(tmp_path, monkeypatch):
    from test_narration import FakeSpeechServer

    from lessonreel.errors import InputError
    from lessonreel.pipeline import model_cost

    monkeypatch.setenv("LESSONREEL_TEST_SPEECH_KEY", "sk-speech-secret")
    server = FakeSpeechServer(seconds=1.5)
    try:
        llm = {"base_url": server.base_url, "api_key_env": "LESSONREEL_TEST_SPEECH_KEY",
               "roles": {"speech": {"model": "tts-fake"}}}
        settings = {"engine": "openai", "voice": "nova", "pause": 0.4, "openai": {"speed": 1.0}}
        spec = section_narration(BOARD, "01")
        ledger = tmp_path / "ledger.jsonl"
        record = narrate_section(spec, settings, tmp_path / "n.json", tmp_path / "voice", llm=llm, ledger=ledger,
                                 cache_dir=tmp_path / "cache")
        assert record["voice"]["engine"] == "openai-speech" and record["voice"]["voice"] == "nova"
        assert [s["seconds"] for s in record["steps"]] == [1.5, 1.5]
        said = ["Demo"] + [s["text"] for s in spec["steps"]]  # the title card, then the steps
        assert [r["body"]["input"] for r in server.requests] == said
        narrate_section(spec, settings, tmp_path / "n.json", tmp_path / "voice", llm=llm, ledger=ledger,
                        cache_dir=tmp_path / "cache")
        assert len(server.requests) == 3  # the second time from the narration cache
        cost = model_cost(ledger)
        assert cost["speech_calls"] == 3 and cost["cached_speech"] == 3
        assert cost["speech_characters"] == sum(len(text) for text in said)
        assert cost["model_calls"] == 0 and cost["prompt_tokens"] == 0  # not counted as chat calls
        assert "sk-speech-secret" not in ledger.read_text()

        with pytest.raises(InputError) as info:
            narrate_section(spec, settings, tmp_path / "n.json", tmp_path / "voice",
                            llm={**llm, "roles": {}}, ledger=ledger, cache_dir=tmp_path / "cache")
        assert "llm.roles.speech" in str(info.value)
    finally:
        server.close()
