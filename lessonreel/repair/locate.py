"""Where did a scene fail? Read a render or dry-run log back to a line of the scene file.

The line is the *innermost traceback frame whose file is the scene file*:
errors are often raised deep inside Manim or the scene kit, and logs are full
of other numbers ("l.7" in a TeX log, ``tex_file_writing.py:320`` in Manim's
log, "line 3" inside a lecture line), so the first "line N" in the output is
usually wrong. Three traceback styles are understood:

* plain Python tracebacks: ``File "/path/scene.py", line 27, in construct``
  (a SyntaxError's frame has no ``, in ...``);
* Rich tracebacks, as the ``manim`` command prints them: boxed frame headers
  ``│ /path/scene.py:27 in construct │``, possibly wrapped over several box
  lines, and a boxed ``/path/scene.py:3`` for a SyntaxError;
* ``faulthandler`` dumps (a hung process): ``File "/path/scene.py", line 27 in
  construct``, listed most recent call *first*.

When several tracebacks are chained, the last one that reaches the scene file
wins (that is the one ending in the reported exception).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

# ------------------------------------------------------------ the result ---


@dataclass
class ErrorLocation:
    line: int | None                 # 1-based line in the scene file (None: the log never reaches it)
    error_class: str                 # AttributeError, TypeError, ..., TexError, TimeoutError, SyntaxError
    message: str                     # the final exception's message
    block: tuple[int, int] | None    # (first, last) line of the enclosing step block (or construct)
    step: int | None = None          # the step number of that block, if inside one
    failure: str = "other"           # classify(): the failure class (see FAILURE_CLASSES)
    deep: bool = False               # raised below the scene's own frame (in the kit or in Manim)
    frames: list[tuple[str, int, str]] = field(default_factory=list)  # scene-file frames, outermost first
    source_line: str = ""            # the text of the failing line
    raw_class: str = ""              # the exception class as printed (before TeX/timeout mapping)
    detail: str = ""                 # TeX errors: LaTeX's message, then the TeX line it marked


FAILURE_CLASSES = {
    "removed_api": "an API renamed or removed since older Manim (ShowCreation, TextMobject, get_graph, x_min=...)",
    "undefined_name": "a name that is not defined (misspelt or invented)",
    "attribute": "a method or attribute the object does not have (misspelt or hallucinated)",
    "bad_kwarg": "a keyword argument the callable does not take",
    "bad_argument": "an argument of the wrong type or value",
    "tex": "TeX that does not compile",
    "index": "an index or key that does not exist",
    "timeout": "an endless loop (the dry run ran out of time)",
    "syntax": "code that does not parse",
    "import": "an import that fails",
    "other": "anything else",
}

# -------------------------------------------------------------- patterns ---

_PLAIN_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)(?P<sep>,? in (?P<func>\S+))?\s*$')
_BOX_LINE = re.compile(r"^\s*[│┃|](?P<body>.*?)[│┃|]?\s*$")
_BOX_FRAME = re.compile(r"^(?P<file>\S+?\.py):(?P<line>\d+)(?:\s*in\s*(?P<func>\w+))?\s*$")
_CODE_IN_BOX = re.compile(r"^\s*(?:❱\s*)?\d+\s*[│┃|]")
_EXCEPTION = re.compile(
    r"^(?P<cls>(?:[A-Za-z_]\w*\.)*(?:_?[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Timeout|Warning)|KeyboardInterrupt"
    r"|StopIteration|GeneratorExit|LookupError|_DryRunTimeout))(?::\s?(?P<msg>.*))?$")
_TRACEBACK_START = re.compile(r"Traceback \(most recent call last\)")
_FAULTHANDLER_START = re.compile(r"\(most recent call first\):\s*$")
_STEP_MARKER = re.compile(r"^\s*# === Step (?P<step>\d+)\b.*===\s*$")
_TEX_HINTS = ("error converting to dvi", "error converting to xdv", "error converting to pdf",
              "LaTeX compilation error", "LaTeXError")


@dataclass
class _Frame:
    file: str
    line: int
    func: str


@dataclass
class _Traceback:
    frames: list[_Frame]       # outermost first
    end: int                   # index of the output line after the last frame


# ------------------------------------------------------------ frame parsing ---

def _same_file(printed: str, scene_file: Path) -> bool:
    printed = printed.strip()
    if not printed.endswith(".py"):
        return False
    try:
        target = Path(scene_file).resolve()
    except OSError:  # pragma: no cover
        target = Path(scene_file)
    p = Path(printed)
    if p.is_absolute():
        try:
            return p.resolve() == target
        except OSError:  # pragma: no cover
            return str(p) == str(target)
    # A relative path, as printed by a tool run in another folder: match its tail.
    parts = [x for x in p.parts if x not in (".",)]
    return bool(parts) and ".." not in parts and tuple(target.parts[-len(parts):]) == tuple(parts)


def _box_body(line: str) -> str | None:
    m = _BOX_LINE.match(line)
    if not m:
        return None
    return m.group("body").rstrip().rstrip("│┃|").strip()


def _tracebacks(lines: list[str]) -> list[_Traceback]:
    """Every traceback in the output, each with its frames outermost first."""
    out: list[_Traceback] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if _FAULTHANDLER_START.search(line):
            frames, j = [], i + 1
            while j < n and (m := _PLAIN_FRAME.match(lines[j])):
                frames.append(_Frame(m["file"], int(m["line"]), m["func"] or ""))
                j += 1
            if frames:
                out.append(_Traceback(list(reversed(frames)), j))  # listed innermost first
            i = j
            continue
        if _TRACEBACK_START.search(line):
            boxed = line.lstrip().startswith(("╭", "┏", "+"))
            frames, j = [], i + 1
            if boxed:
                j = _parse_box(lines, j, frames)
            else:
                while j < n:
                    m = _PLAIN_FRAME.match(lines[j])
                    if m:
                        frames.append(_Frame(m["file"], int(m["line"]), m["func"] or ""))
                    elif lines[j] and not lines[j].startswith((" ", "\t")):
                        break  # the exception line (or anything else unindented) ends the traceback
                    j += 1
            out.append(_Traceback(frames, j))
            i = j
            continue
        # A Rich SyntaxError box (no "Traceback" title) holding "path:N" only.
        if line.lstrip().startswith(("╭", "┏")) and "Traceback" not in line:
            frames: list[_Frame] = []
            j = _parse_box(lines, i + 1, frames)
            if frames:
                out.append(_Traceback(frames, j))
            i = max(j, i + 1)
            continue
        # A bare SyntaxError report without a "Traceback" header (e.g. py_compile).
        m = _PLAIN_FRAME.match(line)
        if m and not m["sep"]:
            out.append(_Traceback([_Frame(m["file"], int(m["line"]), "")], i + 1))
        i += 1
    return out


def _parse_box(lines: list[str], j: int, frames: list[_Frame]) -> int:
    """Frames of one Rich box starting at line j; returns the index after the box.

    A frame header is a run of box lines between blank (or code) lines; Rich
    wraps a long header ("path:N in" / "func") or folds a long path, so the
    longest leading part of the run that reads ``path.py:N [in func]`` is taken.
    """
    group: list[str] = []

    def flush():
        for k in range(len(group), 0, -1):
            for joiner in ("", " "):
                m = _BOX_FRAME.match(joiner.join(group[:k]))
                if m:
                    frames.append(_Frame(m["file"], int(m["line"]), m["func"] or ""))
                    group.clear()
                    return
        group.clear()

    n = len(lines)
    while j < n:
        stripped = lines[j].strip()
        if stripped.startswith(("╰", "┗")):
            flush()
            return j + 1
        body = _box_body(lines[j])
        if body is None:
            flush()
            return j
        if not body or _CODE_IN_BOX.match(body):
            flush()
        else:
            group.append(body)
        j += 1
    flush()
    return j


# ------------------------------------------------------- the final exception ---

def _final_exception(lines: list[str], start: int) -> tuple[str, str]:
    """(class, message) of the last exception line at or after ``start`` (else anywhere)."""
    for lo in (start, 0):
        for k in range(len(lines) - 1, lo - 1, -1):
            m = _EXCEPTION.match(lines[k])
            if m:
                cls = m["cls"].rsplit(".", 1)[-1]
                msg = (m["msg"] or "").strip()
                # Multi-line messages continue on indented or plain lines until a blank one.
                extra = []
                for nxt in lines[k + 1:k + 6]:
                    if not nxt.strip() or _EXCEPTION.match(nxt) or _TRACEBACK_START.search(nxt):
                        break
                    extra.append(nxt.strip())
                if extra and len(msg) < 200:
                    msg = " ".join([msg, *extra]).strip()
                return cls, msg
    return "", ""


def _normalise_class(raw: str, message: str, output: str) -> str:
    if raw in ("_DryRunTimeout", "TimeoutExpired") or raw == "TimeoutError":
        return "TimeoutError"
    if raw == "LaTeXError" or (raw in ("ValueError", "RuntimeError", "") and
                               any(h in message for h in _TEX_HINTS[:3])):
        return "TexError"
    if not raw and any(h in output for h in _TEX_HINTS):
        return "TexError"
    if not raw and ("Timeout (" in output or "timed out" in output):
        return "TimeoutError"
    return raw or "UnknownError"


# --------------------------------------------------------------- classify ---

_REMOVED_MODULES = ("colour", "manimlib", "manim_imports_ext", "big_ol_pile_of_manim_imports")


def classify(output: str) -> str:
    """The failure class (a key of FAILURE_CLASSES) of a failed run's output."""
    lines = output.splitlines()
    tbs = _tracebacks(lines)
    raw, message = _final_exception(lines, tbs[-1].end if tbs else 0)
    code = ""
    for k in range(len(lines) - 1, -1, -1):  # the code line printed at the innermost frame
        if _PLAIN_FRAME.match(lines[k]):
            code = lines[k + 1] if k + 1 < len(lines) else ""
            break
        m = re.match(r"^\s*[│┃|]\s*❱\s*\d+\s*[│┃|](.*?)[│┃|]?\s*$", lines[k])  # Rich: "│ ❱ 41 │ code │"
        if m:
            code = m.group(1)
            break
    return _classify(_normalise_class(raw, message, output), message, code)


def _classify(error_class: str, message: str, code: str = "") -> str:
    """The failure class of an error; ``code`` is the failing line, when known."""
    from .fixes import REMOVED_KWARGS, REMOVED_METHODS, REMOVED_NAMES

    if error_class == "TimeoutError":
        return "timeout"
    if error_class == "TexError":
        return "tex"
    if error_class in ("SyntaxError", "IndentationError", "TabError"):
        return "syntax"
    if error_class in ("ModuleNotFoundError", "ImportError"):
        m = re.search(r"No module named '([\w.]+)'|cannot import name '(\w+)'", message)
        name = m and (m.group(1) or m.group(2))
        if name and (name.split(".")[0] in _REMOVED_MODULES or name in REMOVED_NAMES):
            return "removed_api"
        return "import"
    if error_class == "NameError":
        m = re.search(r"name '(\w+)' is not defined", message)
        return "removed_api" if m and m.group(1) in REMOVED_NAMES else "undefined_name"
    if error_class == "AttributeError":
        m = re.search(r"has no attribute '(\w+)'", message)
        return "removed_api" if m and m.group(1) in REMOVED_METHODS else "attribute"
    if error_class == "TypeError":
        if "__getattr__.<locals>.getter()" in message or "__getattr__.<locals>.setter()" in message:
            # Manim answers any unknown get_x()/set_x() with a generic getter/setter:
            # calling it with arguments is how a missing get_/set_ method shows up.
            if any(re.search(rf"\.{m}\s*\(", code) for m in REMOVED_METHODS):
                return "removed_api"
            return "attribute"
        m = re.search(r"unexpected keyword argument '(\w+)'", message)
        if m:
            return "removed_api" if m.group(1) in REMOVED_KWARGS else "bad_kwarg"
        if "Passing Mobject methods to Scene.play" in message:
            return "removed_api"
        return "bad_argument"
    if "UFunc" in error_class:  # numpy refusing an argument of the wrong type
        return "bad_argument"
    if error_class == "ValueError":
        return "bad_argument"
    if error_class in ("IndexError", "KeyError"):
        return "index"
    return "other"


# ------------------------------------------------------------------ blocks ---

def step_blocks(source: str) -> tuple[tuple[int, int] | None, list[tuple[int, int, int]]]:
    """(construct's (first, last) lines, [(step, first, last), ...]) of a scene's source."""
    lines = source.splitlines()
    construct = None
    try:
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "construct":
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                construct = (first, node.end_lineno)
                break
    except SyntaxError:
        for k, text in enumerate(lines, start=1):
            if re.match(r"^\s*def construct\b", text):
                indent = len(text) - len(text.lstrip())
                end = len(lines)
                for k2 in range(k, len(lines)):
                    t = lines[k2]
                    if t.strip() and len(t) - len(t.lstrip()) <= indent and not t.lstrip().startswith("#"):
                        end = k2
                        break
                construct = (k, end)
                break
    markers = [(k, int(m["step"])) for k, text in enumerate(lines, start=1) if (m := _STEP_MARKER.match(text))]
    steps = []
    for idx, (start, number) in enumerate(markers):
        if idx + 1 < len(markers):
            end = markers[idx + 1][0] - 1
        elif construct and construct[0] <= start <= construct[1]:
            end = construct[1]
        else:
            end = len(lines)
        while end > start and not lines[end - 1].strip():
            end -= 1
        steps.append((number, start, end))
    return construct, steps


def enclosing_block(source: str, line: int | None) -> tuple[tuple[int, int] | None, int | None]:
    """The step block holding ``line`` (or construct, or the enclosing def/class) and its step."""
    if line is None:
        return None, None
    construct, steps = step_blocks(source)
    for number, start, end in steps:
        if start <= line <= end:
            return (start, end), number
    if construct and construct[0] <= line <= construct[1]:
        return construct, None
    # Outside construct: the smallest def or class around the line, else the line itself.
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return (line, line), None
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and \
                node.lineno <= line <= (node.end_lineno or node.lineno):
            if best is None or node.lineno >= best[0]:
                best = (node.lineno, node.end_lineno or node.lineno)
    return (best or (line, line)), None


# ------------------------------------------------------------------ locate ---

def locate_error(output: str, scene_file: Path) -> ErrorLocation | None:
    """Where, in ``scene_file``, the run whose log is ``output`` failed; None if no error is found."""
    lines = output.splitlines()
    tbs = _tracebacks(lines)
    raw, message = _final_exception(lines, tbs[-1].end if tbs else 0)
    if not raw and not tbs and "TimeoutError" not in output:
        return None
    error_class = _normalise_class(raw, message, output)

    chosen: _Traceback | None = None
    for tb in reversed(tbs):
        if any(_same_file(f.file, scene_file) for f in tb.frames):
            chosen = tb
            break
    line, deep, frames = None, False, []
    if chosen:
        frames = [(f.file, f.line, f.func) for f in chosen.frames if _same_file(f.file, scene_file)]
        innermost = max(i for i, f in enumerate(chosen.frames) if _same_file(f.file, scene_file))
        line = chosen.frames[innermost].line
        deep = innermost < len(chosen.frames) - 1
    try:
        source = Path(scene_file).read_text(encoding="utf-8")
    except OSError:
        source = ""
    block, step = enclosing_block(source, line) if source else (None, None)
    src_lines = source.splitlines()
    text = src_lines[line - 1] if line and 0 < line <= len(src_lines) else ""
    detail = ""
    if error_class == "TexError":
        m = re.search(r"LaTeX compilation error: (.*?)(?:\s{2,}\S+\.py:\d+)?\s*$", output, re.M)
        detail = (m.group(1).strip() if m else "") + "\n" + (tex_error_context(output) or "")
    return ErrorLocation(line=line, error_class=error_class, message=message, block=block, step=step,
                         failure=_classify(error_class, message, text), deep=deep, frames=frames,
                         source_line=text, raw_class=raw, detail=detail)


def tex_error_context(output: str) -> str | None:
    """The TeX source line Manim marked with '->' in its LaTeX error context, if any."""
    lines = output.splitlines()
    for k, line in enumerate(lines):
        if "Context of error" not in line:
            continue
        for nxt in lines[k + 1:k + 8]:
            m = re.search(r"->\s?(.*)$", nxt)
            if m:
                text = re.sub(r"\s{3,}.*$", "", m.group(1).strip())  # Rich pads log lines (and tags them)
                text = re.sub(r"\\special\{dvisvgm:raw[^}]*\}", "", text)
                return text.strip()
    return None
