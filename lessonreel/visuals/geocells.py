"""Unit cells of the ``geometry`` visual's squares: the grid drawn in a square, and cells poured into another.

A square with ``grid: true`` shows its unit cells as lines that grow with
it. A step's ``pour`` lifts the cells of squares out (the square is left as
an empty outline with its grid) and moves each cell, turned and slid as a
rigid piece, into a free cell of the target square, one after another, so
the eye can count them arrive. The target's own fill fades while they come,
so cells left free show as gaps.

:class:`CellsMixin` is part of :class:`lessonreel.visuals.geometry.GeometryVisual`.
"""

from __future__ import annotations

import math

from manim import Polygon, UpdateFromAlphaFunc, VGroup, VMobject
from manim.utils.rate_functions import ease_in_out_sine, linear

from .. import theme

GRID_WIDTH = 1.6    # the lines of a square's unit cells: dark, like the joints between tiles
GRID_COLOR = theme.BACKGROUND
GRID_OPACITY = 0.7
GRID_Z = 1
CELL_Z = 1.5        # poured cells: over squares and their grids, under sides, marks and labels
CELL_STROKE = 1.6
EMPTY = 0.08        # a square's fill once cells pour into it: free cells show as gaps
LIGHT = 0.3         # how much brighter poured cells get while their square is highlighted
LAG = 0.6           # share of a turn's time over which its cells set off, one after another
CHUNK = 6           # cells in one turn of a pour (a counting pace), up to
MAX_TURNS = 4       # turns for one step's pour (more cells then go in each turn)


class CellsMixin:
    """Grids and poured cells; needs ``fig``, ``colors``, ``style``, ``mobs``, ``_to_scene`` of the visual."""

    def _grid(self, i: str) -> VGroup:
        """The unit cells of square i: lines across it, parallel to its side, then lines out from the side."""
        p, q = self.fig.squares[i][:2]
        n = round(math.dist(p, q))
        lines = VGroup(*[VMobject(stroke_color=GRID_COLOR, stroke_width=GRID_WIDTH, stroke_opacity=GRID_OPACITY)
                         for _ in range(2 * (n - 1))])
        lines.set_z_index(GRID_Z)
        lines.cells = n
        self._grow_grid(i, lines, 1.0)
        return lines

    def _grow_grid(self, i: str, lines: VGroup, a: float) -> None:
        """Square i's cells when the square has grown out of its side to ``a`` (0..1) of its depth."""
        p, q, _, s = (self._to_scene(c) for c in self.fig.squares[i])
        n, base, depth = lines.cells, q - p, s - p
        for k, line in enumerate(lines):
            if k < n - 1:  # across, at depth (k + 1) / n: there once the square has grown past it
                t = (k + 1) / n
                start, end = p + t * depth, q + t * depth
                line.set_stroke(opacity=GRID_OPACITY if a >= t - 1e-9 else 0.0)
            else:  # out from the side, as deep as the square is
                start = p + ((k - n + 2) / n) * base
                end = start + a * depth
            line.set_points_as_corners([start, end])

    def _make_cells(self) -> None:
        """A cell polygon for every cell a step pours, where it starts, in the order the cells leave."""
        self.cells, self.cell_fill = {}, {}
        for pours in self.fig.pours:
            for source, _, trips in pours:
                color, _, fill = self.style[source]
                group = VGroup(*[Polygon(*[self._to_scene(p) for p in start], stroke_color=GRID_COLOR,
                                         stroke_opacity=GRID_OPACITY, stroke_width=CELL_STROKE, fill_color=color,
                                         fill_opacity=fill)
                                 for start, _, _ in trips])
                group.set_z_index(CELL_Z)
                self.cell_fill[source] = fill
                self.cells[source] = self.part(f"cells:{source}", group)
                self.add(group)

    def _light_cells(self, square: str, on: bool) -> list:
        """The cells poured into a square, brighter while the square is highlighted (else back as they came)."""
        anims = []
        for source in self.poured.get(square, []):
            fill = self.cell_fill[source]
            anims.append(self.cells[source].animate.set_fill(opacity=min(1.0, fill + LIGHT) if on else fill))
        return anims

    def _chunks(self, k: int) -> list[list[tuple[int, int]]]:
        """Step k's pour in turns of about CHUNK cells (at most MAX_TURNS turns): [[(pour index, trip index)]]."""
        flat = [(n, j) for n, (_, _, trips) in enumerate(self.fig.pours[k]) for j in range(len(trips))]
        if not flat:
            return []
        turns = min(MAX_TURNS, math.ceil(len(flat) / CHUNK))
        size = math.ceil(len(flat) / turns)
        return [flat[c * size:(c + 1) * size] for c in range(turns)]

    def _pour(self, k: int, chunk: int) -> list:
        """One turn of step k's pour: its cells set off one after another and slide to their new places.

        The first turn from a square empties it (its cells, drawn over it,
        take its place) and the first turn into a square fades its fill.
        """
        anims = []
        turn = self._chunks(k)[chunk]
        for n, (source, target, trips) in enumerate(self.fig.pours[k]):
            mine = [j for m, j in turn if m == n]
            if not mine:
                continue
            group = self.cells[source]
            color, width, fill = self.style[source]
            if source not in self.poured.get(target, []):
                self.mobs[source].set_fill(color, opacity=0.0)
                self.style[source] = (color, width, 0.0)
                self.poured.setdefault(target, []).append(source)
            order = [j for _, j in turn]

            def travel(m, a, mine=mine, trips=trips, order=order):
                for j in mine:
                    lag = LAG * order.index(j) / max(1, len(order) - 1)
                    t = min(1.0, max(0.0, (a - lag) / (1 - LAG)))
                    corners = [self._to_scene(p) for p in trips[j][2](ease_in_out_sine(t))]
                    m.submobjects[j].set_points_as_corners(corners + corners[:1])
            anims.append(UpdateFromAlphaFunc(group, travel, rate_func=linear))
            t_color, t_width, t_fill = self.style[target]
            if t_fill > EMPTY:
                anims.append(self.mobs[target].animate.set_fill(t_color, opacity=EMPTY))
                self.style[target] = (t_color, t_width, EMPTY)
        return anims
