"""The ``process`` kind: labelled stages joined by arrows, and tokens that travel between them.

Stages are boxes in a row, a column or a ring (``cycle``: the water cycle);
``links`` are arrows between them (by default a chain in the order given,
closed into a ring for a cycle), each with an optional label. ``tokens``
are small labelled chips (molecules, data, money) parked by a stage. A step
may show or hide tokens, ``move`` them along the arrows to another stage (by
the shortest path of links), light up stages (``highlight``, for that step)
and turn a token into another (``become``: inputs become outputs). That
covers photosynthesis, the water cycle, a request through a server, a
supply chain.

Within a step the changes play in this order: tokens appear or leave, move,
the stages light up, tokens turn into others.
"""

from __future__ import annotations

from collections import deque
from itertools import pairwise

from .common import Fail

KINDS = ("process",)
LAYOUTS = ("row", "column", "cycle")
ACTIONS = ("show", "hide", "move", "highlight", "become")
CHAR = 0.00725        # scene units per character per font-size point (DejaVu Sans)
COLUMN_HEIGHT = 7.5   # the same for a column (the grid is 6.3 units high)
ROW_WIDTH = 10.5      # what a row may need at its natural size (shrunk to the grid's 8.8 units, text stays >= 20)


def stepped(visual: dict) -> bool:
    return True


def builder(visual: dict) -> str:
    return "process"


def stage_ids(visual: dict) -> list[str]:
    return [s if isinstance(s, str) else s["id"] for s in visual["stages"]]


def stage_labels(visual: dict) -> dict[str, str]:
    return {(s if isinstance(s, str) else s["id"]): (s if isinstance(s, str) else s.get("label", s["id"]))
            for s in visual["stages"]}


def links(visual: dict) -> list[dict]:
    """Every link as {"from", "to", "label"?}; by default a chain (a ring for a cycle)."""
    given = visual.get("links")
    if given is None:
        ids = stage_ids(visual)
        pairs = list(pairwise(ids))
        if visual.get("layout") == "cycle" and len(ids) > 2:
            pairs.append((ids[-1], ids[0]))
        return [{"from": a, "to": b} for a, b in pairs]
    return [dict(link) if isinstance(link, dict) else {"from": link[0], "to": link[1]} for link in given]


def route(visual: dict, start: str, goal: str) -> list[int] | None:
    """The links (indices) of the shortest path from one stage to another, following the arrows."""
    out: dict[str, list[tuple[int, str]]] = {}
    for n, link in enumerate(links(visual)):
        out.setdefault(link["from"], []).append((n, link["to"]))
    seen, queue = {start: []}, deque([start])
    while queue:
        here = queue.popleft()
        if here == goal:
            return seen[here]
        for n, there in out.get(here, []):
            if there not in seen:
                seen[there] = seen[here] + [n]
                queue.append(there)
    return None


def simulate(visual: dict) -> list[dict]:
    """Each token's {"at", "shown", "label"} after the entrance and after each step (checked input)."""
    state = {t["id"]: {"at": t["at"], "shown": not t.get("hidden", False), "label": t["label"]}
             for t in visual.get("tokens") or []}
    states = [{k: dict(v) for k, v in state.items()}]
    for step in visual.get("steps") or []:
        for name in step.get("hide") or []:
            state[name]["shown"] = False
        for name in step.get("show") or []:
            state[name]["shown"] = True
        for name, stage in (step.get("move") or {}).items():
            state[name]["at"] = stage
        for name, label in (step.get("become") or {}).items():
            state[name]["label"] = label
        states.append({k: dict(v) for k, v in state.items()})
    return states


def check(visual: dict, fail: Fail) -> None:
    ids = stage_ids(visual)
    layout = visual.get("layout", "row")
    _unique(fail, "stages", ids, "a stage id used once")
    most = {"row": 6, "column": 5, "cycle": 6}[layout]
    if len(ids) > most:
        fail("stages", f"at most {most} stages in a {layout} layout", f"{len(ids)} stages")
    seen = set()
    for n, link in enumerate(links(visual)):
        for end in ("from", "to"):
            if link[end] not in ids:
                fail(f"links[{n}]", "links between the stages: " + ", ".join(ids), link[end])
        if link["from"] == link["to"]:
            fail(f"links[{n}]", "a link between two different stages", [link["from"], link["to"]])
        if (link["from"], link["to"]) in seen:
            fail(f"links[{n}]", "each link once", [link["from"], link["to"]])
        seen.add((link["from"], link["to"]))
    tokens = visual.get("tokens") or []
    _unique(fail, "tokens", [t["id"] for t in tokens], "a token id used once")
    for n, token in enumerate(tokens):
        if token["at"] not in ids:
            fail(f"tokens[{n}].at", "a stage: " + ", ".join(ids), token["at"])
    if layout == "row":
        need = _row_width(visual)
        if need > ROW_WIDTH:
            fail("stages", "stage and link labels short enough for one row (or layout: column)",
                 f"about {need:.1f} units of labels for {ROW_WIDTH:g}")
    if layout == "column":
        need = _column_height(visual)
        if need > COLUMN_HEIGHT:
            fail("stages", "fewer stages, labelled links or tokens stacked at one stage for one column "
                           "(or layout: row)", f"about {need:.1f} units of height for {COLUMN_HEIGHT:g}")
    names = {t["id"] for t in tokens}
    state = simulate({**visual, "steps": []})[0]
    for k, step in enumerate(visual.get("steps") or []):
        _check_step(visual, step, f"steps[{k}].", ids, names, state, fail)
        for name in step.get("hide") or []:
            state[name]["shown"] = False
        for name in step.get("show") or []:
            state[name]["shown"] = True
        for name, stage in (step.get("move") or {}).items():
            state[name]["at"] = stage


def _check_step(visual, step, at, ids, names, state, fail) -> None:
    if not any(step.get(a) for a in ACTIONS):
        fail(at[:-1], "a step with one of: " + ", ".join(ACTIONS), step)
    listed = ", ".join(sorted(names)) or "none are listed"
    on = sorted(n for n in names if state[n]["shown"])
    for i, name in enumerate(step.get("hide") or []):
        if name not in names or not state[name]["shown"]:
            fail(f"{at}hide[{i}]", "a token on screen: " + (", ".join(on) or "none is"), name)
    for i, name in enumerate(step.get("show") or []):
        if name not in names:
            fail(f"{at}show[{i}]", f"a token of `tokens`: {listed}", name)
        if state[name]["shown"] and name not in (step.get("hide") or []):
            fail(f"{at}show[{i}]", "a hidden token (`hidden: true`, or hidden by a step)", name)
    gone = set(step.get("hide") or [])
    shown_now = {n for n in names if (state[n]["shown"] and n not in gone) or n in (step.get("show") or [])}
    for name, stage in (step.get("move") or {}).items():
        if name not in shown_now:
            fail(f"{at}move.{name}", "a token on screen: " + (", ".join(sorted(shown_now)) or "none is"), name)
        if stage not in ids:
            fail(f"{at}move.{name}", "a stage: " + ", ".join(ids), stage)
        here = state[name]["at"]
        if stage == here:
            fail(f"{at}move.{name}", f"another stage than the one it is at ({here})", stage)
        if route(visual, here, stage) is None:
            fail(f"{at}move.{name}", f"a stage reachable from {here} along the links (arrows): add a link", stage)
    for i, stage in enumerate(step.get("highlight") or []):
        if stage not in ids:
            fail(f"{at}highlight[{i}]", "a stage: " + ", ".join(ids), stage)
    for name in step.get("become") or {}:
        if name not in shown_now:
            fail(f"{at}become.{name}", "a token on screen: " + (", ".join(sorted(shown_now)) or "none is"), name)


def _unique(fail: Fail, field: str, ids: list[str], expected: str) -> None:
    seen = set()
    for n, name in enumerate(ids):
        if name in seen:
            fail(f"{field}[{n}]", expected, name)
        seen.add(name)


def _row_width(visual: dict) -> float:
    """Rough natural width of a row: its boxes and the gaps their link labels need."""
    labels = stage_labels(visual)
    token_width = max([len(t) * CHAR * 24 + 0.3 for t in token_labels(visual)] + [0])
    boxes = sum(max(_longest_line(text) * CHAR * 28 + 0.5, token_width + 0.2, 1.3) for text in labels.values())
    gaps = {}
    order = stage_ids(visual)
    for link in links(visual):
        a, b = sorted((order.index(link["from"]), order.index(link["to"])))
        if b == a + 1:
            gaps[a] = max(gaps.get(a, 0.9), len(link.get("label", "")) * CHAR * 24 + 0.3)
    return boxes + sum(gaps.get(i, 0.9) for i in range(len(order) - 1))


def _column_height(visual: dict) -> float:
    """Rough natural height of a column: its boxes, and the gaps their link labels and token stacks need."""
    order = stage_ids(visual)
    deep = stacks(visual)
    height = 0.9 * len(order)
    for i in range(len(order) - 1):
        labelled = sum(1 for link in links(visual) if link.get("label")
                       and sorted((order.index(link["from"]), order.index(link["to"]))) == [i, i + 1])
        height += max(0.9, 0.48 * labelled + 0.3, deep[order[i]] * 0.56 - 0.6)
    return height


def _longest_line(text: str) -> int:
    """Characters in the longest of at most two lines a label wraps into."""
    parts = text.split()
    if len(parts) < 2:
        return len(text)
    best = len(text)
    for cut in range(1, len(parts)):
        best = min(best, max(len(" ".join(parts[:cut])), len(" ".join(parts[cut:]))))
    return best


def token_labels(visual: dict) -> list[str]:
    out = [t["label"] for t in visual.get("tokens") or []]
    for step in visual.get("steps") or []:
        out += list((step.get("become") or {}).values())
    return out


def stacks(visual: dict) -> dict[str, int]:
    """The most tokens parked at each stage at one time (their room is kept from the start)."""
    most = {s: 0 for s in stage_ids(visual)}
    for state in simulate(visual):
        count: dict[str, int] = {}
        for token in state.values():
            if token["shown"]:
                count[token["at"]] = count.get(token["at"], 0) + 1
        for stage, n in count.items():
            most[stage] = max(most[stage], n)
    return most


def rows(visual: dict) -> tuple[int, int]:
    layout = visual.get("layout", "row")
    if layout == "column":
        return 5, 6
    if layout == "cycle":
        return 5, 6
    deep = max(stacks(visual).values() or [0])
    height = 1.0 + 0.52 * deep + 0.7  # boxes, the tokens stacked below, link labels and bridges above
    lo = min(6, max(2, int(height / 1.09 + 0.99)))
    return lo, min(6, lo + 1)


def seconds(visual: dict) -> float:
    return 1.5 + 0.4 * len(visual["stages"]) + 0.3 * len([t for t in visual.get("tokens") or []
                                                           if not t.get("hidden")])


def step_seconds(visual: dict, step: dict) -> float:
    cost = {"show": 0.8, "hide": 0.6, "move": 1.8, "highlight": 0.8, "become": 1.2}
    moves = step.get("move") or {}
    hops = max([len(route(visual, a, b) or []) for a, b in _origins(visual, step, moves)] + [1])
    return 0.6 + sum(cost[a] for a in ACTIONS if step.get(a)) + 0.5 * (hops - 1)


def _origins(visual, step, moves):
    k = (visual.get("steps") or []).index(step) if step in (visual.get("steps") or []) else 0
    before = simulate({**visual, "steps": (visual.get("steps") or [])[:k]})[-1]
    return [(before[name]["at"], stage) for name, stage in moves.items() if name in before]


def describe(visual: dict, step: dict) -> str:
    parts = []
    for key in ("show", "hide"):
        if step.get(key):
            parts.append(f"{key} " + ", ".join(step[key]))
    for name, stage in (step.get("move") or {}).items():
        parts.append(f"{name} -> {stage}")
    if step.get("highlight"):
        parts.append("light up " + ", ".join(step["highlight"]))
    for name, label in (step.get("become") or {}).items():
        parts.append(f"{name} becomes {label}")
    return "; ".join(parts) or "no change"

