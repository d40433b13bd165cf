"""Deterministic fixes: repair common scene failures without asking a model.

``apply_deterministic_fixes(source, location)`` tries the fixers below in
order and returns the first fix that applies, as new source plus a one-line
description, or None. Every fixer

* edits only the failing statement (the lines of the statement holding
  ``location.line``); the few exceptions touch one other, minimal span and say
  so: a ``CONFIG = {...}`` dict becomes class attributes, and a missing
  standard module gets its ``import`` line;
* works on the syntax tree, never on raw text, so strings (lecture lines,
  labels) and comments are never rewritten;
* returns None when unsure: no close match, several equally close matches,
  an argument that is not a literal, or an error raised about something that
  is not on the failing line.

The tables of renamed and removed Manim APIs were checked against Manim
Community 0.22 by running each old and new form (see tests/broken_scenes/).
Note that Manim's ``Mobject.__getattr__`` answers any unknown ``get_x()`` with
a getter and any ``set_x(v)`` with a setter, so ``set_colour(RED)``,
``set_width(2)`` or ``get_width()`` do not fail at all (they silently set or
read an attribute); they fail only when called with more arguments, as a
TypeError about ``__getattr__.<locals>.getter()``/``setter()``.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import functools
import inspect
import re
from dataclasses import dataclass

from .locate import ErrorLocation


@dataclass
class FixResult:
    source: str            # the whole fixed scene source
    description: str      # what was changed, in one line
    fixer: str             # which fixer made it
    lines: tuple[int, int]  # first and last line of the original source that changed


# ------------------------------------------------------------------ tables ---

# Names that no longer exist -> an expression to use instead (simple renames).
RENAMED_NAMES = {
    "ShowCreation": "Create",
    "TextMobject": "Tex",
    "TexText": "Tex",
    "TexMobject": "MathTex",
    "WiggleOutThenIn": "Wiggle",
    "ParametricSurface": "Surface",
    "Color": "ManimColor",
    "FRAME_WIDTH": "config.frame_width",
    "FRAME_HEIGHT": "config.frame_height",
    "FRAME_X_RADIUS": "config.frame_x_radius",
    "FRAME_Y_RADIUS": "config.frame_y_radius",
    "TOP": "config.top",
    "BOTTOM": "config.bottom",
    "LEFT_SIDE": "config.left_side",
    "RIGHT_SIDE": "config.right_side",
    "get_norm": "np.linalg.norm",
}

# Old animation classes whose call must be rewritten: name -> (new callee, positional parameter names,
# how to turn them into keyword arguments of the new callee).
_OPPOSITE = {"LEFT": "RIGHT", "RIGHT": "LEFT", "UP": "DOWN", "DOWN": "UP", "UL": "DR", "DR": "UL",
             "UR": "DL", "DL": "UR", "IN": "OUT", "OUT": "IN"}
CALL_REWRITES = {
    # FadeInFrom(m, LEFT): m comes in from the left, i.e. moves right: FadeIn(m, shift=RIGHT).
    "FadeInFrom": ("FadeIn", ["direction"], {"direction": ("shift", "negate", "DOWN")}),
    "FadeInFromDown": ("FadeIn", [], {"": ("shift", "const", "UP")}),
    "FadeOutAndShift": ("FadeOut", ["direction"], {"direction": ("shift", "same", "DOWN")}),
    "FadeOutAndShiftDown": ("FadeOut", [], {"": ("shift", "const", "DOWN")}),
    "FadeInFromLarge": ("FadeIn", ["scale_factor"], {"scale_factor": ("scale", "same", "2")}),
    "FadeInFromPoint": ("FadeIn", ["point"], {"point": ("target_position", "same", None)}),
    "ShowCreationThenDestruction": ("ShowPassingFlash", [], {"": ("time_width", "const", "2")}),
    "ShowCreationThenDestructionAround": ("Circumscribe", [], {}),
    "ShowCreationThenFadeAround": ("Circumscribe", [], {"": ("fade_out", "const", "True")}),
    "CircleIndicate": ("Circumscribe", [], {"": ("shape", "const", "Circle")}),
}
REMOVED_NAMES = set(RENAMED_NAMES) | set(CALL_REWRITES)

# Removed methods: old name -> (new name, new name when called with stretch=True).
REMOVED_METHODS = {
    "get_graph": ("plot", None),
    "get_derivative_graph": ("plot_derivative_graph", None),
    "set_width": ("scale_to_fit_width", "stretch_to_fit_width"),
    "set_height": ("scale_to_fit_height", "stretch_to_fit_height"),
    "set_depth": ("scale_to_fit_depth", "stretch_to_fit_depth"),
}

# Old (min, max) keyword pairs that became one range list.
RANGE_KWARGS = {"x_min": ("x_range", 0), "x_max": ("x_range", 1), "y_min": ("y_range", 0),
                "y_max": ("y_range", 1), "z_min": ("z_range", 0), "z_max": ("z_range", 1),
                "t_min": ("t_range", 0), "t_max": ("t_range", 1), "u_min": ("u_range", 0),
                "u_max": ("u_range", 1), "v_min": ("v_range", 0), "v_max": ("v_range", 1)}
# Old keywords with no direct equivalent, dropped along with a range conversion.
OBSOLETE_KWARGS = {"x_labeled_nums", "y_labeled_nums", "x_tick_frequency", "y_tick_frequency",
                   "x_axis_width", "y_axis_height", "graph_origin", "x_axis_label", "y_axis_label"}
# (callee, old keyword) -> new keyword, for renames that string similarity cannot find.
KWARG_RENAMES = {
    ("Code", "code"): "code_string",
    ("Code", "file_name"): "code_file",
    ("Code", "style"): "formatter_style",
    ("Code", "insert_line_no"): "add_line_numbers",
    ("Code", "line_no_from"): "line_numbers_from",
    ("FadeIn", "direction"): "shift",
    ("FadeOut", "direction"): "shift",
}
REMOVED_KWARGS = set(RANGE_KWARGS) | OBSOLETE_KWARGS | {k for _, k in KWARG_RENAMES}
# Synonyms models use for Manim's keywords (applied only if the callee takes the target).
KWARG_SYNONYMS = {
    "spacing": "buff", "padding": "buff", "margin": "buff", "gap": "buff", "buffer": "buff",
    "colour": "color", "fill_colour": "fill_color", "stroke_colour": "stroke_color",
    "thickness": "stroke_width", "line_width": "stroke_width", "linewidth": "stroke_width",
    "width_stroke": "stroke_width", "fontsize": "font_size", "text_size": "font_size",
    "duration": "run_time", "time": "run_time", "runtime": "run_time",
}

SCENE_METHODS_NEEDING_SELF = {
    "play", "wait", "add", "remove", "clear", "bring_to_front", "bring_to_back", "add_foreground_mobject",
    "add_foreground_mobjects", "pause", "wait_until", "next_section", "add_sound", "add_subcaption",
    "highlight_line", "place_in", "place_at", "area_size", "caption_for", "clear_grid", "finish",
    "show_title", "title_card", "narrate", "wait_for_voice",
}
STANDARD_MODULES = {"math": "import math", "random": "import random", "itertools": "import itertools",
                    "numpy": "import numpy", "np": "import numpy as np", "string": "import string",
                    "functools": "import functools", "operator": "import operator"}
TEX_CALLS = {"MathTex", "Tex", "SingleStringMathTex", "TexMobject", "TextMobject", "TexText", "Title",
             "BulletedList"}
KIT_PARTS = {"axes", "graph", "label", "axis_names", "line", "marks", "nodes", "arrows", "edge_labels",
             "axis", "bars", "values", "names", "y_label", "steps", "body", "lesson_area", "font_size_used"}


# --------------------------------------------------------- namespaces ---

@functools.lru_cache(maxsize=1)
def scene_namespace() -> dict:
    """What a generated scene sees at module level: ``from manim import *`` plus the kit."""
    ns: dict = {}
    exec("from manim import *", ns)  # noqa: S102 - our own constant import line
    from lessonreel import kit

    ns["LessonScene"] = kit.LessonScene
    ns["V"] = kit.V
    ns.pop("__builtins__", None)
    return ns


@functools.lru_cache(maxsize=1)
def _mobject_classes() -> tuple[type, ...]:
    from manim import Mobject

    ns = scene_namespace()
    return tuple(v for v in ns.values() if isinstance(v, type) and issubclass(v, Mobject))


@functools.lru_cache(maxsize=1)
def _all_mobject_methods() -> frozenset[str]:
    names = set()
    for cls in _mobject_classes():
        names.update(n for n in dir(cls) if not n.startswith("_"))
    return frozenset(names)


def _public(names) -> list[str]:
    return sorted({n for n in names if not n.startswith("_")})


def _edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance (a swap of neighbours counts as one edit)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def _best_match(word: str, candidates, cutoff: float = 0.8) -> str | None:
    """The single closest candidate, or None if none is close enough or two tie.

    Close enough: difflib's ratio >= cutoff, or few edits for the word's
    length (one edit from 4 letters, two from 9), or a difference of case or
    underscores only (circle -> Circle, setcolor -> set_color).
    """
    candidates = {c for c in candidates if c != word and isinstance(c, str)}
    if not candidates or len(word) < 3:
        return None
    allowed = 0 if len(word) < 4 else 1 if len(word) < 9 else 2
    folded = word.lower().replace("_", "")
    scored = []
    for c in candidates:
        if abs(len(c) - len(word)) > max(2, len(word) // 3):
            continue
        ratio = difflib.SequenceMatcher(None, word, c).ratio()
        dist = _edit_distance(word, c)
        same_fold = c.lower().replace("_", "") == folded
        if same_fold or ratio >= cutoff or dist <= allowed:
            scored.append((0 if same_fold else dist, -ratio, c))
    if not scored:
        return None
    scored.sort()
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        return None  # two equally good guesses: not sure
    return scored[0][2]


def _params_of(obj) -> set[str]:
    """Keyword names a class (through its __init__ chain) or a function accepts."""
    names: set[str] = set()
    if isinstance(obj, type):
        funcs = [k.__dict__["__init__"] for k in obj.__mro__ if "__init__" in k.__dict__ and k is not object]
    else:
        funcs = [obj]
    for f in funcs:
        try:
            sig = inspect.signature(f)
        except (TypeError, ValueError):
            continue
        for p in sig.parameters.values():
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self" and not p.name.startswith("_"):
                names.add(p.name)
    return names


# ------------------------------------------------------------ source edits ---

class _Source:
    def __init__(self, source: str):
        self.text = source
        self.lines = source.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.tree = ast.parse(source)

    def offset(self, lineno: int, col: int) -> int:
        """Character offset of an AST (line, UTF-8 byte column) position."""
        line = self.lines[lineno - 1] if lineno - 1 < len(self.lines) else ""
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8", errors="ignore"))

    def span(self, node) -> tuple[int, int]:
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def seg(self, node) -> str:
        a, b = self.span(node)
        return self.text[a:b]

    def statement(self, line: int) -> ast.stmt | None:
        """The innermost statement holding ``line`` (a compound statement when on its header)."""
        holding = [n for n in ast.walk(self.tree)
                   if isinstance(n, ast.stmt) and n.lineno <= line <= (n.end_lineno or n.lineno)]
        if not holding:
            return None
        return max(holding, key=lambda n: (n.lineno, -(n.end_lineno or n.lineno), not hasattr(n, "body")))

    def stmt_lines(self, line: int) -> tuple[int, int] | None:
        stmt = self.statement(line)
        if stmt is None:
            return None
        body = getattr(stmt, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            return stmt.lineno, max(stmt.lineno, body[0].lineno - 1)
        return stmt.lineno, stmt.end_lineno or stmt.lineno

    def nodes_in(self, first: int, last: int, kind):
        for node in ast.walk(self.tree):
            if isinstance(node, kind) and hasattr(node, "lineno") and first <= node.lineno and \
                    (node.end_lineno or node.lineno) <= last:
                yield node


def _apply(source: str, edits: list[tuple[int, int, str]]) -> str:
    for a, b, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        source = source[:a] + text + source[b:]
    return source


def _changed_lines(old: str, new: str) -> tuple[int, int]:
    a, b = old.splitlines(), new.splitlines()
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    last_a, last_b = len(a) - 1, len(b) - 1
    while last_a > first and last_b > first and a[last_a] == b[last_b]:
        last_a, last_b = last_a - 1, last_b - 1
    return first + 1, max(first, last_a) + 1


def _callee_name(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ""


def _resolve_callee(call: ast.Call):
    """The Python object a call's callee names, when it can be known without running the scene."""
    ns = scene_namespace()
    f = call.func
    if isinstance(f, ast.Name):
        return ns.get(f.id)
    if isinstance(f, ast.Attribute):
        base = f.value
        if isinstance(base, ast.Name) and base.id == "self":
            return getattr(ns["LessonScene"], f.attr, None)
        if isinstance(base, ast.Name) and base.id in ("V", "np", "config", "rate_functions"):
            return getattr(ns.get(base.id), f.attr, None)
    return None


def _method_params(name: str) -> set[str]:
    """Keyword names any Manim mobject's method ``name`` accepts (receiver type unknown)."""
    params: set[str] = set()
    for cls in _mobject_classes():
        fn = cls.__dict__.get(name)
        if fn is not None and callable(fn):
            params |= _params_of(fn)
    return params


def _keyword_span(src: _Source, call: ast.Call, kw: ast.keyword) -> tuple[int, int]:
    """Span of ``kw`` with one adjacent comma, so removing it leaves a valid call."""
    a, b = src.span(kw)
    items = sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))
    idx = next(i for i, n in enumerate(items) if n is kw)
    if idx > 0:  # remove from the end of the previous argument
        prev = items[idx - 1]
        return src.span(prev)[1], b
    if idx + 1 < len(items):  # first argument: remove up to the next one
        return a, src.span(items[idx + 1])[0] if items[idx + 1] is not kw else b
    return a, b


# ---------------------------------------------------------------- fixers ---

def _msg_name(pattern: str, message: str) -> str | None:
    m = re.search(pattern, message)
    return m.group(1) if m else None


def fix_renamed_name(src: _Source, loc: ErrorLocation, first: int, last: int):
    name = _msg_name(r"name '(\w+)' is not defined", loc.message) if loc.error_class == "NameError" else None
    if not name or name not in REMOVED_NAMES:
        return None
    edits, notes = [], []
    if name in CALL_REWRITES:
        new, positional, conv = CALL_REWRITES[name]
        for call in src.nodes_in(first, last, ast.Call):
            if not (isinstance(call.func, ast.Name) and call.func.id == name) or not call.args:
                continue
            if any(isinstance(a, ast.Starred) for a in call.args):
                return None
            given = {}
            for pname, arg in zip(positional, call.args[1:]):
                given[pname] = src.seg(arg)
            if len(call.args) - 1 > len(positional):
                return None
            kept = []
            for kw in call.keywords:
                if kw.arg in positional:
                    given[kw.arg] = src.seg(kw.value)
                else:
                    kept.append(src.seg(kw))
            extra = []
            for pname, (kwname, how, default) in conv.items():
                if pname == "":
                    extra.append(f"{kwname}={default}")
                    continue
                value = given.get(pname, default)
                if value is None:
                    return None
                if how == "negate":
                    value = _OPPOSITE.get(value.strip(), f"-({value})" if not re.fullmatch(r"\w+", value) else f"-{value}")
                extra.append(f"{kwname}={value}")
            text = f"{new}({', '.join([src.seg(call.args[0]), *extra, *kept])})"
            a, b = src.span(call)
            edits.append((a, b, text))
            notes.append(f"{name}(...) -> {text}")
    else:
        new = RENAMED_NAMES[name]
        for node in src.nodes_in(first, last, ast.Name):
            if node.id == name:
                a, b = src.span(node)
                edits.append((a, b, new))
        notes.append(f"{name} -> {new} (renamed in Manim Community)")
    if not edits:
        return None
    return edits, "; ".join(dict.fromkeys(notes))


def fix_colour_import(src: _Source, loc: ErrorLocation, first: int, last: int):
    """``from colour import Color`` (colour left Manim in 0.18): use ManimColor under the old name."""
    if loc.error_class not in ("ModuleNotFoundError", "ImportError"):
        return None
    if _msg_name(r"No module named '(\w+)'", loc.message) != "colour":
        return None
    for node in src.nodes_in(first, last, ast.ImportFrom):
        if node.module == "colour" and [a.name for a in node.names] == ["Color"]:
            alias = node.names[0].asname or "Color"
            a, b = src.span(node)
            return [(a, b, f"from manim import ManimColor as {alias}")], \
                "colour.Color -> manim.ManimColor (Manim dropped the colour package)"
    return None


def fix_missing_self(src: _Source, loc: ErrorLocation, first: int, last: int):
    name = _msg_name(r"name '(\w+)' is not defined", loc.message) if loc.error_class == "NameError" else None
    if name not in SCENE_METHODS_NEEDING_SELF:
        return None
    edits = []
    for call in src.nodes_in(first, last, ast.Call):
        if isinstance(call.func, ast.Name) and call.func.id == name:
            a, b = src.span(call.func)
            edits.append((a, b, f"self.{name}"))
    return (edits, f"{name}(...) -> self.{name}(...)") if edits else None


def fix_misspelt_name(src: _Source, loc: ErrorLocation, first: int, last: int):
    name = _msg_name(r"name '(\w+)' is not defined", loc.message) if loc.error_class == "NameError" else None
    if not name:
        return None
    nodes = [n for n in src.nodes_in(first, last, ast.Name) if n.id == name]
    if not nodes:
        return None
    local = set()
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            local.add(node.id)
        elif isinstance(node, ast.arg):
            local.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            local.add(node.name)
        elif isinstance(node, ast.alias):
            local.add((node.asname or node.name).split(".")[0])
    if name in local:
        return None  # defined somewhere (used before it is assigned?): renaming would be a guess
    match = _best_match(name, local - {"self"}, cutoff=0.8)
    if match is None:
        ns = set(scene_namespace()) | set(dir(builtins))
        match = _best_match(name, _public(ns), cutoff=0.84)
    if match is None:
        if name in STANDARD_MODULES:
            return _add_import(src, name)
        return None
    edits = [(*src.span(n), match) for n in nodes]
    return edits, f"undefined name {name} -> {match} (closest defined name)"


def _add_import(src: _Source, name: str):
    line = STANDARD_MODULES[name]
    last_import = 0
    for node in src.tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            last_import = node.end_lineno
    offset = src.starts[last_import] if last_import else 0
    return [(offset, offset, line + "\n")], f"added `{line}` (module used but not imported)"


def _attr_error(message: str) -> tuple[str | None, str | None]:
    """(type or module name, attribute) of an AttributeError message."""
    m = re.search(r"^(?:type object )?'?([\w.]+)'? object has no attribute '(\w+)'", message) or \
        re.search(r"type object '([\w.]+)' has no attribute '(\w+)'", message)
    if m:
        return m.group(1), m.group(2)
    m = re.search(r"module '([\w.]+)' has no attribute '(\w+)'", message)
    if m:
        return "module:" + m.group(1), m.group(2)
    return None, None


def _class_candidates(src: _Source, type_name: str) -> set[str] | None:
    """Attribute names an object of type ``type_name`` has (None if the type is unknown)."""
    ns = scene_namespace()
    if type_name.startswith("module:"):
        import importlib

        modname = type_name[len("module:"):]
        if modname.split(".")[0] not in ("numpy", "math", "random", "manim", "lessonreel", "itertools"):
            return None
        try:
            return set(dir(importlib.import_module(modname)))
        except ImportError:
            return None
    obj = ns.get(type_name)
    if isinstance(obj, type):
        names = set(dir(obj))
        from manim import Group, VGroup

        if issubclass(obj, (VGroup, Group)):
            names |= KIT_PARTS
        return names
    for node in ast.walk(src.tree):  # a class of the scene file (the scene itself)
        if isinstance(node, ast.ClassDef) and node.name == type_name:
            names = set()
            for base in node.bases:
                if isinstance(base, ast.Name) and isinstance(ns.get(base.id), type):
                    names |= set(dir(ns[base.id]))
                else:
                    return None
            for item in ast.walk(node):
                if isinstance(item, ast.Attribute) and isinstance(item.ctx, ast.Store) and \
                        isinstance(item.value, ast.Name) and item.value.id == "self":
                    names.add(item.attr)
                elif isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(item.name)
                elif isinstance(item, ast.Assign):
                    names |= {t.id for t in item.targets if isinstance(t, ast.Name)}
            return names
    return None


def fix_removed_method(src: _Source, loc: ErrorLocation, first: int, last: int):
    """get_graph -> plot, set_width(w, stretch=True) -> stretch_to_fit_width(w), ..."""
    if loc.error_class == "AttributeError":
        _, attr = _attr_error(loc.message)
        wanted = {attr} if attr in REMOVED_METHODS else set()
    elif loc.error_class == "TypeError" and re.search(r"__getattr__\.<locals>\.(getter|setter)\(\)", loc.message):
        wanted = set(REMOVED_METHODS)
    else:
        return None
    edits, notes = [], []
    for call in src.nodes_in(first, last, ast.Call):
        f = call.func
        if not (isinstance(f, ast.Attribute) and f.attr in wanted):
            continue
        new, stretched = REMOVED_METHODS[f.attr]
        kws = {kw.arg: kw for kw in call.keywords}
        if "stretch" in kws:
            value = kws["stretch"].value
            if not isinstance(value, ast.Constant):
                return None
            if value.value and stretched:
                new = stretched
            edits.append((*_keyword_span(src, call, kws["stretch"]), ""))
        a, b = src.span(f)
        edits.append((b - len(f.attr), b, new))
        notes.append(f".{f.attr}() -> .{new}()")
        range_edit = _range_kwarg_edits(src, call)
        if range_edit:
            edits.extend(range_edit[0])
            notes.append(range_edit[1])
    if not edits:
        return None
    return edits, "; ".join(dict.fromkeys(notes)) + " (removed from Manim Community)"


def _range_kwarg_edits(src: _Source, call: ast.Call):
    """x_min=a, x_max=b -> x_range=[a, b] (and y_, t_, ...); obsolete keywords are dropped."""
    kws = {kw.arg: kw for kw in call.keywords if kw.arg}
    groups: dict[str, dict[int, str]] = {}
    for name, kw in kws.items():
        if name in RANGE_KWARGS:
            target, idx = RANGE_KWARGS[name]
            groups.setdefault(target, {})[idx] = src.seg(kw.value)
    dropped = [kws[n] for n in kws if n in OBSOLETE_KWARGS]
    if not groups and not dropped:
        return None
    for target, ends in groups.items():
        if set(ends) != {0, 1} or target in kws:
            return None  # only one end given, or a range given twice: ask the model
    edits, notes = [], []
    removable = [kws[n] for n in kws if n in RANGE_KWARGS] + dropped
    # Replace the first removed keyword by the new ranges, remove the others.
    ordered = sorted(removable, key=lambda k: (k.lineno, k.col_offset))
    new_text = ", ".join(f"{t}=[{e[0]}, {e[1]}]" for t, e in groups.items())
    for i, kw in enumerate(ordered):
        if i == 0 and new_text:
            edits.append((*src.span(kw), new_text))
        else:
            edits.append((*_keyword_span(src, call, kw), ""))
    if groups:
        notes.append(f"{'/'.join(sorted(k for k in kws if k in RANGE_KWARGS))} -> {', '.join(groups)}")
    if dropped:
        notes.append("dropped obsolete " + ", ".join(k.arg for k in dropped))
    return edits, "; ".join(notes)


def fix_bad_kwarg(src: _Source, loc: ErrorLocation, first: int, last: int):
    if loc.error_class != "TypeError":
        return None
    m = re.search(r"(?:([\w.<>]+)\(\) )?got an unexpected keyword argument '(\w+)'", loc.message)
    if not m:
        return None
    owner, key = m.group(1) or "", m.group(2)
    if "getter" in owner or "setter" in owner:
        return None  # an unknown get_/set_ method: fix_removed_method's or fix_attribute's business
    calls = [c for c in src.nodes_in(first, last, ast.Call) if any(kw.arg == key for kw in c.keywords)]
    if not calls:
        return None
    edits, notes = [], []
    for call in calls:
        name = _callee_name(call)
        if key in RANGE_KWARGS or key in OBSOLETE_KWARGS:
            res = _range_kwarg_edits(src, call)
            if not res:
                return None
            edits.extend(res[0])
            notes.append(f"{name}: {res[1]} (Manim Community API)")
            continue
        kw = next(k for k in call.keywords if k.arg == key)
        callee = _resolve_callee(call)
        if callee is not None:
            params = _params_of(callee)
        elif isinstance(call.func, ast.Attribute):
            params = _method_params(call.func.attr)
        else:
            params = set()
        if callee is None and not params:
            return None  # nothing known about what this callee takes
        if key in params:
            continue  # this call takes it; another one on the line is the culprit
        new = KWARG_RENAMES.get((name, key))
        if new is None and key in KWARG_SYNONYMS and KWARG_SYNONYMS[key] in params:
            new = KWARG_SYNONYMS[key]
        if new is None and key == "size" and "font_size" in params and isinstance(kw.value, ast.Constant) \
                and isinstance(kw.value.value, (int, float)) and kw.value.value >= 6:
            new = "font_size"  # Text("...", size=24) means a font size
        if new is None:
            new = _best_match(key, params, cutoff=0.75)
        if new is None and len(key) >= 3:
            prefixed = [p for p in params if p.startswith(key + "_") or key.startswith(p + "_")]
            new = prefixed[0] if len(prefixed) == 1 else None
        if new is not None and any(k.arg == new for k in call.keywords):
            new = None  # renaming would repeat a keyword: drop instead
        a = src.span(kw)[0]
        if new:
            edits.append((a, a + len(key), new))
            notes.append(f"{name}({key}=...) -> {name}({new}=...)")
            # Other keywords of the same call that this Manim version renamed would fail next: rename them too.
            for other in call.keywords:
                renamed = KWARG_RENAMES.get((name, other.arg))
                if other is not kw and renamed and not any(k.arg == renamed for k in call.keywords):
                    start = src.span(other)[0]
                    edits.append((start, start + len(other.arg), renamed))
                    notes.append(f"{name}({other.arg}=...) -> {name}({renamed}=...)")
        else:
            edits.append((*_keyword_span(src, call, kw), ""))
            notes.append(f"dropped {key}= from {name}(...) (it takes no such argument)")
    if not edits:
        return None
    return edits, "; ".join(notes)


def fix_config_dict(src: _Source, loc: ErrorLocation, first: int, last: int):
    """An old-style ``CONFIG = {...}`` class dict (ignored by Manim CE) -> class attributes."""
    if loc.error_class != "AttributeError":
        return None
    type_name, attr = _attr_error(loc.message)
    if not attr:
        return None
    for node in ast.walk(src.tree):
        if not (isinstance(node, ast.ClassDef) and node.name == type_name):
            continue
        for item in node.body:
            if isinstance(item, ast.Assign) and len(item.targets) == 1 and \
                    isinstance(item.targets[0], ast.Name) and item.targets[0].id == "CONFIG" and \
                    isinstance(item.value, ast.Dict):
                keys = [k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None
                        for k in item.value.keys]
                if attr not in keys or None in keys or not all(k.isidentifier() for k in keys):
                    return None
                indent = " " * item.col_offset
                body = "\n".join(f"{indent}{k} = {src.seg(v)}" if i else f"{k} = {src.seg(v)}"
                                 for i, (k, v) in enumerate(zip(keys, item.value.values)))
                a, b = src.span(item)
                return [(a, b, body)], f"CONFIG dict -> class attributes {', '.join(keys)} (CONFIG is ignored in Manim CE)"
    return None


def fix_attribute(src: _Source, loc: ErrorLocation, first: int, last: int):
    """A misspelt method or attribute with one close match on the object's type."""
    if loc.error_class == "AttributeError":
        type_name, attr = _attr_error(loc.message)
        if not attr:
            return None
        nodes = [n for n in src.nodes_in(first, last, ast.Attribute) if n.attr == attr]
        if not nodes:
            return None  # raised about something that is not written on this line
        candidates = _class_candidates(src, type_name)
        if candidates is None:
            return None
        assigned = {n.attr for n in ast.walk(src.tree) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store)}
        if attr in assigned:
            return None  # set somewhere in the file (read before it is set?): not a typo
        match = _best_match(attr, _public(candidates) if not attr.startswith("_") else candidates, cutoff=0.8)
        if match is None:
            return None
        edits = []
        for n in nodes:
            b = src.span(n)[1]
            edits.append((b - len(attr), b, match))
        return edits, f".{attr} -> .{match} (closest attribute of {type_name.replace('module:', 'module ')})"
    if loc.error_class == "TypeError" and re.search(r"__getattr__\.<locals>\.(getter|setter)\(\)", loc.message):
        # Manim turned an unknown get_x/set_x into a generic getter/setter, which the call's arguments broke.
        known = _all_mobject_methods()
        suspects = [c.func for c in src.nodes_in(first, last, ast.Call)
                    if isinstance(c.func, ast.Attribute) and re.match(r"[gs]et_", c.func.attr)
                    and c.func.attr not in known]
        if len(suspects) != 1:
            return None
        f = suspects[0]
        match = _best_match(f.attr, [m for m in known if m[:4] == f.attr[:4]], cutoff=0.8)
        if match is None:
            return None
        b = src.span(f)[1]
        return [(b - len(f.attr), b, match)], f".{f.attr}() -> .{match}() (no such method in Manim)"
    return None


def fix_old_play_syntax(src: _Source, loc: ErrorLocation, first: int, last: int):
    """self.play(mob.shift, UP) -> self.play(mob.animate.shift(UP)); self.play(mob) -> FadeIn(mob)."""
    if loc.error_class != "TypeError":
        return None
    methods = "Passing Mobject methods to Scene.play" in loc.message
    bare = re.search(r"Unexpected argument (\w+) passed to Scene\.play", loc.message)
    if not (methods or bare):
        return None
    plays = [c for c in src.nodes_in(first, last, ast.Call)
             if isinstance(c.func, ast.Attribute) and c.func.attr == "play"
             and isinstance(c.func.value, ast.Name) and c.func.value.id == "self"]
    if len(plays) != 1:
        return None
    call = plays[0]
    if any(isinstance(a, ast.Starred) for a in call.args):
        return None
    known = _all_mobject_methods()
    ns = scene_namespace()
    from manim import Animation

    def is_animation(node):
        if isinstance(node, ast.Call):
            callee = _resolve_callee(node)
            if isinstance(callee, type) and issubclass(callee, Animation):
                return True
            return isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Attribute) \
                and node.func.value.attr == "animate"
        return False

    if methods:
        groups, out = [], []
        for arg in call.args:
            if isinstance(arg, ast.Attribute) and arg.attr in known and not is_animation(arg):
                groups.append([arg, []])
            elif groups and not is_animation(arg):
                groups[-1][1].append(arg)
            else:
                groups.append([arg, None])
        for head, args in groups:
            if args is None:
                out.append(src.seg(head))
            else:
                out.append(f"{src.seg(head.value)}.animate.{head.attr}({', '.join(src.seg(a) for a in args)})")
        desc = "old self.play(mob.method, args) -> self.play(mob.animate.method(args))"
    else:
        cls = ns.get(bare.group(1))
        if not isinstance(cls, type):
            return None
        out, wrapped = [], 0
        for arg in call.args:
            if is_animation(arg) or not isinstance(arg, (ast.Name, ast.Call, ast.Attribute, ast.Subscript)):
                out.append(src.seg(arg))
            else:
                out.append(f"FadeIn({src.seg(arg)})")
                wrapped += 1
        if wrapped != 1:
            return None
        desc = "a mobject passed to self.play -> FadeIn(mobject)"
    kws = [src.seg(k) for k in call.keywords]
    text = f"{src.seg(call.func)}({', '.join(out + kws)})"
    return [(*src.span(call), text)], desc


def fix_animation_added(src: _Source, loc: ErrorLocation, first: int, last: int):
    """self.add(Create(x)) -> self.play(Create(x)): an animation was added like a mobject."""
    if loc.error_class != "AttributeError":
        return None
    type_name, _ = _attr_error(loc.message)
    from manim import Animation

    cls = scene_namespace().get(type_name or "")
    if not (isinstance(cls, type) and issubclass(cls, Animation)):
        return None
    adds = [c for c in src.nodes_in(first, last, ast.Call)
            if isinstance(c.func, ast.Attribute) and c.func.attr == "add" and isinstance(c.func.value, ast.Name)
            and c.func.value.id == "self" and any(_callee_name(a) == type_name for a in c.args
                                                   if isinstance(a, ast.Call))]
    if len(adds) != 1:
        return None
    b = src.span(adds[0].func)[1]
    return [(b - 3, b, "play")], f"self.add({type_name}(...)) -> self.play({type_name}(...))"


def fix_vgroup_of_non_vmobjects(src: _Source, loc: ErrorLocation, first: int, last: int):
    if loc.error_class != "TypeError" or "Only values of type VMobject can be added" not in loc.message:
        return None
    calls = [c for c in src.nodes_in(first, last, ast.Call) if isinstance(c.func, ast.Name) and c.func.id == "VGroup"]
    if len(calls) != 1:
        return None
    return [(*src.span(calls[0].func), "Group")], "VGroup(...) -> Group(...) (it holds a non-vector mobject)"


def fix_text_argument_type(src: _Source, loc: ErrorLocation, first: int, last: int):
    """Text(42) -> Text(str(42)): text builders need a string."""
    if not loc.deep or loc.error_class not in ("AttributeError", "TypeError"):
        return None
    m = re.search(r"'(int|float|numpy\.\w+|list|tuple)' object", loc.message) or \
        re.search(r"expected (?:str|string)[^,]*, (?:got )?(int|float)", loc.message)
    if not m:
        return None
    text_calls = {"Text", "MarkupText", "Paragraph", "MathTex", "Tex", "Title", "text", "equation"}
    fixes = []
    for call in src.nodes_in(first, last, ast.Call):
        if _callee_name(call) in text_calls and call.args:
            arg = call.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                continue
            if isinstance(arg, ast.JoinedStr) or isinstance(arg, ast.Starred):
                continue
            if isinstance(arg, ast.Call) and _callee_name(arg) == "str":
                continue
            fixes.append(arg)
    if len(fixes) != 1:
        return None
    arg = fixes[0]
    return [(*src.span(arg), f"str({src.seg(arg)})")], f"{src.seg(arg)} -> str({src.seg(arg)}) (text needs a string)"


def fix_nonpositive_time(src: _Source, loc: ErrorLocation, first: int, last: int):
    if loc.error_class != "ValueError" or "<= 0 seconds" not in loc.message:
        return None
    edits = []
    for call in src.nodes_in(first, last, ast.Call):
        targets = []
        if isinstance(call.func, ast.Attribute) and call.func.attr in ("wait", "pause") and call.args:
            targets.append(call.args[0])
        targets += [kw.value for kw in call.keywords if kw.arg in ("run_time", "duration")]
        for node in targets:
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
                if node.value <= 0:
                    edits.append((*src.span(node), "0.1"))
            elif isinstance(node, (ast.UnaryOp)) and isinstance(node.operand, ast.Constant):
                edits.append((*src.span(node), "0.1"))
            elif not (isinstance(node, ast.Call) and _callee_name(node) == "max"):
                edits.append((*src.span(node), f"max({src.seg(node)}, 0.1)"))
    if not edits:
        return None
    return edits, "a wait/run_time <= 0 -> at least 0.1 s (Manim refuses zero-length animations)"


def fix_literal_index(src: _Source, loc: ErrorLocation, first: int, last: int):
    """obj[5] on a shorter group -> obj[-1] (the last part). Only one literal index on the line."""
    if loc.error_class != "IndexError" or "out of range" not in loc.message:
        return None
    subs = [s for s in src.nodes_in(first, last, ast.Subscript) if isinstance(s.ctx, ast.Load)]
    literal = [s for s in subs if isinstance(s.slice, ast.Constant) and isinstance(s.slice.value, int)
               or isinstance(s.slice, ast.UnaryOp) and isinstance(s.slice.operand, ast.Constant)]
    if len(subs) != 1 or len(literal) != 1:
        return None
    s = literal[0]
    value = s.slice.value if isinstance(s.slice, ast.Constant) else -s.slice.operand.value
    if value in (0, -1):
        return None  # already the first/last: the group is empty, which clamping cannot fix
    new = "-1" if value > 0 else "0"
    return [(*src.span(s.slice), new)], f"index [{value}] out of range -> [{new}] ({'last' if value > 0 else 'first'} part)"


# ------------------------------------------------------------------ TeX ---

_GREEK = ["alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
          "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "sigma", "tau", "upsilon",
          "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma",
          "Upsilon", "Phi", "Psi", "Omega"]
_GREEK_CHARS = "αβγδεεζηθϑικλμνξπϖρστυφφχψωΓΔΘΛΞΠΣΥΦΨΩ"
_SYMBOLS = {
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "le": "≤", "leq": "≤", "ge": "≥",
    "geq": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "equiv": "≡", "sim": "~", "propto": "∝",
    "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "implies": "⇒",
    "Leftarrow": "⇐", "iff": "⇔", "Leftrightarrow": "⇔", "mapsto": "↦", "sum": "Σ", "prod": "Π",
    "int": "∫", "oint": "∮", "partial": "∂", "nabla": "∇", "degree": "°", "circ": "°", "ldots": "…",
    "dots": "…", "cdots": "⋯", "in": "∈", "notin": "∉", "forall": "∀", "exists": "∃", "cup": "∪",
    "cap": "∩", "subset": "⊂", "subseteq": "⊆", "emptyset": "∅", "angle": "∠", "perp": "⊥",
    "parallel": "∥", "triangle": "△", "hbar": "ħ", "ell": "ℓ", "sqrt": "√", "lim": "lim", "sin": "sin",
    "cos": "cos", "tan": "tan", "log": "log", "ln": "ln", "exp": "exp", "max": "max", "min": "min",
    "quad": " ", "qquad": "  ", "lbrace": "{", "rbrace": "}", "langle": "⟨", "rangle": "⟩",
    "vert": "|", "mid": "|", "lvert": "|", "rvert": "|", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_",
}
_ASCII_SYMBOLS = {"·": "*", "×": "x", "÷": "/", "±": "+/-", "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~",
                  "∞": "infinity", "→": "->", "←": "<-", "⇒": "=>", "⇔": "<=>", "√": "sqrt", "…": "...",
                  "°": " deg", "∫": "integral ", "Σ": "sum ", "∂": "d", "π": "pi"}
_SUP = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def tex_to_plain(tex: str, ascii_only: bool = False) -> str:
    """A readable plain-text version of a TeX formula (for Text, or for \\text{} when ascii_only)."""
    s = tex.replace("$", "")
    s = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)\b\s*\\?", "", s)
    s = re.sub(r"\\(?:,|;|:|!|\s)", " ", s)
    s = s.replace("\\\\", " ").replace("&", " ")
    for _ in range(10):  # innermost first
        before = s
        s = re.sub(r"\\(?:text|mathrm|mathbf|mathit|mathsf|mathtt|textbf|textit|operatorname|boldsymbol|"
                   r"mathcal|mathbb|emph|hat|bar|vec|tilde|overline|underline|dot|ddot)\s*\{([^{}]*)\}", r"\1", s)
        s = re.sub(r"\\[dts]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", lambda m: f"{_paren(m[1])}/{_paren(m[2])}", s)
        s = re.sub(r"\\sqrt\s*\[([^\]]*)\]\s*\{([^{}]*)\}", lambda m: f"{m[1]}√({m[2]})", s)
        s = re.sub(r"\\sqrt\s*\{([^{}]*)\}", lambda m: f"√{_paren(m[1])}" if len(m[1]) > 1 else f"√{m[1]}", s)
        s = re.sub(r"\^\s*\{([^{}]*)\}", lambda m: _script(m[1], _SUP, "^"), s)
        s = re.sub(r"_\s*\{([^{}]*)\}", lambda m: _script(m[1], _SUB, "_"), s)
        if s == before:
            break
    s = re.sub(r"\^\s*(\\?\w)", lambda m: _script(m[1], _SUP, "^"), s)
    s = re.sub(r"_\s*(\\?\w)", lambda m: _script(m[1], _SUB, "_"), s)

    def command(m):
        name = m.group(1)
        if name in _GREEK:
            return _GREEK_CHARS[_GREEK.index(name)]
        return _SYMBOLS.get(name, name)

    s = re.sub(r"\\([A-Za-z]+|[%$&#_])", command, s)
    s = s.replace("{", "").replace("}", "").replace("\\", "")
    s = re.sub(r"\s+", " ", s).strip()
    if ascii_only:
        for ch, name in zip(_GREEK_CHARS, _GREEK):
            s = s.replace(ch, name)
        for ch, rep in _ASCII_SYMBOLS.items():
            s = s.replace(ch, rep)
        s = s.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ", "0123456789+-=()n"))
        s = s.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", "0123456789+-=()"))
        s = "".join(c if c.isascii() and c not in "#$%&_{}~^\\" else " " for c in s)
        s = re.sub(r"\s+", " ", s).strip()
    return s or "?"


def _paren(text: str) -> str:
    text = text.strip()
    return text if re.fullmatch(r"[\w.]+|\\\w+", text) else f"({text})"


def _script(text: str, table, mark: str) -> str:
    text = text.strip()
    if text.startswith("\\"):
        return mark + text + " "
    converted = text.translate(table)
    if all(c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎" for c in converted):
        return converted
    return f"{mark}({text})" if len(text) > 1 else f"{mark}{text}"


def _norm_tex(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _string_literals(node) -> list[ast.Constant] | None:
    """The string literal arguments of a TeX call, or None if any argument is not a literal."""
    out = []
    for a in node.args:
        if isinstance(a, ast.Constant) and isinstance(a.value, str):
            out.append(a)
        else:
            return None
    return out


@functools.lru_cache(maxsize=1)
def _text_kwargs() -> frozenset[str]:
    from manim import Text, VMobject

    return frozenset(_params_of(Text) | _params_of(VMobject))


def fix_tex(src: _Source, loc: ErrorLocation, first: int, last: int):
    if loc.error_class != "TexError":
        return None
    detail = loc.detail or ""
    context = _norm_tex(re.sub(r"\\special\{[^}]*\}", "", detail.split("\n", 1)[1] if "\n" in detail else ""))
    calls = [c for c in src.nodes_in(first, last, ast.Call)
             if _callee_name(c) in TEX_CALLS or (_callee_name(c) in ("equation", "derivation", "matrix", "plot")
                                                  and isinstance(c.func, ast.Attribute)
                                                  and isinstance(c.func.value, ast.Name) and c.func.value.id == "V")]
    if not calls:
        return None

    def literals_in(call):
        return [n for n in ast.walk(call) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                and n is not getattr(call.func, "value", None)]

    # Which string failed? The one Manim printed as the error's context, else the only one.
    suspects = []
    for call in calls:
        for lit in literals_in(call):
            norm = _norm_tex(lit.value)
            if norm and context and (norm in context or context[:30] in norm):
                suspects.append((call, lit))
    if not suspects:
        all_lits = [(c, lit) for c in calls for lit in literals_in(c)
                    if _callee_name(c) in TEX_CALLS or c.args and lit is c.args[0]]
        if len(calls) == 1 and _callee_name(calls[0]) in TEX_CALLS and _string_literals(calls[0]):
            suspects = [(calls[0], lit) for lit in _string_literals(calls[0])]
        elif len(all_lits) == 1:
            suspects = all_lits
    if not suspects or len({id(c) for c, _ in suspects}) != 1:
        return None
    call, lit = suspects[0]
    name = _callee_name(call)
    error = detail.split("\n", 1)[0]

    # 1. Text-mode TeX given math: Tex("x^2") -> MathTex("x^2").
    if name == "Tex" and "Missing $ inserted" in error and not any("$" in s.value for s in
                                                                  (_string_literals(call) or [])):
        return [(*src.span(call.func), "MathTex")], "Tex(...) holding math -> MathTex(...) (TeX said: Missing $ inserted)"
    # 2. Dollar signs inside MathTex (already math mode).
    if name in ("MathTex", "SingleStringMathTex") and "$" in lit.value:
        lits = _string_literals(call) or [lit]
        edits = [(*src.span(s), _py_str(s.value.replace("$", ""))) for s in lits if "$" in s.value]
        return edits, "removed $ from MathTex strings (MathTex is already in math mode)"
    # 3. Replace the formula by plain text.
    if name in ("MathTex", "Tex", "SingleStringMathTex"):
        lits = _string_literals(call)
        if lits is None:
            return None
        joiner = " " if name == "MathTex" else ""
        plain = tex_to_plain(joiner.join(s.value for s in lits))
        allowed = _text_kwargs()
        kept = [src.seg(k) for k in call.keywords if k.arg in allowed]
        dropped = [k.arg or "**" for k in call.keywords if k.arg not in allowed]
        text = f"Text({', '.join([_py_str(plain), *kept])})"
        note = f"{name}(...) that LaTeX refuses -> {text}"
        if dropped:
            note += f" (dropped {', '.join(dropped)})"
        return [(*src.span(call), text)], note
    if name == "equation" and call.args and call.args[0] is lit:
        plain = tex_to_plain(lit.value)
        return [(*src.span(call.func), "V.text"), (*src.span(lit), _py_str(plain))], \
            f"V.equation that LaTeX refuses -> V.text({_py_str(plain)}, ...)"
    # 4. A TeX string inside a kit call (derivation step, matrix entry, plot label): \text{plain}.
    text = tex_text(lit.value)
    return [(*src.span(lit), _py_str(text))], f"TeX string LaTeX refuses -> {text} in {name}(...)"


def tex_text(tex: str) -> str:
    """TeX that shows a formula's plain version in text mode (compiles with the bare template)."""
    plain = tex_to_plain(tex)
    out = []
    for m in re.finditer(r"([⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ]+)|([₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎]+)|(.)", plain):
        if m.group(1):
            out.append(r"\textsuperscript{" + m.group(1).translate(
                str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ", "0123456789+-=()n")) + "}")
        elif m.group(2):
            out.append(r"\textsubscript{" + m.group(2).translate(
                str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", "0123456789+-=()")) + "}")
        else:
            out.append(_ascii_text(m.group(3)))
    return r"\text{" + re.sub(r"\s+", " ", "".join(out)).strip() + "}"


def _ascii_text(ch: str) -> str:
    if ch in _GREEK_CHARS:
        return _GREEK[_GREEK_CHARS.index(ch)]
    if ch in _ASCII_SYMBOLS:
        return "".join(_ascii_text(c) for c in _ASCII_SYMBOLS[ch])
    if ch in "<>|":
        return f"${ch}$"  # text-mode fonts draw < > | as other glyphs
    if ch in "#$%&_{}":
        return "\\" + ch
    if ch in "~^\\" or not ch.isascii():
        return " "
    return ch


def _py_str(text: str) -> str:
    if "\\" in text and "\n" not in text and not text.endswith("\\") and '"' not in text:
        return f'r"{text}"'
    return repr(text)


# ------------------------------------------------------------- the driver ---

FIXERS = [
    fix_colour_import,
    fix_renamed_name,
    fix_missing_self,
    fix_misspelt_name,
    fix_removed_method,
    fix_config_dict,
    fix_old_play_syntax,
    fix_animation_added,
    fix_vgroup_of_non_vmobjects,
    fix_bad_kwarg,
    fix_attribute,
    fix_text_argument_type,
    fix_nonpositive_time,
    fix_tex,
    fix_literal_index,
]
# Fixers allowed to touch lines outside the failing statement (they say where in their description).
_NONLOCAL = {"fix_config_dict", "fix_misspelt_name"}


def apply_deterministic_fixes(source: str, location: ErrorLocation | None) -> FixResult | None:
    """The first deterministic fix for the located error, or None when no fixer is sure."""
    if location is None or location.line is None:
        return None
    try:
        src = _Source(source)
    except SyntaxError:
        return None  # code that does not parse: the model's job
    span = src.stmt_lines(location.line)
    if span is None:
        return None
    for fixer in FIXERS:
        try:
            found = fixer(src, location, *span)
        except Exception:  # noqa: BLE001 - a fixer that trips over odd code simply does not apply
            found = None
        if not found:
            continue
        edits, description = found
        new = _apply(source, edits)
        if new == source:
            continue
        try:
            ast.parse(new)
        except SyntaxError:
            continue
        changed = _changed_lines(source, new)
        if fixer.__name__ not in _NONLOCAL and not (span[0] <= changed[0] and changed[1] <= span[1]):
            continue  # not local: refuse rather than surprise
        return FixResult(source=new, description=description, fixer=fixer.__name__, lines=changed)
    return None
