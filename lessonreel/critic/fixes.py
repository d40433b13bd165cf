"""Rewrite a scene's code to fix the layout problems of its report.

Every fix is an *action* on a named object, and every action is one line
inserted into the scene at a place the report gives (so a fix can be read,
and undone, in the critic's revised file):

move      ``self.place_in(name, first, last)`` right before the statement that
          first shows the object: the kit scales it to fit and centres it in
          the area (used for objects off the frame or in the margin, over
          other objects, or in the lecture column; the area is the free one
          nearest to where the object was)
scale     ``name.scale(f)`` before that statement (text too small to read)
fade_out  ``self.play(FadeOut(name), run_time=0.3)`` right after the
          statement that cleared the object's neighbours (a leftover), or at
          the end of the object's step

The deterministic critic plans actions from the report
(:func:`plan_actions`); the vision critic's moves are actions too. An action
is applied only where it is safe: the object has a name, that name still
means the object at that point, and the statement sits directly in a method
body (not inside a loop or a condition).
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

from .. import grid
from .analyze import MIN_FONT, Trace, step_markers

TARGET_FONT = 20.0  # what tiny text is scaled up to (theme.MIN_FONT_SIZE)
PAD = 0.12          # the kit's padding inside an area (kit.PAD; the kit imports Manim, this must not)
TAG = "# layout critic"


@dataclass
class Action:
    kind: str            # move | scale | fade_out
    object: str          # the variable name
    uid: int | None = None
    area: tuple[str, str] | None = None
    factor: float | None = None
    reason: str = ""


# ------------------------------------------------------------ planning ---

def plan_actions(report: dict, trace: Trace | None = None) -> tuple[list[Action], list[dict]]:
    """Actions that address the report's problems, and the problems left without one (with why)."""
    objects = {o["uid"]: o for o in report["objects"]}
    actions: dict[tuple[str, str], Action] = {}
    skipped = []
    moved: set[int] = set()
    for problem in report["problems"]:
        kind = problem["kind"]
        if kind == "crowded":
            skipped.append({**_brief(problem), "why": "crowding needs a change of plan (split the step), "
                                                     "not a move"})
            continue
        target = _target(problem, objects)
        if target is None or not target.get("name"):
            skipped.append({**_brief(problem), "why": "the object has no variable name to address it by"})
            continue
        name = target["name"]
        if kind == "leftover":
            actions.setdefault(("fade_out", name), Action("fade_out", name, target["uid"], reason=kind))
            actions[("fade_out", name)].at_line = problem.get("clear_line")
            continue
        if kind == "tiny_text":
            # Scale up to a readable size, then into free cells big enough for the larger text
            # (where it was squeezed into a small area, scaling alone would only push it out).
            factor = round(TARGET_FONT / max(problem.get("font") or MIN_FONT, 1.0), 3)
            actions.setdefault(("scale", name), Action("scale", name, target["uid"], factor=factor, reason=kind))
            if target["uid"] not in moved:
                left, bottom, right, top = target["bbox"]
                cx, cy = (left + right) / 2, (bottom + top) / 2
                grown = (cx - (cx - left) * factor, cy - (cy - bottom) * factor,
                         cx + (right - cx) * factor, cy + (top - cy) * factor)
                area = free_area(grown, _occupied(trace, problem, exclude=target["uid"], objects=objects), slack=0)
                if area is not None:
                    moved.add(target["uid"])
                    actions[("move", name)] = Action("move", name, target["uid"], area=area, reason=kind)
            continue
        if target["uid"] in moved:
            continue
        others = _occupied(trace, problem, exclude=target["uid"], objects=objects)
        area = _area_for(target, others)
        if area is None:
            skipped.append({**_brief(problem), "why": "no free area on the grid to move it to"})
            continue
        moved.add(target["uid"])
        actions[("move", name)] = Action("move", name, target["uid"], area=area, reason=kind)
    return list(actions.values()), skipped


def _area_for(target: dict, others: list[tuple]) -> tuple[str, str] | None:
    """Free cells for a moved object; text keeps a comfortable size there (else at least a readable one)."""
    font = target.get("font")
    if not font:
        return free_area(target["bbox"], others)
    for floor in (TARGET_FONT, MIN_FONT):
        area = free_area(target["bbox"], others, min_scale=min(1.0, floor / font))
        if area is not None:
            return area
    return None


def _brief(problem: dict) -> dict:
    return {"kind": problem["kind"], "objects": problem["objects"], "time": problem["time"]}


def _target(problem: dict, objects: dict) -> dict | None:
    """Which object to act on: for an overlap the text in front (or the later of two visuals)."""
    involved = [objects[u] for u in problem["uids"] if u in objects]
    if not involved:
        return None
    if problem["kind"] == "overlap" and len(involved) == 2:
        # Move the newcomer: it was put where something already was (and what came first may
        # anchor it, as in `label.move_to(shape)`). Only a named object can be moved.
        named = [o for o in involved if o.get("name")] or involved
        return max(named, key=lambda o: o["shown_time"])
    return involved[0]


def _occupied(trace: Trace | None, problem: dict, exclude: int, objects: dict) -> list[tuple]:
    """Content boxes of the other objects on screen when the problem shows."""
    if trace is not None:
        for snap in trace.snapshots:
            if abs(snap.time - problem["time"]) < 1e-6:
                return [tuple(b) for u in snap.content() if u.uid != exclude for b in u.boxes]
    return [tuple(o["bbox"]) for uid, o in objects.items() if uid != exclude]


def free_area(bbox, occupied: list[tuple], slack: float = 0.15, min_scale: float = 0.0) -> tuple[str, str] | None:
    """The free rectangle of cells nearest to bbox, as big as bbox needs (smaller if none is free).

    ``slack`` is the share of a cell an object may be scaled down by rather
    than take one more cell (0 where it must not shrink, as for text that is
    already small). Areas that would shrink the object below ``min_scale``
    are not taken (text must stay readable where it lands).
    """
    left, bottom, right, top = bbox
    pad = 2 * PAD
    need_cols = min(len(grid.COLUMNS), max(1, math.ceil((right - left + pad) / grid.CELL_WIDTH - slack)))
    need_rows = min(grid.ROWS, max(1, math.ceil((top - bottom + pad) / grid.CELL_HEIGHT - slack)))
    busy = set()
    for box in occupied:
        busy.update(grid.cells_touched(box[0] + 0.02, box[2] - 0.02, box[3] - 0.02, box[1] + 0.02))
    centre = ((left + right) / 2, (bottom + top) / 2)
    spans = sorted({(c, r) for c in range(1, need_cols + 1) for r in range(1, need_rows + 1)},
                   key=lambda s: (-(s[0] * s[1]) / (need_cols * need_rows), -min(s[0] / need_cols, s[1] / need_rows)))
    for cols, rows in spans:
        best = None
        for c in range(len(grid.COLUMNS) - cols + 1):
            for r in range(grid.ROWS - rows + 1):
                names = {grid.cell_name(c + i, r + j) for i in range(cols) for j in range(rows)}
                if names & busy:
                    continue
                box = grid.area_box(grid.cell_name(c, r), grid.cell_name(c + cols - 1, r + rows - 1))
                fit = min(1.0, (box.width - pad) / max(right - left, 1e-6), (box.height - pad) / max(top - bottom, 1e-6))
                if fit < min_scale:
                    continue
                d = math.dist(box.center, centre)
                if best is None or d < best[0]:
                    best = (d, (grid.cell_name(c, r), grid.cell_name(c + cols - 1, r + rows - 1)))
        if best is not None:
            return best[1]
    return None


# ------------------------------------------------------------ applying ---

def apply_actions(source: str, actions: list[Action], report: dict) -> tuple[str, list[dict], list[dict]]:
    """Insert each action's line; return (new source, applied, refused with why)."""
    objects = {o["uid"]: o for o in report["objects"]}
    by_name = {}
    for o in report["objects"]:
        if o.get("name"):
            by_name.setdefault(o["name"], o)
    tree = ast.parse(source)
    lines = source.splitlines()
    inserts: list[tuple[int, int, str]] = []  # (index to insert before, order, text)
    applied, refused = [], []
    for order, action in enumerate(actions):
        obj = objects.get(action.uid) if action.uid is not None else by_name.get(action.object)
        if obj is None or obj.get("name") != action.object:
            refused.append({**_describe(action), "why": f"no object named {action.object!r} in the report"})
            continue
        if action.kind == "fade_out":
            anchor = getattr(action, "at_line", None)
            stmt = _statement(tree, anchor) if anchor else None
            if stmt is None:
                end = _step_end(source, obj)
                position, indent = (end, _indent_of(lines, obj["shown_line"])) if end else (None, None)
            else:
                position, indent = stmt.end_lineno, " " * stmt.col_offset
            if position is None or not _still_bound(tree, action.object, obj["line"], position):
                refused.append({**_describe(action), "why": "the name does not hold the object there"})
                continue
            text = f"{indent}self.play(FadeOut({action.object}), run_time=0.3)  {TAG}: {action.reason}"
            inserts.append((position, order, text))
        else:
            stmt = _statement(tree, obj.get("shown_line"))
            if stmt is None:
                refused.append({**_describe(action), "why": "the statement that shows it is not directly in a "
                                                            "method body"})
                continue
            if not _still_bound(tree, action.object, obj["line"], stmt.lineno - 1):
                refused.append({**_describe(action), "why": "the name does not hold the object there"})
                continue
            indent = " " * stmt.col_offset
            if action.kind == "move":
                first, last = action.area
                text = f'{indent}self.place_in({action.object}, "{first}", "{last}")  {TAG}: {action.reason}'
            elif action.kind == "scale":
                text = f"{indent}{action.object}.scale({action.factor:g})  {TAG}: {action.reason}"
            else:
                refused.append({**_describe(action), "why": f"unknown action {action.kind!r}"})
                continue
            inserts.append((stmt.lineno - 1, order, text))
        applied.append(_describe(action))
    # scale before move for the same statement: order by position, then scale first
    rank = {"scale": 0, "move": 1, "fade_out": 2}
    inserts.sort(key=lambda item: (item[0], rank.get(_kind_of(item[2]), 3), item[1]))
    for position, _, text in reversed(inserts):
        lines.insert(position, text)
    new = "\n".join(lines) + ("\n" if source.endswith("\n") else "")
    return new, applied, refused


def _kind_of(text: str) -> str:
    if "place_in(" in text:
        return "move"
    if "FadeOut(" in text:
        return "fade_out"
    return "scale"


def _describe(action: Action) -> dict:
    out = {"action": action.kind, "object": action.object, "reason": action.reason}
    if action.area:
        out["area"] = f"{action.area[0]}:{action.area[1]}"
    if action.factor:
        out["factor"] = action.factor
    return out


def _statement(tree: ast.AST, line: int | None):
    """The statement containing ``line`` when it sits directly in a function body, else None."""
    if not line:
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for stmt in node.body:
                if stmt.lineno <= line <= (stmt.end_lineno or stmt.lineno):
                    if isinstance(stmt, (ast.For, ast.While, ast.If, ast.With, ast.Try, ast.FunctionDef)):
                        return None
                    return stmt
    return None


def _still_bound(tree: ast.AST, name: str, bound_at: int | None, before: int) -> bool:
    """Whether ``name`` was last assigned at ``bound_at`` as of line ``before``."""
    if bound_at is None:
        return False
    last = None
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For)):
            targets = [node.target]
        for target in targets:
            if any(isinstance(sub, ast.Name) and sub.id == name for sub in ast.walk(target)):
                if node.lineno <= before and (last is None or node.lineno > last):
                    last = node.lineno
    return last == bound_at


def _step_end(source: str, obj: dict) -> int | None:
    """The line index (0-based insert position) just before the next step's marker."""
    markers = step_markers(source)
    shown = obj.get("shown_line") or 0
    later = [line for line, _ in markers if line > shown]
    if not later:
        return None
    position = later[0] - 1  # insert before the marker line
    lines = source.splitlines()
    while position > 0 and not lines[position - 1].strip():
        position -= 1
    return position


def _indent_of(lines: list[str], line: int | None) -> str:
    if not line or line > len(lines):
        return " " * 8
    text = lines[line - 1]
    return text[: len(text) - len(text.lstrip())]


def actions_from_moves(moves: list[dict]) -> list[Action]:
    """The vision critic's proposals (schemas/llm_critic) as actions."""
    out = []
    for move in moves:
        action = move.get("action")
        name = move.get("object", "")
        if action == "move" and move.get("move_to"):
            first, _, last = str(move["move_to"]).partition(":")
            out.append(Action("move", name, area=(first.upper(), (last or first).upper()),
                              reason=f"vision: {move.get('issue', '')}"[:80]))
        elif action == "scale" and move.get("scale"):
            out.append(Action("scale", name, factor=float(move["scale"]), reason=f"vision: {move.get('issue', '')}"[:80]))
        elif action == "fade_out":
            out.append(Action("fade_out", name, reason=f"vision: {move.get('issue', '')}"[:80]))
    return out
