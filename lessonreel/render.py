"""Render one section's scene with Manim in a subprocess, with a time limit.

The scene runs in a child process whose environment holds no secrets (only
what Manim, LaTeX and fontconfig need), inside a scratch folder of its own,
and is killed when it runs out of time. Failures raise a RenderError that
names the section and ends with the tail of the render log.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .errors import RenderError

QUALITIES = {
    # name: (Manim quality flag, width, height, fps)
    "preview": ("l", 854, 480, 15),
    "draft": ("m", 1280, 720, 30),
    "final": ("h", 1920, 1080, 60),
}

# Environment variables a render may see; everything else (API keys, tokens,
# cloud credentials) is dropped before the untrusted scene code runs.
SAFE_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TERM", "FONTCONFIG_PATH", "FONTCONFIG_FILE",
            "TEXMFHOME", "TEXMFVAR", "TEXMFCONFIG", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def render_env(package_root: Path, scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in SAFE_ENV}
    env["HOME"] = str(scratch)
    env["PYTHONPATH"] = str(package_root)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["COLUMNS"] = "160"  # Manim's rich log wraps at the terminal width
    env.setdefault("LANG", "C.UTF-8")
    return env


def tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def render_scene(scene_file: Path, class_name: str, output: Path, quality: str, *, project_root: Path,
                 package_root: Path, timeout: float, log_file: Path | None = None, label: str = "") -> float:
    """Render ``class_name`` from ``scene_file`` to ``output`` (mp4); return seconds spent."""
    flag = QUALITIES[quality][0]
    scene_file, output, project_root = Path(scene_file).resolve(), Path(output).resolve(), Path(project_root).resolve()
    scratch = output.parent / ".render"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    cmd = [sys.executable, "-m", "manim", "render", f"-q{flag}", "--disable_caching", "--progress_bar", "none", "-v", "WARNING",
           "--media_dir", str(scratch / "media"), "-o", "section", str(scene_file), class_name]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=project_root, env=render_env(Path(package_root).resolve(), scratch),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        log, _ = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        log, _ = proc.communicate()
        timed_out = True
    seconds = time.monotonic() - started
    if log_file:
        with open(log_file, "a", encoding="utf-8") as fh:
            fh.write(f"$ {' '.join(cmd)}\n{log}\n[exit {proc.returncode}, {seconds:.1f} s]\n")
    name = label or scene_file.parent.name
    if timed_out:
        raise RenderError(f"{name}: render timed out after {timeout:g} s\n--- end of render log ---\n{tail(log)}")
    videos = sorted((scratch / "media" / "videos").rglob("section.mp4"))
    if proc.returncode != 0 or not videos:
        raise RenderError(f"{name}: render failed (exit {proc.returncode})\n--- end of render log ---\n{tail(log)}")
    output.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(videos[0]), output)
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds
