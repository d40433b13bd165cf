"""join_sections: video copied untouched, each section's audio at its video offset, loudness, faststart.

Synthetic sections (ffmpeg lavfi, 320x180 at 15 fps, libx264 with B-frames like
Manim's, AAC at 44.1 kHz like Manim's add_sound):

    a  2.0 s video, 440 Hz for 2.0 s   (audio as long as the video)
    b  1.6 s video, 880 Hz for 1.0 s   (shorter: padded with 0.6 s of silence)
    c  2.4 s video, 1320 Hz for 3.2 s  (longer, stereo: the last 0.8 s is cut)
    d  1.2 s video, no audio stream    (silence)

so the joined video is 7.2 s with sections at 0, 2.0, 3.6 and 6.0 s. The joined
audio is mono (c is downmixed), measured with ebur128 and brought to the target
by a gain; loud clipped bursts get a limiter.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from lessonreel.errors import RenderError
from lessonreel.media import LOUDNESS_TARGET, concat, join_sections

FPS = 15
SR = 48000
SECTIONS = {  # name: (video seconds, tone Hz or None, audio seconds, channels)
    "a": (2.0, 440, 2.0, 1),
    "b": (1.6, 880, 1.0, 1),
    "c": (2.4, 1320, 3.2, 2),
    "d": (1.2, None, 0.0, 0),
}
OFFSETS = [0.0, 2.0, 3.6, 6.0]
TOTAL = 7.2


def ffmpeg(*args: str) -> bytes:
    proc = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-1500:]
    return proc.stdout


def make_section(path: Path, seconds: float, tone: int | None = None, audio_seconds: float = 0.0,
                 channels: int = 1, size: str = "320x180", silent_audio: bool = False) -> Path:
    args = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={FPS}:duration={seconds}"]
    if tone:
        args += ["-f", "lavfi", "-i", f"sine=frequency={tone}:sample_rate=44100:duration={audio_seconds}"]
    elif silent_audio:
        args += ["-f", "lavfi", "-i", f"anullsrc=r=44100:cl=mono:d={seconds}"]
    args += ["-c:v", "libx264", "-pix_fmt", "yuv420p"]
    if tone or silent_audio:
        args += ["-c:a", "aac", "-ac", str(max(channels, 1))]
    ffmpeg(*args, str(path))
    return path


def streams(path: Path) -> dict[str, dict]:
    import json
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
                         capture_output=True, check=True).stdout
    return {s["codec_type"]: s for s in json.loads(out)["streams"]}


def packets(path: Path) -> list[tuple[str, str]]:
    """(size, md5) of every video packet, in order: equal lists mean the bytes were copied."""
    text = ffmpeg("-i", str(path), "-map", "0:v", "-c", "copy", "-f", "framemd5", "-").decode()
    rows = [line.split(",") for line in text.splitlines() if line and not line.startswith("#")]
    return [(r[4].strip(), r[5].strip()) for r in rows]


def pcm(path: Path) -> np.ndarray:
    return np.frombuffer(ffmpeg("-i", str(path), "-map", "0:a", "-ac", "1", "-ar", str(SR), "-f", "f32le", "-"),
                         dtype="<f4")


def tone_power(x: np.ndarray, t: float, freq: float, width: float = 0.01) -> float:
    """Amplitude of ``freq`` in a ``width``-second window centred on ``t``."""
    lo, hi = int(round((t - width / 2) * SR)), int(round((t + width / 2) * SR))
    seg = x[lo:hi]
    n = np.arange(lo, hi) / SR
    return float(abs(np.sum(seg * np.exp(-2j * np.pi * freq * n))) * 2 / len(seg))


def dominant(x: np.ndarray, start: float, end: float) -> float:
    seg = x[int(start * SR):int(end * SR)]
    spectrum = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
    return float(np.argmax(spectrum) * SR / len(seg))


def rms(x: np.ndarray, start: float, end: float) -> float:
    seg = x[int(start * SR):int(end * SR)]
    return float(np.sqrt(np.mean(seg.astype(np.float64) ** 2)))


def onset(x: np.ndarray, lo: float, hi: float, freq: float, before: float | None = None) -> float:
    """First time in [lo, hi] (1 ms steps) where ``freq`` is louder than ``before`` (or than silence)."""
    peak = max(tone_power(x, t, freq) for t in np.arange(lo, hi, 0.001))
    for t in np.arange(lo, hi, 0.001):
        now = tone_power(x, t, freq)
        other = tone_power(x, t, before) if before else peak / 2
        if now > other:
            return float(t)
    raise AssertionError(f"no {freq} Hz onset in [{lo}, {hi}]")


def ebur128(path: Path) -> dict[str, float]:
    """ffmpeg's EBU R128 summary of a file's audio: integrated loudness and true peak (the last summary)."""
    proc = subprocess.run(["ffmpeg", "-nostats", "-nostdin", "-i", str(path), "-map", "0:a", "-af",
                           "ebur128=peak=true:dualmono=true", "-f", "null", "-"], capture_output=True, text=True, check=True)
    summary = proc.stderr[proc.stderr.rfind("Summary:"):]
    return {"i": float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1)),
            "tp": float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))}


def integrated_loudness(path: Path) -> float:
    return ebur128(path)["i"]


def frame(path: Path, t: float, size=(180, 320)) -> np.ndarray:
    raw = ffmpeg("-ss", str(t), "-i", str(path), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
    return np.frombuffer(raw, dtype=np.uint8).reshape(*size, 3).astype(np.int16)


def top_level_boxes(path: Path) -> list[str]:
    names, data = [], path.read_bytes()
    pos = 0
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        names.append(data[pos + 4:pos + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[pos + 8:pos + 16], "big")
        if size < 8:
            break
        pos += size
    return names


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("join")
    videos = [make_section(folder / f"{name}.mp4", seconds, tone, audio_s, channels)
              for name, (seconds, tone, audio_s, channels) in SECTIONS.items()]
    log = folder / "join.log"
    result = join_sections(videos, folder / "out.mp4", log_file=log)
    return {"folder": folder, "videos": videos, "out": folder / "out.mp4", "result": result, "log": log}


def test_result_dict_and_aac_stream(media):
    result, found = media["result"], streams(media["out"])
    assert result["joined_by"] == "stream copy"
    assert found["audio"]["codec_name"] == "aac" and int(found["audio"]["sample_rate"]) == SR
    assert found["audio"]["channels"] == 1  # narration: mono, though section c is stereo
    assert result["audio"]["codec"] == "aac" and result["audio"]["sample_rate"] == SR
    assert result["audio"]["channels"] == 1
    assert 70_000 < result["audio"]["bit_rate"] <= 100_000  # 96 kbit/s
    assert result["offsets"] == pytest.approx(OFFSETS, abs=1e-6)
    assert result["video_seconds"] == pytest.approx(TOTAL, abs=1e-3)
    assert result["audio_seconds"] == pytest.approx(TOTAL, abs=1.0 / FPS)
    loud = result["audio"]["loudness"]
    assert set(loud) == {"input_i", "input_tp", "input_lra", "output_i", "output_tp", "output_lra",
                         "target_i", "target_tp", "gain_db", "limited", "method"}
    assert loud["method"] == "gain" and loud["limited"] is False  # sine tones: no peaks to hold down
    assert loud["target_i"] == LOUDNESS_TARGET["I"] and loud["target_tp"] == LOUDNESS_TARGET["TP"]
    assert abs(loud["output_i"] - loud["target_i"]) <= 1.0
    assert loud["input_i"] < -18  # lavfi's sine is quiet: the gain raised it
    assert loud["gain_db"] == pytest.approx(loud["target_i"] - loud["input_i"], abs=0.01)  # the plain gain
    assert loud["output_i"] - loud["input_i"] == pytest.approx(loud["gain_db"], abs=0.5)  # and it did that
    assert loud["output_tp"] <= loud["target_tp"] + 0.5
    assert result["seconds_spent"] > 0
    log = media["log"].read_text()
    assert "ebur128" in log and "loudnorm" not in log and "-c:v copy" in log
    assert log.count("$ ") == 3  # measure, join, measure what was written


def test_reported_loudness_is_measured_from_the_written_file(media):
    loud, measured = media["result"]["audio"]["loudness"], ebur128(media["out"])
    assert loud["output_i"] == pytest.approx(measured["i"], abs=0.05)
    assert loud["output_tp"] == pytest.approx(measured["tp"], abs=0.05)


def test_video_packets_are_copied_not_reencoded(media):
    joined = packets(media["out"])
    assert joined == [p for video in media["videos"] for p in packets(video)]


def test_audio_and_video_last_the_same_to_a_frame(media):
    found = streams(media["out"])
    video, audio = float(found["video"]["duration"]), float(found["audio"]["duration"])
    assert video == pytest.approx(TOTAL, abs=1e-3)  # no gap where c's longer audio was
    assert abs(video - audio) <= 1.0 / FPS
    assert float(found["audio"].get("start_time", 0)) == pytest.approx(float(found["video"]["start_time"]), abs=0.002)


def test_each_tone_starts_at_its_section_offset(media):
    x = pcm(media["out"])
    assert len(x) / SR == pytest.approx(TOTAL, abs=1.0 / FPS)
    # Each section's own tone inside its window.
    assert dominant(x, 0.1, 1.9) == pytest.approx(440, abs=10)
    assert dominant(x, 2.1, 2.9) == pytest.approx(880, abs=10)
    assert dominant(x, 3.7, 5.9) == pytest.approx(1320, abs=10)
    loud = rms(x, 0.1, 1.9)
    # b's audio is 0.6 s shorter than its video: silence until c starts.
    assert rms(x, 3.05, 3.55) < loud / 100
    # c's audio is 0.8 s longer than its video: cut at 6.0, so d (no audio) is silent.
    assert rms(x, 6.05, TOTAL - 0.05) < loud / 100
    # The boundaries, to about a hundredth of a second (sync does not drift).
    assert onset(x, 1.9, 2.1, 880, before=440) == pytest.approx(2.0, abs=0.012)
    assert tone_power(x, 2.98, 880) > 10 * tone_power(x, 3.02, 880)  # b's 1.0 s of audio ends at 3.0
    assert onset(x, 3.4, 3.8, 1320) == pytest.approx(3.6, abs=0.012)  # c starts at 3.6, not at 3.0
    assert tone_power(x, 5.98, 1320) > 10 * tone_power(x, 6.02, 1320)


def test_loudness_is_normalised_to_target(media):
    assert integrated_loudness(media["out"]) == pytest.approx(LOUDNESS_TARGET["I"], abs=1.0)


def test_moov_before_mdat(media):
    boxes = top_level_boxes(media["out"])
    assert boxes.index("moov") < boxes.index("mdat"), boxes


def test_loudness_override(media):
    out = media["folder"] / "quiet.mp4"
    result = join_sections(media["videos"][:2], out, loudness={"i": -23, "Tp": -3})  # any case
    loud = result["audio"]["loudness"]
    assert loud["target_i"] == -23.0 and loud["target_tp"] == -3.0
    assert integrated_loudness(out) == pytest.approx(-23, abs=1.0)
    assert loud["output_i"] - loud["input_i"] == pytest.approx(loud["gain_db"], abs=0.5)
    for wrong in ({"loud": 3}, {"LRA": 11}, {"two_pass": False}, {"I": -3}, {"I": -80}, {"TP": 1},
                  {"TP": "-1"}, {"TP": True}, {"I": float("nan")}):
        with pytest.raises(ValueError, match="loudness"):
            join_sections(media["videos"][:1], out, loudness=wrong)


def test_loud_clipped_input_gets_the_limiter_in_sync(media):
    # Quiet speech-like tone with a clipped full-scale burst every 0.5 s (like clipped
    # plosives): raising it to the target would put the bursts far over the peak target.
    folder = media["folder"]
    loud_in = folder / "clipped.mp4"
    burst = "lt(mod(t,0.5),0.008)*clip(3*sin(2*PI*1000*t),-1,1)"
    ffmpeg("-f", "lavfi", "-i", f"testsrc=size=320x180:rate={FPS}:duration=3", "-f", "lavfi", "-i",
           f"aevalsrc='0.01*sin(2*PI*220*t)+{burst}':s=44100:d=3", "-c:v", "libx264", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-ac", "1", str(loud_in))
    out = folder / "limited.mp4"
    result = join_sections([media["videos"][0], loud_in], out, log_file=folder / "limited.log")
    loud = result["audio"]["loudness"]
    assert loud["input_tp"] > -0.5  # clipped at full scale
    assert loud["limited"] is True
    measured = ebur128(out)
    assert measured["tp"] <= LOUDNESS_TARGET["TP"] + 0.5 and loud["output_tp"] <= LOUDNESS_TARGET["TP"] + 0.5
    assert measured["i"] == pytest.approx(LOUDNESS_TARGET["I"], abs=1.0)
    # The limiter takes loudness off the peaks: the gain makes up for it, so it is more than the plain gain.
    assert loud["gain_db"] >= loud["target_i"] - loud["input_i"] - 0.01
    assert "alimiter" in (folder / "limited.log").read_text()
    # The limiter's look-ahead is compensated: the bursts start where they did (5 ms late otherwise).
    source, joined = pcm(loud_in), pcm(out)
    for k in (1, 3, 5):
        lo, hi = 0.5 * k - 0.1, 0.5 * k + 0.1
        assert onset(joined, 2.0 + lo, 2.0 + hi, 1000) - 2.0 == pytest.approx(onset(source, lo, hi, 1000), abs=0.002)
    assert abs(result["audio_seconds"] - result["video_seconds"]) <= 1.0 / FPS


def test_all_silent_sections_give_a_silent_aac_track(media):
    folder = media["folder"]
    no_audio = make_section(folder / "e.mp4", 1.4)
    muted = make_section(folder / "f.mp4", 1.0, silent_audio=True)  # an audio stream, but silent
    for name, videos in {"silent1.mp4": [media["videos"][3], no_audio], "silent2.mp4": [no_audio, muted]}.items():
        out = folder / name
        result = join_sections(videos, out)
        assert result["audio"]["codec"] == "aac" and result["audio"]["loudness"] is None
        assert result["audio"]["channels"] == 1
        assert streams(out)["audio"]["codec_name"] == "aac"
        x = pcm(out)
        assert len(x) > 0 and float(np.max(np.abs(x))) < 1e-4
        assert abs(result["audio_seconds"] - result["video_seconds"]) <= 1.0 / FPS


def test_burned_subtitles_reencode_and_draw_at_the_bottom(media):
    folder = media["folder"]
    srt = folder / "subs.srt"
    srt.write_text("1\n00:00:00,500 --> 00:00:01,500\nThe longest side is the hypotenuse.\n", encoding="utf-8")
    out = folder / "subtitled.mp4"
    result = join_sections(media["videos"][:2], out, burn_subtitles=srt)
    assert result["joined_by"] == "re-encode"
    assert result["audio"]["codec"] == "aac"
    assert streams(out)["video"]["codec_name"] == "h264" and float(streams(out)["video"]["duration"]) == \
        pytest.approx(3.6, abs=1.0 / FPS)
    source, cue, later = frame(media["videos"][0], 1.0), frame(out, 1.0), frame(out, 1.8)
    bottom, top = slice(135, 180), slice(0, 90)

    def changed(a, b):  # share of pixels that changed clearly (not re-encoding noise)
        return float((np.abs(a - b).max(axis=2) > 60).mean())

    assert changed(cue[bottom], source[bottom]) > 0.05  # the cue is drawn there (13 % for one line)
    assert changed(cue[top], source[top]) < 0.01
    assert changed(later[bottom], frame(media["videos"][0], 1.8)[bottom]) < 0.01  # after the cue


def test_different_formats_are_reencoded_with_audio_in_sync(media):
    small = make_section(media["folder"] / "small.mp4", 1.0, 880, 1.0, size="256x144")
    out = media["folder"] / "mixed.mp4"
    result = join_sections([media["videos"][0], small], out)
    assert result["joined_by"] == "re-encode"
    found = streams(out)
    assert (found["video"]["width"], found["video"]["height"]) == (320, 180)
    assert abs(float(found["video"]["duration"]) - float(found["audio"]["duration"])) <= 1.0 / FPS
    x = pcm(out)
    assert onset(x, 1.9, 2.1, 880, before=440) == pytest.approx(2.0, abs=0.012)


def test_concat_is_video_only_and_keeps_offsets(media, monkeypatch):
    monkeypatch.chdir(media["folder"])
    out = Path("plain.mp4")  # relative paths work too
    assert concat([v.name for v in media["videos"]], out) == "stream copy"
    found = streams(out)
    assert "audio" not in found
    assert float(found["video"]["duration"]) == pytest.approx(TOTAL, abs=1e-3)
    assert packets(out) == packets(media["out"])


def test_missing_or_broken_section_names_the_file(media):
    folder = media["folder"]
    missing = folder / "nope.mp4"
    with pytest.raises(RenderError, match=re.escape(str(missing))):
        join_sections([media["videos"][0], missing], folder / "never.mp4")
    broken = folder / "broken.mp4"
    broken.write_bytes(b"not a video at all")
    with pytest.raises(RenderError, match=re.escape(str(broken))):
        join_sections([broken], folder / "never.mp4")
    with pytest.raises(RenderError, match="subtitle"):
        join_sections(media["videos"][:1], folder / "never.mp4", burn_subtitles=folder / "none.srt")
    assert not (folder / "never.mp4").exists()
    assert not list(folder.glob(".never*"))  # no temporary files left behind


def test_sections_with_other_codec_headers_are_still_copied_and_decode(media):
    # Another H.264 profile: other SPS/PPS. Copied byte for byte they would not decode after
    # the first section's headers; the concat demuxer repeats each file's in its keyframes.
    other = media["folder"] / "baseline.mp4"
    ffmpeg("-f", "lavfi", "-i", f"testsrc=size=320x180:rate={FPS}:duration=1", "-f", "lavfi", "-i",
           "sine=frequency=660:duration=1", "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
           "-c:a", "aac", str(other))
    out = media["folder"] / "headers.mp4"
    result = join_sections([media["videos"][0], other, media["videos"][1]], out)
    assert result["joined_by"] == "stream copy"
    proc = subprocess.run(["ffmpeg", "-v", "error", "-i", str(out), "-f", "null", "-"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == ""
    counted = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v", "-show_entries",
                              "stream=nb_read_frames", "-of", "csv=p=0", str(out)], capture_output=True, text=True)
    assert int(counted.stdout) == round((2.0 + 1.0 + 1.6) * FPS)


def test_a_duration_mismatch_is_an_error_naming_the_output(media, monkeypatch):
    import lessonreel.media as m

    real = m._ffprobe

    def late_audio(path, **options):  # the written file's audio claims to last half a second longer
        info = real(path, **options)
        if Path(path).name.startswith(".mismatch"):
            for s in info["streams"]:
                if s["codec_type"] == "audio":
                    s["duration"] = str(float(s["duration"]) + 0.5)
        return info

    monkeypatch.setattr(m, "_ffprobe", late_audio)
    out = media["folder"] / "mismatch.mp4"
    with pytest.raises(RenderError, match=rf"{re.escape(str(out))}: audio .* differ by more than one frame"):
        join_sections(media["videos"][:2], out)
    assert not out.exists() and not list(media["folder"].glob(".mismatch*"))
