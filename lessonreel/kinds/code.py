"""The ``code`` kind, stepped: a listing whose lines light up as a run is traced, with a variables panel.

A code visual is stepped when it has ``steps``, ``highlight`` or ``vars``
(without them it is the plain listing it always was). ``highlight`` lists
1-based lines: they get a bar behind them and full brightness, the other
lines dim. ``vars`` (name -> value) is a panel beside the code, to the
right: the state of the run. Each step may light other lines (the bar moves
there) and set variables (the old value turns into the new one, flashed;
``null`` removes one). Code longer than fits legibly (font size 20.5) shows a
window of lines that scrolls so the lit lines are in view.

The geometry constants here are shared with the builder
(:mod:`lessonreel.visuals.codetrace`), so the rows the layout plans are the
rows the drawing needs.
"""

from __future__ import annotations

import math
import re

from .. import grid
from .common import Fail

KINDS = ("code",)

# Natural geometry (scene units) at FONT, the size the builder draws at before fitting.
FONT = 24
MIN_SCALE = 20.5 / 24   # never fitted smaller than this: text stays at font size 20.5 (>= 20)
GROW = 1.25             # nor larger than this (font size 30)
ADVANCE = 0.198         # width of one monospace character (DejaVu Sans Mono)
PITCH = 0.42            # from one code line to the next
PAD_X, PAD_Y = 0.2, 0.2
TEXT_END = 0.1          # more room after the longest line (the bar ends there too)
NUM_GAP = 0.25          # between the line numbers and the code
SCROLL_W = 0.18         # room for the scroll bar of a windowed listing
PANEL_GAP = 0.3         # between the code and the variables panel
VAR_PITCH = 0.48        # from one variable to the next
TITLE_H = 0.45          # the panel's title row
TITLE = "variables"
TITLE_W = 1.6           # its width at FONT (proportional font)
MIN_WINDOW = 12         # the fewest lines the layout plans room for (when the code is longer)
MAX_VARS = 8
AREA_PAD = 0.12         # lessonreel.kit.PAD: kept free inside an area
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def stepped(visual: dict) -> bool:
    return any(key in visual for key in ("steps", "highlight", "vars"))


def builder(visual: dict) -> str:
    return "traced_code"


def source_lines(visual: dict) -> list[str]:
    return visual["source"].rstrip("\n").expandtabs(4).split("\n")


def show_value(value) -> str:
    """How a variable's value reads in the panel."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    return str(value)


def variables(visual: dict) -> list[str]:
    """Every variable the panel shows at some point, in the order they first appear."""
    names: list[str] = []
    for state in [visual, *(visual.get("steps") or [])]:
        names += [n for n in state.get("vars") or {} if n not in names]
    return names


def panel_width(visual: dict) -> float:
    """Natural width of the variables panel (0 without one)."""
    names = variables(visual)
    if not names:
        return 0.0
    values = [show_value(v) for state in [visual, *(visual.get("steps") or [])]
              for v in (state.get("vars") or {}).values() if v is not None]
    row = (max(map(len, names)) + 3 + max(map(len, values), default=1)) * ADVANCE
    return 2 * PAD_X + max(TITLE_W, row)


def code_width(visual: dict, windowed: bool) -> float:
    lines = source_lines(visual)
    digits = len(str(len(lines)))
    return 2 * PAD_X + TEXT_END + digits * ADVANCE + NUM_GAP + max(map(len, lines)) * ADVANCE + (SCROLL_W if windowed else 0)


def natural_width(visual: dict, windowed: bool = True) -> float:
    panel = panel_width(visual)
    return code_width(visual, windowed) + (PANEL_GAP + panel if panel else 0.0)


def code_height(lines: int) -> float:
    return lines * PITCH + 2 * PAD_Y


def panel_height(visual: dict) -> float:
    n = len(variables(visual))
    return 2 * PAD_Y + TITLE_H + n * VAR_PITCH if n else 0.0


def _area_width() -> float:
    return grid.GRID.width - 2 * AREA_PAD


def _check_lines(fail: Fail, field: str, lines, n: int) -> None:
    for i, line in enumerate(lines or []):
        if isinstance(line, bool) or not isinstance(line, int) or not 1 <= line <= n:
            fail(f"{field}[{i}]", f"a line of the code from 1 to {n}", line)


def _check_vars(fail: Fail, field: str, values: dict, allow_null: bool) -> None:
    for name, value in (values or {}).items():
        if not IDENTIFIER.match(str(name)):
            fail(f"{field}.{name}", "a variable name (letters, digits and _, not starting with a digit)", name)
        if value is None and not allow_null:
            fail(f"{field}.{name}", "a value (null removes a variable in a step; the first state has none to remove)",
                 value)


def check(visual: dict, fail: Fail) -> None:
    if not stepped(visual):
        return
    lines = source_lines(visual)
    n = len(lines)
    _check_lines(fail, "highlight", visual.get("highlight"), n)
    _check_vars(fail, "vars", visual.get("vars"), allow_null=False)
    for k, step in enumerate(visual.get("steps") or []):
        _check_lines(fail, f"steps[{k}].highlight", step.get("highlight"), n)
        _check_vars(fail, f"steps[{k}].vars", step.get("vars"), allow_null=True)
        if "highlight" not in step and "vars" not in step:
            fail(f"steps[{k}]", "a change: `highlight` (the lines the run is at) or `vars` (values it sets)",
                 sorted(step))
    names = variables(visual)
    if len(names) > MAX_VARS:
        fail("vars", f"at most {MAX_VARS} variables in the panel (over all steps)", ", ".join(names))
    # Width: the code and the panel side by side must fit the grid at font size 20.5.
    room = _area_width() / MIN_SCALE
    if natural_width(visual) > room + 1e-6:
        longest = max(lines, key=len)
        limit = int((room - natural_width(visual) + len(longest) * ADVANCE) / ADVANCE)
        beside = " beside the variables panel" if names else ""
        fail("source", f"lines of at most {max(limit, 1)} characters{beside} (longer ones would be too small to read)",
             longest)


def _rows_for(height: float) -> int:
    return max(1, math.ceil((height + 2 * AREA_PAD + 0.02) / grid.CELL_HEIGHT))


def rows(visual: dict) -> tuple[int, int] | None:
    """Room for a window of at least MIN_WINDOW lines (all of shorter code) at font 20.5; at most all lines at 24."""
    if not stepped(visual):
        return None
    n = len(source_lines(visual))
    panel = panel_height(visual)
    lo = _rows_for(max(code_height(min(n, MIN_WINDOW)), panel) * MIN_SCALE)
    hi = _rows_for(max(code_height(n), panel))
    lo = min(max(lo, 2), grid.ROWS)
    return lo, min(max(hi, lo), grid.ROWS)


def seconds(visual: dict) -> float | None:
    if not stepped(visual):
        return None
    n = len(source_lines(visual))
    return 2.0 + 0.3 * min(n, 16) + 0.4 * len(visual.get("vars") or {})


def step_seconds(visual: dict, step: dict) -> float:
    changes = len(step.get("vars") or {})
    return 1.0 + (0.6 if "highlight" in step else 0.0) + 0.5 * changes


def describe(visual: dict, step: dict) -> str:
    parts = []
    if "highlight" in step:
        lit = step["highlight"]
        parts.append("lines " + ", ".join(map(str, lit)) if lit else "no line lit")
    for name, value in (step.get("vars") or {}).items():
        parts.append(f"{name} removed" if value is None else f"{name} = {show_value(value)}")
    return "; ".join(parts) or "no change"
