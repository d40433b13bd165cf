"""The ``stack`` kind: a stack (push and pop at the top) or a queue (in at the back, out at the front).

Items are listed bottom (stack) or front (queue) first. A step pushes one
item (it slides in), pops some (they slide out and fade; in a queue the rest
move up to the front) or peeks (the top or front item lights up for that
step). That covers a call stack, undo, bracket matching and BFS's queue.
"""

from __future__ import annotations

import math

from .common import Fail

KINDS = ("stack",)
CAPACITY = 8

# Natural sizes the builder uses (lessonreel.visuals.containers), for the rows it needs.
PITCH = 0.75            # a stack item's height, gap included
LABEL_HEIGHT = 0.55     # the name under the stack or queue, with its gap
QUEUE_HEIGHT = 2.75     # a queue: item row, its two pointer lanes
CELL_HEIGHT = 1.09      # a grid row (lessonreel.grid.CELL_HEIGHT)


def stepped(visual: dict) -> bool:
    return True


def builder(visual: dict) -> str:
    return "stack"


def sizes(visual: dict) -> list[int]:
    """How many items it holds at the start and after each step (as far as the steps are valid)."""
    count = len(visual.get("items") or [])
    out = [count]
    for step in visual.get("steps") or []:
        if "push" in step:
            count += 1
        count -= step.get("pop", 0) if isinstance(step.get("pop"), int) else 0
        out.append(count)
    return out


def check(visual: dict, fail: Fail) -> None:
    mode = visual.get("mode", "stack")
    count = len(visual.get("items") or [])
    if count > CAPACITY:
        fail("items", f"at most {CAPACITY} items", count)
    end = "top" if mode == "stack" else "front"
    for k, step in enumerate(visual.get("steps") or []):
        if "push" in step and "pop" in step:
            fail(f"steps[{k}]", "a push or a pop, not both in one step", step)
        if not any(key in step for key in ("push", "pop", "peek")):
            fail(f"steps[{k}]", "a change: push, pop or peek", step)
        if "push" in step:
            if count >= CAPACITY:
                fail(f"steps[{k}].push", f"room for it: the {mode} holds at most {CAPACITY} items "
                                         f"(it holds {count} then)", step["push"])
            count += 1
        if "pop" in step:
            n = step["pop"]
            if n > count:
                fail(f"steps[{k}].pop", f"at most {count} (the {mode} holds {count} item"
                                        f"{'' if count == 1 else 's'} then)", n)
            count -= n
        if step.get("peek") and count == 0:
            fail(f"steps[{k}].peek", f"an item at the {end} to show (the {mode} is empty then)", True)


def rows(visual: dict) -> tuple[int, int]:
    label = LABEL_HEIGHT if visual.get("label") else 0
    if visual.get("mode", "stack") == "queue":
        height = QUEUE_HEIGHT + label
    else:
        slots = max(max(sizes(visual)), 1)
        height = (slots + 1) * PITCH + 0.25 + label
    lo = min(6, max(2, math.ceil((height + 0.3) / CELL_HEIGHT)))
    return lo, min(lo + 1, 6)


def seconds(visual: dict) -> float:
    return 1.5 + 0.3 * len(visual.get("items") or [])


def step_seconds(visual: dict, step: dict) -> float:
    return 1.0 + 0.8 * (step.get("pop") or 0) + (0.6 if "push" in step else 0) + (0.6 if step.get("peek") else 0)


def describe(visual: dict, step: dict) -> str:
    queue = visual.get("mode", "stack") == "queue"
    parts = []
    if "push" in step:
        parts.append(f"{'enqueue' if queue else 'push'} {step['push']}")
    if step.get("pop"):
        parts.append(f"{'dequeue' if queue else 'pop'} {step['pop']}")
    if step.get("peek"):
        parts.append("peek at the " + ("front" if queue else "top"))
    return "; ".join(parts) or "no change"
