"""The ``array`` kind: a row of cells with indices, named pointers, and cells that change state.

A step may move pointers (``pointers: {mid: 3}``, ``null`` removes one),
highlight cells, grey them out (no longer in play), compare two cells, swap
two cells (their values travel), mark cells done, set a cell's value, and say
a short ``note`` under the row. That covers binary search, bubble and
insertion sort, two pointers and a sliding window.
"""

from __future__ import annotations

from .common import Fail, check_index, check_indices

KINDS = ("array",)
CELL_LISTS = ("highlight", "grey", "done")
PAIRS = ("compare", "swap")


def stepped(visual: dict) -> bool:
    return True


def builder(visual: dict) -> str:
    return "array"


def _check_state(state: dict, prefix: str, n: int, fail: Fail) -> None:
    for name, index in (state.get("pointers") or {}).items():
        if index is not None:
            check_index(fail, f"{prefix}pointers.{name}", index, n, "an index of the array")
    for key in CELL_LISTS:
        check_indices(fail, f"{prefix}{key}", state.get(key), n, "an index of the array")
    for key in PAIRS:
        pair = state.get(key)
        if pair:
            check_indices(fail, f"{prefix}{key}", pair, n, "an index of the array")
            if pair[0] == pair[1]:
                fail(f"{prefix}{key}", "two different cells", pair)
    for key in (state.get("set") or {}):
        try:
            index = int(key)
        except ValueError:
            fail(f"{prefix}set", "cell indices as keys (0, 1, ...)", key)
        check_index(fail, f"{prefix}set.{key}", index, n, "an index of the array")


def check(visual: dict, fail: Fail) -> None:
    n = len(visual["values"])
    _check_state(visual, "", n, fail)
    for k, step in enumerate(visual.get("steps") or []):
        _check_state(step, f"steps[{k}].", n, fail)


def rows(visual: dict) -> tuple[int, int]:
    pointers = set(visual.get("pointers") or {})
    for step in visual.get("steps") or []:
        pointers.update(step.get("pointers") or {})
    notes = bool(visual.get("note")) or any(s.get("note") for s in visual.get("steps") or [])
    lanes = min(len(pointers), 4)
    lo = 2 + (1 if lanes > 0 else 0) + (1 if lanes > 2 else 0) + (1 if notes else 0)
    return lo, lo + 1


def seconds(visual: dict) -> float:
    return 2.0 + 0.2 * len(visual["values"])


def step_seconds(visual: dict, step: dict) -> float:
    actions = sum(1 for key in ("pointers", *CELL_LISTS, *PAIRS, "set") if step.get(key))
    return 1.0 + 0.8 * actions + (0.3 * len(str(step.get("note", "")).split()))


def describe(visual: dict, step: dict) -> str:
    parts = []
    for name, index in (step.get("pointers") or {}).items():
        parts.append(f"{name} leaves" if index is None else f"{name} -> {index}")
    for key in ("compare", "swap"):
        if step.get(key):
            parts.append(f"{key} {step[key][0]} and {step[key][1]}")
    for key in CELL_LISTS:
        if step.get(key):
            parts.append(f"{key} {', '.join(map(str, step[key]))}")
    if step.get("set"):
        parts.append("set " + ", ".join(f"[{k}] = {v}" for k, v in step["set"].items()))
    if step.get("note"):
        parts.append(f"note: {step['note']}")
    return "; ".join(parts) or "no change"
