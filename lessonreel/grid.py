"""Geometry of the lesson frame: title bar, lecture column and the 6x6 anchor grid.

Pure geometry with no Manim import, shared by the scene kit (which places
objects) and the offline layout planner (which picks cells at code-generation
time). Cells are named like spreadsheet cells: a column letter A..F from left
to right and a row number 1..6 from top to bottom, so "A1" is the top-left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FRAME_WIDTH = 128 / 9 * 1.0  # Manim's default frame: 14.22 x 8 units for 16:9
FRAME_HEIGHT = 8.0
PIXELS_PER_UNIT_1080P = 1080 / FRAME_HEIGHT

COLUMNS = "ABCDEF"
ROWS = 6


@dataclass(frozen=True)
class Box:
    left: float
    right: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def center(self) -> tuple[float, float]:
        return ((self.left + self.right) / 2, (self.top + self.bottom) / 2)

    def shrink(self, pad: float) -> "Box":
        return Box(self.left + pad, self.right - pad, self.top - pad, self.bottom + pad)


FRAME = Box(-FRAME_WIDTH / 2, FRAME_WIDTH / 2, FRAME_HEIGHT / 2, -FRAME_HEIGHT / 2)
SAFE = FRAME.shrink(0.3)
TITLE_BAR = Box(SAFE.left, SAFE.right, SAFE.top, 3.05)
LECTURE_COLUMN = Box(SAFE.left, -2.55, 2.85, SAFE.bottom)
GRID = Box(-2.2, SAFE.right, 2.85, SAFE.bottom)
CELL_WIDTH = GRID.width / len(COLUMNS)
CELL_HEIGHT = GRID.height / ROWS

_CELL = re.compile(r"^([A-Fa-f])([1-6])$")


def parse_cell(name: str) -> tuple[int, int]:
    """'B3' -> (column index 1, row index 2)."""
    match = _CELL.match(str(name).strip())
    if not match:
        raise ValueError(f"not a grid cell: {name!r} (expected A1..F6: column A-F, row 1-6)")
    return COLUMNS.index(match.group(1).upper()), int(match.group(2)) - 1


def cell_name(col: int, row: int) -> str:
    return f"{COLUMNS[col]}{row + 1}"


def cell_box(name: str) -> Box:
    col, row = parse_cell(name)
    left = GRID.left + col * CELL_WIDTH
    top = GRID.top - row * CELL_HEIGHT
    return Box(left, left + CELL_WIDTH, top, top - CELL_HEIGHT)


def area_box(first: str, last: str) -> Box:
    """The rectangle spanned by two corner cells, in any order."""
    a, b = cell_box(first), cell_box(last)
    return Box(min(a.left, b.left), max(a.right, b.right), max(a.top, b.top), min(a.bottom, b.bottom))


def cells_touched(left: float, right: float, top: float, bottom: float) -> list[str]:
    """Names of the grid cells a bounding box overlaps (for layout reports)."""
    names = []
    for col in range(len(COLUMNS)):
        for row in range(ROWS):
            box = cell_box(cell_name(col, row))
            if left < box.right and right > box.left and bottom < box.top and top > box.bottom:
                names.append(cell_name(col, row))
    return names
