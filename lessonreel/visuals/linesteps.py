"""Stepped number lines: a marker that hops along the line and is relabelled, and marks that appear.

The marker is a dot with its label above it. A step moves it along an arc
(from its value to the new one, the label riding with it) and may give it a
new label, which fades in as the old one fades out on the way. Labels sit in
lanes above the line: the marker's label goes up a lane when a labelled mark
below it would be covered. The room for the highest hop and both lanes is
reserved at the start, so the visual's size never changes.

Named parts: ``line``, ``track`` (exactly the line from its first to its last
value, for tests), ``marker``, ``marker_label``, ``point:i`` (the fixed points),
``mark:i`` (marks the steps add, in order).
"""

from __future__ import annotations

from manim import UP, Create, Dot, FadeIn, Line, NumberLine, Rectangle, Text, UpdateFromAlphaFunc, VGroup

from .. import theme
from .charts import _range3
from .common import Size, font_for_all, shrink_to
from .stepped import Change, Stepped, travel

LABEL_GAP = 0.15       # from a dot's top to the bottom of its label
LANE_GAP = 0.2         # between the two label lanes
MAX_HOP = 0.6          # the highest hop (natural units)
MARKER_RADIUS = 0.13


class _Ends(UpdateFromAlphaFunc):
    """An UpdateFromAlphaFunc that runs ``then()`` once the play is over (drop a faded label...)."""

    def __init__(self, mob, update, then=None, **kwargs):
        super().__init__(mob, update, **kwargs)
        self.then = then

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        if self.then:
            self.then()


class NumberLineSteps(Stepped):
    def __init__(self, size: Size, range: list, points: list | None = None, marker: dict | None = None,
                 steps: list | None = None):
        super().__init__(steps)
        xr = _range3(range, 8)
        texts = [str(p.get("label", "")) for p in points or [] if isinstance(p, dict)]
        texts += [s.get("label", "") for s in self.spec_steps] + [m.get("label", "") for s in self.spec_steps
                                                                 for m in s.get("mark") or []]
        self.font = font_for_all(*texts, (marker or {}).get("label", ""))
        decimals = 0 if all(float(v).is_integer() for v in xr) else 1
        line = NumberLine(x_range=xr, length=size[0] - 0.6, include_numbers=True, font_size=theme.LABEL_FONT_SIZE,
                          color=theme.TEXT, include_tip=False, decimal_number_config={"num_decimal_places": decimals})
        self.line = self.part("line", line)
        self.track = self.part("track", Line(line.n2p(xr[0]), line.n2p(xr[1]), stroke_opacity=0))
        self.add(line, self.track)
        self.set_reference(self.track)
        self.lo, self.hi = float(xr[0]), float(xr[1])
        color = iter(theme.PALETTE * 4)
        self.fixed = VGroup()
        self.labelled: list = []  # (value, label) of the fixed points and marks on screen
        for i, p in enumerate(points or []):
            value, name = (p["value"], p.get("label")) if isinstance(p, dict) else (p, None)
            self.fixed.add(self.part(f"point:{i}", self._mark(value, name, next(color))))
            if name:
                self.labelled.append(self.fixed[-1])
        self.marks, self.marks_shown = [], 0
        for step in self.spec_steps:
            for m in step.get("mark") or []:
                mark = self._mark(m["value"], m.get("label"), next(color))
                self.marks.append(self.part(f"mark:{len(self.marks)}", mark))
        self.add(self.fixed, *self.marks)
        self.marker = None
        if marker:
            self._marker(marker)
        shrink_to(self, size)

    # ------------------------------------------------------------ parts ---
    def _text(self, text: str, color) -> Text:
        return Text(text, font=self.font, font_size=theme.LABEL_FONT_SIZE, color=color)

    def _mark(self, value: float, name: str | None, color) -> VGroup:
        dot = Dot(self.line.n2p(value), radius=0.1, color=color)
        mark = VGroup(dot)
        mark.value = float(value)
        if name:
            mark.add(self._text(name, color).next_to(dot, UP, buff=LABEL_GAP + 0.03))
        return mark

    def _marker(self, spec: dict) -> None:
        self.value = float(spec["value"])
        dot = self.part("marker", Dot(self.line.n2p(self.value), radius=MARKER_RADIUS, color=theme.ACCENT))
        dot.set_z_index(2)
        label = self._text(spec.get("label", ""), theme.ACCENT) if spec.get("label") else None
        self.marker = VGroup(dot)
        self.marker_dot, self.marker_label = dot, label
        if label is not None:
            self.marker.add(self.part("marker_label", label))
        self.add(self.marker)
        # Room for the highest hop with the tallest label in the upper lane, and under the line for the numbers.
        tallest = max([self._text(t, theme.ACCENT).height for t in self._marker_texts(spec)] + [0.3])
        lanes = 2 if self.labelled or any(len(m) > 1 for m in self.marks) else 1
        top = self.track.get_y() + MAX_HOP + MARKER_RADIUS + LABEL_GAP + lanes * tallest + (lanes - 1) * LANE_GAP
        self.room = Rectangle(width=0.01, height=top - self.track.get_y(), stroke_opacity=0, fill_opacity=0)
        self.room.move_to([self.line.get_x(), (top + self.track.get_y()) / 2, 0])
        self.add(self.room)
        self.lane = self._lane(self.value, label, self.labelled)
        if label is not None:
            self._ride(label, dot, self.lane)

    def _marker_texts(self, spec: dict) -> list[str]:
        return [t for t in [spec.get("label")] + [s.get("label") for s in self.spec_steps] if t]

    def _scene_x(self, value: float) -> float:
        start, end = self.track.get_start()[0], self.track.get_end()[0]
        return start + (end - start) * (value - self.lo) / (self.hi - self.lo)

    def _lane(self, value: float, label, fixed: list) -> int:
        """0 (just above the dot) unless a fixed label there would be covered: then 1 (a lane higher)."""
        if label is None:
            return 0
        x, half = self._scene_x(value), label.width / 2 + 0.1 * self.unit
        for mark in fixed:
            text = mark[1]
            if text.get_left()[0] < x + half and text.get_right()[0] > x - half:
                return 1
        return 0

    def _ride(self, label, dot, lane: float) -> None:
        """Put the label over the dot in its lane (a lane may be fractional mid-hop), kept over the line."""
        u = self.unit
        y = self.track.get_y() + (MARKER_RADIUS + LABEL_GAP) * u + label.height / 2 \
            + lane * (label.height + LANE_GAP * u) + (dot.get_y() - self.track.get_y())
        left, right = self.line.get_left()[0], self.line.get_right()[0]
        x = min(max(dot.get_x(), left + label.width / 2), right - label.width / 2)
        label.move_to([x, y, 0])

    # ------------------------------------------------------- animations ---
    def entrance(self):
        def draw():
            return [Create(self.line), FadeIn(self.track)]

        def marks():
            anims = [FadeIn(p, scale=0.5) for p in self.fixed]
            if self.marker is not None:
                anims.append(FadeIn(self.marker, scale=0.6))
            return anims

        return Change(self, [draw, marks if len(self.fixed) or self.marker is not None else None])

    def phases(self, step: dict) -> list:
        if not any(k in step for k in ("marker", "label", "mark")):
            return []

        def play():
            anims = []
            new_marks = [self.marks[self.marks_shown + i] for i in range(len(step.get("mark") or []))]
            self.marks_shown += len(new_marks)
            anims += [FadeIn(m, scale=0.5) for m in new_marks]
            self.labelled += [m for m in new_marks if len(m) > 1]
            if self.marker is not None and ("marker" in step or "label" in step
                                            or self._lane(self.value, self.marker_label, self.labelled) != self.lane):
                # (a new mark under the marker's label lifts it a lane, in place)
                anims.append(self._hop(float(step.get("marker", self.value)), step.get("label")))
            return anims
        return [travel(play) if "marker" in step else play]

    def _hop(self, target: float, text: str | None):
        dot, old = self.marker_dot, self.marker_label
        new = None
        if text is not None:
            new = self._text(text, theme.ACCENT).scale(self.unit).set_opacity(0)
            self.marker.add(new)
            self.part("marker_label", new)
            self.marker_label = new
        x0, x1 = self._scene_x(self.value), self._scene_x(target)
        lane0 = self.lane
        lane1 = self._lane(target, self.marker_label, self.labelled)
        height = min(MAX_HOP, 0.25 + 0.15 * abs(x1 - x0) / self.unit) * self.unit if target != self.value else 0.0
        base = self.track.get_y()
        self.value, self.lane = target, lane1

        def update(group, t):
            dot.move_to([x0 + (x1 - x0) * t, base + 4 * height * t * (1 - t), 0])
            lane = lane0 + (lane1 - lane0) * t
            # the old label fades out in the first half of the hop, the new one in over the second half
            for label, opacity in ((old, max(0.0, 1 - 2 * t) if new is not None else 1), (new, max(0.0, 2 * t - 1))):
                if label is not None:
                    self._ride(label, dot, lane)
                    label.set_opacity(opacity)

        def done():
            if new is not None and old is not None:
                self.marker.remove(old)

        return _Ends(self.marker, update, done)


def number_line_steps(size: Size, **spec) -> NumberLineSteps:
    """A number line whose marker hops from value to value and is relabelled; see ``kinds.plot``."""
    return NumberLineSteps(size, **spec)
