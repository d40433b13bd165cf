"""The Critic stage: measure a rendered section's layout, fix it, keep only what measures better.

1. The report of the render that already ran (its layout trace).
2. Deterministic rounds: plan actions from the problems (move to the
   nearest free cells, scale up tiny text, fade out leftovers), apply them
   to the code, re-measure with a dry run; a round is kept only when the
   score gets better and the scene still runs.
3. Vision rounds, when a vision model is configured: keyframes at the end of
   every step from a preview render, the labelled grid drawn over them, moves
   asked of the model, applied, re-measured and re-rendered; a round is kept
   only when the score does not get worse.
4. If the code changed, the revised scene is rendered at the workflow's
   quality (measured again: that report is layout.json's final word);
   otherwise the section's video passes through unchanged (a link to it).

Every round is recorded in layout.json with what it changed, its tokens and
its verdict.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from ..dryrun import dry_run
from ..render import render_scene
from .analyze import report_for
from .fixes import Action, actions_from_moves, apply_actions, plan_actions
from .analyze import measure as measure_trace

log = logging.getLogger(__name__)

DEFAULTS = {"enabled": True, "rounds": 3, "vision": "auto", "vision_rounds": 2}


class _Measured:
    def __init__(self, code: str, report: dict | None, trace, ok: bool, error: str = ""):
        self.code, self.report, self.trace, self.ok, self.error = code, report, trace, ok, error

    @property
    def score(self) -> int:
        return self.report["score"] if self.report else -1


def _summary(report: dict) -> dict:
    return {"score": report["score"], "problems": report["problems"]}


class Measurer:
    """Measure a version of the scene: a dry run in the sandbox that records the layout trace."""

    def __init__(self, name: str, class_name: str, work: Path, *, timeout: float, project_root: Path,
                 package_root: Path):
        self.name, self.class_name, self.work = name, class_name, Path(work)
        self.timeout, self.project_root, self.package_root = timeout, project_root, package_root
        self.runs = 0

    def __call__(self, code: str) -> _Measured:
        self.runs += 1
        candidate = self.work / f"candidate_{self.runs}" / self.name
        candidate.parent.mkdir(parents=True, exist_ok=True)
        candidate.write_text(code, encoding="utf-8")
        trace_file = candidate.with_name("trace.jsonl")
        result = dry_run(candidate, self.class_name, timeout=self.timeout, package_root=self.package_root,
                         workdir=candidate.parent / "run", project_root=self.project_root, trace=trace_file)
        if not result.ok:
            last = [line for line in result.output.strip().splitlines() if line.strip()]
            return _Measured(code, None, None, False, last[-1] if last else "the dry run failed")
        return _Measured(code, *measure_trace(trace_file, code), True)


def deterministic_rounds(first: _Measured, measure, rounds: int) -> tuple[_Measured, list[dict]]:
    """Plan, apply and re-measure fixes until nothing improves; return the best version and the rounds."""
    best, entries = first, []
    for number in range(1, rounds + 1):
        if not best.report["problems"]:
            break
        actions, unfixable = plan_actions(best.report, best.trace)
        if not actions:
            break
        code, applied, refused = apply_actions(best.code, actions, best.report)
        entry = {"round": number, "by": "deterministic", "before": best.score, "actions": applied,
                 "refused": refused, "left": unfixable}
        if not applied or code == best.code:
            entry.update(verdict="nothing applied")
            entries.append(entry)
            break
        trial = measure(code)
        entry["after"] = trial.score if trial.ok else None
        if not trial.ok:
            entry["verdict"] = f"rejected: the revised scene no longer runs ({trial.error})"
        elif trial.score > best.score:
            entry["verdict"] = "kept"
            best = trial
        else:
            entry["verdict"] = f"rejected: score {trial.score} is not better than {best.score}"
        entries.append(entry)
        log.info("critic round %d (deterministic): %s", number, entry["verdict"])
        if entry["verdict"] != "kept":
            break
    return best, entries


def critique_section(scene: str | Path, trace: str | Path, video: str | Path, *, out_scene: str | Path,
                     out_video: str | Path, out_layout: str | Path, class_name: str, quality: str,
                     timeout: float, settings: dict | None = None, engine=None, section_title: str = "",
                     label: str = "", project_root: str | Path | None = None, package_root: str | Path,
                     log_file: str | Path | None = None, render_cache=None,
                     voice_dir: str | Path | None = None) -> dict:
    """Run the critic on one rendered section; write the revised scene, its video and layout.json.

    ``render_cache`` (a lessonreel.cache.RenderCache, or None) serves the final
    render of a revised scene, like the section renders; ``voice_dir`` holds
    the audio of a narrated scene.
    """
    from ..pipeline import write_json

    settings = {**DEFAULTS, **(settings or {})}
    scene, trace, video = Path(scene), Path(trace), Path(video)
    out_scene, out_video, out_layout = Path(out_scene), Path(out_video), Path(out_layout)
    project_root = Path(project_root or Path.cwd()).resolve()
    package_root = Path(package_root).resolve()
    work = out_scene.parent / "_critic"  # not a dot folder: the sandbox's TeX refuses those
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    source = scene.read_text(encoding="utf-8")
    first = _Measured(source, *measure_trace(trace, source), True)
    measure = Measurer(scene.name, class_name, work, timeout=timeout, project_root=project_root,
                       package_root=package_root)
    best, rounds = deterministic_rounds(first, measure, int(settings["rounds"]))

    # ------------------------------------------------------------ vision ---
    critic_moves = getattr(engine, "critic_moves", None) if _vision_on(settings, engine) else None
    if critic_moves is not None:
        preview = video if quality == "preview" and best.code == source else None
        for number in range(1, int(settings["vision_rounds"]) + 1):
            if preview is None:
                preview = _render_preview(best.code, scene.name, class_name, work, f"preview_{number}",
                                          project_root, package_root, timeout, voice_dir)
            times = [max(0.0, step["end"] - 0.05) for step in best.report["steps"]] or [best.report["duration"]]
            frames = _keyframes(preview, times, work / f"keyframes_{number}")
            moves, usage = critic_moves(frames, _objects_at(best, times), best.report["problems"], best.code,
                                        section_title=section_title, times=times)
            entry = {"round": len(rounds) + 1, "by": "vision", "before": best.score, "keyframes": len(frames),
                     "prompt_tokens": usage.get("prompt_tokens", 0),
                     "completion_tokens": usage.get("completion_tokens", 0), "cached": usage.get("cached", False),
                     "proposed": moves, "dropped": usage.get("dropped", [])}
            actions = actions_from_moves(moves)
            code, applied, refused = apply_actions(best.code, actions, best.report) if actions else (best.code, [], [])
            entry.update(actions=applied, refused=refused)
            if code == best.code:
                entry["verdict"] = "no change proposed" if not moves else "nothing applied"
                rounds.append(entry)
                break
            trial = measure(code)
            entry["after"] = trial.score if trial.ok else None
            if not trial.ok:
                entry["verdict"] = f"rejected: the revised scene no longer runs ({trial.error})"
            elif trial.score < best.score:
                entry["verdict"] = f"rejected: score {trial.score} is worse than {best.score}"
            else:
                try:
                    preview = _render_preview(code, scene.name, class_name, work, f"preview_v{number}",
                                              project_root, package_root, timeout, voice_dir)
                    entry["verdict"] = "kept"
                    best = trial
                except Exception as exc:  # noqa: BLE001 - a render failure rejects the round, nothing more
                    entry["verdict"] = f"rejected: the preview render failed ({str(exc).splitlines()[0]})"
            rounds.append(entry)
            log.info("critic round %d (vision): %s", entry["round"], entry["verdict"])
            if entry["verdict"] != "kept":
                break

    # ------------------------------------------------------------- final ---
    out_scene.write_text(best.code, encoding="utf-8")
    if best.code != source:
        final_trace = work / "final-trace.jsonl"
        from ..cache import cached_render

        cached_render(render_cache, out_scene, class_name, out_video, quality, project_root=project_root,
                      package_root=package_root, timeout=timeout, log_file=Path(log_file) if log_file else None,
                      label=label, trace=final_trace, voice_dir=voice_dir)
        final = report_for(final_trace, best.code)
        measured_from = "render of the revised scene"
    else:
        _link(video, out_video)
        final = first.report
        measured_from = "render"
    layout = {
        "section": label,
        "scene": str(out_scene),
        "measured_from": measured_from,
        "score": final["score"],
        "problems": final["problems"],
        "objects": final["objects"],
        "steps": final["steps"],
        "snapshots": final["snapshots"],
        "duration": final["duration"],
        "voices": final.get("voices", []),
        "before": _summary(first.report),
        "revised": best.code != source,
        "rounds": rounds,
    }
    from ..schemas import validate

    validate(layout, "layout", str(out_layout))
    write_json(out_layout, layout)
    shutil.rmtree(work, ignore_errors=True)
    return layout


def _vision_on(settings: dict, engine) -> bool:
    vision = settings.get("vision", "auto")
    if vision == "auto":
        return bool(getattr(engine, "has_vision", False))
    return bool(vision)


def _render_preview(code: str, name: str, class_name: str, work: Path, tag: str, project_root: Path,
                    package_root: Path, timeout: float, voice_dir: str | Path | None = None) -> Path:
    folder = work / tag
    folder.mkdir(parents=True, exist_ok=True)
    scene_file = folder / name
    scene_file.write_text(code, encoding="utf-8")
    out = folder / "preview.mp4"
    render_scene(scene_file, class_name, out, "preview", project_root=project_root, package_root=package_root,
                 timeout=timeout, label=tag, voice_dir=Path(voice_dir) if voice_dir else None)
    return out


def _keyframes(video: Path, times: list[float], folder: Path) -> list[bytes]:
    from .vision import draw_grid, extract_keyframes

    folder.mkdir(parents=True, exist_ok=True)
    return [draw_grid(path, max_width=1280) for path in extract_keyframes(video, times, folder)]


def _objects_at(measured: _Measured, times: list[float]) -> list[dict]:
    """The objects on screen at each keyframe, for the model's table."""
    from .analyze import cells_of

    by_uid = {o["uid"]: o for o in measured.report["objects"]}
    rows = []
    for t in times:
        snap = None
        for s in measured.trace.snapshots:
            if s.time <= t + 0.1:
                snap = s
        if snap is None:
            continue
        for u in snap.content():
            o = by_uid.get(u.uid)
            if o is None:
                continue
            rows.append({"name": o["label"], "line": o["line"], "cells": cells_of(u.bbox), "kind": o["kind"],
                         "time": round(t, 2)})
    return rows


def _link(src: Path, dest: Path) -> None:
    """dest becomes src under another name: a relative symbolic link (a copy where links are not possible).

    Not a hard link: Snakemake touches every output after a job, and touching
    a hard link changes its input's time too, which can then look newer than
    the output (seen as a "clock skew" failure on a cluster).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.symlink(os.path.relpath(src, dest.parent), tmp)
    except OSError:
        shutil.copy2(src, tmp)
    os.replace(tmp, dest)


__all__ = ["critique_section", "Action", "DEFAULTS"]
