"""Narration: text to speech (espeak-ng, an OpenAI-compatible speech server, Piper), the audio cache,
section tracks, subtitles and pace."""

from __future__ import annotations

import json
import math
import re
import shutil
import struct
import subprocess
import sys
import threading
import types
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lessonreel.llm.client import ModelClient, ModelError, RoleSettings, client_from_config
from lessonreel.narration import subtitles as subs
from lessonreel.narration import tts
from lessonreel.narration.subtitles import Cue, offset, pace_check, pace_flag, split_cues, to_srt, to_vtt
from lessonreel.narration.tts import (EspeakSynthesizer, NarrationCache, OpenAISpeechSynthesizer, PiperSynthesizer,
                                      TTSError, build_section_track, synthesize_cached, voice_for_language,
                                      wav_duration)

HAVE_ESPEAK = shutil.which("espeak-ng") is not None
needs_espeak = pytest.mark.skipif(not HAVE_ESPEAK, reason="espeak-ng is not installed (./setup.sh installs it)")
FRAME = 1 / 60  # one video frame at 60 fps

SENTENCE = "The square on the hypotenuse equals the sum of the squares on the other two sides."


def make_wav(path: Path | None = None, seconds: float = 1.0, rate: int = 22050, channels: int = 1,
             tone: float = 440.0, streamed: bool = False) -> bytes:
    """A 16-bit sine WAV; ``streamed`` writes 0xFFFFFFFF length fields, as streaming speech servers do."""
    n = round(seconds * rate)
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * tone * i / rate))) * channels
                      for i in range(n))
    header_size = 0xFFFFFFFF if streamed else 36 + len(frames)
    data_size = 0xFFFFFFFF if streamed else len(frames)
    data = (b"RIFF" + struct.pack("<I", header_size) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * 2, channels * 2, 16)
            + b"data" + struct.pack("<I", data_size) + frames)
    if path is not None:
        path.write_bytes(data)
    return data


def read_frames(path: Path) -> tuple[wave._wave_params, bytes]:
    with wave.open(str(path), "rb") as handle:
        return handle.getparams(), handle.readframes(handle.getnframes())


def loud(frames: bytes, start: int, count: int) -> bool:
    samples = struct.unpack(f"<{count}h", frames[start * 2:(start + count) * 2])
    return max(abs(s) for s in samples) > 1000


# -- espeak-ng --------------------------------------------------------------------

@needs_espeak
def test_espeak_synthesizes_a_valid_wav(tmp_path):
    synth = EspeakSynthesizer(language="en")
    out = tmp_path / "speech.wav"
    seconds = synth.synthesize(SENTENCE, out)
    params, frames = read_frames(out)
    assert params.nchannels == 1 and params.sampwidth == 2 and params.framerate == 22050
    assert seconds > 0.5
    assert seconds == pytest.approx(params.nframes / params.framerate)
    assert seconds == wav_duration(out)
    assert len(frames) == params.nframes * 2 and any(frames)
    assert synth.voice.name == "en-us"
    assert re.fullmatch(r"[0-9a-f]{64}", synth.cache_key(SENTENCE))


@needs_espeak
def test_second_run_synthesises_nothing(tmp_path, monkeypatch):
    cache = NarrationCache(tmp_path / "tts")
    synth = EspeakSynthesizer(language="en", speed=160)
    path, seconds, hit = synthesize_cached(synth, SENTENCE, cache)
    assert not hit and seconds > 0.5
    assert path == cache.path(synth.cache_key(SENTENCE)) and path.exists()
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["text"] == SENTENCE and meta["voice"] == "en-us" and meta["settings"]["speed"] == 160

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"a cache hit must not run anything: {args}")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    # The same text (modulo whitespace), a new synthesizer with the same settings: a hit.
    again = synthesize_cached(EspeakSynthesizer(language="en", speed=160), f"  {SENTENCE}\n", cache)
    assert again == (path, seconds, True)
    # Empty narration is silence and never reaches the engine.
    assert synthesize_cached(synth, "   ", cache) == (None, 0.0, True)
    # Another setting is another key.
    assert EspeakSynthesizer(language="en", speed=170).cache_key(SENTENCE) != synth.cache_key(SENTENCE)
    assert EspeakSynthesizer("en-gb", speed=160).cache_key(SENTENCE) != synth.cache_key(SENTENCE)


@needs_espeak
def test_corrupt_cache_entry_is_a_miss(tmp_path):
    cache = NarrationCache(tmp_path / "tts")
    synth = EspeakSynthesizer(language="en")
    path, seconds, _ = synthesize_cached(synth, "Short.", cache)
    path.write_bytes(b"RIFF garbage")
    again, seconds2, hit = synthesize_cached(synth, "Short.", cache)
    assert not hit and again == path and seconds2 == pytest.approx(seconds)


def test_missing_espeak_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without espeak-ng
    synth = EspeakSynthesizer(language="en")
    with pytest.raises(TTSError, match=r"espeak-ng is not installed.*apt-get install espeak-ng.*setup\.sh"):
        synth.synthesize("Hello.", tmp_path / "x.wav")
    with pytest.raises(TTSError, match="espeak-ng is not installed"):
        synthesize_cached(synth, "Hello.", NarrationCache(tmp_path / "tts"))
    with pytest.raises(TTSError, match="espeak-ng is not installed"):
        synth.check()


@needs_espeak
def test_unsupported_voice_is_a_clear_error(tmp_path):
    with pytest.raises(TTSError, match=r"no voice 'xx-nope'.*espeak-ng --voices"):
        EspeakSynthesizer("xx-nope").synthesize("Hello.", tmp_path / "x.wav")
    with pytest.raises(TTSError, match=r"no voice 'germn'; close voices: .*german"):
        EspeakSynthesizer("germn").check()
    # MBROLA voices are listed by espeak-ng but need a program that is not installed.
    if shutil.which("mbrola") is None:
        with pytest.raises(TTSError, match=r"'mb-de1' is an MBROLA voice.*e\.g\. de"):
            EspeakSynthesizer("mb-de1").synthesize("Hallo.", tmp_path / "x.wav")
    assert not (tmp_path / "x.wav").exists()
    with pytest.raises(TTSError, match="speed must be a whole number from 80 to 450"):
        EspeakSynthesizer(speed=20)
    with pytest.raises(TTSError, match="voice names are"):
        EspeakSynthesizer("en; rm -rf /")


LISTING = """Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  cmn             --/M      Chinese_(Mandarin,_latin_as_English) sit/cmn              (zh-cmn 5)(zh 5)
 5  de              --/M      German             gmw/de
 6  de              --/F      german-mbrola-1    mb/mb-de1
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  fr-fr           --/M      French_(France)    roa/fr               (fr 5)
 5  fr-be           --/M      French_(Belgium)   roa/fr-BE            (fr 8)
 1  ja              --/M      japanese-mbrola-1  mb/mb-jp1
 5  ja              --/M      Japanese           jpx/ja
 5  yue             --/M      Chinese_(Cantonese) sit/yue              (zh-yue 5)(zh 8)
"""


@pytest.mark.parametrize("language, voice", [
    ("en", "en-us"), ("de", "de"), ("fr", "fr-fr"), ("zh", "cmn"), ("ja", "ja"),
    ("de-AT", "de"), ("en_GB", "en-gb"), ("zh-HK", "yue"), ("FR", "fr-fr"), (None, "en-us"),
])
def test_language_to_voice(language, voice):
    voices = tts.parse_espeak_voices(LISTING)
    assert voices[2].mbrola and voices[0].others == (("zh-cmn", 5), ("zh", 5))
    assert voice_for_language(language, voices) == voice


def test_language_without_voice_is_a_clear_error():
    with pytest.raises(TTSError, match=r"no voice for language 'tlh'.*set the narration voice"):
        voice_for_language("tlh", tts.parse_espeak_voices(LISTING))


@needs_espeak
@pytest.mark.parametrize("language", ["en", "de", "fr", "zh", "ja", "es", "pt", "ru"])
def test_installed_espeak_speaks_the_mapped_voice(language):
    voice = EspeakSynthesizer(language=language).check()
    assert voice.name == voice_for_language(language) and voice.language == language


@needs_espeak
def test_german_narration(tmp_path):
    synth = EspeakSynthesizer(language="de")
    text = "Der Satz des Pythagoras gilt für jedes rechtwinklige Dreieck. Über die Hypotenuse sprechen wir gleich."
    path, seconds, hit = synthesize_cached(synth, text, NarrationCache(tmp_path / "tts"))
    assert synth.voice.name == "de" and not hit
    assert seconds > 3.0 and wav_duration(path) == seconds
    assert synth.cache_key(text) != EspeakSynthesizer(language="en").cache_key(text)


# -- an OpenAI-compatible speech server --------------------------------------------

class FakeSpeechServer:
    """Answers POST /v1/audio/speech with a WAV (streamed-style header); scripted errors first."""

    def __init__(self, seconds: float = 1.0, errors: list[tuple[int, dict]] | None = None):
        self.seconds = seconds
        self.errors = list(errors or [])
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                server.requests.append({"path": self.path, "body": body,
                                        "authorization": self.headers.get("Authorization")})
                if self.path != "/v1/audio/speech":
                    status, data, kind = 404, json.dumps({"error": {"message": "no such route"}}).encode(), "json"
                elif server.errors:
                    status, error = server.errors.pop(0)
                    data, kind = json.dumps({"error": error}).encode(), "json"
                else:
                    status, data, kind = 200, make_wav(seconds=server.seconds, rate=24000, streamed=True), "wav"
                self.send_response(status)
                self.send_header("Content-Type", "audio/wav" if kind == "wav" else "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def speech_server():
    server = FakeSpeechServer(seconds=1.25)
    yield server
    server.close()


def speech_client(server, tmp_path, **kwargs) -> ModelClient:
    return ModelClient({"speech": RoleSettings(model="tts-fake", timeout=10)}, base_url=server.base_url,
                       api_key="sk-secret-test-key", ledger=tmp_path / "ledger.jsonl", sleep=lambda s: None,
                       **kwargs)


def ledger(tmp_path) -> list[dict]:
    return [json.loads(line) for line in (tmp_path / "ledger.jsonl").read_text().splitlines()]


def test_openai_speech_through_the_client(speech_server, tmp_path, monkeypatch):
    client = speech_client(speech_server, tmp_path)
    synth = OpenAISpeechSynthesizer(client, voice="nova", language="en")
    cache = NarrationCache(tmp_path / "tts")
    path, seconds, hit = synthesize_cached(synth, SENTENCE, cache, step="01/1")
    assert not hit and seconds == pytest.approx(1.25)
    # The streamed header (length 0xFFFFFFFF) was repaired: the WAV is readable and exact.
    params, _ = read_frames(path)
    assert params.framerate == 24000 and params.nframes == 30000
    (request,) = speech_server.requests
    assert request["path"] == "/v1/audio/speech" and request["authorization"] == "Bearer sk-secret-test-key"
    assert request["body"] == {"model": "tts-fake", "voice": "nova", "input": SENTENCE, "response_format": "wav"}

    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("no subprocess on a hit"))
    again = synthesize_cached(OpenAISpeechSynthesizer(client, voice="nova"), SENTENCE, cache, step="01/1")
    assert again == (path, seconds, True) and len(speech_server.requests) == 1
    # Another voice or speed is another key.
    assert OpenAISpeechSynthesizer(client, voice="alloy").cache_key(SENTENCE) != synth.cache_key(SENTENCE)
    assert OpenAISpeechSynthesizer(client, voice="nova", speed=1.2).cache_key(SENTENCE) != synth.cache_key(SENTENCE)

    first, second = ledger(tmp_path)
    assert first["kind"] == second["kind"] == "speech"
    assert first["outcome"] == "ok" and second["outcome"] == "cached"
    assert first["characters"] == second["characters"] == len(SENTENCE)
    assert first["audio_seconds"] == 1.25 and first["attempts"] == 1 and first["model"] == "tts-fake"
    assert first["cache_key"] == second["cache_key"] == synth.cache_key(SENTENCE)
    assert "sk-secret" not in (tmp_path / "ledger.jsonl").read_text()


def test_openai_speech_retries_and_fails_clearly(tmp_path):
    server = FakeSpeechServer(errors=[(503, {"message": "busy"}), (429, {"message": "slow down"})])
    try:
        client = speech_client(server, tmp_path)
        synth = OpenAISpeechSynthesizer(client, voice="nova", speed=1.1, instructions="Speak warmly.")
        seconds = synth.synthesize("Hello there.", tmp_path / "a.wav")
        assert seconds == pytest.approx(1.0) and len(server.requests) == 3
        assert server.requests[-1]["body"]["speed"] == 1.1
        assert server.requests[-1]["body"]["instructions"] == "Speak warmly."
        assert ledger(tmp_path)[-1]["attempts"] == 3

        server.errors = [(400, {"message": "voice 'nova' is not supported by this model"})]
        with pytest.raises(ModelError, match=r"speech call for role 'speech' \(model 'tts-fake', voice 'nova'\) "
                                             r"failed: HTTP 400: voice 'nova' is not supported"):
            synth.synthesize("Hello again.", tmp_path / "b.wav")
        assert ledger(tmp_path)[-1]["outcome"] == "error: BadRequestError"
    finally:
        server.close()
    with pytest.raises(ModelError, match="no model configured for role 'speech'"):
        OpenAISpeechSynthesizer(ModelClient({}), voice="nova").cache_key("x")


def test_speech_role_from_config():
    client = client_from_config({"roles": {"speech": {"model": "tts-1"}}}, cache_dir=None, ledger=None)
    assert OpenAISpeechSynthesizer(client, voice="alloy").settings()["model"] == "tts-1"


# -- Piper --------------------------------------------------------------------------

def test_piper_needs_the_model_file(tmp_path):
    missing = tmp_path / "voices" / "de_DE-thorsten-medium.onnx"
    with pytest.raises(TTSError, match=rf"Piper voice model {re.escape(str(missing))} does not exist.*never downloads"):
        PiperSynthesizer(missing)
    missing.parent.mkdir()
    missing.write_bytes(b"onnx")
    with pytest.raises(TTSError, match=r"has no config .*de_DE-thorsten-medium\.onnx\.json"):
        PiperSynthesizer(missing)


def test_piper_needs_the_package(tmp_path, monkeypatch):
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"onnx")
    (tmp_path / "voice.onnx.json").write_text("{}")
    monkeypatch.setitem(sys.modules, "piper", None)  # makes `import piper` fail
    with pytest.raises(TTSError, match=rf"{re.escape(str(model))} was given but the Piper package is not installed"
                                       r".*pip install piper-tts"):
        PiperSynthesizer(model)


def test_piper_wiring_with_a_stand_in_package(tmp_path, monkeypatch):
    """The calls PiperSynthesizer makes (piper-tts >= 1.3 API), against a stand-in module."""
    calls = {}

    class SynthesisConfig:
        def __init__(self, **options):
            self.options = options

    class PiperVoice:
        @classmethod
        def load(cls, model_path, config_path=None):
            calls["load"] = (model_path, config_path)
            return cls()

        def synthesize_wav(self, text, wav_file, syn_config=None):
            calls["text"], calls["options"] = text, syn_config.options
            wav_file.setnchannels(1)
            wav_file.setsampwidth(2)
            wav_file.setframerate(22050)
            wav_file.writeframes(b"\x01\x00" * 11025)

    monkeypatch.setitem(sys.modules, "piper", types.SimpleNamespace(PiperVoice=PiperVoice,
                                                                    SynthesisConfig=SynthesisConfig))
    model = tmp_path / "de_DE-test.onnx"
    model.write_bytes(b"onnx weights")
    (tmp_path / "de_DE-test.onnx.json").write_text(json.dumps({"language": {"code": "de_DE"}}))
    synth = PiperSynthesizer(model, length_scale=1.1)
    assert synth.voice.name == "de_DE-test" and synth.voice.language == "de-de"
    path, seconds, hit = synthesize_cached(synth, "Guten  Tag.", NarrationCache(tmp_path / "tts"))
    assert seconds == pytest.approx(0.5) and not hit
    assert calls == {"load": (str(model), str(model) + ".json"), "text": "Guten Tag.",
                     "options": {"length_scale": 1.1}}
    key = synth.cache_key("Guten Tag.")
    model.write_bytes(b"other weights")  # a different voice model is a different key
    assert PiperSynthesizer(model, length_scale=1.1).cache_key("Guten Tag.") != key


# -- WAV handling and section tracks ----------------------------------------------------

def test_section_track_lasts_exactly_the_section(tmp_path):
    clips = []
    for n, seconds in enumerate([1.2, 0.7, 2.05]):
        clips.append(tmp_path / f"step{n}.wav")
        make_wav(clips[-1], seconds=seconds, rate=22050)
    out = tmp_path / "section.wav"
    report = build_section_track([(clips[0], 0.5), (None, 1.0), (clips[1], 2.25), (clips[2], 4.0)], 7.3, out)
    params, frames = read_frames(out)
    assert abs(params.nframes / params.framerate - 7.3) < FRAME
    assert report["shifted"] == 0 and report["cut"] == 0
    assert [c["start"] for c in report["clips"]] == [0.5, 2.25, 4.0]
    rate = params.framerate
    assert not loud(frames, 0, int(0.45 * rate))             # silence before the first step
    assert loud(frames, int(0.5 * rate), 200)                 # speech at its offset
    assert not loud(frames, int(1.75 * rate), int(0.45 * rate))
    assert loud(frames, int(4.0 * rate), 200)
    assert not loud(frames, int(6.1 * rate), int(1.1 * rate))  # silence to the end


def test_section_track_never_overlaps_and_cuts_at_the_end(tmp_path):
    a, b = tmp_path / "a.wav", tmp_path / "b.wav"
    make_wav(a, seconds=2.0)
    make_wav(b, seconds=1.5, rate=16000)  # another rate: converted
    out = tmp_path / "section.wav"
    report = build_section_track([(a, 0.0), (b, 1.0)], 3.0, out)
    assert abs(wav_duration(out) - 3.0) < FRAME
    assert report["clips"][1]["start"] == pytest.approx(2.0) and report["shifted"] == pytest.approx(1.0)
    assert report["cut"] == pytest.approx(0.5)
    # No audio at all still gives a silent track of the right length.
    build_section_track([(None, 0.0)], 2.5, out)
    assert abs(wav_duration(out) - 2.5) < FRAME


def test_pad_or_trim(tmp_path):
    src = tmp_path / "a.wav"
    make_wav(src, seconds=1.0)
    assert tts.pad_or_trim(src, 1.75, tmp_path / "long.wav") == pytest.approx(1.75, abs=1e-4)
    assert abs(wav_duration(tmp_path / "long.wav") - 1.75) < FRAME
    tts.pad_or_trim(src, 0.4, tmp_path / "short.wav")
    assert abs(wav_duration(tmp_path / "short.wav") - 0.4) < FRAME


def test_normalize_wav(tmp_path):
    streamed = tmp_path / "streamed.wav"
    make_wav(streamed, seconds=0.5, rate=24000, streamed=True)
    with pytest.raises(TTSError, match="header claims"):
        wav_duration(streamed)
    assert tts.normalize_wav(streamed).frames == 12000 and wav_duration(streamed) == 0.5
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"<html>quota exceeded</html>")
    with pytest.raises(TTSError, match="is not audio ffmpeg can read|ffmpeg .* is not installed"):
        tts.normalize_wav(junk, what="the speech server's answer")


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_float_wav_is_converted(tmp_path):
    path = tmp_path / "float.wav"
    n, rate = 8000, 16000
    frames = struct.pack(f"<{n}f", *(0.25 * math.sin(i / 10) for i in range(n)))
    path.write_bytes(b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVE" + b"fmt "
                     + struct.pack("<IHHIIHH", 16, 3, 1, rate, rate * 4, 4, 32) + b"data"
                     + struct.pack("<I", len(frames)) + frames)
    info = tts.normalize_wav(path)
    assert info.sample_width == 2 and info.seconds == pytest.approx(0.5, abs=1e-3)


# -- subtitles ------------------------------------------------------------------------

NARRATION = ("A right triangle has one angle of ninety degrees. The longest side, the one across from that "
             "right angle, is called the hypotenuse; the two shorter sides are called the legs. Pythagoras "
             "showed that the square built on the hypotenuse has exactly the same area as the two squares "
             "built on the legs taken together. Yes.")


def words(text: str) -> list[str]:
    return text.split()


def test_cues_respect_line_limits_and_keep_every_word():
    cues = split_cues(NARRATION, 2.0, 24.0)
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2
        assert all(len(line) <= 42 for line in cue.lines), cue
    assert words(" ".join(c.text.replace("\n", " ") for c in cues)) == words(NARRATION)  # no word cut or lost
    texts = [c.text.replace("\n", " ") for c in cues]
    # Sentence ends come first: the first sentence is a cue of its own.
    assert texts[0] == "A right triangle has one angle of ninety degrees."
    # A long sentence is cut at its clause punctuation before anything else.
    assert any(t.endswith("hypotenuse;") for t in texts)
    # "Yes." alone would flash by; it joins its neighbour when they fit together.
    assert not any(t == "Yes." for t in texts)


def test_cue_timing_is_proportional_monotonic_and_complete():
    cues = split_cues(NARRATION, 2.0, 24.0)
    assert cues[0].start == 2.0 and cues[-1].end == 24.0
    for before, after in zip(cues, cues[1:]):
        assert before.end == after.start  # no gap, no overlap
        assert before.start < before.end
    subs.check_cues(cues)
    rates = [(c.end - c.start) / len(c.text.replace(" ", "").replace("\n", "")) for c in cues]
    assert max(rates) / min(rates) < 1.01  # seconds per character is the same for every cue
    assert all(c.end - c.start >= 1.0 for c in cues)


def test_min_duration_and_short_windows():
    cues = split_cues("Hi. This is a much longer sentence that takes most of the time.", 0.0, 3.0,
                      max_chars=20, min_duration=1.0)
    assert all(c.end - c.start >= 1.0 - 1e-9 for c in cues)
    # A window too short for every cue to last min_duration keeps proportional times, still ordered.
    tight = split_cues(NARRATION, 0.0, 3.0)
    subs.check_cues(tight)
    assert tight[-1].end == 3.0
    assert split_cues("   ", 0, 1) == []
    with pytest.raises(ValueError):
        split_cues("x", 2.0, 1.0)


def test_word_boundaries_and_overlong_words():
    cues = split_cues("one two three four five six seven eight nine ten eleven twelve", 0, 6, max_chars=12,
                      max_lines=1, min_duration=0)
    assert all(len(c.text) <= 12 for c in cues)
    counted = "one two three four five six seven eight nine ten eleven twelve"
    assert words(" ".join(c.text for c in cues)) == counted.split()
    url = "https://example.org/" + "x" * 100
    cues = split_cues(f"See {url} now", 0, 4)
    assert all(len(line) <= 42 for c in cues for line in c.lines)
    assert "".join(c.text.replace("\n", "").replace(" ", "") for c in cues) == f"See{url}now"


def test_abbreviations_do_not_end_sentences():
    assert subs.sentences("Take e.g. a triangle. Then a square.") == ["Take e.g. a triangle.", "Then a square."]


def test_chinese_cues():
    text = ("直角三角形有一个直角。最长的边叫做斜边，它与直角相对。"
            "毕达哥拉斯定理说明，斜边的平方等于两条直角边的平方和。")
    cues = split_cues(text, 0.0, 9.0)
    assert [c.text.replace("\n", "") for c in cues][0] == "直角三角形有一个直角。"
    assert "".join(c.text.replace("\n", "") for c in cues) == text
    assert all(subs.display_width(line) <= 42 for c in cues for line in c.lines)
    assert not any(line.startswith(("，", "。")) for c in cues for line in c.lines)


def test_srt_and_vtt_formats():
    cues = [Cue(0.0, 1.2, "First line\nsecond line"), Cue(1.2, 3661.5, "A < B & C --> D")]
    srt = to_srt(cues)
    assert srt == ("1\n00:00:00,000 --> 00:00:01,200\nFirst line\nsecond line\n\n"
                   "2\n00:00:01,200 --> 01:01:01,500\nA < B & C --> D\n")
    vtt = to_vtt(cues)
    assert vtt.startswith("WEBVTT\n\n")
    assert "00:00:00.000 --> 00:00:01.200\nFirst line\nsecond line\n" in vtt
    assert "00:00:01.200 --> 01:01:01.500\nA &lt; B &amp; C --&gt; D\n" in vtt
    timing = re.compile(r"^(\d\d):(\d\d):(\d\d)[,.](\d{3}) --> (\d\d):(\d\d):(\d\d)[,.](\d{3})$", re.M)
    assert len(timing.findall(srt)) == len(timing.findall(vtt)) == 2
    assert subs.timestamp(59.9996) == "00:01:00,000"


def test_offsets_and_whole_video_timeline():
    section1 = subs.cues_for_steps([("First step.", 0.5, 1.8), ("Second step is longer than that.", 2.5, 5.0)])
    section2 = subs.cues_for_steps([("Next section.", 0.3, 1.5)], offset_s=6.0)
    assert section2[0].start == 6.3 and section2[0].end == 7.5
    moved = offset(section1, 10.0)
    assert [(c.start, c.end) for c in moved] == [(10.5, 11.8), (12.5, 15.0)]
    whole = section1 + section2
    subs.check_cues(whole)
    with pytest.raises(ValueError, match="before cue 1 ends"):
        subs.check_cues([Cue(0, 2, "a"), Cue(1, 3, "b")])


def test_words_per_minute_and_pace():
    assert subs.words_per_minute("one two three four five", 2.0) == 150.0
    assert subs.words_per_minute("anything", 0) == 0.0
    assert subs.count_words("Der Satz des Pythagoras — gilt.") == 5
    assert subs.count_words("斜边的平方 is 2") == 7
    assert subs.audience_group("middle school students") == "children"
    assert subs.audience_group("beginning programmers") == "general"
    assert subs.audience_group("graduate students in physics") == "expert"
    assert pace_flag(160, "middle school students") == "too fast"
    assert pace_flag(160, "everyone") == "ok"
    assert pace_flag(190, "everyone") == "too fast" and pace_flag(190, "researchers") == "ok"
    assert pace_flag(90, "everyone") == "too slow"
    assert pace_flag(300, "everyone", language="zh") == "not rated"
    assert pace_check("one two three", 1.0, "everyone")["pace"] == "ok"  # 180 wpm


@needs_espeak
def test_subtitles_timed_from_real_audio(tmp_path):
    """End to end for one section: audio per step, a track, cues from the measured lengths."""
    synth = EspeakSynthesizer(language="en")
    cache = NarrationCache(tmp_path / "tts")
    steps = ["A right triangle has one right angle.", "", "The longest side is the hypotenuse."]
    clock, timed, clips = 0.4, [], []
    for text in steps:
        path, seconds, _ = synthesize_cached(synth, text, cache)
        clips.append((path, clock))
        if text:
            timed.append((text, clock, clock + seconds))
        clock += seconds + 0.5  # the scene's pause after the narration
    track = build_section_track(clips, clock, tmp_path / "section.wav")
    assert abs(track["seconds"] - clock) < FRAME and track["shifted"] == 0 == track["cut"]
    cues = subs.cues_for_steps(timed, offset_s=12.0)
    assert cues[0].start == pytest.approx(12.4) and cues[-1].end == pytest.approx(12.0 + timed[-1][2], abs=1e-3)
