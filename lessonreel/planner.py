"""The offline Planner: topic -> outline -> storyboard, with no model.

The outline is the lesson plan (sections with their lecture lines); the
storyboard adds ordered steps, each with the lecture line it belongs to, its
narration, its visual and how long it stays on screen. Both are plain JSON
validated by schemas/outline.schema.json and schemas/storyboard.schema.json.
"""

from __future__ import annotations

from pathlib import Path

from . import kinds
from .lines import narration_per_line
from .topic import file_sha256

ENGINE = "offline"


def section_id(index: int) -> str:
    """Stable section ids: 1-based position, zero-padded ("01", "02", ...).

    They are always sorted numerically (see ``sorted_ids``), so section 10
    follows section 9 whatever the padding.
    """
    return f"{index:02d}"


def sorted_ids(ids) -> list[str]:
    return sorted(ids, key=int)


def make_outline(topic: dict, slug: str, engine: str = ENGINE) -> dict:
    return {
        "slug": slug,
        "title": topic["title"],
        "audience": topic.get("audience", "everyone"),
        "language": topic.get("language", "en"),
        "engine": engine,
        "sections": [
            {"id": section_id(i), "title": s["title"], "lines": list(s["lines"])}
            for i, s in enumerate(topic["sections"], start=1)
        ],
    }


def _words(text: str) -> int:
    return len(text.split())


def visual_reading_seconds(visual: dict | None) -> float:
    """How long a learner needs to take in a visual once it is drawn."""
    if visual is None:
        return 0.0
    kind = visual["kind"]
    own = kinds.seconds(visual)
    if own is not None:
        seconds = own
    elif kind == "text":
        seconds = 0.3 * _words(visual["text"])
    elif kind == "bullets":
        seconds = 0.3 * sum(_words(i) for i in visual["items"]) + 0.5 * len(visual["items"])
    elif kind == "equation":
        seconds = 2.5
    elif kind == "derivation":
        seconds = 2.2 * len(visual["steps"])
    elif kind == "plot":
        seconds = 3.0
    elif kind == "number_line":
        seconds = 2.0 + 0.4 * len(visual.get("points") or [])
    elif kind == "diagram":
        seconds = 1.5 + 0.4 * len(visual["nodes"]) + 0.3 * len(visual.get("edges") or [])
    elif kind == "bar_chart":
        seconds = 2.0 + 0.4 * len(visual["values"])
    elif kind == "table":
        seconds = 1.5 + 0.25 * len(visual["rows"]) * len(visual["header"])
    elif kind == "code":
        seconds = 2.0 + 0.6 * (visual["source"].rstrip("\n").count("\n") + 1)
    elif kind == "matrix":
        seconds = 2.0 + 0.2 * sum(len(r) for r in visual["rows"])
    elif kind == "animation":
        seconds = 4.0
    else:  # shape, image
        seconds = 2.0
    if visual.get("caption"):
        seconds += 0.3 * _words(visual["caption"])
    return seconds


def step_duration(line_text: str | None, visual: dict | None, pacing: dict) -> float:
    """Seconds a step stays on screen: time to read its new line and take in its visual."""
    reading = pacing["seconds_per_word"] * (_words(line_text) if line_text else 0)
    seconds = reading + visual_reading_seconds(visual)
    seconds = max(pacing["min_step_seconds"], seconds)
    return round(min(pacing["max_step_seconds"], seconds), 2)


def schedule_changes(steps: list[dict], pacing: dict) -> None:
    """Give every step the changes of stepped visuals that go with its lecture line.

    A stepped visual (an array whose pointers move, code whose lines light up)
    is drawn at the step that shows it; each of its own steps then plays at the
    first storyboard step of the lecture line it goes with (or right after the
    entrance, on the visual's own line). A visual's n-th change in a step is
    that step's beat n: the changes of two visuals with the same beat play
    together (the array's pointer moves as the code's line lights up). Each
    change adds the time it needs to take in to the step's duration.
    """
    first_of_line: dict[int, int] = {}
    for n, step in enumerate(steps):
        first_of_line.setdefault(step["line"], n)
    index = -1
    for n, step in enumerate(steps):
        visual = step["visual"]
        if not visual:
            continue
        index += 1
        if not kinds.stepped(visual):
            continue
        for k, line in enumerate(kinds.step_lines(visual, step["line"])):
            target = steps[n if line == step["line"] else first_of_line[line]]
            changes = target.setdefault("changes", [])
            change = {"visual": index, "step": k, "beat": sum(1 for c in changes if c["visual"] == index)}
            if visual["steps"][k].get("cue"):
                change["cue"] = visual["steps"][k]["cue"]
            changes.append(change)
            target["duration"] = round(min(pacing["max_step_seconds"],
                                           target["duration"] + kinds.step_seconds(visual, k)), 2)


def make_storyboard(topic: dict, outline: dict, project_root: str | Path, pacing: dict) -> dict:
    """Pair each section's lines with its visuals, in order, as steps."""
    root = Path(project_root)
    sections = []
    for planned, source in zip(outline["sections"], topic["sections"]):
        lines = planned["lines"]
        narration = narration_per_line(source)
        per_line: list[list[dict]] = [[] for _ in lines]
        for n, visual in enumerate(source.get("visuals") or []):
            index = visual.get("line", min(n + 1, len(lines))) - 1
            per_line[index].append(visual)
        steps = []
        for i, line in enumerate(lines):
            for k, visual in enumerate(per_line[i] or [None]):
                step = {
                    "line": i + 1,
                    "narration": narration[i] if k == 0 else "",
                    "visual": visual,
                    "duration": step_duration(line if k == 0 else None, visual, pacing),
                }
                if visual and visual["kind"] == "image":
                    # The picture's content is part of the step: editing the file re-renders it.
                    step["asset_sha256"] = file_sha256(root / visual["path"])
                steps.append(step)
        schedule_changes(steps, pacing)
        sections.append({"id": planned["id"], "title": planned["title"], "lines": lines, "steps": steps})
    return {
        "slug": outline["slug"],
        "title": outline["title"],
        "audience": outline["audience"],
        "language": outline["language"],
        "engine": outline["engine"],
        "sections": sections,
    }
