"""Offline layout: choose grid areas for a section's visuals before any rendering.

Every visual asks for a band of full-width grid rows: a minimum it needs to
stay legible and a maximum it can use well. Consecutive visuals share a page
(the grid, rows 1..6) while their minimums fit; the page's spare rows are
handed out up to each visual's maximum and what is left centres the page
vertically. A new page clears the grid first, so visuals never overlap and
never leave the grid. Text sizes are estimated with constants measured from
Manim's own layout of DejaVu Sans.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import grid, kinds, theme

CHAR_WIDTH_PER_FONT_SIZE = 0.00725  # units per character per font-size point (DejaVu Sans)
LINE_PITCH_PER_FONT_SIZE = 0.021  # line height plus spacing, per font-size point
CAPTION_HEIGHT = 0.55


@dataclass
class Placement:
    first: str
    last: str
    new_page: bool

    @property
    def rows(self) -> int:
        return int(self.last[1]) - int(self.first[1]) + 1


def _text_rows(text: str, font_size: float, width: float) -> int:
    chars_per_row = max(8, int(width / (CHAR_WIDTH_PER_FONT_SIZE * font_size)))
    if theme.has_cjk(text):
        # CJK characters are about twice as wide as Latin ones and a line may break after any of them.
        columns = sum(2 if theme.is_cjk(ch) or theme.is_hangul(ch) else 1 for ch in text)
        return max(1, math.ceil(columns / chars_per_row))
    rows, current = 1, 0
    for word in text.split():
        if current and current + 1 + len(word) > chars_per_row:
            rows += 1
            current = len(word)
        else:
            current += len(word) + (1 if current else 0)
    return rows


def _rows_for_height(height: float) -> int:
    return max(1, math.ceil((height + 0.3) / grid.CELL_HEIGHT))


def row_range(visual: dict) -> tuple[int, int]:
    """(minimum, maximum) grid rows a visual needs, caption included."""
    kind = visual["kind"]
    width = grid.GRID.width - 0.3
    own = kinds.rows(visual)
    if own is not None:
        lo, hi = own
    elif kind == "text":
        h = _text_rows(visual["text"], theme.BODY_FONT_SIZE, width) * LINE_PITCH_PER_FONT_SIZE * theme.BODY_FONT_SIZE
        lo = _rows_for_height(h)
        hi = lo + 1
    elif kind == "bullets":
        n = sum(_text_rows(i, theme.BODY_FONT_SIZE, width - 0.5) for i in visual["items"])
        h = n * LINE_PITCH_PER_FONT_SIZE * theme.BODY_FONT_SIZE + 0.1 * len(visual["items"])
        lo = _rows_for_height(h)
        hi = lo + 1
    elif kind in ("equation", "derivation"):
        lo, hi = 2, 3
    elif kind == "matrix":
        n = len(visual["rows"])
        lo = 2 if n <= 2 else 3 if n <= 4 else 4
        hi = lo + 1
    elif kind == "number_line":
        lo, hi = 2, 2
    elif kind == "plot":
        lo, hi = 4, 6
    elif kind == "diagram":
        lo, hi = (4, 6) if len(visual["nodes"]) <= 6 else (5, 6)
    elif kind == "bar_chart":
        lo, hi = 4, 5
    elif kind == "table":
        h = (len(visual["rows"]) + 1) * 0.62 + 0.2
        lo = _rows_for_height(h)
        hi = lo + 1
    elif kind == "code":
        n = visual["source"].rstrip("\n").count("\n") + 1
        h = n * 0.42 + 0.8
        lo = _rows_for_height(h)
        hi = lo + 1
    elif kind == "shape":
        lo, hi = 3, 4
    elif kind == "image":
        lo, hi = 3, 5
    elif kind == "animation":  # drawn by the Coder: give it room
        lo, hi = 4, 6
    else:  # pragma: no cover - the topic schema refuses other kinds
        raise ValueError(kind)
    if visual.get("caption"):
        lo += 1 if CAPTION_HEIGHT > 0 else 0
        hi += 1
    lo = min(lo, grid.ROWS)
    return lo, min(max(hi, lo), grid.ROWS)


def plan_pages(visuals: list[dict]) -> list[Placement]:
    """One Placement per visual, in order."""
    ranges = [row_range(v) for v in visuals]
    pages: list[list[int]] = []
    used = grid.ROWS + 1
    for i, (lo, _) in enumerate(ranges):
        if used + lo > grid.ROWS:
            pages.append([i])
            used = lo
        else:
            pages[-1].append(i)
            used += lo
    placements: list[Placement | None] = [None] * len(visuals)
    for page in pages:
        rows = {i: ranges[i][0] for i in page}
        spare = grid.ROWS - sum(rows.values())
        # Hand spare rows out one at a time, round robin, up to each maximum.
        grew = True
        while spare > 0 and grew:
            grew = False
            for i in page:
                if spare > 0 and rows[i] < ranges[i][1]:
                    rows[i] += 1
                    spare -= 1
                    grew = True
        top = spare // 2
        for n, i in enumerate(page):
            first = grid.cell_name(0, top)
            last = grid.cell_name(len(grid.COLUMNS) - 1, top + rows[i] - 1)
            placements[i] = Placement(first, last, new_page=(n == 0))
            top += rows[i]
    return placements  # type: ignore[return-value]
