"""Render one section's scene with Manim in a subprocess, with a time limit.

The scene runs in a child process whose environment holds no secrets (only
what Manim, LaTeX and fontconfig need), contained by the sandbox
(:mod:`lessonreel.sandbox`, :mod:`lessonreel.guard`): it may write only in a
scratch folder of its own, read only the project folder (no dot files) and
the Python, font and TeX installations, start only latex and dvisvgm, reach
no network, and is killed, with everything it started, when it runs out of
time or memory. Failures raise a RenderError that names the section and ends
with the tail of the render log.

The static scene policy (:func:`lessonreel.sandbox.check_scene`) is not
applied here: this renders scenes the user edited too. Only the runtime
containment applies.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .critic.trace import ENV as TRACE_ENV
from .errors import RenderError
from .sandbox import run_sandboxed

# Where a narrated scene finds its audio (see LessonScene.narrate).
VOICE_ENV = "LESSONREEL_VOICE_DIR"

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
                 package_root: Path, timeout: float, log_file: Path | None = None, label: str = "",
                 memory_mb: int = 3072, file_size_mb: int = 512, disk_mb: int = 4096,
                 trace: Path | None = None, voice_dir: Path | None = None) -> float:
    """Render ``class_name`` from ``scene_file`` to ``output`` (mp4); return seconds spent.

    With ``trace``, the render also records the layout after every play/wait
    (:mod:`lessonreel.critic.trace`) and writes it there (JSON lines).
    ``voice_dir`` holds a narrated scene's audio (``self.narrate`` calls), which
    Manim mixes into the video.

    The scene runs sandboxed: its working folder (the only place it may write)
    is a scratch folder next to ``output``; it runs in ``project_root`` (so
    project-relative image paths work), which it may read, like the folder of
    ``scene_file`` and the ``lessonreel`` package.
    """
    flag = QUALITIES[quality][0]
    scene_file, output, project_root = Path(scene_file).resolve(), Path(output).resolve(), Path(project_root).resolve()
    package_root = Path(package_root).resolve()
    # Not a dot folder: TeX's paranoid mode (see lessonreel.guard) refuses paths through one.
    scratch = output.parent / "_render"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    # --silent: no "is Manim outdated?" request to PyPI after the render (the sandbox has no network).
    argv = ["-m", "manim", "render", f"-q{flag}", "--disable_caching", "--progress_bar", "none", "-v", "WARNING",
            "--silent", "--media_dir", str(scratch / "media"), "-o", "section", str(scene_file), class_name]
    allow_read = [project_root, scene_file.parent]
    env = render_env(package_root, scratch)
    if trace is not None:
        env[TRACE_ENV] = str(scratch / "layout-trace.jsonl")
    if voice_dir is not None:
        env[VOICE_ENV] = str(Path(voice_dir).resolve())
        allow_read.append(Path(voice_dir).resolve())
    result = run_sandboxed(argv, workdir=scratch, cwd=project_root, timeout=timeout,
                           env=env, memory_mb=memory_mb, file_size_mb=file_size_mb,
                           allow_read=allow_read, disk_mb=disk_mb)
    log, seconds = result.output, result.seconds
    if log_file:
        cmd = result.command
        with open(log_file, "a", encoding="utf-8") as fh:
            fh.write(f"$ {' '.join(cmd)}\n{log}\n[exit {result.returncode}, {seconds:.1f} s]\n")
    name = label or scene_file.parent.name
    if result.timed_out:
        raise RenderError(f"{name}: render timed out after {timeout:g} s\n--- end of render log ---\n{tail(log)}")
    if result.killed == "disk":
        raise RenderError(f"{name}: render stopped: its scratch folder grew past {disk_mb} MB\n"
                          f"--- end of render log ---\n{tail(log)}")
    videos = sorted((scratch / "media" / "videos").rglob("section.mp4"))
    if result.returncode != 0 or not videos:
        raise RenderError(f"{name}: render failed (exit {result.returncode})\n--- end of render log ---\n{tail(log)}")
    output.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(videos[0]), output)
    if trace is not None:
        recorded = scratch / "layout-trace.jsonl"
        if not recorded.exists():  # a scene that does not build on the kit: nothing measured
            recorded.write_text("", encoding="utf-8")
        shutil.move(str(recorded), Path(trace))
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds
