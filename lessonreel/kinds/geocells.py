"""Unit cells of a ``geometry`` square, and pouring them from one square into another.

A square built on a side with ``grid: true`` is cut into n x n unit cells
(n is its side in figure units). A step's ``pour: {from: [sq_a, sq_b], into:
sq_c}`` lifts every cell of the ``from`` squares out and moves each one,
turned and slid as a rigid piece, into the next free cell of ``into``:
counting made visible (9 + 16 cells fill the 25 of the square on the
hypotenuse; 25 + 36 leave 3 of 64 empty).

Cells fill ``into`` row by row from the side it stands on; the cells nearest
to it leave first. No Manim here: the builder draws from these numbers.
"""

from __future__ import annotations

import math

from .common import Fail

MAX_SOURCES = 4


def side_cells(corners) -> int:
    """Cells along the side of a square given by its corners [p, q, r, s] (its side, rounded)."""
    return round(math.dist(corners[0], corners[1]))


def cells(corners) -> list[list[tuple[float, float]]]:
    """The n x n unit cells of a square [p, q, r, s] (p-q the side it stands on, s = p + depth), row by row from p-q."""
    p, q, _, s = corners
    n = max(1, side_cells(corners))
    e = ((q[0] - p[0]) / n, (q[1] - p[1]) / n)
    d = ((s[0] - p[0]) / n, (s[1] - p[1]) / n)
    out = []
    for j in range(n):
        for i in range(n):
            o = (p[0] + i * e[0] + j * d[0], p[1] + i * e[1] + j * d[1])
            out.append([o, (o[0] + e[0], o[1] + e[1]), (o[0] + e[0] + d[0], o[1] + e[1] + d[1]),
                        (o[0] + d[0], o[1] + d[1])])
    return out


def _centre(pts) -> tuple[float, float]:
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


def plan(squares: dict, steps: list[dict], move_path) -> list[list[tuple]]:
    """Per step: [(source, target, [(start cell, end cell, path)])] for its pour, in the order cells leave.

    ``squares`` maps square ids to their corners; ``move_path`` is the
    rigid turn-and-slide of :mod:`lessonreel.kinds.geometry`.
    """
    used: dict[str, int] = {}
    out = []
    for step in steps:
        pour = step.get("pour")
        moves = []
        if pour and pour.get("into") in squares:
            target = pour["into"]
            free = cells(squares[target])
            goal = _centre(squares[target])
            for source in pour.get("from") or []:
                if source not in squares or source == target:
                    continue
                mine = sorted(cells(squares[source]), key=lambda c: math.dist(_centre(c), goal))
                start = used.get(target, 0)
                slots = free[start:start + len(mine)]
                used[target] = start + len(slots)
                trips = []
                for cell, slot in zip(mine, slots):
                    end, path = move_path(cell, slot)
                    trips.append((cell, end, path))
                moves.append((source, target, trips))
        out.append(moves)
    return out


def check_pour(step: dict, where: str, fail: Fail, shapes: dict, types: dict, on: set, poured: dict,
               filled: dict, sizes: dict) -> None:
    """A step's ``pour``: grid squares on screen, each poured once, no more cells than ``into`` holds.

    ``poured`` (source -> step it was poured at) and ``filled`` (target ->
    cells poured in so far) carry over from step to step; ``sizes`` maps
    grid squares to their cells along a side.
    """
    pour = step.get("pour")
    if not pour:
        return
    field = f"{where}.pour"

    def grid_square(name: str, f: str) -> None:
        if name not in shapes:
            fail(f, "the id of a square_on with grid: true", name)
        if types[name] != "square_on" or not shapes[name].get("grid"):
            fail(f, f"a square_on with grid: true (its unit cells are what pours; {name} has none)", name)
        if name not in on:
            fail(f, "a square on screen at this step (shown before it)", name)
    target = pour["into"]
    grid_square(target, f"{field}.into")
    if len(pour["from"]) > MAX_SOURCES:
        fail(f"{field}.from", f"at most {MAX_SOURCES} squares", len(pour["from"]))
    for n, source in enumerate(pour["from"]):
        f = f"{field}.from[{n}]"
        grid_square(source, f)
        if source == target:
            fail(f, "a square other than the one it pours into", source)
        if source in poured:
            fail(f, f"a square whose cells are still in it (they were poured at steps[{poured[source]}])", source)
        if source in filled:
            fail(f, "a square nothing was poured into (cells poured in stay)", source)
    holds = sizes[target] ** 2
    total = filled.get(target, 0) + sum(sizes[s] ** 2 for s in pour["from"])
    if total > holds:
        already = f"; {filled[target]} are in it already" if filled.get(target) else ""
        fail(field, f"at most {holds} cells in all ({target} has {sizes[target]} x {sizes[target]}{already})", total)
    for source in pour["from"]:
        poured[source] = int(where.split("[")[1].rstrip("]"))
    filled[target] = total
