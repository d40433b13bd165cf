"""The ``array`` visual: a row of cells with indices, pointers that move and cells that change.

Pointers sit in lanes (above the row, then below it, alternating, in the
order they first appear), so two pointers on one cell never cover each other.
Highlights and comparisons last one step; greyed-out and done cells stay so.
"""

from __future__ import annotations

from manim import (
    DOWN, UP, Arrow, Create, FadeIn, FadeOut, Indicate, LaggedStart, Rectangle, Square, Text,
    Transform,
    VGroup,
)

from .. import theme
from .common import Size, font_for_all, shrink_to
from .stepped import Change, Stepped

CELL = 0.9          # natural cell side (scene units)
LANE = 0.75         # height of one pointer lane: an arrow and its name, clear of the lane below
SHAFT = 0.32        # arrow length
INDEX_GAP = 0.28    # from a cell's bottom to its index's centre
POINTER_COLORS = [theme.ACCENT, theme.PINK, theme.GREEN, theme.PURPLE]


class ArrayVisual(Stepped):
    def __init__(self, values: list, size: Size, pointers: dict | None = None, indices: bool = True,
                 steps: list[dict] | None = None, highlight=None, grey=None, done=None, note: str | None = None,
                 compare=None):
        super().__init__(steps)
        self.values = [str(v) for v in values]
        self.font = font_for_all(*self.values, *(s.get("note", "") for s in self.spec_steps), note or "")
        n = len(values)
        self.cells = VGroup(*[Square(CELL, stroke_color=theme.BLUE, stroke_width=3, fill_color=theme.PANEL,
                                     fill_opacity=1) for _ in range(n)]).arrange(buff=0)
        self.texts = VGroup(*[self._value_text(v, self.cells[i]) for i, v in enumerate(self.values)])
        self.indices = VGroup(*[Text(str(i), font=self.font, font_size=theme.MIN_FONT_SIZE, color=theme.DIM)
                                .move_to(c.get_bottom() + DOWN * INDEX_GAP) for i, c in enumerate(self.cells)])
        self.add(self.cells, self.texts)
        if indices:
            self.add(self.indices)
        for i, cell in enumerate(self.cells):
            self.part(f"cell:{i}", cell)
        # Every pointer the visual will ever use gets its lane now, so the size is known up front.
        names = list(pointers or {})
        for step in self.spec_steps:
            names += [p for p in step.get("pointers") or {} if p not in names]
        self.lanes = {name: i for i, name in enumerate(names[:4] + names[4:])}
        self.pointers: dict[str, VGroup] = {}
        self.shown_pointers: set[str] = set()
        for name in names:
            self.pointers[name] = self.part(f"pointer:{name}", self._pointer(name))
        # The pointers (not shown yet) and an invisible slot for the note reserve their room
        # now, so the visual's size never changes from step to step.
        self.add(*self.pointers.values())
        self.note_text = None
        if note or any(s.get("note") for s in self.spec_steps):
            self.note_slot = Rectangle(width=self.cells.width, height=0.42, stroke_opacity=0, fill_opacity=0)
            self.note_slot.next_to(VGroup(self.cells, self.indices, *self.pointers.values()), DOWN, buff=0.2)
            self.add(self.note_slot)
        self.set_reference(self.cells[0])
        self.initial = {"pointers": pointers or {}, "highlight": highlight, "grey": grey, "done": done,
                        "note": note, "compare": compare}
        self.transient: set[int] = set()
        self.grey_cells: set[int] = set()
        self.done_cells: set[int] = set()
        shrink_to(self, size, grow=1.2)

    # ----------------------------------------------------------- parts ---
    def _value_text(self, value: str, cell) -> Text:
        text = Text(value, font=self.font, font_size=30, color=theme.TEXT)
        if text.width > cell.width * 0.8:
            text.scale_to_fit_width(cell.width * 0.8)
        return text.move_to(cell)

    def _pointer(self, name: str) -> VGroup:
        lane = self.lanes[name]
        color = POINTER_COLORS[lane % len(POINTER_COLORS)]
        above, level = lane % 2 == 0, lane // 2
        label = Text(name, font=self.font, font_size=theme.LABEL_FONT_SIZE + 4, color=color, weight="BOLD")
        cell = self.cells[0]
        # A pointer of a higher lane floats above (below) the lanes nearer the row, so pointers on one
        # cell stack up instead of crossing: its arrow points down (up) through the lanes beneath it.
        if above:
            tip = cell.get_top() + UP * (0.05 + level * LANE)
            arrow = Arrow(tip + UP * SHAFT, tip, buff=0, color=color, stroke_width=6,
                          max_tip_length_to_length_ratio=0.4, max_stroke_width_to_length_ratio=30)
            label.next_to(arrow, UP, buff=0.05)
        else:
            tip = cell.get_bottom() + DOWN * (INDEX_GAP + 0.2 + level * LANE)
            arrow = Arrow(tip + DOWN * SHAFT, tip, buff=0, color=color, stroke_width=6,
                          max_tip_length_to_length_ratio=0.4, max_stroke_width_to_length_ratio=30)
            label.next_to(arrow, DOWN, buff=0.05)
        return VGroup(arrow, label)

    def _note(self, text: str) -> Text:
        note = Text(text, font=self.font, font_size=theme.LABEL_FONT_SIZE, color=theme.TEXT)
        width = self.cells.width / self.unit * 1.2
        if note.width > width:
            note.scale_to_fit_width(width)
        return note.scale(self.unit).move_to(self.note_slot)

    # ------------------------------------------------------- animations ---
    def entrance(self):
        def draw():
            anims = [LaggedStart(*[Create(c) for c in self.cells], lag_ratio=0.08),
                     LaggedStart(*[FadeIn(t) for t in self.texts], lag_ratio=0.08)]
            if self.indices in self.submobjects:
                anims.append(FadeIn(self.indices))
            return anims

        state = {k: v for k, v in self.initial.items() if v}
        return Change(self, [draw, *self.phases(state)])

    def phases(self, step: dict) -> list:
        return [self._move_phase(step), self._mark_phase(step), self._swap_phase(step)]

    def _move_phase(self, step: dict):
        moves = step.get("pointers") or {}
        if not moves and not step.get("note") and not self.transient:
            return None

        def play():
            anims = [self._unmark(i) for i in sorted(self.transient)]
            self.transient = set()
            for name, index in moves.items():
                pointer = self.pointers[name]
                if index is None:
                    if name in self.shown_pointers:
                        anims.append(FadeOut(pointer))
                        self.shown_pointers.discard(name)
                    continue
                x = self.cells[index].get_x()
                if name in self.shown_pointers:
                    anims.append(pointer.animate.set_x(x))
                else:
                    pointer.set_x(x)
                    anims.append(FadeIn(pointer, shift=DOWN * 0.2 if self.lanes[name] % 2 == 0 else UP * 0.2))
                    self.shown_pointers.add(name)
            if step.get("note"):
                new = self._note(step["note"])
                if self.note_text is not None:
                    anims.append(Transform(self.note_text, new))
                else:
                    self.note_text = new
                    self.add(self.note_text)
                    anims.append(FadeIn(self.note_text))
            return anims
        return play

    def _unmark(self, i: int):
        """Undo a one-step highlight or comparison, back to the cell's lasting state."""
        cell = self.cells[i]
        if i in self.done_cells:
            return cell.animate.set_fill(theme.GREEN, 0.5).set_stroke(theme.GREEN, width=3)
        if i in self.grey_cells:
            return cell.animate.set_fill(theme.BACKGROUND, 1).set_stroke(theme.DIM, width=3)
        return cell.animate.set_fill(theme.PANEL, 1).set_stroke(theme.BLUE, width=3)

    def _mark_phase(self, step: dict):
        keys = ("highlight", "compare", "grey", "done", "set")
        if not any(step.get(k) for k in keys):
            return None

        def play():
            anims = []
            for i in step.get("grey") or []:
                self.grey_cells.add(i)
                anims += [self.cells[i].animate.set_stroke(theme.DIM, width=3).set_fill(theme.BACKGROUND, 1),
                          self.texts[i].animate.set_opacity(0.3)]
            for i in step.get("done") or []:
                self.done_cells.add(i)
                anims.append(self.cells[i].animate.set_fill(theme.GREEN, 0.5).set_stroke(theme.GREEN, width=3))
            for i in step.get("highlight") or []:
                self.transient.add(i)
                anims.append(self.cells[i].animate.set_fill(theme.ACCENT, 0.45).set_stroke(theme.ACCENT, width=5))
            for i in step.get("compare") or []:
                self.transient.add(i)
                anims += [self.cells[i].animate.set_stroke(theme.PINK, width=6).set_fill(theme.PINK, 0.3),
                          Indicate(self.texts[i], color=theme.TEXT, scale_factor=1.3)]
            for key, value in (step.get("set") or {}).items():
                i = int(key)
                self.values[i] = str(value)
                anims.append(Transform(self.texts[i], self._value_text(str(value), self.cells[i])))
            return anims
        return play

    def _swap_phase(self, step: dict):
        pair = step.get("swap")
        if not pair:
            return None

        def play():
            i, j = pair
            a, b = self.texts[i], self.texts[j]
            anims = [a.animate(path_arc=-2.2).move_to(self.cells[j]),
                     b.animate(path_arc=-2.2).move_to(self.cells[i])]
            # The texts trade places: keep self.texts[k] the text shown in cell k.
            self.texts.submobjects[i], self.texts.submobjects[j] = b, a
            self.values[i], self.values[j] = self.values[j], self.values[i]
            return anims
        return play


def array(size: Size, values: list, **spec) -> ArrayVisual:
    """A row of cells holding ``values``, with indices, named pointers and a note; see ``kinds.array``."""
    return ArrayVisual(values, size, **spec)
