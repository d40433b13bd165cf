"""Run a scene's ``construct`` completely, without drawing a video, to find errors fast.

``manim render --dry_run`` turns file output off but still steps every
animation frame by frame and rasterises every frame with Cairo (at 60 fps and
1080p unless told otherwise), so it saves only the encoding. This runner
instead asks Manim to *skip* animations (the mechanism behind ``-s`` and
``-n``) with file output off (``config.dry_run``), so each ``play``/``wait``

* builds its animations and calls ``begin()`` (where e.g. a ``Transform``
  between incompatible mobjects fails),
* interpolates them at alpha 0.5 and 1 (instead of once per frame; Manim's own
  skipping interpolates only at alpha 1), running updaters with those steps,
* rasterises the static and the final frame of the play at a tiny 256x144
  (a few percent of the run, and Cairo still draws every mobject once),
* and never encodes anything.

Everything else (mobject construction, Text layout, TeX compilation) runs
exactly as in a render. The scene runs in a child process with the render
environment (``render.render_env``: no secrets), in its own folder and process
group, contained by the render sandbox, and is killed when it runs out of
time. Before the hard limit the child interrupts itself (SIGALRM), so an
endless loop in the scene ends with a normal traceback whose innermost scene
frame is the loop; if even that fails, ``faulthandler`` dumps the stacks.

Command line (what the child runs)::

    python -m lessonreel.dryrun SCENE_FILE CLASS_NAME --media-dir DIR [--soft-timeout S]
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

OK_MARK = "LESSONREEL DRY RUN OK"
TIMEOUT_EXIT = 124
SAMPLE_ALPHAS = (0.5, 1.0)
PIXELS = (256, 144)  # only the pixel grid: the frame (14.2 x 8 units) and all layout stay the same


@dataclass
class DryRunResult:
    ok: bool
    output: str
    seconds: float
    timed_out: bool


def soft_timeout(timeout: float) -> float:
    """When the child interrupts itself: before the hard kill, with time to print a traceback."""
    return max(timeout * 0.5, timeout - max(1.0, 0.1 * timeout))


def dry_run(scene_file: Path, class_name: str, *, timeout: float = 120, package_root: Path, workdir: Path,
            project_root: Path | None = None, sandbox: bool = True, memory_mb: int = 3072,
            trace: Path | None = None) -> DryRunResult:
    """Execute ``class_name`` from ``scene_file`` without rendering; report whether it ran through.

    ``workdir`` is the child's own scratch folder: its HOME and Manim's media
    folder, with the TeX cache (reuse it between dry runs of one scene to
    reuse compiled TeX; give concurrent dry runs different folders, as Manim's
    text cache is not safe to share). It must not lie under a dot folder (the
    sandbox's TeX settings refuse those paths). The child runs in
    ``project_root`` when given (so relative asset paths resolve as in a real
    render, which runs there), else in ``workdir``.

    The scene is untrusted code, so by default it runs contained like a render
    (:func:`lessonreel.sandbox.run_sandboxed`: environment from
    ``render_env``, writes only in ``workdir``, its own process group, killed
    with everything it started on timeout). ``sandbox=False`` runs a plain
    subprocess with the same environment, folder and process-group kill.
    """
    from .critic.trace import ENV as TRACE_ENV
    from .render import render_env

    scene_file = Path(scene_file).resolve()
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    cwd = Path(project_root).resolve() if project_root else workdir
    argv = ["-m", "lessonreel.dryrun", str(scene_file), class_name,
            "--media-dir", str(workdir / "media"), "--soft-timeout", f"{soft_timeout(timeout):.3f}"]
    env = render_env(Path(package_root).resolve(), workdir)
    recorded = workdir / "layout-trace.jsonl"
    if trace is not None:
        recorded.unlink(missing_ok=True)
        env[TRACE_ENV] = str(recorded)
    run = _run_sandboxed if sandbox else _run_plain
    returncode, output, killed, seconds = run(argv, cwd=cwd, env=env, workdir=workdir, timeout=timeout,
                                              allow_read=[cwd, scene_file.parent], memory_mb=memory_mb)
    dumped = returncode != 0 and re.search(r"^Timeout \([\d:.]+\)!$", output, re.M) is not None
    timed_out = killed == "timeout" or dumped or returncode == TIMEOUT_EXIT
    if killed == "timeout":
        output += f"\nTimeoutError: dry run killed after {timeout:g} s (no traceback: the scene did not stop)\n"
    elif killed:
        output += f"\nRuntimeError: dry run stopped by the sandbox ({killed})\n"
    elif dumped:  # the alarm could not interrupt; faulthandler dumped the stacks and ended the child
        output += f"\nTimeoutError: dry run stopped after {soft_timeout(timeout):g} s (stacks dumped above)\n"
    ok = returncode == 0 and not timed_out and not killed and OK_MARK in output
    if trace is not None:
        Path(trace).write_text(recorded.read_text(encoding="utf-8") if recorded.exists() else "", encoding="utf-8")
    return DryRunResult(ok=ok, output=output, seconds=seconds, timed_out=timed_out)


def _run_sandboxed(argv, *, cwd, env, workdir, timeout, allow_read, memory_mb):
    try:
        from .sandbox import run_sandboxed
    except ImportError:  # pragma: no cover - a checkout without the sandbox
        return _run_plain(argv, cwd=cwd, env=env, workdir=workdir, timeout=timeout, allow_read=allow_read,
                          memory_mb=memory_mb)
    result = run_sandboxed(argv, workdir=workdir, timeout=timeout, env=env, cwd=cwd, allow_read=allow_read,
                           memory_mb=memory_mb)
    return result.returncode, result.output, result.killed, result.seconds


def _run_plain(argv, *, cwd, env, workdir, timeout, allow_read, memory_mb):
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, *argv], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                            start_new_session=True)
    killed = ""
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        killed = "timeout"
        output = ""
    finally:
        try:  # whatever the scene started (latex, dvisvgm) goes with it
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if killed:
        output, _ = proc.communicate()
    return proc.returncode, output, killed, time.monotonic() - started


# ------------------------------------------------------------------ child ---

class _Progress(list):
    """The few times a skipped animation is evaluated at; quacks like Manim's tqdm bar."""

    def close(self):
        pass


class _DryRunTimeout(BaseException):
    """Raised by the alarm; a BaseException so a scene's ``except Exception`` cannot swallow it."""


def _on_alarm(signum, frame):
    raise _DryRunTimeout()


def _child(argv: list[str]) -> int:
    import argparse
    import faulthandler
    import importlib.util
    import traceback

    parser = argparse.ArgumentParser(prog="python -m lessonreel.dryrun")
    parser.add_argument("scene_file", type=Path)
    parser.add_argument("class_name")
    parser.add_argument("--media-dir", type=Path, required=True)
    parser.add_argument("--soft-timeout", type=float, default=0)
    args = parser.parse_args(argv)

    if args.soft_timeout > 0:
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, args.soft_timeout)
        # If the alarm cannot interrupt (stuck in C code), dump every thread's stack and exit.
        faulthandler.dump_traceback_later(args.soft_timeout + 0.5, exit=True)

    started = time.monotonic()
    try:
        from manim import config

        config.dry_run = True  # no media files: output format "none"
        config.disable_caching = True
        config.progress_bar = "none"
        config.verbosity = "WARNING"
        config.media_dir = str(args.media_dir)
        config.pixel_width, config.pixel_height = PIXELS
        config.frame_rate = 15

        path = args.scene_file.resolve()
        sys.path.insert(0, str(path.parent))
        spec = importlib.util.spec_from_file_location("lessonreel_dry_run_scene", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        scene_class = getattr(module, args.class_name, None)
        if scene_class is None:
            print(f"LookupError: no class {args.class_name!r} in {path}", flush=True)
            return 2

        scene = scene_class(skip_animations=True)

        def time_progression(run_time, description="", n_iterations=None, override_skip_animations=False):
            return _Progress(run_time * a for a in SAMPLE_ALPHAS)

        scene.get_time_progression = time_progression
        scene.render()
    except _DryRunTimeout as exc:
        lines = traceback.format_exception(exc)
        lines[-1] = f"TimeoutError: dry run interrupted after {args.soft_timeout:g} s (an endless loop?)\n"
        sys.stderr.write("".join(lines))
        sys.stderr.flush()
        return TIMEOUT_EXIT
    except BaseException:  # noqa: BLE001 - report whatever the scene raised
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        traceback.print_exc()
        return 1
    signal.setitimer(signal.ITIMER_REAL, 0)
    faulthandler.cancel_dump_traceback_later()
    renderer = scene.renderer
    print(f"{OK_MARK}: {renderer.num_plays} plays, {renderer.time:.1f} s of video, "
          f"{time.monotonic() - started:.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    sys.exit(_child(sys.argv[1:]))
