"""The narrate stage: speak one section's narration before its scene is written.

Speech comes before code. For every step with narration (the topic's own, the
Planner's, or by default its lecture line) the chosen engine speaks it into a
WAV, cached by a hash of text, engine, voice and settings; the measured length
goes into ``narration.json``, and the scene stage writes each step to last
until its voice has finished (see ``LessonScene.narrate``).

``narration.json`` (``schemas/narration.schema.json``) lists per step the voice
id (the file ``voice/<id>.wav`` beside it), the text, seconds, words and
whether it came from the cache, and for the section the words, seconds, words
per minute and a pace flag for the topic's audience. The first section also
speaks the topic's title on its title card.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from ..errors import InputError
from .subtitles import PACE_RANGES, audience_group, count_words, pace_check
from .tts import (
    EspeakSynthesizer, NarrationCache, espeak_binary, OpenAISpeechSynthesizer, PiperSynthesizer, Synthesizer, TTSError,
    prepare_text, synthesize_cached,
)

log = logging.getLogger(__name__)

ENGINES = ("espeak-ng", "openai", "piper", "none")
ID_LENGTH = 16  # hex digits of the audio's cache key that name its file: short enough to read in a scene


def section_narration(board: dict, section_id: str) -> dict:
    """What one section says, step by step: the narrate rule's params (so only edited sections re-speak)."""
    for section in board["sections"]:
        if section["id"] == section_id:
            steps = [{"step": n, "line": s["line"], "text": prepare_text(s["narration"])}
                     for n, s in enumerate(section["steps"], start=1) if prepare_text(s["narration"])]
            first = section_id == min((s["id"] for s in board["sections"]), key=int)
            return {"section": section_id, "language": board.get("language") or "en",
                    "audience": board.get("audience") or "", "steps": steps,
                    # the first section opens with the topic's title card, which says the title
                    "title": prepare_text(board["title"]) if first else None}
    raise KeyError(f"no section {section_id}")


def speaking_settings(settings: dict) -> dict:
    """The part of config.yaml's ``narration:`` that changes the audio (not subtitles or loudness)."""
    keep = ("engine", "voice", "pause", "espeak", "openai", "piper")
    return {k: settings[k] for k in keep if k in settings}


def espeak_speed(audience: str | None) -> int:
    """espeak-ng's -s for an audience: the middle of its pace range, less a tenth.

    espeak-ng speaks faster than its nominal rate: 175 measured 187 words per
    minute, 150 measured 139-181 on the example lessons (pauses at commas
    included), so aiming at the middle of the range keeps most sections in it.
    """
    low, high = PACE_RANGES[audience_group(audience)]
    return round((low + high) / 2 / 1.1)


def make_synthesizer(settings: dict, language: str, *, llm: dict | None = None,
                     ledger: str | Path | None = None, audience: str | None = None) -> Synthesizer | None:
    """The configured engine with its voice for ``language``; None for ``engine: none``."""
    engine = settings.get("engine", "espeak-ng")
    voice = settings.get("voice", "auto")
    voice = None if voice in (None, "auto") else str(voice)
    if engine == "none":
        return None
    if engine == "espeak-ng":
        options = settings.get("espeak") or {}
        speed = options.get("speed", "auto")
        return EspeakSynthesizer(voice, language=language,
                                 speed=espeak_speed(audience) if speed == "auto" else int(speed),
                                 pitch=int(options.get("pitch", 50)))
    if engine == "openai":
        from ..llm import client_from_config

        if not llm or "speech" not in ((llm.get("roles") or {})):
            raise InputError("config.yaml", "llm.roles.speech",
                             "a speech model (e.g. {model: tts-1}) for narration.engine: openai", None)
        from ..cache import llm_cache_dir

        options = settings.get("openai") or {}
        client = client_from_config(llm, cache_dir=llm_cache_dir(), ledger=ledger)
        return OpenAISpeechSynthesizer(client, role="speech", voice=voice or "alloy", language=language,
                                       speed=float(options.get("speed", 1.0)),
                                       instructions=options.get("instructions"))
    if engine == "piper":
        options = settings.get("piper") or {}
        if not options.get("model"):
            raise InputError("config.yaml", "narration.piper.model",
                             "the path of a Piper voice model (.onnx) for narration.engine: piper", None)
        return PiperSynthesizer(options["model"], speaker=options.get("speaker"),
                                length_scale=options.get("length_scale"), language=language)
    raise InputError("config.yaml", "narration.engine", f"one of {', '.join(ENGINES)}", engine)


def narrate_section(spec: dict, settings: dict, out_json: str | Path, voice_dir: str | Path, *,
                    llm: dict | None = None, ledger: str | Path | None = None,
                    cache_dir: str | Path | None = None) -> dict:
    """Speak every narrated step of ``spec`` (from :func:`section_narration`) and write narration.json.

    Each step's audio is taken from the narration cache in ``cache_dir`` (or
    synthesised and stored there) and copied to ``voice_dir/<id>.wav``.
    """
    from ..pipeline import write_json
    from ..schemas import validate

    out_json, voice_dir = Path(out_json), Path(voice_dir)
    shutil.rmtree(voice_dir, ignore_errors=True)
    voice_dir.mkdir(parents=True)
    language = spec.get("language") or "en"
    synth = make_synthesizer(settings, language, llm=llm, ledger=ledger, audience=spec.get("audience"))
    record: dict = {"section": spec["section"], "engine": settings.get("engine", "espeak-ng"), "language": language,
                    "pause": float(settings.get("pause", 0.4)), "voice": None, "steps": []}
    if synth is not None:
        if isinstance(synth, EspeakSynthesizer):
            espeak_binary(synth.binary)  # not installed: says how to install it
            try:  # a voice it does not have: one clear message before any step
                synth.check()
            except TTSError as exc:
                raise TTSError(f"config.yaml, narration.voice: {exc}") from None
        record["voice"] = synth.describe()
        cache = NarrationCache(cache_dir) if cache_dir else None

        def speak(text: str, where: str) -> dict:
            try:
                wav, seconds, hit = synthesize_cached(synth, text, cache, step=where)
            except TTSError as exc:
                raise TTSError(f"{where}: {exc}") from None
            key = synth.cache_key(text)
            shutil.copyfile(wav, voice_dir / f"{key[:ID_LENGTH]}.wav")
            log.info("%s: %.2f s of speech (%s)", where, seconds, "cache" if hit else "synthesised")
            return {"id": key[:ID_LENGTH], "key": key, "text": text, "seconds": round(seconds, 4),
                    "words": count_words(text), "cached": hit}

        if spec.get("title"):
            record["title"] = speak(spec["title"], f"section {spec['section']}, title card")
        for step in spec["steps"]:
            spoken = speak(step["text"], f"section {spec['section']}, step {step['step']}")
            record["steps"].append({"step": step["step"], "line": step["line"], **spoken})
    heard = said_in(record)
    said = " ".join(s["text"] for s in heard)
    seconds = sum(s["seconds"] for s in heard)
    record["pace"] = pace_check(said, seconds, spec.get("audience"), language)
    validate(record, "narration", str(out_json))
    write_json(out_json, record)
    return record


def said_in(record: dict) -> list[dict]:
    """Everything a narration.json says, in order: the title (first section only), then the steps."""
    return ([record["title"]] if record.get("title") else []) + list(record["steps"])


def scene_voices(narration_file: str | Path | None) -> dict | None:
    """What the scene needs of narration.json: each narrated step's voice id and seconds, and the pause."""
    if not narration_file:
        return None
    from ..schemas import validate_file

    record = validate_file(str(narration_file), "narration")
    if not record["steps"] and not record.get("title"):
        return None
    title = record.get("title")
    return {"pause": record["pause"],
            "title": {"id": title["id"], "seconds": round(title["seconds"], 3)} if title else None,
            "steps": {str(s["step"]): {"id": s["id"], "seconds": round(s["seconds"], 3)} for s in record["steps"]}}
