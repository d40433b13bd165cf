"""Turn a Markdown lesson into a topic dict (the shape of a YAML topic file).

The Markdown a teacher writes::

    ---
    audience: first-year students
    language: en
    ---
    # Derivatives

    ## The idea
    - A derivative measures **change**
    - Written $f'(x)$
    Narration: any plain paragraph text in the section.

    $$ f'(x) = \\lim_{h \\to 0} \\frac{f(x+h) - f(x)}{h} $$

maps to ``{"title": ..., "audience": ..., "language": ..., "sections": [...]}``.
Each ``## `` heading starts a section; bullets become its ``lines``; paragraph
text becomes its ``narration``; ``$$`` math, fenced code, ``visual`` fences
(YAML), pipe tables and images become its ``visuals``. Each visual is attached
(``line``) to the most recent bullet above it.

The result is NOT validated here: the caller checks it against
``schemas/topic.schema.json``, which reports missing or wrong fields.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .errors import InputError

# --- line patterns (matched against the stripped line) -----------------------

_HEADING = re.compile(r"^(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")  # "## Title ##"
_BULLET = re.compile(r"^[-*](?:\s+(.*))?$")  # "- item", "* item"
_THEMATIC_BREAK = re.compile(r"^([-*_])(?:\s*\1){2,}$")  # "---", "* * *"
_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})\s*(.*)$")  # "```python"
_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\(\s*(?:<(?P<p1>[^>]+)>|(?P<p2>[^\s)]+))(?:\s+\"[^\"]*\")?\s*\)$")
_SEPARATOR_CELL = re.compile(r"^:?-+:?$")  # one cell of "| --- | :-: |"
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(?:\d+\.\d+|\.\d+)$")

# --- inline markup -------------------------------------------------------------

_ESCAPE = re.compile(r"\\([\\`*_$|\[\]#~])")  # "\*" -> literal "*"
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)  # `code`, ``co`de``
_DISPLAY_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$", re.S)  # $$x$$ inside a line
# $x$: no space just inside the dollars and no digit after, so "$5 and $10" stays.
_INLINE_MATH = re.compile(r"(?<!\\)\$(?=\S)(.+?)(?<=[^\s\\])\$(?!\d)", re.S)
_MARKERS = re.compile(r"\*+|_+")
_PLACEHOLDER = 0xE000  # private-use characters stand in for protected text


def _clean_inline(text: str) -> str:
    """Strip emphasis markers and backticks; keep `$math$` and `code` content as-is."""
    protected: list[str] = []

    def protect(value: str) -> str:
        protected.append(value)
        return chr(_PLACEHOLDER + len(protected) - 1)

    # Code spans, math and escapes are set aside (in that order of precedence)
    # so the `*` and `_` inside them survive.
    text = _CODE_SPAN.sub(lambda m: protect(m.group(2)), text)
    text = _DISPLAY_MATH.sub(lambda m: protect(m.group(1).strip()), text)
    text = _INLINE_MATH.sub(lambda m: protect(m.group(1)), text)
    text = _ESCAPE.sub(lambda m: protect(m.group(1)), text)
    masked = text

    def drop_marker(m: re.Match) -> str:
        before = masked[m.start() - 1] if m.start() > 0 else " "
        after = masked[m.end()] if m.end() < len(masked) else " "
        if before.isspace() and after.isspace():
            return m.group()  # a lone operator: "2 * 3"
        if m.group()[0] == "_" and before.isalnum() and after.isalnum():
            return m.group()  # snake_case
        return ""

    text = _MARKERS.sub(drop_marker, text).replace("`", "")  # unmatched backticks too
    # Restore newest first: a later value may contain an earlier placeholder.
    for n in reversed(range(len(protected))):
        text = text.replace(chr(_PLACEHOLDER + n), protected[n])
    return text.strip()


# --- tables ----------------------------------------------------------------------


def _split_row(line: str) -> list[str]:
    """Cells of a pipe-table row; outer pipes optional, "\\|" is a literal pipe."""
    row = line.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", row)]


def _is_table_start(line: str, next_line: str | None) -> bool:
    """A header row followed by a separator row with as many cells."""
    if next_line is None or not re.search(r"(?<!\\)\|", line):
        return False
    separator = _split_row(next_line)
    return all(_SEPARATOR_CELL.match(c) for c in separator) and len(separator) == len(_split_row(line))


def _cell(text: str) -> str | int | float:
    """Numbers in tables become numbers."""
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


# --- parser ----------------------------------------------------------------------


class _Section:
    """One ``## `` section being collected."""

    def __init__(self, index: int, title: str):
        self.index = index  # 0-based, as in schema error paths "sections[i]"
        self.title = title
        self.items: list[str] = []  # raw bullet text, cleaned at the end
        self.visuals: list[dict] = []
        self.narration: list[str] = []
        self.item_open = False  # can an indented line continue the last bullet?

    def add_visual(self, visual: dict) -> None:
        # Attach to the most recent bullet (1 before any); visual fences may set their own.
        visual.setdefault("line", max(1, len(self.items)))
        self.visuals.append(visual)
        self.item_open = False

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"title": self.title, "lines": [_clean_inline(t) for t in self.items]}
        if self.visuals:
            out["visuals"] = self.visuals
        if self.narration:
            out["narration"] = _clean_inline(" ".join(self.narration))
        return out


class _Parser:
    def __init__(self, lines: list[str], path: str):
        self.lines = lines
        self.path = path
        self.title: str | None = None  # from the first "# " heading
        self.sections: list[_Section] = []

    @property
    def section(self) -> _Section | None:
        """The section being filled, or None before the first "## "."""
        return self.sections[-1] if self.sections else None

    def run(self, start: int) -> None:
        i = start
        while i < len(self.lines):
            i = self.step(i)

    def step(self, i: int) -> int:
        """Handle the block starting at line index ``i``; return the next index."""
        line = self.lines[i]
        stripped = line.strip()
        indented = line[:1].isspace()
        sec = self.section
        next_line = self.lines[i + 1] if i + 1 < len(self.lines) else None

        # Multi-line blocks first, so "## " or "- " inside them is not misread.
        fence = _FENCE_OPEN.match(stripped)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            return self.fence(i, len(line) - len(line.lstrip()), fence.group(1), fence.group(2))
        if stripped.startswith("$$"):
            return self.display_math(i, stripped)
        image = _IMAGE.match(stripped)
        if image:
            if sec:
                visual = {"kind": "image", "path": image.group("p1") or image.group("p2")}
                if image.group("alt").strip():
                    visual["caption"] = image.group("alt").strip()
                sec.add_visual(visual)
            return i + 1
        if not stripped:
            return i + 1  # blank lines separate paragraphs; a bullet stays open
        if sec and sec.item_open and indented:
            # Continuation (or nested item) of the last bullet: join with a space.
            nested = _BULLET.match(stripped)
            text = (nested.group(1) or "") if nested else stripped
            sec.items[-1] = f"{sec.items[-1]} {text}".strip()
            return i + 1

        heading = _HEADING.match(stripped)
        if heading:
            level, text = len(heading.group(1)), _clean_inline(heading.group(2) or "")
            if sec:
                sec.item_open = False
            if level == 1 and self.title is None:
                self.title = text
            elif level == 2:
                self.sections.append(_Section(len(self.sections), text))
            # later "# " headings, "###" and deeper: ignored
            return i + 1
        if _THEMATIC_BREAK.match(stripped):
            if sec:
                sec.item_open = False
            return i + 1
        bullet = _BULLET.match(stripped)
        if bullet:
            if sec:
                sec.items.append(bullet.group(1) or "")
                sec.item_open = True
            return i + 1
        if _is_table_start(line, next_line):
            return self.table(i)

        # Anything else is narration.
        if sec:
            sec.narration.append(stripped)
            sec.item_open = False
        return i + 1

    def fence(self, i: int, indent: int, marker: str, info: str) -> int:
        """A ``` or ~~~ block: code, or a `visual` YAML mapping."""
        closing = re.compile(rf"^{re.escape(marker[0])}{{{len(marker)},}}\s*$")
        body: list[str] = []
        j = i + 1
        while j < len(self.lines) and not closing.match(self.lines[j].strip()):
            # Remove the fence's own indentation from the body.
            line = self.lines[j]
            cut = min(indent, len(line) - len(line.lstrip(" ")))
            body.append(line[cut:])
            j += 1
        if j >= len(self.lines):
            raise InputError(self.path, f"line {i + 1}", f"a closing {marker} line for the block opened here")
        sec = self.section
        if sec is None:
            return j + 1  # before the first section: ignored
        language = info.split()[0] if info.split() else ""
        if language == "visual":
            sec.add_visual(self.visual_block(sec, "\n".join(body), i))
        else:
            sec.add_visual({"kind": "code", "language": language or "text", "source": "\n".join(body)})
        return j + 1

    def visual_block(self, sec: _Section, source: str, i: int) -> dict:
        """Parse the YAML of a ```visual fence into one visual mapping."""
        field = f"sections[{sec.index}] visual block"
        expected = "a YAML mapping with a kind"
        try:
            data = yaml.safe_load(source)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {i + 2 + mark.line}" if mark else f"block at line {i + 1}"
            raise InputError(self.path, field, expected, f"{where}: {getattr(exc, 'problem', None) or exc}") from None
        if not isinstance(data, dict) or "kind" not in data:
            raise InputError(self.path, field, expected, data)
        return data

    def display_math(self, i: int, stripped: str) -> int:
        """``$$ tex $$`` on one line, or spanning lines up to one ending in ``$$``."""
        if len(stripped) >= 4 and stripped.endswith("$$"):
            body, j = [stripped[2:-2]], i
        else:
            body, j = [stripped[2:]], i + 1
            while j < len(self.lines) and not self.lines[j].strip().endswith("$$"):
                body.append(self.lines[j].strip())
                j += 1
            if j >= len(self.lines):
                raise InputError(self.path, f"line {i + 1}", "a closing $$ for the math block opened here")
            body.append(self.lines[j].strip()[:-2])
        if self.section:
            tex = "\n".join(part.strip() for part in body).strip()
            self.section.add_visual({"kind": "equation", "tex": tex})
        return j + 1

    def table(self, i: int) -> int:
        """A GFM pipe table: header, separator, then rows until a blank or pipe-less line."""
        header = [_cell(c) for c in _split_row(self.lines[i])]
        rows = []
        j = i + 2
        while j < len(self.lines) and self.lines[j].strip() and re.search(r"(?<!\\)\|", self.lines[j]):
            rows.append([_cell(c) for c in _split_row(self.lines[j])])
            j += 1
        if self.section:
            self.section.add_visual({"kind": "table", "header": header, "rows": rows})
        return j


def _front_matter(lines: list[str], path: str) -> tuple[dict, int]:
    """YAML between a first line ``---`` and the next ``---``: (mapping, index after it)."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise InputError(path, "front matter", "a closing '---' line after the front matter started on line 1")
    expected = "a YAML mapping (key: value lines) between the '---' lines"
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark else ""
        raise InputError(path, "front matter", expected, f"{where}{getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(path, "front matter", expected, data)
    return data, end + 1


def parse_markdown(text: str, path: str) -> dict:
    """Parse a Markdown lesson into a topic dict; ``path`` is used in error messages."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    front, start = _front_matter(lines, path)
    parser = _Parser(lines, path)
    parser.run(start)

    topic: dict[str, Any] = {}
    if parser.title is not None or "title" in front:
        topic["title"] = parser.title if parser.title is not None else front["title"]
    # Other front matter keys pass through; the schema reports unknown ones.
    topic.update((k, v) for k, v in front.items() if k != "title")
    if parser.sections:
        topic["sections"] = [s.to_dict() for s in parser.sections]
    return topic
