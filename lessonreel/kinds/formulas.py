"""The ``equation`` and ``derivation`` kinds, stepped: terms light up, formulas turn into their next form.

An ``equation`` is stepped when it has ``steps``. A step may point at a part
of the formula (``highlight``: a substring of its TeX) by colouring it
(``color``: it keeps that colour), boxing it (``box``) or putting a brace and
a short label under it (``label``), and it may turn the formula into a new
form (``to``): parts both forms share move into place, the rest fades.

A ``derivation`` is stepped when its steps are objects (``{tex: ...}``): the
first form is drawn with the visual, each later one replaces the form before
at a lecture line of its own, the same way; a step may mark a part of its
form like an equation's step.

A stepped derivation's ``steps[0]`` is its first form, drawn with the
visual's entrance; as a framework step it only plays the marks it asks for.
:func:`entrance_step` tells the framework so: ``steps[0]`` goes with the
visual's own line, and each later form with the line after the one before.

The TeX is cut into *pieces* (terms with their scripts, operators, the
openers and closers of fractions and roots) by :func:`tex_pieces`; the
builder draws each piece as a part of one formula, so pieces can be coloured,
boxed and matched between forms.
"""

from __future__ import annotations

from ..texcheck import tex_problem
from .common import Fail, words

KINDS = ("equation", "derivation")
MARKS = ("highlight", "color", "label", "box")
STRUCTURAL = {"frac": 2, "dfrac": 2, "tfrac": 2, "cfrac": 2, "binom": 2, "sqrt": 1}
DELIMITED = {"left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr"}


# ---------------------------------------------------------------- TeX ---

def tex_tokens(tex: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each token: cmd, space, num, open, close, script, char."""
    out = []
    i = 0
    while i < len(tex):
        c = tex[i]
        j = i + 1
        if c == "\\":
            if j < len(tex) and tex[j].isalpha():
                while j < len(tex) and tex[j].isalpha():
                    j += 1
            else:
                j = min(j + 1, len(tex))
            kind = "cmd"
        elif c.isspace():
            while j < len(tex) and tex[j].isspace():
                j += 1
            kind = "space"
        elif c.isdigit():
            while j < len(tex) and (tex[j].isdigit() or (tex[j] == "." and j + 1 < len(tex) and tex[j + 1].isdigit())):
                j += 1
            kind = "num"
        else:
            kind = {"{": "open", "}": "close", "^": "script", "_": "script"}.get(c, "char")
        out.append((i, j, kind))
        i = j
    return out


def _whole(tex: str, toks) -> bool:
    """TeX that is drawn as one piece: environments, alignment and line breaks."""
    return any(tex[s:e] in ("\\begin", "\\end", "\\\\", "&") for s, e, _ in toks)


def tex_pieces(tex: str, cuts=()) -> list[tuple[int, int]]:
    """Spans (start, end) of the formula's pieces, in order; ``cuts`` are positions that must be piece boundaries."""
    toks = tex_tokens(tex)
    if _whole(tex, toks):
        return [(0, len(tex))]
    n = len(toks)

    def skip(i):
        while i < n and toks[i][2] == "space":
            i += 1
        return i

    def match(i):  # toks[i] opens a group: the index of its close (or n)
        depth = 0
        for j in range(i, n):
            depth += {"open": 1, "close": -1}.get(toks[j][2], 0)
            if depth == 0:
                return j
        return n - 1

    def argument(i):  # end index (exclusive) of the argument that starts at toks[i]
        i = skip(i)
        if i >= n:
            return i
        if toks[i][2] == "open":
            return match(i) + 1
        if toks[i][2] == "cmd":
            return groups(i + 1)
        return i + 1

    def groups(i):  # after a command: the brace groups that follow it
        while True:
            j = skip(i)
            if j < n and toks[j][2] == "open":
                i = match(j) + 1
            else:
                return i

    def scripts(i):
        while True:
            j = skip(i)
            if j < n and toks[j][2] == "script":
                i = argument(j + 1)
            else:
                return i

    out: list[tuple[int, int]] = []

    def end_of(i):
        return toks[min(i, n) - 1][1]

    def parse(i, stop):
        while i < stop:
            s, e, kind = toks[i]
            if kind == "space":
                i += 1
                continue
            name = tex[s + 1:e] if kind == "cmd" else ""
            j = skip(i + 1)
            if name == "sqrt" and j < stop and tex[toks[j][0]] == "[":  # \sqrt[n]{...}
                while j < stop and tex[toks[j][0]] != "]":
                    j += 1
                j = skip(j + 1)
            if name in STRUCTURAL and j < stop and toks[j][2] == "open":
                close = match(j)
                out.append((s, toks[j][1]))
                parse(j + 1, close)
                for _ in range(STRUCTURAL[name] - 1):
                    nxt = skip(close + 1)
                    if nxt >= stop or toks[nxt][2] != "open":
                        break
                    out.append((toks[close][0], toks[nxt][1]))
                    inner = match(nxt)
                    parse(nxt + 1, inner)
                    close = inner
                k = scripts(close + 1)
                out.append((toks[close][0], end_of(k)))
                i = k
                continue
            if name in DELIMITED:
                k = scripts(argument(i + 1))
            elif kind == "open":
                k = scripts(match(i) + 1)
            elif kind == "cmd":
                k = scripts(groups(i + 1))
            elif kind == "script":
                k = scripts(i)
            else:
                k = scripts(i + 1)
            k = max(k, i + 1)
            out.append((s, end_of(k)))
            i = k

    parse(0, n)
    for cut in sorted(set(cuts)):
        for p, (s, e) in enumerate(out):
            if s < cut < e:
                out[p:p + 1] = [(s, cut), (cut, e)]
                break
    return out


def piece_key(text: str) -> str:
    """What makes two pieces of two forms the same part: their TeX without spaces and single-token braces."""
    import re

    text = "".join(text.split())
    return re.sub(r"([\^_])\{([A-Za-z0-9])\}", r"\1\2", text)


def find_part(tex: str, part: str) -> tuple[int, int] | None:
    """The span of ``part`` in ``tex`` (its first occurrence), or None."""
    at = tex.find(part)
    return (at, at + len(part)) if at >= 0 and part.strip() else None


def part_problem(tex: str, part: str) -> str | None:
    """Why ``part`` cannot be marked in ``tex`` (None when it can)."""
    span = find_part(tex, part)
    if span is None:
        return "a part of the formula shown at that step"
    toks = tex_tokens(tex)
    starts = {s for s, _, _ in toks} | {len(tex)}
    if span[0] not in starts or span[1] not in starts:
        return "a whole part of the formula shown at that step (it cuts a TeX command in two)"
    depth = 0
    for s, _, kind in toks:
        if span[0] <= s < span[1]:
            depth += {"open": 1, "close": -1}.get(kind, 0)
            if depth < 0:
                break
    if depth != 0:
        return "a whole part of the formula shown at that step (with balanced braces)"
    return None


# --------------------------------------------------------------- spec ---

def stepped(visual: dict) -> bool:
    steps = visual.get("steps") or []
    if visual["kind"] == "equation":
        return bool(steps)
    return any(isinstance(s, dict) for s in steps)


def builder(visual: dict) -> str:
    return "equation_steps" if visual["kind"] == "equation" else "derivation_steps"


def forms_at(visual: dict) -> list[str]:
    """The TeX on screen at each step (after the step's change)."""
    out = []
    if visual["kind"] == "equation":
        current = visual["tex"]
        for step in visual["steps"]:
            current = step.get("to", current)
            out.append(current)
    else:
        out = [step.get("tex", "") for step in visual["steps"]]
    return out


def check(visual: dict, fail: Fail) -> None:
    if not stepped(visual):
        return
    steps = visual["steps"]
    derivation = visual["kind"] == "derivation"
    for k, step in enumerate(steps):
        if derivation and not isinstance(step, dict):
            fail(f"steps[{k}]", "an object {tex: ...} like the derivation's other steps (all TeX strings, or all "
                               "objects)", step)
    for k, (step, tex) in enumerate(zip(steps, forms_at(visual))):
        where = f"steps[{k}]"
        for key in ("to", "tex"):
            problem = tex_problem(step[key]) if key in step else None
            if problem:
                fail(f"{where}.{key}", f"safe TeX math: {problem}", step[key])
        for key in ("color", "label", "box"):
            if key in step and "highlight" not in step:
                fail(f"{where}.{key}", "a `highlight` in the same step (the part it marks)", step[key])
        if not derivation and "to" not in step and "highlight" not in step:
            fail(where, "a change: `to` (the formula's next form) or `highlight` (a part to point at)", sorted(step))
        part = step.get("highlight")
        if part is not None:
            problem = tex_problem(part)
            if problem:
                fail(f"{where}.highlight", f"safe TeX math: {problem}", part)
            problem = part_problem(tex, part)
            if problem:
                fail(f"{where}.highlight", f"{problem} ({tex!r})", part)


def rows(visual: dict) -> tuple[int, int] | None:
    if not stepped(visual):
        return None
    labels = any(isinstance(s, dict) and s.get("label") for s in visual["steps"])
    lo = 3 if labels else 2
    return lo, lo + 1


def seconds(visual: dict) -> float | None:
    return 2.5 if stepped(visual) else None


def _new_form(visual: dict, step: dict) -> bool:
    if visual["kind"] == "equation":
        return "to" in step
    return step is not visual["steps"][0]


def entrance_step(visual: dict) -> bool:
    """Whether ``steps[0]`` is drawn with the entrance (a stepped derivation's first form).

    Such a step goes with the visual's own line by default (``kinds.step_lines``).
    """
    return visual["kind"] == "derivation" and stepped(visual)


def step_seconds(visual: dict, step: dict) -> float:
    seconds = 1.6 if _new_form(visual, step) else 0.0
    if step.get("highlight"):
        seconds += 0.8 + 0.25 * words(step.get("label", ""))
    return seconds if entrance_step(visual) and step is visual["steps"][0] else max(seconds, 0.5)


def describe(visual: dict, step: dict) -> str:
    parts = []
    if _new_form(visual, step):
        parts.append("-> " + (step["to"] if "to" in step else step["tex"]))
    elif visual["kind"] == "derivation":
        parts.append("first form (drawn with the entrance)")
    if step.get("highlight"):
        mark = f"highlight {step['highlight']}"
        if step.get("color"):
            mark += f" in {step['color']}"
        if step.get("box"):
            mark += ", boxed"
        if step.get("label"):
            mark += f", label {step['label']!r}"
        parts.append(mark)
    return "; ".join(parts)
