"""What the workflow's rules and scripts call: one function per stage, plus helpers.

Rules stay thin: they name files; these functions read and write them, and
validate every intermediate file against its schema.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import os
from pathlib import Path

from . import codegen, planner
from .errors import InputError
from .schemas import validate, validate_file
from .topic import TOPIC_SUFFIXES, load_topic, topic_slug

PACKAGE_DIR = Path(__file__).resolve().parent

# Files whose content decides what a stage produces, relative to the project
# folder. Their hash is a param of the stage's rules, so a change to them
# reruns exactly that stage. This replaces Snakemake's `code` rerun trigger,
# which compares file times and would re-render everything in a fresh clone
# (profiles/default turns it off).
SOURCES = {
    "planner": ["lessonreel/planner.py", "lessonreel/topic.py", "lessonreel/markdown.py", "lessonreel/lines.py",
                "lessonreel/kinds/", "lessonreel/layout.py",
                "lessonreel/texcheck.py", "lessonreel/expr.py", "schemas/topic.schema.json", "schemas/visual_*",
                "schemas/outline.schema.json", "schemas/storyboard.schema.json",
                "scripts/outline.py", "scripts/storyboard.py", "lessonreel/engines/offline.py"],
    "generator": ["lessonreel/codegen.py", "lessonreel/layout.py", "lessonreel/grid.py", "lessonreel/kinds/",
                  "lessonreel/theme.py", "scripts/scene.py", "lessonreel/engines/offline.py"],
    # Only with the LLM engine: its code and the prompt templates of each stage.
    "llm_outline": ["lessonreel/engines/llm.py", "prompts/outline.md", "schemas/llm_outline.schema.json"],
    "llm_storyboard": ["lessonreel/engines/llm.py", "prompts/storyboard.md", "schemas/llm_storyboard.schema.json"],
    "llm_scene": ["lessonreel/engines/llm.py", "prompts/coder.md", "prompts/repair.md",
                  "schemas/llm_blocks.schema.json", "schemas/llm_repair.schema.json"],
    "kit": ["lessonreel/kit.py", "lessonreel/critic/trace.py", "lessonreel/visuals/", "lessonreel/kinds/", "lessonreel/theme.py", "lessonreel/grid.py",
            "lessonreel/expr.py", "lessonreel/render.py", "scripts/render_section.py"],
    "critic": ["lessonreel/critic/analyze.py", "lessonreel/critic/fixes.py", "lessonreel/critic/stage.py",
               "lessonreel/critic/trace.py", "schemas/layout.schema.json", "scripts/critic.py"],
    # Only with a vision model: what it is shown and asked.
    "llm_critic": ["lessonreel/critic/vision.py", "prompts/critic.md", "schemas/llm_critic.schema.json"],
    "narration": ["lessonreel/narration/stage.py", "lessonreel/narration/tts.py",
                  "schemas/narration.schema.json", "scripts/narrate.py"],
    "assembler": ["lessonreel/media.py", "lessonreel/narration/subtitles.py", "scripts/assemble.py",
                  "schemas/manifest.schema.json"],
}


# What a working copy of the workflow needs (topics and results are the user's own).
WORKFLOW_FILES = ("Snakefile", "config.yaml", "workflow", "scripts", "schemas", "lessonreel", "profiles", "prompts")


def copy_workflow(dest: str | Path) -> Path:
    """Copy the workflow into ``dest`` (for tests, benchmarks and trying things in a scratch folder)."""
    import shutil

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        src = PACKAGE_DIR.parent / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    (dest / "topics").mkdir(exist_ok=True)
    return dest


def _source_files(name: str) -> list[str]:
    """A SOURCES entry's files: the file itself, every Python file of a folder (ending in /), or a glob."""
    root = PACKAGE_DIR.parent
    if name.endswith("/"):
        return sorted(p.relative_to(root).as_posix() for p in (root / name).rglob("*.py"))
    if "*" in name:
        return sorted(p.relative_to(root).as_posix() for p in root.glob(name))
    return [name]


def source_hash(*stages: str | None) -> str:
    digest = hashlib.sha256()
    for name in (f for stage in stages if stage for n in SOURCES[stage] for f in _source_files(n)):
        digest.update(name.encode())
        digest.update((PACKAGE_DIR.parent / name).read_bytes())
    return digest.hexdigest()[:16]


def llm_params(config: dict) -> dict:
    """The LLM settings a stage depends on, as rule params: no key, only its variable's name.

    Not the cache folder either: where answers are cached changes no answer
    (the stage reads it at run time, see lessonreel.cache.llm_cache_dir).
    """
    llm = dict(config.get("llm") or {})
    return {k: llm[k] for k in sorted(llm) if k in ("base_url", "api_key_env", "max_retries",
                                                    "max_json_retries", "roles")}


def vision_enabled(config: dict) -> bool:
    """Whether the critic asks a vision model: on, or auto with the llm engine and a critic role."""
    critic = config.get("critic") or {}
    if not critic.get("enabled", True):
        return False
    vision = critic.get("vision", "auto")
    if vision == "auto":
        roles = ((config.get("llm") or {}).get("roles") or {})
        return config.get("engine") == "llm" and "critic" in roles
    return bool(vision)


def check_config(config: dict) -> dict:
    """Validate the workflow configuration (config.yaml plus --config overrides)."""
    return validate(config, "config", "config.yaml")


def discover_topics(patterns: list[str], engine: str, root: str | Path = ".") -> dict[str, str]:
    """Find topic files matching the patterns; check each one; return {slug: path}."""
    root = Path(root)
    found: dict[str, str] = {}
    for pattern in patterns:
        matches = sorted(glob.glob(pattern, root_dir=root)) if glob.has_magic(pattern) else [pattern]
        for rel in matches:
            path = Path(rel)
            if not (root / path).is_file():
                raise InputError(path, "config.yaml topics", "an existing topic file", rel)
            if path.suffix not in TOPIC_SUFFIXES:
                raise InputError(path, "file name", "a topic ending in .yaml, .yml or .md", path.suffix)
            slug = topic_slug(path)
            if slug in found and found[slug] != rel:
                raise InputError(path, "file name", f"a slug not already used by {found[slug]}", slug)
            load_topic(root / path, root, engine=engine)
            found[slug] = rel
    if not found:
        raise InputError("config.yaml", "topics", "patterns that match at least one topic file", patterns)
    return found


# ------------------------------------------------------------- stages ---

def write_json(path: str | Path, data: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _engine(name: str, llm: dict | None, topic_dir: Path):
    from .engines import get_engine

    return get_engine(name, llm, ledger=topic_dir / "ledger.jsonl")


def build_outline(topic_file: str, output: str, engine: str, llm: dict | None = None,
                  settings: dict | None = None) -> dict:
    """``settings``: the audience and language a curriculum gives the topic (see lessonreel.curriculum)."""
    from .curriculum import apply_topic_settings

    topic = apply_topic_settings(load_topic(topic_file, Path.cwd(), engine=engine), settings)
    outline = _engine(engine, llm, Path(output).parent).outline(topic, topic_slug(topic_file))
    validate(outline, "outline", output)
    write_json(output, outline)
    return outline


def build_storyboard(topic_file: str, outline_file: str, output: str, pacing: dict, engine: str = "offline",
                     llm: dict | None = None) -> dict:
    topic = load_topic(topic_file, Path.cwd(), engine=engine)
    outline = validate_file(outline_file, "outline")
    storyboard = _engine(engine, llm, Path(output).parent).storyboard(topic, outline, Path.cwd(), pacing)
    validate(storyboard, "storyboard", output)
    write_json(output, storyboard)
    return storyboard


@functools.lru_cache(maxsize=64)
def _read_storyboard(path: str, mtime_ns: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_storyboard(path: str | Path) -> dict:
    path = str(path)
    return _read_storyboard(path, os.stat(path).st_mtime_ns)


def section_ids(storyboard_file: str | Path) -> list[str]:
    return planner.sorted_ids(s["id"] for s in read_storyboard(storyboard_file)["sections"])


def section_spec(storyboard_file: str | Path, section_id: str) -> dict:
    """The part of the storyboard one section's scene depends on."""
    board = read_storyboard(storyboard_file)
    ids = section_ids(storyboard_file)
    for section in board["sections"]:
        if section["id"] == section_id:
            return {
                "topic": {k: board[k] for k in ("slug", "title", "audience", "language")},
                "first": section_id == ids[0],
                "section": section,
            }
    raise KeyError(f"{storyboard_file}: no section {section_id}")


def section_narration(storyboard_file: str | Path, section_id: str) -> dict:
    """What one section says, step by step (the narrate rule's params)."""
    from .narration.stage import section_narration as spoken

    return spoken(read_storyboard(storyboard_file), section_id)


def narration_speaking(settings: dict) -> dict:
    """The narrate rule's settings param: what changes the audio (see narration.stage.speaking_settings)."""
    from .narration.stage import speaking_settings

    return speaking_settings(settings)


def narrate(spec: dict, settings: dict, out_json: str, voice_dir: str, *, llm: dict | None = None) -> dict:
    """The narrate stage for one section (see lessonreel.narration.stage); audio cached in <cache>/narration.

    Its log is the rule's log, which lessonreel.runner points logging at.
    """
    from .cache import cache_root
    from .narration.stage import narrate_section

    topic_dir = Path(out_json).parent.parent.parent
    return narrate_section(spec, settings, out_json, voice_dir, llm=llm, ledger=topic_dir / "ledger.jsonl",
                           cache_dir=cache_root() / "narration")


def build_scene(spec: dict, output: str, source: str, engine: str = "offline", llm: dict | None = None,
                repair: dict | None = None, original: str | None = None, repair_log: str | None = None,
                log: str | None = None, narration: str | None = None) -> str:
    """Write a section's scene; with verification on, make it pass the static gate and a dry run first.

    ``scene.py`` is the code that will render; ``scene.original.py`` keeps what
    the engine first wrote and ``repair.json`` every repair attempt. With
    ``narration`` (the section's narration.json) each narrated step lasts as
    long as its speech.
    """
    from .narration.stage import scene_voices

    spec = {**spec, "voices": scene_voices(narration)}
    out = Path(output)
    topic_dir = out.parent.parent.parent
    chosen = _engine(engine, llm, topic_dir)
    code = chosen.scene(spec, source)
    out.parent.mkdir(parents=True, exist_ok=True)
    if original:
        Path(original).write_text(code, encoding="utf-8")
    repair = repair or {}
    verify = repair.get("verify", "auto")
    verify = engine == "llm" if verify == "auto" else bool(verify)
    record: dict = {"verified": verify, "ok": True, "attempts": []}
    if verify:
        result = repair_scene(chosen, spec, source, code, out, workdir=out.parent / "_dryrun", repair=repair,
                              static_gate=engine == "llm")
        record.update(result.to_json())
        code = result.code
        import shutil

        shutil.rmtree(out.parent / "_dryrun", ignore_errors=True)
        if log:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, indent=1) + "\n")
        if not result.ok:
            from .errors import RenderError

            raise RenderError(f"section {spec['section']['id']}: the scene still fails after "
                              f"{len(result.attempts)} repair attempt(s): {result.final_error}")
    if repair_log:
        write_json(repair_log, record)
    out.write_text(code, encoding="utf-8")
    return code


def repair_scene(engine, spec: dict, source: str, code: str, scene_file: str | Path, *, workdir: str | Path,
                 repair: dict, static_gate: bool, project_root: str | Path | None = None):
    """ScopeRefine on the scene ``engine`` wrote for ``spec``, with the engine's model scopes.

    ``repair`` is config.yaml's ``repair:`` section (timeout, budgets). The
    scene stage and benchmarks/repair_bench.py --model both run this. Returns
    the loop's RepairResult.
    """
    from .repair.loop import repair as scope_refine

    # Model scopes exist only where the engine has a model (the LLM engine).
    regenerate = getattr(engine, "regenerate", None)
    return scope_refine(
        code, Path(scene_file), codegen.class_name(spec["section"]["id"]), workdir=Path(workdir),
        package_root=PACKAGE_DIR.parent, project_root=Path(project_root) if project_root else Path.cwd(),
        timeout=repair.get("timeout", 120), budgets=repair.get("budgets", {}),
        model_fix=getattr(engine, "repair_fix", None),
        regenerate=(lambda feedback: regenerate(spec, source, feedback)) if regenerate else None,
        static_gate=static_gate,
    )


def scene_class(scene_file: str | Path) -> str:
    """Name of the scene class defined in a scene file (the first Scene subclass)."""
    import ast

    path = Path(scene_file)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        from .errors import RenderError

        raise RenderError(f"{path}: line {exc.lineno}: the scene does not parse ({exc.msg})") from None
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
            getattr(base, "id", getattr(base, "attr", "")).endswith("Scene") for base in node.bases
        ):
            return node.name
    from .errors import RenderError

    raise RenderError(f"{path}: no scene class (a class deriving from LessonScene) is defined")


def render_section(scene: str, video: str, info: str, quality: str, timeout: float, log: str | None,
                   label: str, trace: str | None = None, cache="auto", voice_dir: str | None = None) -> dict:
    """Render a scene file to video and record what was rendered and how long it took.

    ``cache``: a :class:`lessonreel.cache.RenderCache`, None (off), or
    ``"auto"``: what the workflow's config says (``cache:``), read at run time.
    An identical render already in the cache is copied instead of rendered.
    """
    from datetime import datetime, timezone

    from . import cache as content_cache
    from .media import probe

    store = content_cache.render_cache() if cache == "auto" else cache
    rendered = content_cache.cached_render(store, Path(scene), scene_class(scene), Path(video), quality,
                                           project_root=Path.cwd(), package_root=PACKAGE_DIR.parent,
                                           timeout=timeout, log_file=Path(log) if log else None, label=label,
                                           trace=trace, voice_dir=voice_dir)
    digest = hashlib.sha256()
    digest.update(Path(scene).read_bytes())
    digest.update(f"{quality}\0{source_hash('kit')}".encode())
    media = probe(video)
    record = {
        "content_hash": digest.hexdigest(),
        "quality": quality,
        "duration": round(media["duration"], 3),
        "width": media["width"],
        "height": media["height"],
        "fps": media["fps"],
        "render_seconds": round(rendered.seconds, 2),
        "rendered_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cache": rendered.cache,
        "cache_key": rendered.key,
    }
    write_json(info, record)
    return record


def critique(scene: str, trace: str, video: str, out_scene: str, out_video: str, out_layout: str, *, quality: str,
             timeout: float, settings: dict, engine: str = "offline", llm: dict | None = None,
             log: str | None = None, label: str = "", cache="auto", voice_dir: str | None = None) -> dict:
    """The critic stage for one section (see lessonreel.critic.stage); ``cache`` as in render_section."""
    from . import cache as content_cache
    from .critic.stage import critique_section

    topic_dir = Path(out_scene).parent.parent.parent
    chosen = _engine(engine, llm, topic_dir)
    section_title = ""
    try:
        import ast

        for node in ast.walk(ast.parse(Path(scene).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "section_title" for t in node.targets):
                section_title = ast.literal_eval(node.value)
                break
    except (SyntaxError, ValueError):
        pass
    return critique_section(scene, trace, video, out_scene=out_scene, out_video=out_video, out_layout=out_layout,
                            class_name=scene_class(scene), quality=quality, timeout=timeout, settings=settings,
                            engine=chosen, section_title=section_title, label=label, project_root=Path.cwd(),
                            package_root=PACKAGE_DIR.parent, log_file=log,
                            render_cache=content_cache.render_cache() if cache == "auto" else cache,
                            voice_dir=voice_dir)


def model_cost(ledger: Path) -> dict:
    """Model calls and tokens recorded in a topic's ledger (all runs; cache hits cost nothing).

    Speech calls (narration through an API) are counted apart, by characters.
    """
    cost = {"model_calls": 0, "cached_calls": 0, "prompt_tokens": 0, "completion_tokens": 0,
            "speech_calls": 0, "cached_speech": 0, "speech_characters": 0}
    if ledger.exists():
        for line in ledger.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if entry.get("kind") == "speech":  # speech APIs bill characters, not tokens
                if entry.get("outcome") == "cached":
                    cost["cached_speech"] += 1
                else:
                    cost["speech_calls"] += 1
                    cost["speech_characters"] += int(entry.get("characters") or 0)
                continue
            if entry.get("outcome") == "cached":
                cost["cached_calls"] += 1
                continue
            cost["model_calls"] += 1
            cost["prompt_tokens"] += int(entry.get("prompt_tokens") or 0)
            cost["completion_tokens"] += int(entry.get("completion_tokens") or 0)
    return cost


def section_voices(timing_file: str | Path) -> list[dict]:
    """When each narration starts in a section's final video: from layout.json (critic) or its render's trace."""
    path = Path(timing_file)
    if path.suffix == ".json":
        return list(json.loads(path.read_text(encoding="utf-8")).get("voices") or [])
    from .critic.analyze import load_trace

    return load_trace(path).voices


def subtitle_cues(narrations: list[dict], voices: list[list[dict]], offsets: list[float], limits: dict,
                  durations: list[float] | None = None) -> list:
    """Cues for the whole video: each voice's text from its narration.json, timed from its real start.

    A voice the render did not play (a step the critic or an edit removed) has no cue.
    """
    from .narration.stage import said_in
    from .narration.subtitles import check_cues, split_cues

    cues = []
    for index, (record, started, offset) in enumerate(zip(narrations, voices, offsets)):
        text = {s["id"]: s["text"] for s in said_in(record)}
        for voice in started:
            if voice["id"] not in text:
                continue
            end = voice["t"] + voice["seconds"]
            if durations is not None:
                end = min(end, durations[index])
            cues.extend(split_cues(text[voice["id"]], offset + voice["t"], offset + end,
                                   max_chars=limits.get("max_chars", 42), max_lines=limits.get("max_lines", 2)))
    check_cues(cues)
    return cues


def assemble(videos: list[str], infos: list[str], storyboard_file: str, out_video: str, out_manifest: str,
             quality: str, log: str | None, layouts: list[str] | None = None, *,
             narrations: list[str] | None = None, timings: list[str] | None = None,
             narration: dict | None = None, srt: str | None = None, vtt: str | None = None) -> dict:
    """Join section videos in numeric order, with their audio and subtitles, and write the manifest.

    ``narrations`` are the sections' narration.json, ``timings`` where each
    section's voices really started (layout.json or the render's trace),
    ``narration`` config.yaml's ``narration:`` (subtitles, loudness); with
    narration off (engine none, or no narrations) the video is silent and has
    no subtitles.
    """
    from .media import join_sections, probe, video_seconds
    from .narration.subtitles import to_srt, to_vtt

    board = validate_file(storyboard_file, "storyboard")
    by_id = {s["id"]: s for s in board["sections"]}
    ids = planner.sorted_ids(by_id)
    expected = [str(Path(v)) for v in videos]
    if len(ids) != len(videos):
        raise InputError(storyboard_file, "sections", f"{len(videos)} rendered sections", len(ids))
    settings = narration or {}
    spoken = [validate_file(n, "narration") for n in (narrations or [])]
    speaking = bool(spoken) and settings.get("engine", "espeak-ng") != "none"
    subtitles = settings.get("subtitles") or {}
    durations = [video_seconds(v) for v in expected]  # the video streams: where each section starts
    offsets = [round(sum(durations[:i]), 3) for i in range(len(durations))]
    cues = []
    if speaking:
        cues = subtitle_cues(spoken, [section_voices(t) for t in timings or []], offsets, subtitles, durations)
        Path(srt).write_text(to_srt(cues), encoding="utf-8")
        Path(vtt).write_text(to_vtt(cues), encoding="utf-8")
    joined = join_sections(expected, out_video, log_file=log, audio=speaking,
                           loudness={"I": settings.get("loudness", -16)} if speaking else None,
                           burn_subtitles=srt if speaking and subtitles.get("burn") else None)
    media = probe(out_video)
    sections = []
    layouts = list(layouts or [])
    for index, (sid, video, info_file) in enumerate(zip(ids, expected, infos)):
        info = json.loads(Path(info_file).read_text(encoding="utf-8"))
        extra = {}
        if layouts:
            layout = json.loads(Path(layouts[index]).read_text(encoding="utf-8"))
            extra["layout"] = {"score": layout["score"], "score_before": layout["before"]["score"],
                               "problems": len(layout["problems"]), "revised": layout["revised"],
                               "report": str(layouts[index])}
        if speaking:
            pace = spoken[index]["pace"]
            extra["narration"] = {**{k: pace[k] for k in ("words", "seconds", "wpm", "pace", "audience", "range")},
                                  "steps": len(spoken[index]["steps"])}
        sections.append({
            "id": sid,
            "title": by_id[sid]["title"],
            "content_hash": info["content_hash"],
            "duration": round(durations[index], 3),
            "start": offsets[index],
            "render_seconds": info["render_seconds"],
            "rendered_at": info["rendered_at"],
            "status": "rendered",
            "video": video,
            "scene": str(Path(video).with_name("scene.critic.py" if layouts else "scene.py")),
            **extra,
        })
    summary = None
    if speaking:
        words = sum(s["narration"]["words"] for s in sections)
        seconds = round(sum(s["narration"]["seconds"] for s in sections), 3)
        summary = {"engine": settings.get("engine", "espeak-ng"), "voice": spoken[0]["voice"], "words": words,
                   "seconds": seconds, "wpm": round(words * 60 / seconds, 1) if seconds else 0.0,
                   "flagged_sections": [s["id"] for s in sections
                                        if s["narration"]["pace"] in ("too fast", "too slow")],
                   "subtitles": {"srt": str(srt), "vtt": str(vtt), "cues": len(cues),
                                 "burned": bool(subtitles.get("burn"))}}
    manifest = {
        "slug": board["slug"],
        "title": board["title"],
        "engine": board["engine"],
        "quality": quality,
        "video": {"path": str(out_video), "width": media["width"], "height": media["height"],
                  "fps": media["fps"], "codec": media["codec"], "bytes": media["bytes"],
                  "joined_by": joined["joined_by"], "audio": joined["audio"],  # None when silent
                  "audio_duration": joined["audio_seconds"], "join_seconds": round(joined["seconds_spent"], 3)},
        "duration": round(media["duration"], 3),
        "narration": summary,
        "sections": sections,
        "cost": {"render_seconds": round(sum(s["render_seconds"] for s in sections), 2),
                 **model_cost(Path(out_manifest).parent / "ledger.jsonl")},
    }
    validate(manifest, "manifest", out_manifest)
    write_json(out_manifest, manifest)
    return manifest
