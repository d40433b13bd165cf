"""The LLM engine: a Planner and a Coder behind any OpenAI-compatible API.

It fills in what the topic leaves out: a title-only topic is planned into an
outline and a storyboard; sections the teacher wrote in full are compiled as
the offline engine would; free-text animations are written by the Coder as
code blocks inside the offline-compiled scene. Every answer is checked with
the same schemas and checks as a topic file before it is used.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import codegen, planner
from ..errors import InputError, LessonError
from ..topic import check_topic


class LLMEngine:
    name = "llm"

    def __init__(self, client, *, prompts_dir: str | Path | None = None, max_check_retries: int = 2):
        self.client = client
        self.prompts_dir = prompts_dir
        self.max_check_retries = max_check_retries
        self.last_usage = [0, 0, True]  # of the last ask(): prompt tokens, completion tokens, all cached

    @classmethod
    def from_config(cls, config: dict, *, ledger=None) -> "LLMEngine":
        from ..cache import llm_cache_dir
        from ..llm import client_from_config

        # llm.cache_dir when given, else <cache.dir>/llm (config.yaml's cache:, or $LESSONREEL_CACHE).
        cache_dir = config.get("cache_dir") or llm_cache_dir()
        return cls(client_from_config(config, cache_dir=cache_dir, ledger=ledger),
                   max_check_retries=config.get("max_json_retries", 2))

    # ------------------------------------------------------------ asking ---
    def ask(self, role: str, prompt_name: str, variables: dict, schema: str, *, check=None, step: str = ""):
        """One model answer, validated by schema and then by ``check`` (re-asked when it fails)."""
        from ..llm import ModelError, load_prompt

        prompt = load_prompt(prompt_name, self.prompts_dir)
        messages = prompt.render(**variables)
        self.last_usage = [0, 0, True]  # prompt tokens, completion tokens, all answers from the cache
        for attempt in range(self.max_check_retries + 1):
            response = self.client.complete(role, messages, template_hash=prompt.sha256, schema=schema, step=step)
            self.last_usage[0] += response.prompt_tokens
            self.last_usage[1] += response.completion_tokens
            self.last_usage[2] = self.last_usage[2] and response.cached
            if check is None:
                return response.data
            try:
                check(response.data)
                return response.data
            except InputError as exc:
                problem = f"{exc.field}: expected {exc.expected}" + (f", got {exc.got!r}" if exc.got is not None else "")
                messages = messages + [
                    {"role": "assistant", "content": response.text},
                    {"role": "user", "content": f"Your answer was not valid: {problem}. Answer again with the whole JSON only."},
                ]
        raise ModelError(f"{role} ({prompt_name}): no valid answer after {self.max_check_retries + 1} tries: {problem}")

    # ----------------------------------------------------------- outline ---
    def outline(self, topic: dict, slug: str) -> dict:
        given = topic.get("sections") or []
        if given and all(s.get("lines") for s in given):
            return planner.make_outline(topic, slug, engine=self.name)
        answer = self.ask(
            "planner", "outline",
            {"title": topic["title"], "audience": topic.get("audience", "everyone"),
             "language": topic.get("language", "en"),
             "given": json.dumps([{"title": s["title"], "lines": s.get("lines", [])} for s in given],
                                 ensure_ascii=False)},
            "llm_outline", check=lambda data: _check_keeps_given(data, given), step="outline",
        )
        planned = {"title": topic["title"], "sections": answer["sections"]}
        for key in ("audience", "language"):
            if key in topic:
                planned[key] = topic[key]
        return planner.make_outline(planned, slug, engine=self.name)

    # -------------------------------------------------------- storyboard ---
    def storyboard(self, topic: dict, outline: dict, project_root, pacing: dict) -> dict:
        written = {s["title"]: s for s in topic.get("sections") or [] if s.get("lines") and s.get("visuals")}
        compiled, to_plan = {}, []
        for section in outline["sections"]:
            source = written.get(section["title"])
            if source is not None and source["lines"] == section["lines"]:
                sub_topic = {**topic, "sections": [source]}
                sub_outline = {**outline, "sections": [section]}
                compiled[section["id"]] = planner.make_storyboard(sub_topic, sub_outline, project_root, pacing)["sections"][0]
            else:
                to_plan.append(section)
        planned = {}
        if to_plan:
            answer = self.ask(
                "planner", "storyboard",
                {"title": outline["title"], "audience": outline["audience"], "language": outline["language"],
                 "sections": json.dumps([{"id": s["id"], "title": s["title"], "lines": s["lines"]} for s in to_plan],
                                        ensure_ascii=False, indent=1)},
                "llm_storyboard", check=lambda data: _check_storyboard(data, to_plan, Path(project_root)),
                step="storyboard",
            )
            by_id = {s["id"]: s for s in answer["sections"]}
            for section in to_plan:
                planned[section["id"]] = _steps_from_answer(section, by_id[section["id"]]["steps"], pacing)
        sections = [compiled.get(s["id"]) or planned[s["id"]] for s in outline["sections"]]
        return {key: outline[key] for key in ("slug", "title", "audience", "language", "engine")} | {"sections": sections}

    # ------------------------------------------------------------- scene ---
    def scene(self, spec: dict, source: str, feedback: str | None = None) -> str:
        section, topic, first = spec["section"], spec["topic"], spec["first"]
        areas = codegen.animation_areas(section)
        if not areas:
            return codegen.generate_scene(section, topic, source, first, voices=spec.get("voices"))
        todo = {n: f"# (step {n}: your code goes here)\npass" for n in areas}
        skeleton = codegen.generate_scene(section, topic, source, first, blocks=todo, voices=spec.get("voices"))
        steps = []
        for n, place in areas.items():
            step = section["steps"][n - 1]
            voice = ((spec.get("voices") or {}).get("steps") or {}).get(str(n))
            spoken = f", spoken for {voice['seconds']:g} s" if voice else ""
            steps.append(f"Step {n} (lecture line {step['line']}, area {place.first}..{place.last}, "
                         f"about {step['duration']:g} s{spoken}): {step['visual']['description']}")
        if feedback:
            steps.append(f"\nAn earlier version of these blocks failed with: {feedback}\nWrite them again so they run.")
        answer = self.ask("coder", "coder", {"scene": skeleton, "steps": "\n".join(steps)}, "llm_blocks",
                          check=lambda data: _check_blocks(data, areas), step=f"scene {section['id']}")
        blocks = {int(k): v for k, v in answer["blocks"].items() if int(k) in areas}
        return codegen.generate_scene(section, topic, source, first, blocks=blocks, voices=spec.get("voices"))


    # ------------------------------------------------------------ repair ---
    def repair_fix(self, scope: str, code: str, location, context: str) -> tuple[str, int, int, bool]:
        """The model's replacement for the failing line's window or the failing block."""
        answer = self.ask("repair", "repair", {
            "error_class": location.error_class, "message": location.message[:800], "scope": scope,
            "code": code, "context": context,
        }, "llm_repair", step=f"repair {scope}")
        return answer["code"], self.last_usage[0], self.last_usage[1], self.last_usage[2]

    def regenerate(self, spec: dict, source: str, feedback: str) -> tuple[str, int, int, bool]:
        code = self.scene(spec, source, feedback=feedback)
        return code, self.last_usage[0], self.last_usage[1], self.last_usage[2]


# ------------------------------------------------------------ checks ---

    # ------------------------------------------------------------ critic ---
    @property
    def has_vision(self) -> bool:
        """Whether a model is configured for the critic role (the vision critic runs only then)."""
        return "critic" in getattr(self.client, "roles", {})

    def critic_moves(self, keyframes: list[bytes], objects: list[dict], problems: list[dict], code: str, *,
                     section_title: str = "", times: list[float] | None = None) -> tuple[list[dict], dict]:
        """Moves on the anchor grid proposed by the vision model for these keyframes (schemas/llm_critic)."""
        from ..critic.vision import propose_moves

        return propose_moves(self.client, keyframes, objects, problems, code, section_title=section_title,
                             prompts_dir=self.prompts_dir, step="critic", times=times)


def _check_keeps_given(answer: dict, given: list[dict]) -> None:
    titles = [s["title"] for s in answer["sections"]]
    for g in given:
        if g["title"] not in titles:
            raise InputError("planner answer", "sections", f"the teacher's section {g['title']!r} kept", titles)


def _check_storyboard(answer: dict, sections: list[dict], root: Path) -> None:
    """The model's storyboard gets the same checks as a topic file (safe TeX, valid plots, ...)."""
    by_id = {s["id"]: s for s in answer["sections"]}
    pseudo = {"title": "storyboard", "sections": []}
    for n, section in enumerate(sections):
        if section["id"] not in by_id:
            raise InputError("planner answer", "sections", f"a section with id {section['id']!r}",
                             sorted(by_id))
        steps = by_id[section["id"]]["steps"]
        lines = sorted({s["line"] for s in steps})
        if lines != list(range(1, len(section["lines"]) + 1)):
            raise InputError("planner answer", f"sections[{n}].steps",
                             f"steps for every lecture line 1..{len(section['lines'])} of section {section['id']}", lines)
        visuals = []
        for step in steps:
            if step.get("visual"):
                visuals.append({**step["visual"], "line": step["line"]})
        said = {}
        for step in steps:  # what is said on each line: a change's cue must be part of it
            said.setdefault(step["line"], step.get("narration") or section["lines"][step["line"] - 1])
        pseudo["sections"].append({"title": section["title"], "lines": section["lines"], "visuals": visuals,
                                   "narration": [said[n] for n in range(1, len(section["lines"]) + 1)]})
    check_topic(pseudo, Path("planner answer"), root)


def _steps_from_answer(section: dict, answer_steps: list[dict], pacing: dict) -> dict:
    steps = []
    seen_lines = set()
    for step in sorted(answer_steps, key=lambda s: s["line"]):
        visual = step.get("visual")
        if not visual and step.get("animation"):
            visual = {"kind": "animation", "description": step["animation"]}
        first_of_line = step["line"] not in seen_lines
        seen_lines.add(step["line"])
        line_text = section["lines"][step["line"] - 1]
        steps.append({
            "line": step["line"],
            "narration": step.get("narration") or (line_text if first_of_line else ""),
            "visual": visual or None,
            "duration": planner.step_duration(line_text if first_of_line else None, visual, pacing),
        })
    planner.schedule_changes(steps, pacing)
    return {"id": section["id"], "title": section["title"], "lines": section["lines"], "steps": steps}


def _check_blocks(answer: dict, areas: dict) -> None:
    missing = [n for n in areas if str(n) not in answer["blocks"]]
    if missing:
        raise InputError("coder answer", "blocks", f"code for steps {', '.join(map(str, areas))}",
                         f"missing {missing}")
    try:
        import ast

        for n in areas:
            ast.parse(_dedent(answer["blocks"][str(n)]))
    except SyntaxError as exc:
        raise InputError("coder answer", f"blocks.{n}", "Python code that parses", f"line {exc.lineno}: {exc.msg}") from None


def _dedent(code: str) -> str:
    import textwrap

    return textwrap.dedent(code)


__all__ = ["LLMEngine", "LessonError"]
