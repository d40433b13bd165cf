"""The ``array`` visual: a row of cells with indices, pointers that move and cells that change.

Pointers sit in lanes (above the row, then below it, alternating, in the
order they first appear), so two pointers on one cell never cover each other.
Highlights and comparisons last one step; greyed-out and done cells stay so.

The changes are bold, so they read at a glance even in a small picture: a
pointer's name sits on a tag of its colour, a highlighted (done) cell fills
with solid yellow (green) behind a dark value, and a greyed-out cell shrinks a
little while its value fades far back.
"""

from __future__ import annotations

from manim import (
    DOWN, UP, Arrow, Create, FadeIn, FadeOut, Indicate, LaggedStart, Rectangle, RoundedRectangle,
    Square, Text, Transform, VGroup, linear,
)

from .. import theme
from .common import Size, font_for_all, shrink_to
from .stepped import Change, Stepped, staggered, travel

CELL = 0.9          # natural cell side (scene units)
LANE = 0.82         # height of one pointer lane: an arrow and its name, clear of the lane below
SHAFT = 0.3         # arrow length
INDEX_GAP = 0.28    # from a cell's bottom to its index's centre
GREY_SCALE = 0.72   # a greyed-out cell (and its value) shrinks to this, about its centre
GREY_TEXT = 0.2     # ... and its value fades to this opacity
EVEN = {"rate_func": linear}  # colours change at an even pace: visible for the whole change, not just its middle
TAG_H = 0.4         # a pointer's name tag: its height, and its padding left and right
TAG_PAD = 0.09
NOTE_SIZE = theme.BODY_FONT_SIZE  # the note under the row: what the step found
NOTE_H = 0.55
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
            self.note_slot = Rectangle(width=self.cells.width, height=NOTE_H, stroke_opacity=0, fill_opacity=0)
            self.note_slot.next_to(VGroup(self.cells, self.indices, *self.pointers.values()), DOWN, buff=0.2)
            self.add(self.note_slot)
        # The visual's scale is read from an invisible copy of the row: cells shrink when greyed out.
        self.row_ref = Rectangle(width=self.cells.width, height=CELL, stroke_opacity=0, fill_opacity=0)
        self.add(self.row_ref.move_to(self.cells))
        self.set_reference(self.row_ref)
        self.initial = {"pointers": pointers or {}, "highlight": highlight, "grey": grey, "done": done,
                        "note": note, "compare": compare}
        self.transient: set[int] = set()  # cells highlighted or compared for one step
        self.still_lit: set[int] = set()
        self.grey_cells: set[int] = set()
        self.done_cells: set[int] = set()
        self.shrunk: set[int] = set()  # greyed-out cells drawn smaller
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
        name_text = Text(name, font=self.font, font_size=theme.LABEL_FONT_SIZE + 8, color=theme.BACKGROUND,
                         weight="BOLD")
        tag = RoundedRectangle(corner_radius=0.07, width=max(name_text.width + 2 * TAG_PAD, TAG_H), height=TAG_H,
                               stroke_width=0, fill_color=color, fill_opacity=1)
        label = VGroup(tag, name_text.move_to(tag))
        cell = self.cells[0]
        # A pointer of a higher lane floats above (below) the lanes nearer the row, so pointers on one
        # cell stack up instead of crossing: its arrow points down (up) through the lanes beneath it.
        if above:
            tip = cell.get_top() + UP * (0.05 + level * LANE)
            arrow = Arrow(tip + UP * SHAFT, tip, buff=0, color=color, stroke_width=6,
                          max_tip_length_to_length_ratio=0.4, max_stroke_width_to_length_ratio=30)
            label.next_to(arrow, UP, buff=0.04)
        else:
            tip = cell.get_bottom() + DOWN * (INDEX_GAP + 0.2 + level * LANE)
            arrow = Arrow(tip + DOWN * SHAFT, tip, buff=0, color=color, stroke_width=6,
                          max_tip_length_to_length_ratio=0.4, max_stroke_width_to_length_ratio=30)
            label.next_to(arrow, DOWN, buff=0.04)
        return VGroup(arrow, label)

    def _note(self, text: str) -> Text:
        note = Text(text, font=self.font, font_size=NOTE_SIZE, color=theme.TEXT)
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
        if not moves and not step.get("note") and not step.get("grey") and not self.transient:
            return None
        # A pointer that slides to another cell is a travel: it moves while the voice says where it goes,
        # and the cells it leaves behind grey one after another as it passes them.
        offsets = [self.cells[i].get_x() - self.pointers[name].get_x() for name, i in moves.items()
                   if i is not None and name in self.shown_pointers]
        slides = [d for d in offsets if abs(d) > 1e-3]

        def play():
            # A cell this step marks again goes straight to its new look; one it highlights again stays lit.
            marked = {i for key in ("highlight", "grey", "done") for i in step.get(key) or []}
            anims = [a for i in sorted(self.transient - marked) for a in self._unmark(i)]
            self.still_lit = self.transient & set(step.get("highlight") or []) - set(step.get("compare") or [])
            self.transient = set()
            # Cells that drop out grey while the pointers move past them, in the order they pass them.
            greys = sorted(step.get("grey") or [], reverse=bool(slides and slides[0] < 0))
            for k, i in enumerate(greys):
                anims += self._grey(i, staggered(k, len(greys), rate=linear) if slides else linear)
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
                    anims.append(Transform(self.note_text, new, **EVEN))
                else:
                    self.note_text = new
                    self.add(self.note_text)
                    anims.append(FadeIn(self.note_text))
            return anims
        return travel(play) if slides else play

    def _unmark(self, i: int) -> list:
        """Undo a one-step highlight or comparison, back to the cell's lasting state."""
        cell, text = self.cells[i], self.texts[i]
        if i in self.done_cells:
            return [cell.animate(**EVEN).set_fill(theme.GREEN, 1).set_stroke(theme.BACKGROUND, width=4),
                    text.animate(**EVEN).set_color(theme.BACKGROUND)]
        if i in self.grey_cells:
            return [cell.animate(**EVEN).set_fill(theme.BACKGROUND, 1).set_stroke(theme.DIM, width=3),
                    text.animate(**EVEN).set_color(theme.TEXT).set_opacity(GREY_TEXT)]
        return [cell.animate(**EVEN).set_fill(theme.PANEL, 1).set_stroke(theme.BLUE, width=3),
                text.animate(**EVEN).set_color(theme.TEXT)]

    def _grey(self, i: int, rate=linear) -> list:
        """Cell i drops out of play: dark, a little smaller, its value faded far back (paced by ``rate``)."""
        self.grey_cells.add(i)
        factor = 1.0 if i in self.shrunk else GREY_SCALE
        self.shrunk.add(i)
        cell = self.cells[i].animate(rate_func=rate).set_stroke(theme.DIM, width=3).set_fill(theme.BACKGROUND, 1)
        return [cell.scale(factor),
                self.texts[i].animate(rate_func=rate).set_color(theme.TEXT).set_opacity(GREY_TEXT).scale(factor)]

    def _mark_phase(self, step: dict):
        keys = ("highlight", "compare", "done", "set")
        if not any(step.get(k) for k in keys):
            return None

        def play():
            anims = []
            for i in step.get("done") or []:
                self.done_cells.add(i)
                cell = self.cells[i].animate(**EVEN).set_fill(theme.GREEN, 1).set_stroke(theme.BACKGROUND, width=4)
                text = self.texts[i].animate(**EVEN).set_color(theme.BACKGROUND).set_opacity(1)
                if i in self.shrunk:  # back in full: it is the answer
                    self.shrunk.discard(i)
                    cell, text = cell.scale(1 / GREY_SCALE), text.scale(1 / GREY_SCALE)
                anims += [cell, text]
            for i in step.get("highlight") or []:
                self.transient.add(i)
                if i in self.still_lit:
                    continue
                cell = self.cells[i].animate(**EVEN).set_fill(theme.ACCENT, 1).set_stroke(theme.BACKGROUND, width=4)
                anims += [cell, self.texts[i].animate(**EVEN).set_color(theme.BACKGROUND).set_opacity(1)]
            for i in step.get("compare") or []:
                self.transient.add(i)
                anims += [self.cells[i].animate.set_stroke(theme.PINK, width=6).set_fill(theme.PINK, 0.3),
                          Indicate(self.texts[i], color=theme.TEXT, scale_factor=1.3)]
            for key, value in (step.get("set") or {}).items():
                i = int(key)
                self.values[i] = str(value)
                new = self._value_text(str(value), self.cells[i]).match_style(self.texts[i])  # a lit cell's dark ink
                anims.append(Transform(self.texts[i], new))
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
        return travel(play)  # the two values arc past each other while the swap is described


def array(size: Size, values: list, **spec) -> ArrayVisual:
    """A row of cells holding ``values``, with indices, named pointers and a note; see ``kinds.array``."""
    return ArrayVisual(values, size, **spec)
