"""The ``stack`` visual: a stack (a box open at the top) or a queue (a tube open at both ends).

Items slide in and out through reserved room beside the container, so the
visual's size never changes: a pushed item drops in from above the stack (or
comes in at the back of the queue, from the right), a popped one rises out of
the stack (leaves the queue's front, to the left) and fades, and the rest of
a queue moves up to the front. Pointers (``top``; ``front`` and ``back``)
follow the ends. A peek lights up the top (front) item for its step.
"""

from __future__ import annotations

from manim import (
    DOWN, LEFT, RIGHT, UP, Arrow, Create, FadeIn, FadeOut, Indicate, Line, Rectangle, RoundedRectangle, Text,
    VGroup, VMobject,
)

from .. import theme
from ..kinds.containers import PITCH
from .common import Size, font_for_all, shrink_to
from .stepped import Change, Stepped

ITEM_HEIGHT = PITCH - 0.1     # a stack item (its slot is PITCH high)
QUEUE_ITEM = 0.9              # a queue item's height
QUEUE_GAP = 0.1               # between queue items
VALUE_FONT = 34
POINTER_FONT = theme.LABEL_FONT_SIZE + 4
WALL = 0.08                   # between an item and the container's wall


class StackVisual(Stepped):
    def __init__(self, size: Size, mode: str = "stack", items: list | None = None, label: str | None = None,
                 steps: list[dict] | None = None):
        super().__init__(steps)
        self.queue = mode == "queue"
        values = [str(v) for v in items or []]
        pushed = [str(s["push"]) for s in self.spec_steps if "push" in s]
        self.font = font_for_all(*values, *pushed, label or "")
        widest = max([Text(v, font=self.font, font_size=VALUE_FONT).width for v in values + pushed] or [0.3])
        count, most = len(values), len(values)
        for step in self.spec_steps:
            count += 1 if "push" in step else -step.get("pop", 0)
            most = max(most, count)
        n_slots = max(most, 1)
        if self.queue:
            self.item_w, self.item_h = max(1.0, widest + 0.4), QUEUE_ITEM
            pitch = self.item_w + QUEUE_GAP
            self.slots = VGroup(*[self._slot().move_to(RIGHT * pitch * i) for i in range(n_slots)])
            self.entry = self._slot().next_to(self.slots, RIGHT, buff=QUEUE_GAP + WALL)  # the back, where items come in
            self.exit = self._slot().next_to(self.slots, LEFT, buff=QUEUE_GAP + WALL)    # the front, where they leave
            self.container = self._tube()
        else:
            self.item_w, self.item_h = max(2.1, widest + 0.6), ITEM_HEIGHT
            self.slots = VGroup(*[self._slot().move_to(UP * PITCH * i) for i in range(n_slots)])
            self.entry = self.exit = self._slot().next_to(self.slots, UP, buff=0.1 + WALL)
            self.container = self._box()
        self.part("container", self.container)
        self.add(self.container, self.slots, *{id(m): m for m in (self.entry, self.exit)}.values())
        self.set_reference(self.container)
        self.items: list[VGroup] = [self._item(v, i, natural=True) for i, v in enumerate(values)]
        self.add(*self.items)
        names = ("front", "back") if self.queue else ("top",)
        self.pointers = {name: self._pointer(name) for name in names}
        for name, pointer in self.pointers.items():
            self.part(f"pointer:{name}", pointer)
            self._aim(pointer, name, max(len(self.items) - 1, 0) if name != "front" else 0, move=True)
        # The pointers' room is reserved at both ends of the container (their lanes do not change).
        lane = VGroup(*[p.copy() for p in self.pointers.values()])
        for name, pointer in self.pointers.items():
            lane.add(self._aim(pointer.copy(), name, n_slots - 1, move=True))
        self.add(*self.pointers.values(), *[Rectangle(width=m.width, height=m.height, stroke_opacity=0,
                                                      fill_opacity=0).move_to(m) for m in lane])
        self.label = None
        if label:
            self.label = Text(label, font=self.font, font_size=theme.LABEL_FONT_SIZE + 2, color=theme.DIM)
            self.label.next_to(VGroup(*self.submobjects), DOWN, buff=0.2).set_x(self.container.get_x())
            self.add(self.label)
        self.shown = set()
        self.peeked = None
        self._name_items()
        shrink_to(self, size, grow=1.3)

    # ----------------------------------------------------------- parts ---
    def _slot(self) -> Rectangle:
        """An invisible place for one item (never drawn: it keeps the room)."""
        return Rectangle(width=self.item_w, height=self.item_h, stroke_opacity=0, fill_opacity=0)

    def _box(self) -> VMobject:
        """The stack's container: two walls and a floor, open at the top."""
        left = self.slots.get_left()[0] - WALL
        right = self.slots.get_right()[0] + WALL
        bottom = self.slots.get_bottom()[1] - WALL
        top = self.slots.get_top()[1] + 0.05
        box = VMobject(stroke_color=theme.DIM, stroke_width=5)
        box.set_points_as_corners([[left, top, 0], [left, bottom, 0], [right, bottom, 0], [right, top, 0]])
        return box

    def _tube(self) -> VGroup:
        """The queue's container: two rails, open at both ends."""
        left = self.slots.get_left()[0] - WALL
        right = self.slots.get_right()[0] + WALL
        top = self.slots.get_top()[1] + WALL
        bottom = self.slots.get_bottom()[1] - WALL
        return VGroup(*[Line([left, y, 0], [right, y, 0], stroke_color=theme.DIM, stroke_width=5)
                        for y in (top, bottom)])

    def _item(self, value: str, slot: int, natural: bool = False) -> VGroup:
        box = RoundedRectangle(corner_radius=0.1, width=self.item_w, height=self.item_h, stroke_color=theme.BLUE,
                               stroke_width=3, fill_color=theme.PANEL, fill_opacity=1)
        text = Text(value, font=self.font, font_size=VALUE_FONT, color=theme.TEXT)
        if text.width > self.item_w - 0.2:
            text.scale_to_fit_width(self.item_w - 0.2)
        item = VGroup(box, text.move_to(box))
        if not natural:
            item.scale(self.unit)
        return item.move_to(self.slots[slot])

    def _pointer(self, name: str) -> VGroup:
        color = {"top": theme.ACCENT, "front": theme.PINK, "back": theme.ACCENT}[name]
        text = Text(name, font=self.font, font_size=POINTER_FONT, color=color, weight="BOLD")
        if name == "top":  # to the right of the top item, pointing left at it
            arrow = Arrow(RIGHT * 0.65, RIGHT * 0.0, buff=0, color=color, stroke_width=6,
                          max_tip_length_to_length_ratio=0.45)
            text.next_to(arrow, RIGHT, buff=0.08)
        else:              # back: above its item, pointing down; front: below it, pointing up
            way = DOWN if name == "back" else UP
            arrow = Arrow(-way * 0.42, 0 * way, buff=0, color=color, stroke_width=6,
                          max_tip_length_to_length_ratio=0.45)
            text.next_to(arrow, -way, buff=0.05)
        return VGroup(arrow, text)

    def _aim(self, pointer: VGroup, name: str, slot: int, move: bool = False):
        """Where the pointer goes to point at the item in ``slot`` (moved now, or its animation)."""
        place = self.slots[slot]
        arrow = pointer[0]
        if name == "top":
            shift = place.get_right() + RIGHT * (WALL + 0.12 * self.unit) - arrow.get_end()
        elif name == "back":
            shift = place.get_top() + UP * (WALL + 0.06 * self.unit) - arrow.get_end()
        else:
            shift = place.get_bottom() + DOWN * (WALL + 0.06 * self.unit) - arrow.get_end()
        shift[2] = 0
        if move:
            return pointer.shift(shift)
        return pointer.animate.shift(shift)

    def _name_items(self) -> None:
        for key in [k for k in self.lesson_parts if k.startswith("item:")]:
            del self.lesson_parts[key]
        for i, item in enumerate(self.items):
            self.part(f"item:{i}", item[0])

    # ------------------------------------------------------- animations ---
    def entrance(self) -> Change:
        def draw():
            return [Create(self.container)] + [FadeIn(item, shift=UP * 0.15) for item in self.items] + \
                ([FadeIn(self.label)] if self.label is not None else [])

        def point():
            return self._pointers_follow()

        return Change(self, [draw, point if self.items else None])

    def _pointers_follow(self) -> list:
        """Pointers move to the ends as they are now (shown when there are items, hidden when empty)."""
        anims = []
        for name, pointer in self.pointers.items():
            if not self.items:
                if name in self.shown:
                    self.shown.discard(name)
                    anims.append(FadeOut(pointer))
                continue
            slot = 0 if name == "front" else len(self.items) - 1
            if name in self.shown:
                anims.append(self._aim(pointer, name, slot))
            else:
                self._aim(pointer, name, slot, move=True)
                self.shown.add(name)
                anims.append(FadeIn(pointer))
        return anims

    def phases(self, step: dict) -> list:
        real = []
        if "push" in step:
            real.append(self._push_phase(step["push"]))
        if step.get("pop"):
            real += self._pop_phases(step["pop"])
        if step.get("peek"):
            real.append(self._peek_phase())
        first = real[0] if real else (list)

        def begin():  # the last peek's light goes out as the step's first change starts
            old, self.peeked = self.peeked, None
            anims = first()
            if old is not None and old in self.items and old is not self.peeked:
                anims.append(old[0].animate.set_fill(theme.PANEL, 1).set_stroke(theme.BLUE, width=3))
            return anims
        return [begin, *real[1:]]

    def _push_phase(self, value):
        def play():
            item = self._item(str(value), len(self.items))
            target = item.get_center()
            self.items.append(item)
            self.add(item)
            self._name_items()
            return [FadeIn(item, shift=target - self.entry.get_center())] + self._pointers_follow()
        return play

    def _pop_phases(self, n: int) -> list:
        """One phase per item: it leaves (a queue's others move up a place as it goes), the pointers follow."""
        def leave():
            item = self.items.pop(0 if self.queue else -1)
            self.remove(item)
            anims = [FadeOut(item, shift=self.exit.get_center() - item.get_center())]
            if self.queue:
                anims += [rest.animate.move_to(self.slots[i]) for i, rest in enumerate(self.items)]
            self._name_items()
            return anims + self._pointers_follow()
        return [leave] * n

    def _peek_phase(self):
        def play():
            item = self.items[0] if self.queue else self.items[-1]
            self.peeked = item
            return [item[0].animate.set_fill(theme.ACCENT, 0.45).set_stroke(theme.ACCENT, width=5),
                    Indicate(item[1], color=theme.TEXT, scale_factor=1.25)]
        return play


def stack(size: Size, **spec) -> StackVisual:
    """A stack or a queue whose items slide in and out step by step; see ``kinds.containers``."""
    return StackVisual(size, **spec)
