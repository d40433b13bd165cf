#!/usr/bin/env python3
"""Time the final join: lessonreel.media.join_sections against the length of the video and a full re-encode.

    python benchmarks/assemble_bench.py                      # 6 x 20 s at 854x480, 15 fps
    python benchmarks/assemble_bench.py --hd                 # and 1080p60 (final quality)
    python benchmarks/assemble_bench.py --sections 3 --seconds 10 --repeat 1

Synthetic sections stand in for Manim's: libx264 video (testsrc2, default
preset, so with B-frames) and AAC narration made by ffmpeg lavfi - a voice-like
tone (a fundamental and two harmonics, syllable-rate amplitude modulation,
pauses), a different pitch per section. Like Manim's add_sound tracks, the
audio is up to a second shorter or longer than its section's video, and one
section has no audio stream at all.

In one run, per format, the median of --repeat runs of

  join (default)               join_sections as the pipeline calls it: the audio
                               measured (ebur128), brought to -16 LUFS by a gain
                               (+ a limiter when the peaks need it), mono AAC
                               96 kbit/s, the written audio measured again
  join, video only             audio=False (what concat does: no audio work at all)
  full re-encode               ffmpeg: the same concat list, libx264 (default preset)
                               + stereo AAC 160 kbit/s, no loudness normalisation -
                               what joining costs when the video is not copied
  join, burned subtitles       burn_subtitles=an SRT with a cue every 4 s (re-encodes
                               the video; the only case join_sections does)

each as wall seconds and as a share of the final video's duration
("0.016x realtime": the join takes 1.6 % of the time the video plays), and the
default join's ffmpeg commands timed one by one from its log (measure the input,
the limiter's make-up passes if any, join, measure the output). The loudness
column is what ebur128 measured in the written file. Timings are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lessonreel.media import join_sections, probe  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from repair_bench import table  # noqa: E402  (the same markdown tables as the other benchmarks)

FORMATS = {"480p15": ("854x480", 15), "1080p60": ("1920x1080", 60)}
DEFAULT = "join (default)"


def ffmpeg(*args: str) -> None:
    proc = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"ffmpeg {' '.join(args)} failed:\n{proc.stderr[-1500:]}")


def voice(pitch: float, seconds: float) -> str:
    """A lavfi source that sounds a little like speech: harmonics, syllables at about 4 Hz, pauses."""
    body = f"(sin(2*PI*{pitch}*t)+0.5*sin(4*PI*{pitch}*t)+0.25*sin(6*PI*{pitch}*t))"
    syllables = "(0.55+0.45*sin(2*PI*4.3*t))"
    pauses = "gt(sin(2*PI*0.23*t+1),-0.6)"
    return f"aevalsrc='0.12*{body}*{syllables}*{pauses}':s=44100:d={seconds}"


def make_sections(folder: Path, count: int, seconds: float, size: str, fps: int) -> list[Path]:
    """``count`` sections: one video encoded once, muxed with each section's own narration."""
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / "video.mp4"
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}:duration={seconds}",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", str(base))
    sections = []
    for n in range(count):
        path = folder / f"section{n + 1:02d}.mp4"
        if n == count - 1 and count > 1:  # one section without narration
            shutil.copyfile(base, path)
        else:
            audio_seconds = max(0.5, seconds + (-0.9, -0.4, 0.3, 0.8, 1.0)[n % 5])  # shorter and longer
            ffmpeg("-i", str(base), "-f", "lavfi", "-i", voice(110 + 25 * n, audio_seconds),
                   "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac", "-b:a", "128k", str(path))
        sections.append(path)
    return sections


def full_reencode(sections: list[Path], output: Path) -> None:
    lst = output.with_suffix(".txt")
    lst.write_text("".join(f"file '{p.resolve()}'\n" for p in sections), encoding="utf-8")
    ffmpeg("-f", "concat", "-safe", "0", "-i", str(lst), "-map", "0:v", "-map", "0:a?", "-c:v", "libx264",
           "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", str(output))


def write_srt(path: Path, total: float) -> Path:
    cues, t, n = [], 0.5, 1
    while t + 3 < total:
        start, end = t, t + 3
        stamp = lambda s: f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}:{int(s % 60):02d},{round(s % 1 * 1000):03d}"
        cues.append(f"{n}\n{stamp(start)} --> {stamp(end)}\nCue {n}: the longest side of a right triangle\n"
                    f"is called the hypotenuse.\n")
        t, n = t + 4, n + 1
    path.write_text("\n".join(cues), encoding="utf-8")
    return path


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.monotonic()
        result = fn()
        times.append(time.monotonic() - started)
    return statistics.median(times), result


def bench_format(scratch: Path, name: str, count: int, seconds: float, repeat: int, reencode_repeat: int) -> str:
    size, fps = FORMATS[name]
    started = time.monotonic()
    sections = make_sections(scratch / name, count, seconds, size, fps)
    made = time.monotonic() - started
    out = scratch / name / "out"
    out.mkdir(exist_ok=True)
    srt = write_srt(scratch / name / "subs.srt", count * seconds)
    runs = [
        (DEFAULT, repeat, lambda: join_sections(sections, out / "joined.mp4", log_file=out / "joined.log")),
        ("join, video only (audio=False)", repeat, lambda: join_sections(sections, out / "plain.mp4", audio=False)),
        ("full re-encode (ffmpeg, libx264 + AAC)", reencode_repeat, lambda: full_reencode(sections, out / "full.mp4")),
        ("join, burned subtitles (re-encode)", reencode_repeat,
         lambda: join_sections(sections, out / "subs.mp4", burn_subtitles=srt)),
    ]
    rows, results = [], {}
    duration = None
    for label, times, fn in runs:
        if times <= 0:
            continue
        wall, result = timed(fn, times)
        results[label] = result
        if duration is None:
            duration = result["video_seconds"]
        joined = result["joined_by"] if isinstance(result, dict) else "re-encode"
        av = (f"{abs(result['audio_seconds'] - result['video_seconds']) * 1000:.1f} ms"
              if isinstance(result, dict) and result["audio_seconds"] is not None else "")
        loud = (result["audio"] or {}).get("loudness") if isinstance(result, dict) else None
        speed = duration / wall
        rows.append([label, joined, times, f"{wall:.2f}", f"{wall / duration:.4f}x",
                     f"{speed:.0f}x" if speed >= 10 else f"{speed:.1f}x", av,
                     f"{loud['output_i']:.1f} LUFS, {loud['output_tp']:.1f} dBTP" if loud else ""])
    joined = results[DEFAULT]
    loud = joined["audio"]["loudness"]
    lines = [f"### {name}: {count} sections x {seconds:g} s at {size}, {fps} fps "
             f"({duration:g} s of video; sections made in {made:.1f} s)", "",
             f"join took {rows[0][3]} s for {duration:g} s of video: {rows[0][4]} realtime "
             f"(joined by {joined['joined_by']}; {joined['audio']['channels']}-channel AAC at "
             f"{(joined['audio']['bit_rate'] or 0) / 1000:.0f} kbit/s; loudness {loud['input_i']:.1f} LUFS, "
             f"{loud['input_tp']:.1f} dBTP -> {loud['output_i']:.1f} LUFS, {loud['output_tp']:.1f} dBTP, target "
             f"{loud['target_i']:g} LUFS, {loud['target_tp']:g} dBTP; gain {loud['gain_db']:+.2f} dB"
             f"{', limited' if loud['limited'] else ''})", "",
             table(["run", "video", "runs", "seconds (median)", "x realtime", "speed", "|A-V|", "measured loudness"],
                   rows, "llrrrrrl")]
    by_label = {r[0]: float(r[3]) for r in rows}
    full = by_label.get("full re-encode (ffmpeg, libx264 + AAC)")
    if full:
        lines += ["", f"the full re-encode takes {full / by_label[DEFAULT]:.1f}x as long as the join"]
    steps = command_times((out / "joined.log").read_text())
    if steps:
        lines.append("default join, per ffmpeg command (median over the runs; count per run): "
                     + ", ".join(f"{kind} {statistics.median(times):.2f} s ({len(times) / repeat:g})"
                                 for kind, times in steps.items()))
    lines.append(f"final video: {probe(out / 'joined.mp4')['bytes'] / 1e6:.1f} MB")
    return "\n".join(lines)


def command_times(log: str) -> dict[str, list[float]]:
    """Each kind of ffmpeg command join_sections logged, with the seconds each run of it took."""
    kinds: dict[str, list[float]] = {}
    for command, seconds in re.findall(r"^\$ (.*?)$.*?^# exit 0 after ([\d.]+) s$", log, re.M | re.S):
        if "-movflags" in command:
            kind = "join (video copy + audio encode)"
        elif "[0:a:0]anull" in command:
            kind = "measure output"
        elif "volume=" in command:
            kind = "limiter make-up pass"
        else:
            kind = "measure input"
        kinds.setdefault(kind, []).append(float(seconds))
    order = ["measure input", "limiter make-up pass", "join (video copy + audio encode)", "measure output"]
    return {kind: kinds[kind] for kind in order if kind in kinds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Prints markdown tables; asserts nothing about time.")
    parser.add_argument("--sections", type=int, default=6, help="sections to join (default 6)")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds of video per section (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each join; the median is printed (default 3)")
    parser.add_argument("--reencode-repeat", type=int, default=1,
                        help="runs of the full re-encode and the subtitle burn (default 1; 0 skips them)")
    parser.add_argument("--hd", action="store_true", help="also 1080p60 (Manim's final quality)")
    parser.add_argument("--hd-sections", type=int, default=None, help="sections for 1080p60 (default: --sections)")
    parser.add_argument("--only-hd", action="store_true", help="only 1080p60")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="assemble_bench_"))
    try:
        if not args.only_hd:
            print(bench_format(scratch, "480p15", args.sections, args.seconds, args.repeat, args.reencode_repeat))
        if args.hd or args.only_hd:
            print()
            print(bench_format(scratch, "1080p60", args.hd_sections or args.sections, args.seconds, args.repeat,
                               args.reencode_repeat))
    finally:
        if args.keep:
            print(f"\nscratch kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
