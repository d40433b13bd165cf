"""Probe and join videos with ffmpeg (through ffmpeg-python)."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import ffmpeg

from .errors import RenderError


def probe(path: str | Path) -> dict:
    """Duration and the video stream's format of a media file."""
    try:
        info = ffmpeg.probe(str(path))
    except ffmpeg.Error as exc:
        raise RenderError(f"{path}: ffprobe failed: {exc.stderr.decode(errors='replace')[-500:]}") from None
    video = next((s for s in info["streams"] if s["codec_type"] == "video"), None)
    if video is None:
        raise RenderError(f"{path}: no video stream")
    return {
        "duration": float(info["format"]["duration"]),
        "width": int(video["width"]),
        "height": int(video["height"]),
        # r_frame_rate is the stream's nominal rate; avg_frame_rate drifts with the last frame's length.
        "fps": float(Fraction(video["r_frame_rate"])) if video.get("r_frame_rate", "0/0") != "0/0" else 0.0,
        "codec": video["codec_name"],
        "pix_fmt": video.get("pix_fmt", ""),
        "time_base": video.get("time_base", ""),
        "bytes": int(info["format"].get("size", 0)),
    }


def concat(videos: list[str | Path], output: str | Path, log_file: str | Path | None = None) -> str:
    """Join videos in the given order; stream copy when their formats match.

    Returns "stream copy" or "re-encode". Writes to a temporary name first so
    a failed join never leaves a truncated video behind.
    """
    output = Path(output)
    formats = [probe(v) for v in videos]
    keys = {(f["codec"], f["width"], f["height"], f["pix_fmt"], f["time_base"], round(f["fps"], 3)) for f in formats}
    list_file = output.with_name(f".{output.stem}.concat.txt")
    list_file.write_text("".join(f"file '{_quote(Path(v).resolve())}'\n" for v in videos), encoding="utf-8")
    tmp = output.with_name(f".{output.stem}.tmp{output.suffix}")
    source = ffmpeg.input(str(list_file), format="concat", safe=0)
    if len(keys) == 1:
        method = "stream copy"
        stream = ffmpeg.output(source, str(tmp), c="copy", movflags="+faststart")
    else:
        method = "re-encode"
        first = formats[0]
        stream = ffmpeg.output(source, str(tmp), vcodec="libx264", pix_fmt="yuv420p", r=first["fps"],
                               s=f"{first['width']}x{first['height']}", movflags="+faststart")
    try:
        _out, err = ffmpeg.run(stream.overwrite_output(), capture_stdout=True, capture_stderr=True)
    except ffmpeg.Error as exc:
        raise RenderError(f"joining {len(videos)} sections into {output} failed:\n"
                          f"{exc.stderr.decode(errors='replace')[-1500:]}") from None
    finally:
        list_file.unlink(missing_ok=True)
    if log_file:
        with open(log_file, "a", encoding="utf-8") as fh:
            fh.write(f"joined {len(videos)} sections by {method}\n{err.decode(errors='replace')[-2000:]}\n")
    os.replace(tmp, output)
    return method


def _quote(path: Path) -> str:
    # The concat demuxer's list syntax: a single quote is written as '\''
    return str(path).replace("'", "'\\''")
