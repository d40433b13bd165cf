"""Read a topic file (YAML or Markdown), validate it, and check what a schema cannot.

Everything a user can get wrong in a topic is found here, before any
rendering starts, and reported as one InputError naming the file, the field
and what was expected.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from . import expr, kinds, layout
from .errors import InputError
from .schemas import validate
from .lines import narration_per_line
from .texcheck import tex_problem

TOPIC_SUFFIXES = (".yaml", ".yml", ".md")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def topic_slug(path: str | Path) -> str:
    """The topic's name in results/: its file name without the suffix."""
    path = Path(path)
    if not SLUG.match(path.stem):
        raise InputError(path, "file name", "letters, digits, '-' or '_' only (it names results/<slug>/)", path.name)
    return path.stem


def read_topic(path: str | Path) -> dict:
    """Parse a topic file into a plain dict (not yet validated)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "file", "an existing topic file") from None
    except UnicodeDecodeError:
        raise InputError(path, "file", "UTF-8 text") from None
    if path.suffix == ".md":
        from .markdown import parse_markdown

        return parse_markdown(text, str(path))
    if path.suffix not in (".yaml", ".yml"):
        raise InputError(path, "file name", "a .yaml, .yml or .md topic file", path.suffix)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(path, where, "valid YAML", problem) from None
    if data is None:
        raise InputError(path, "title", "a topic with at least a title (the file is empty)")
    if not isinstance(data, dict):
        raise InputError(path, "(top level)", "a mapping with title, audience, language and sections", type(data).__name__)
    return data


def load_topic(path: str | Path, project_root: str | Path, engine: str = "offline") -> dict:
    """Read, validate and check a topic; return it with image paths made project-relative.

    The offline engine draws only what the topic spells out, so it needs every
    section with its lecture lines and no free-text animations; the LLM engine
    plans whatever is missing.
    """
    path = Path(path)
    data = read_topic(path)
    validate(data, "topic", path)
    if engine == "offline":
        if not data.get("sections"):
            raise InputError(
                path, "sections",
                "a list of sections with lecture lines (the offline engine does not plan a lesson from "
                "its title alone: write the sections, or set `engine: llm` in config.yaml)",
            )
        for s, section in enumerate(data["sections"]):
            if not section.get("lines"):
                raise InputError(path, f"sections[{s}].lines",
                                 "lecture lines (the offline engine plans none; or set `engine: llm`)")
            for v, visual in enumerate(section.get("visuals") or []):
                if visual["kind"] == "animation":
                    raise InputError(path, f"sections[{s}].visuals[{v}].kind",
                                     "a structured visual: free-text animations need `engine: llm` in config.yaml",
                                     "animation")
    check_topic(data, path, Path(project_root))
    return data


def _tex_fields(visual: dict):
    kind = visual["kind"]
    if kind == "equation":
        yield "tex", visual["tex"]
    elif kind == "derivation":
        for i, step in enumerate(visual["steps"]):
            if isinstance(step, dict):  # a form that goes with a lecture line of its own
                yield f"steps[{i}].tex", step.get("tex", "")
            else:
                yield f"steps[{i}]", step
    elif kind == "matrix":
        for r, row in enumerate(visual["rows"]):
            for c, cell in enumerate(row):
                yield f"rows[{r}][{c}]", str(cell)
    elif kind == "plot" and visual.get("label"):
        yield "label", visual["label"]


def check_topic(topic: dict, path: Path, project_root: Path) -> None:
    """Semantic checks: TeX safety, plot expressions, references, image paths."""
    root = project_root.resolve()
    for s, section in enumerate(topic.get("sections") or []):
        n_lines = len(section.get("lines") or []) or 8
        narration = section.get("narration")
        if isinstance(narration, list) and section.get("lines") and len(narration) != n_lines:
            raise InputError(path, f"sections[{s}].narration",
                             f"one narration text per lecture line ({n_lines}), or one text for the section",
                             f"{len(narration)} texts")
        said = narration_per_line(section) if section.get("lines") else None
        for v, visual in enumerate(section.get("visuals") or []):
            where = f"sections[{s}].visuals[{v}]"
            kind = visual["kind"]
            if visual.get("line", 1) > n_lines:
                raise InputError(path, f"{where}.line", f"a lecture line number from 1 to {n_lines}", visual["line"])
            kinds.check(visual, _failing(path, where), n_lines, said, visual.get("line", min(v + 1, n_lines)))
            for field, tex in _tex_fields(visual):
                problem = tex_problem(tex)
                if problem:
                    raise InputError(path, f"{where}.{field}", f"safe TeX math: {problem}", tex)
            if kind == "plot":
                try:
                    names = [visual["parameter"]["name"]] if visual.get("parameter") else ()
                    expr.parse(visual["function"], names)
                except expr.ExpressionError as exc:
                    raise InputError(path, f"{where}.function", f"a function of x ({exc})", visual["function"]) from None
                for field in ("x_range", "y_range"):
                    r = visual.get(field)
                    if r and not r[0] < r[1]:
                        raise InputError(path, f"{where}.{field}", "[min, max] with min < max", r)
                    if r and len(r) == 3 and not 0 < r[2] <= r[1] - r[0]:
                        raise InputError(path, f"{where}.{field}", "a step between 0 and max - min", r)
            elif kind == "number_line":
                r = visual["range"]
                if not r[0] < r[1]:
                    raise InputError(path, f"{where}.range", "[min, max] with min < max", r)
                for p, point in enumerate(visual.get("points") or []):
                    value = point["value"] if isinstance(point, dict) else point
                    if not r[0] <= value <= r[1]:
                        raise InputError(path, f"{where}.points[{p}]", f"a value between {r[0]} and {r[1]}", value)
            elif kind == "bar_chart":
                if len(visual["labels"]) != len(visual["values"]):
                    raise InputError(path, f"{where}.values", f"one value per label ({len(visual['labels'])})",
                                     f"{len(visual['values'])} values")
            elif kind == "table":
                width = len(visual["header"])
                for r, row in enumerate(visual["rows"]):
                    if len(row) != width:
                        raise InputError(path, f"{where}.rows[{r}]", f"{width} cells, like the header", f"{len(row)} cells")
            elif kind == "diagram":
                ids = [n["id"] if isinstance(n, dict) else n for n in visual["nodes"]]
                if len(set(ids)) != len(ids):
                    raise InputError(path, f"{where}.nodes", "distinct node names", ids)
                for e, edge in enumerate(visual.get("edges") or []):
                    ends = (edge["from"], edge["to"]) if isinstance(edge, dict) else tuple(edge)
                    for end in ends:
                        if end not in ids:
                            raise InputError(path, f"{where}.edges[{e}]", "edges between listed nodes: " + ", ".join(ids), end)
            elif kind == "code":
                _check_language(path, f"{where}.language", visual["language"])
            elif kind == "image":
                visual["path"] = resolve_image(path, f"{where}.path", visual["path"], root)
        if section.get("lines"):
            _check_pages(section, path, f"sections[{s}]")


def _failing(path: Path, where: str):
    """A ``fail(field, expected, got)`` for the kinds' checks: an InputError at the visual's field."""
    def fail(field: str, expected: str, got=None):
        raise InputError(path, f"{where}.{field}", expected, got)
    return fail


def _check_pages(section: dict, path: Path, where: str) -> None:
    """A stepped visual stays on screen until its last step: no visual before then may need a new page.

    Visuals share the grid page by page (lessonreel.layout); a visual that does
    not fit beside the ones on screen clears the grid. That must not happen
    while an array or a plot still has steps to play.
    """
    n_lines = len(section["lines"])
    # In storyboard order: a visual without `line` goes with line min(i + 1, n), as the planner does.
    order = sorted(((v, visual.get("line", min(v + 1, n_lines))) for v, visual in enumerate(section.get("visuals") or [])),
                   key=lambda vl: (vl[1], vl[0]))
    visuals = [section["visuals"][v] for v, _ in order]
    places = layout.plan_pages(visuals)
    for a, (v, line) in enumerate(order):
        visual = section["visuals"][v]
        if not kinds.stepped(visual) or not visual.get("steps"):
            continue
        last = kinds.step_lines(visual, line)[-1]
        for b in range(a + 1, len(order)):
            w, other_line = order[b]
            if other_line > last:
                break
            if places[b].new_page:
                raise InputError(
                    path, f"{where}.visuals[{w}].line",
                    f"a line after {last}: visuals[{v}] ({visual['kind']}) still has steps until line {last}, "
                    f"and this {section['visuals'][w]['kind']} does not fit on the screen beside it", other_line)


def _check_language(path: Path, field: str, language: str) -> None:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(language)
    except ClassNotFound:
        raise InputError(path, field, "a language Pygments knows (python, c, javascript, bash, ...)", language) from None


def resolve_image(topic_path: Path, field: str, image: str, root: Path) -> str:
    """Resolve an image path (relative to the topic file, else the project) to a project-relative path.

    Images must stay inside the project folder: a topic may not reach for files
    elsewhere on the machine.
    """
    candidates = [(topic_path.parent / image), (root / image)]
    for candidate in candidates:
        real = candidate.resolve()
        if not real.is_relative_to(root):
            raise InputError(topic_path, field, "an image inside the project folder", image)
        if real.is_file():
            return real.relative_to(root).as_posix()
    raise InputError(topic_path, field, "an existing image file (relative to the topic file or the project)", image)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
