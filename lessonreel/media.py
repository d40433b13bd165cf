"""Probe and join videos with ffmpeg.

:func:`join_sections` joins section videos into the final video: their video
streams by stream copy when they share a format (no quality loss, seconds for a
long lesson), their narration audio section by section - each section
contributes exactly its own video's length of audio, so sync cannot drift -
measured (EBU R128, ffmpeg ``ebur128``), brought to a loudness target by one
linear gain (a peak limiter only when the gain would push the true peak over
its target) and encoded as mono AAC. :func:`concat` is the older video-only
join, kept for its callers.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import ffmpeg

from .errors import RenderError

__all__ = ["probe", "concat", "join_sections", "LOUDNESS_TARGET", "SAMPLE_RATE"]

SAMPLE_RATE = 48000
# Loudness targets (EBU R128 measures, as ffmpeg's ebur128 reads them): -16 LUFS
# integrated, the usual level for spoken content online (Apple's podcast guidelines
# ask for about -16), -1.5 dBTP true peak.
LOUDNESS_TARGET = {"I": -16.0, "TP": -1.5}
_LOUDNESS_LIMITS = {"I": (-70.0, -5.0), "TP": (-9.0, 0.0)}
# At or below this integrated loudness the audio is silence (ebur128 reports -70.0
# LUFS when nothing passes its absolute gate): no gain, nothing to normalise.
_SILENT_LUFS = -70.0
# The measurement: integrated loudness, loudness range and (peak=true) true peak,
# the per-frame log at verbose level (not printed) so only the summary reaches stderr.
# dualmono: the mono track is measured as it is heard from two speakers (3 LU more
# than as one channel), so -16 here is as loud as a -16 LUFS stereo track (the
# AES streaming recommendation: -16 stereo, -19 as plain mono).
_EBUR128 = "ebur128=peak=true:dualmono=true:framelog=verbose"
_EBUR128_I = "ebur128=dualmono=true:framelog=verbose"  # loudness only: no 4x oversampling for the peak
# The limiter, used only when the gain would lift the true peak over its target: a
# sample-peak limiter, so its ceiling is 0.5 dB under the true-peak target to leave
# room for inter-sample peaks and the AAC encoder's overshoot. A 5 ms look-ahead
# (attack) and a 50 ms release are short enough that only the peaks of a syllable
# are touched, not the words around them; latency=true compensates the look-ahead,
# which would otherwise delay the whole track by 5 ms (240 samples at 48 kHz).
_LIMITER_MARGIN_DB = 0.5
_LIMITER = "alimiter=limit={limit:.6f}:attack=5:release=50:level=false:latency=true"
# Holding the peaks down takes loudness off too (0.7 LU for the 4.6 dB a 173 s
# espeak lesson's peaks needed): with the limiter, the gain is raised until the
# limited track measures the target - at most this many measuring passes (about
# 0.4 s each for 173 s), and at most this much above the plain gain.
_MAKEUP_PASSES, _MAKEUP_MAX_DB, _MAKEUP_TOLERANCE = 2, 3.0, 0.1
# The narration is speech from one voice: mono AAC at 96 kbit/s at 48 kHz is ample
# for it. The encoder's "fast" coder, not its default "twoloop": on that lesson it
# encoded in 1.1 s, not 2.5 s, at 91 kbit/s, with less coding noise (SNR against the
# encoder's input 42/26/21 dB in 0-4/4-8/8-12 kHz, twoloop's 27/20/15 dB; measured,
# not listened to), and it adds 0.1-0.2 dB to the limited track's true peak where
# twoloop added 0.5-1.6 dB, which put it over the target.
_CHANNELS, _LAYOUT, _BITRATE = 1, "mono", "96k"
_AAC = ["-c:a", "aac", "-aac_coder", "fast", "-b:a", _BITRATE, "-ac", str(_CHANNELS), "-ar", str(SAMPLE_RATE)]
_LOG_TAIL = 2000


def _ffprobe(path: str | Path, **options) -> dict:
    """ffprobe's streams and format of ``path``; RenderError naming the file when it is missing or unreadable."""
    path = Path(path)
    if not path.is_file():
        raise RenderError(f"{path}: section video not found" if not path.exists() else f"{path}: not a file")
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise RenderError(f"{path}: cannot read the video: {exc.strerror or exc}") from None
    try:
        return ffmpeg.probe(str(path), **options)
    except ffmpeg.Error as exc:
        raise RenderError(f"{path}: ffprobe failed: {exc.stderr.decode(errors='replace')[-500:]}") from None


def _fps(stream: dict) -> float:
    rate = stream.get("r_frame_rate", "0/0")
    return float(Fraction(rate)) if rate not in ("0/0", "") and not rate.endswith("/0") else 0.0


def probe(path: str | Path) -> dict:
    """Duration and the video stream's format of a media file."""
    info = _ffprobe(path)
    video = next((s for s in info["streams"] if s["codec_type"] == "video"), None)
    if video is None:
        raise RenderError(f"{path}: no video stream")
    return {
        "duration": float(info["format"]["duration"]),
        "width": int(video["width"]),
        "height": int(video["height"]),
        # r_frame_rate is the stream's nominal rate; avg_frame_rate drifts with the last frame's length.
        "fps": _fps(video),
        "codec": video["codec_name"],
        "pix_fmt": video.get("pix_fmt", ""),
        "time_base": video.get("time_base", ""),
        "bytes": int(info["format"].get("size", 0)),
    }


def _stream_seconds(stream: dict, info: dict) -> float:
    """A stream's own duration (mp4 has it per stream; Matroska as a DURATION tag), else the file's."""
    if stream.get("duration") not in (None, "N/A"):
        return float(stream["duration"])
    tag = (stream.get("tags") or {}).get("DURATION")
    if tag:
        hours, minutes, seconds = tag.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    return float(info["format"]["duration"])


def video_seconds(path: str | Path) -> float:
    """The length of a file's video stream (its audio may run longer or shorter): where the next section starts."""
    return _section(Path(path))["seconds"]


def _section(path: Path) -> dict:
    """What the join needs to know about one section video."""
    info = _ffprobe(path, show_data_hash="md5")
    streams = info["streams"]
    video = next((s for s in streams if s["codec_type"] == "video"), None)
    if video is None:
        raise RenderError(f"{path}: no video stream")
    audio = next((s for s in streams if s["codec_type"] == "audio"), None)
    start = video.get("start_time")
    return {
        "path": path,
        "key": (video["codec_name"], int(video["width"]), int(video["height"]), video.get("pix_fmt", ""),
                video.get("time_base", ""), round(_fps(video), 3)),
        "width": int(video["width"]), "height": int(video["height"]), "fps": _fps(video),
        "seconds": _stream_seconds(video, info),
        "start": float(start) if start not in (None, "N/A") else 0.0,
        "extradata": video.get("extradata_hash"),
        "channels": int(audio.get("channels") or 2) if audio else 0,
    }


def _log(log_file, text: str) -> None:
    if log_file:
        with open(log_file, "a", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")


def _run(cmd: list[str], log_file, what: str, cwd: str | None = None) -> str:
    """Run ffmpeg; log the command and its stderr tail; RenderError with the tail on failure."""
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    err = proc.stderr.decode(errors="replace")
    _log(log_file, f"$ {shlex.join(cmd)}\n{err[-_LOG_TAIL:].rstrip()}\n"
                   f"# exit {proc.returncode} after {time.monotonic() - started:.2f} s")
    if proc.returncode != 0:
        raise RenderError(f"{what} failed (ffmpeg exit {proc.returncode}):\n{err[-1500:]}")
    return err


def _loudness_target(loudness: dict | None) -> dict:
    """:data:`LOUDNESS_TARGET` with ``loudness``'s values: keys I and TP (any case), numbers in range."""
    target = dict(LOUDNESS_TARGET)
    for key, value in (loudness or {}).items():
        name = {"i": "I", "tp": "TP"}.get(str(key).lower())
        if name is None:
            raise ValueError(f"loudness: unknown key {key!r} (expected I or TP)")
        low, high = _LOUDNESS_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise ValueError(f"loudness: {name} must be a number from {low} to {high}, got {value!r}")
        target[name] = float(value)
    return target


_SUMMARY = {"i": r"\bI:\s+(-?inf|-?[\d.]+) LUFS", "lra": r"\bLRA:\s+(-?inf|-?[\d.]+) LU\b",
            "tp": r"\bPeak:\s+(-?inf|-?[\d.]+) dBFS"}


def _ebur128(stderr: str, what: str, keys: tuple[str, ...] = ("i", "lra", "tp")) -> dict:
    """Integrated loudness ``i`` (LUFS), loudness range ``lra`` (LU), true peak ``tp`` (dBTP) from ebur128's log.

    ebur128 prints a summary when it ends; ffmpeg also ends an internal instance of
    the filter first, whose summary is all zeros, so the last summary is the one.
    """
    at = stderr.rfind("Summary:")
    found = {key: re.search(_SUMMARY[key], stderr[at:]) for key in keys} if at >= 0 else {}
    if not found or not all(found.values()):
        raise RenderError(f"{what}: ebur128 printed no loudness summary:\n{stderr[-800:]}")
    return {key: float(match.group(1)) for key, match in found.items()}


def _measure(head: list[str], inputs: list[str], graph: str, log_file, what: str, peak: bool = True) -> dict:
    """ebur128's measurement of the filtergraph ``graph`` (one audio output) over ``inputs``."""
    meter, keys = (_EBUR128, ("i", "lra", "tp")) if peak else (_EBUR128_I, ("i",))
    err = _run(head + inputs + ["-filter_complex", f"{graph},{meter}[m]", "-map", "[m]", "-f", "null", "-"],
               log_file, what)
    return _ebur128(err, what, keys)


def _limited_gain(head: list[str], inputs: list[str], graph: str, gain: float, limiter: str, target: float,
                  log_file, what: str) -> float:
    """The gain before ``limiter`` that brings the limited track to ``target`` LUFS.

    Starts from the plain gain; measures the limited track and raises the gain by
    what it misses (by the secant through the last two tries from the second on),
    at most :data:`_MAKEUP_PASSES` times and :data:`_MAKEUP_MAX_DB` above the start.
    """
    start, tried = gain, []
    for _ in range(_MAKEUP_PASSES):
        level = _measure(head, inputs, f"{graph},volume={gain:.2f}dB,{limiter}", log_file, what, peak=False)["i"]
        tried.append((gain, level))
        miss = target - level
        if abs(miss) <= _MAKEUP_TOLERANCE:
            break
        slope = 1.0
        if len(tried) > 1 and tried[-1][0] != tried[-2][0]:  # louder in: louder out, but less than 1:1
            slope = min(1.0, max(0.25, (tried[-1][1] - tried[-2][1]) / (tried[-1][0] - tried[-2][0])))
        gain = round(min(start + _MAKEUP_MAX_DB, max(start, gain + miss / slope)), 2)
    return gain


def _subtitle_style(width: int, height: int) -> str:
    """A libass style for burned-in subtitles: white text on a translucent dark box, bottom centre.

    Sizes are in frame pixels (PlayRes = the frame). The font is 5.5 % of the frame's
    height, smaller when the frame is narrow, so a 42-character line fits in 90 %
    of the width (DejaVu Sans averages about 0.55 em a character).
    """
    size = max(8, round(min(0.055 * height, 0.9 * width / (42 * 0.55))))
    return ",".join([
        f"PlayResX={width}", f"PlayResY={height}", "FontName=DejaVu Sans", f"FontSize={size}",
        "PrimaryColour=&H00FFFFFF",              # white text (&HAABBGGRR, 00 = opaque)
        "OutlineColour=&H38000000",              # BorderStyle 3 draws a box in this colour: black, 78 % opaque
        "BackColour=&H80000000", "BorderStyle=3", f"Outline={max(1, round(size * 0.12))}", "Shadow=0",
        "Alignment=2", f"MarginV={round(0.05 * height)}", f"MarginL={round(0.05 * width)}",
        f"MarginR={round(0.05 * width)}", "WrapStyle=0",
    ])


def _audio_graph(sections: list[dict], first_input: int, layout: str = _LAYOUT) -> tuple[list[str], str]:
    """Input arguments and the filtergraph that joins the sections' audio, one piece per section.

    Section i's piece has exactly its video's samples: its audio from the section's
    video start (first_pts=0 pads audio that starts late, trims early audio),
    trimmed or padded with silence, or silence when it has no audio stream. The
    pieces are concatenated and timestamped by sample count, so section i starts at
    the sum of the earlier video durations, to the sample. Each piece is converted
    to ``layout`` (stereo sections are downmixed to mono by ffmpeg's default matrix).
    """
    args, pieces, labels, k = [], [], [], first_input
    for i, s in enumerate(sections):
        n = s["samples"]
        if s["channels"]:
            args += ["-i", str(s["path"].resolve())]
            shift = f"asetpts=PTS-{s['start']:.6f}/TB," if s["start"] else ""
            pieces.append(f"[{k}:a:0]{shift}aresample={SAMPLE_RATE}:async=1:first_pts=0,"
                          f"aformat=sample_fmts=fltp:channel_layouts={layout},"
                          f"atrim=end_sample={n},apad=whole_len={n}[a{i}]")
            k += 1
        else:
            pieces.append(f"anullsrc=r={SAMPLE_RATE}:cl={layout},atrim=end_sample={n}[a{i}]")
        labels.append(f"[a{i}]")
    graph = ";".join(pieces) + ";" + "".join(labels) + f"concat=n={len(sections)}:v=0:a=1,asetpts=N/SR/TB"
    return args, graph


def join_sections(videos: list[str | Path], output: str | Path, *, log_file: str | Path | None = None,
                  audio: bool = True, loudness: dict | None = None,
                  burn_subtitles: str | Path | None = None) -> dict:
    """Join section videos in order into ``output``, with their narration audio.

    Video: the concat demuxer, stream copy when every section's video stream has
    the same codec, size, pixel format, time base and frame rate, else a libx264
    re-encode to the first section's size and rate; with ``burn_subtitles`` (an
    SRT file) always re-encoded, the cues drawn at the bottom.

    Audio (``audio=True``): each section gives exactly its video stream's
    duration of audio - its first audio stream, trimmed or padded with silence,
    or silence when it has none - so every section's audio starts at its video
    offset. The joined track is first measured (ffmpeg ``ebur128``: integrated
    loudness I, loudness range, true peak) and then brought to ``loudness``
    (defaults: :data:`LOUDNESS_TARGET`; keys I and TP, any case, else
    ValueError) by one linear gain, ``target I - measured I`` dB, which keeps the
    narration's dynamics as they are. Only when that gain would lift the true
    peak over the TP target does a short look-ahead limiter (``alimiter``, its
    ceiling 0.5 dB under the target for inter-sample peaks) hold the peaks
    down; as that takes some loudness off too, the gain is then raised until
    the limited track measures the target (one or two more measuring passes,
    at most 3 dB more). A silent track (no audio streams, or I at or below
    -70 LUFS) gets no gain.

    The track is narration - one voice, speech - so it is downmixed to mono and
    encoded AAC at 96 kbit/s, 48 kHz (the encoder's "fast" coder): ample for
    speech, and much cheaper to encode than stereo at 160 kbit/s, which would
    only carry the same voice twice. Its loudness is measured as dual mono
    (ebur128 ``dualmono``): as heard from two speakers, so the target means the
    same as for a stereo track. ``audio=False`` writes video only.

    The result is checked with ffprobe: audio and video durations must agree
    within one frame, else RenderError naming ``output`` (which is then not
    written). The written audio is measured again with ebur128, and those
    measured values - never computed ones - are reported. Returns what was done::

        {"joined_by": "stream copy" | "re-encode",
         "audio": {"codec", "sample_rate", "channels" (1), "bit_rate",
                   "loudness": {"input_i", "input_tp", "input_lra",      # the joined track, measured
                                "output_i", "output_tp", "output_lra",   # the written file, measured
                                "target_i", "target_tp", "gain_db", "limited": bool, "method": "gain"}
                               | None (silent)} | None (audio=False),
         "video_seconds", "audio_seconds" (None without audio), "offsets": [each section's start, s],
         "seconds_spent"}
    """
    started = time.monotonic()
    output = Path(output)
    if not videos:
        raise RenderError(f"{output}: no section videos to join")
    target = _loudness_target(loudness)
    subs = None
    if burn_subtitles is not None:
        subs = Path(burn_subtitles)
        if not subs.is_file():
            raise RenderError(f"{subs}: subtitle file not found")
    sections = [_section(Path(v)) for v in videos]
    first = sections[0]
    same = len({s["key"] for s in sections}) == 1
    method = "stream copy" if same and subs is None else "re-encode"
    offsets, clock = [], 0.0
    for s in sections:
        offsets.append(round(clock, 6))
        clock += s["seconds"]
        s["samples"] = round(s["seconds"] * SAMPLE_RATE)
    total_samples = sum(s["samples"] for s in sections)
    has_audio = any(s["channels"] for s in sections)
    head = [shutil.which("ffmpeg") or "ffmpeg", "-hide_banner", "-nostdin", "-y"]

    tmp = output.with_name(f".{output.stem}.tmp{output.suffix}")
    scratch = Path(tempfile.mkdtemp(prefix=f".{output.stem}.join_", dir=output.parent.resolve()))
    measured, loud, silent, gain, limited = None, None, True, 0.0, False
    try:
        # Each file is placed after the earlier files' *video* durations ("duration"; the
        # file's own duration would include a longer audio stream), from its video's start
        # ("inpoint"); -copyts keeps those timestamps (ffmpeg would otherwise shift them
        # all by the first file's start, which AAC priming makes negative).
        list_file = scratch / "sections.txt"
        list_file.write_text("".join(f"file '{_quote(s['path'].resolve())}'\ninpoint {s['start']:.6f}\n"
                                     f"duration {s['seconds']:.6f}\n" for s in sections), encoding="utf-8")
        # With one set of codec parameters (H.264's SPS/PPS) for all files, the packets are
        # copied byte for byte; else the demuxer's auto_convert repeats each file's
        # parameter sets in its keyframes so a player can switch (still no re-encode).
        one_header = len({s["extradata"] for s in sections}) == 1 and first["extradata"] is not None
        video_input = ["-copyts", "-f", "concat", "-safe", "0", *(["-auto_convert", "0"] if one_header else []),
                       "-i", str(list_file)]
        filters: list[str] = []
        audio_inputs: list[str] = []
        if audio:
            what = f"measuring the loudness for {output}"
            if has_audio:  # the joined track as it will be encoded (mono), measured
                args, graph = _audio_graph(sections, 0)
                measured = _measure(head, args, graph, log_file, what)
            # Silence (no audio streams, or streams without sound) gets no gain.
            silent = measured is None or not measured["i"] > _SILENT_LUFS
            audio_inputs, chain = _audio_graph(sections, 1)
            if not silent:
                gain = round(target["I"] - measured["i"], 2)
                limited = measured["tp"] + gain > target["TP"]
                limiter = _LIMITER.format(limit=10 ** ((target["TP"] - _LIMITER_MARGIN_DB) / 20))
                if limited:
                    gain = _limited_gain(head, args, graph, gain, limiter, target["I"], log_file, what)
                chain += f",volume={gain:.2f}dB" + (f",{limiter}" if limited else "")
            # Exactly the videos' length, whatever the filters did at the ends.
            filters.append(f"{chain},aformat=sample_fmts=fltp:sample_rates={SAMPLE_RATE}:channel_layouts={_LAYOUT},"
                           f"apad=whole_len={total_samples},atrim=end_sample={total_samples}[aout]")
        video_map = ["-map", "0:v:0"]
        if subs is not None:
            shutil.copyfile(subs, scratch / "subs.srt")  # a plain relative name: no filtergraph escaping
            scale = "" if same else f"scale={first['width']}:{first['height']},"
            filters.insert(0, f"[0:v:0]{scale}subtitles=filename=subs.srt:"
                              f"force_style='{_subtitle_style(first['width'], first['height'])}'[vout]")
            video_map = ["-map", "[vout]"]
        if method == "stream copy":
            video_codec = ["-c:v", "copy"]
        else:
            video_codec = ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-r", f"{first['fps']:g}"]
            if subs is None:
                video_codec += ["-s", f"{first['width']}x{first['height']}"]
            else:
                video_codec += ["-crf", "20"]  # sharp text edges
        cmd = head + video_input + audio_inputs + (["-filter_complex", ";".join(filters)] if filters else [])
        cmd += video_map + video_codec
        if audio:
            cmd += ["-map", "[aout]", *_AAC]
        cmd += ["-movflags", "+faststart", str(tmp.resolve())]
        _run(cmd, log_file, f"joining {len(sections)} sections into {output}", cwd=str(scratch))
        result = _check(tmp, output, audio)
        if audio and not silent:  # what was written, measured: the report never states a computed level
            written = _measure(head, ["-i", str(tmp.resolve())], "[0:a:0]anull", log_file,
                               f"measuring the loudness of {output}")
            loud = {"input_i": measured["i"], "input_tp": measured["tp"], "input_lra": measured["lra"],
                    "output_i": written["i"], "output_tp": written["tp"], "output_lra": written["lra"],
                    "target_i": target["I"], "target_tp": target["TP"], "gain_db": gain, "limited": limited,
                    "method": "gain"}
        _log(log_file, f"joined {len(sections)} sections into {output} by {method}"
                       + (" without audio" if not audio else " with silent audio" if silent else
                          f" with audio at {loud['output_i']:g} LUFS, {loud['output_tp']:g} dBTP "
                          f"(measured {measured['i']:g} LUFS, gain {gain:+.2f} dB"
                          + (", limited)" if limited else ")")))
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(scratch, ignore_errors=True)

    return {
        "joined_by": method,
        "audio": ({"codec": result["audio_codec"], "sample_rate": result["sample_rate"],
                   "channels": result["channels"], "bit_rate": result["bit_rate"], "loudness": loud}
                  if audio else None),
        "video_seconds": result["video_seconds"],
        "audio_seconds": result["audio_seconds"],
        "offsets": offsets,
        "seconds_spent": round(time.monotonic() - started, 3),
    }


def _check(path: Path, output: Path, audio: bool) -> dict:
    """The written file's streams; RenderError naming ``output`` unless audio and video last the same, to a frame."""
    info = _ffprobe(path)
    video = next((s for s in info["streams"] if s["codec_type"] == "video"), None)
    sound = next((s for s in info["streams"] if s["codec_type"] == "audio"), None)
    if video is None:
        raise RenderError(f"{output}: the joined file has no video stream")
    video_seconds = _stream_seconds(video, info)
    result = {"video_seconds": round(video_seconds, 6), "audio_seconds": None, "audio_codec": None,
              "sample_rate": None, "channels": None, "bit_rate": None}
    if not audio:
        return result
    if sound is None:
        raise RenderError(f"{output}: the joined file has no audio stream")
    audio_seconds = _stream_seconds(sound, info)
    fps = _fps(video) or 30.0
    if abs(audio_seconds - video_seconds) > 1.0 / fps + 1e-6:
        raise RenderError(f"{output}: audio ({audio_seconds:.3f} s) and video ({video_seconds:.3f} s) of the "
                          f"joined file differ by more than one frame (1/{fps:g} s)")
    result.update(audio_seconds=round(audio_seconds, 6), audio_codec=sound["codec_name"],
                  sample_rate=int(sound["sample_rate"]), channels=int(sound["channels"]),
                  bit_rate=int(sound["bit_rate"]) if sound.get("bit_rate") not in (None, "N/A") else None)
    return result


def concat(videos: list[str | Path], output: str | Path, log_file: str | Path | None = None) -> str:
    """Join videos in the given order, video only; stream copy when their formats match.

    Returns "stream copy" or "re-encode". Writes to a temporary name first so
    a failed join never leaves a truncated video behind. (:func:`join_sections`
    with ``audio=False``; use that for narrated sections.)
    """
    return join_sections(videos, output, log_file=log_file, audio=False)["joined_by"]


def _quote(path: Path) -> str:
    # The concat demuxer's list syntax: a single quote is written as '\''
    return str(path).replace("'", "'\\''")
