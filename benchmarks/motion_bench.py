"""How much each example video moves: the motion share, the longest still and the stills over 8 s.

A still is a stretch of 0.5 s or more in which the picture does not change,
as ffmpeg's ``freezedetect`` filter sees it (frames sampled at 10 per second,
scaled to 320 pixels wide, a noise tolerance of 0.002; the same measure as
``../shared/tools/motion.sh``). The motion share is the share of the video's
length that is not still. Targets: motion at least 40 % and no still over 8 s.

    python benchmarks/motion_bench.py                     # results/*/video.mp4
    python benchmarks/motion_bench.py results/binary-search/video.mp4 ...
    python benchmarks/motion_bench.py --build --quality preview   # build topics/ first (snakemake)

It prints one row per video, measured in this run, and exits non-zero when a
target is missed (``--no-fail`` to only report).
"""

from __future__ import annotations

import argparse
import glob
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_MOTION = 0.40
MAX_STILL = 8.0
_EVENT = re.compile(r"lavfi\.freezedetect\.freeze_(start|end): ([0-9.]+)")


@dataclass
class Motion:
    video: str
    length: float
    stills: list[tuple[float, float]]  # (start, end) seconds

    @property
    def still_seconds(self) -> float:
        return sum(end - start for start, end in self.stills)

    @property
    def share(self) -> float:
        return 1.0 - self.still_seconds / self.length if self.length else 0.0

    @property
    def longest(self) -> float:
        return max((end - start for start, end in self.stills), default=0.0)

    @property
    def long_stills(self) -> list[tuple[float, float]]:
        return [(s, e) for s, e in self.stills if e - s > MAX_STILL]

    @property
    def met(self) -> bool:
        return self.share >= MIN_MOTION and not self.long_stills


def duration(video: str) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", video],
                         capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def measure(video: str, noise: float = 0.002, min_still: float = 0.5) -> Motion:
    """The stills of a video, from freezedetect's start and end events (a still at the very end included)."""
    length = duration(video)
    proc = subprocess.run(["ffmpeg", "-v", "info", "-i", video, "-an", "-vf",
                           f"fps=10,scale=320:-1,freezedetect=n={noise}:d={min_still},metadata=print",
                           "-f", "null", "-"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{video}: ffmpeg failed:\n{proc.stderr[-2000:]}")
    stills, start = [], None
    for kind, value in _EVENT.findall(proc.stderr):
        if kind == "start":
            start = float(value)
        elif start is not None:
            stills.append((start, float(value)))
            start = None
    if start is not None:  # still until the end: freezedetect reports no end for it
        stills.append((start, length))
    return Motion(video, length, stills)


def _build(quality: str) -> None:
    cmd = [sys.executable, "-m", "snakemake", "--profile", "profiles/local", "--config", f"quality={quality}"]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("videos", nargs="*", help="videos to measure (default: results/*/video.mp4)")
    parser.add_argument("--build", action="store_true", help="build the topics in topics/ first")
    parser.add_argument("--quality", default="preview", choices=["preview", "draft", "final"],
                        help="quality of --build (default preview)")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when a target is missed")
    parser.add_argument("--stills", action="store_true", help="also list every still over 4 s")
    args = parser.parse_args(argv)
    if args.build:
        _build(args.quality)
    videos = args.videos or sorted(glob.glob(str(ROOT / "results" / "*" / "video.mp4")))
    if not videos:
        print("no videos: run ./setup.sh render (or this script with --build) first", file=sys.stderr)
        return 2
    rows = [measure(v) for v in videos]
    print(f"{'video':42} {'length':>7} {'motion':>7} {'longest still':>14} {'stills > 8 s':>12}  target")
    for m in rows:
        name = str(Path(m.video).resolve().relative_to(ROOT)) if Path(m.video).resolve().is_relative_to(ROOT) else m.video
        print(f"{name:42} {m.length:6.1f}s {100 * m.share:6.1f}% {m.longest:13.1f}s {len(m.long_stills):12d}  "
              f"{'met' if m.met else 'MISSED'}")
        if args.stills:
            for s, e in m.stills:
                if e - s > 4:
                    print(f"    still {s:7.1f}-{e:7.1f} s ({e - s:.1f} s)")
    shares = [m.share for m in rows]
    print(f"motion {100 * min(shares):.1f}-{100 * max(shares):.1f} %, longest still "
          f"{max(m.longest for m in rows):.1f} s; target: motion >= {100 * MIN_MOTION:.0f} %, no still over "
          f"{MAX_STILL:g} s: {'met' if all(m.met for m in rows) else 'missed'} on {sum(m.met for m in rows)}/{len(rows)}")
    return 0 if args.no_fail or all(m.met for m in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
