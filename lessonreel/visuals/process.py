"""The ``process`` visual: stages joined by arrows, and tokens that travel along them.

The geometry (where boxes, arrows, link labels and token slots go) is worked
out in :mod:`.process_layout` at the visual's natural size; this module draws
it and animates the steps. Tokens park in slots by their stage (below a box
in a row, right of it in a column, towards the centre in a ring), stacked in
the order they arrive; when one leaves, the others close up. A travelling
token follows the arrows of its path, one link after another, drawn above
them.
"""

from __future__ import annotations

import numpy as np
from manim import (
    Animation,
    AnimationGroup,
    Create,
    FadeIn,
    LaggedStart,
    Mobject,
    MoveAlongPath,
    Rectangle,
    RoundedRectangle,
    Text,
    VGroup,
    VMobject,
)

from .. import theme
from ..kinds import process as spec_side
from .common import Size, font_for_all, shrink_to
from .process_layout import CHIP_H, Layout, plan
from .stepped import Change, Stepped, travel

STAGE_FONT = 28
TOKEN_FONT = 30
LINK_FONT = 24
MIN_SCALE = theme.MIN_FONT_SIZE / 24  # the visual may shrink this far before its text gets too small
TOKEN_COLORS = [theme.BLUE, theme.GREEN, theme.ACCENT, theme.PINK, theme.PURPLE, "#22D3EE"]
ARROW = "#9CA3AF"
LIT_OPACITY = 0.9  # a lit stage's fill


class ProcessVisual(Stepped):
    def __init__(self, size: Size, spec: dict):
        super().__init__(spec.get("steps"))
        self.spec = {**spec, "steps": self.spec_steps}
        self.ids = spec_side.stage_ids(spec)
        names = spec_side.stage_labels(spec)
        self.links = spec_side.links(spec)
        tokens = spec.get("tokens") or []
        every = [*names.values(), *(l.get("label", "") for l in self.links), *spec_side.token_labels(spec)]
        self.font = font_for_all(*every)
        self.colors = {t["id"]: t.get("color") or TOKEN_COLORS[n % len(TOKEN_COLORS)] for n, t in enumerate(tokens)}
        link_texts = [self._text(l["label"], LINK_FONT, theme.ACCENT) if l.get("label") else None for l in self.links]
        chip_w = {}
        for t in tokens:
            labels = [t["label"]] + [s["become"][t["id"]] for s in self.spec_steps if t["id"] in (s.get("become") or {})]
            chip_w[t["id"]] = max(self._chip_width(label) for label in labels)
        # Stage names wrap onto two lines when one line is long, or when the layout would not fit otherwise.
        for wrap in (2.6, 0.0):
            stage_texts = {s: self._stage_text(names[s], wrap) for s in self.ids}
            self.geo: Layout = plan(spec.get("layout", "row"), self.ids, self.links,
                                    {s: (t.width, t.height) for s, t in stage_texts.items()},
                                    [(t.width, t.height) if t is not None else None for t in link_texts],
                                    spec_side.stacks(self.spec), self._stage_chip_widths(chip_w),
                                    max(chip_w.values(), default=1.0))
            g = self.geo
            if min(size[0] / (g.box[2] - g.box[0]), size[1] / (g.box[3] - g.box[1])) >= MIN_SCALE:
                break
        # An invisible frame holds the whole layout (token slots included): the size never changes,
        # and natural coordinates map onto the screen through it.
        self.frame = Rectangle(width=g.box[2] - g.box[0], height=g.box[3] - g.box[1], stroke_opacity=0,
                               fill_opacity=0).move_to([(g.box[0] + g.box[2]) / 2, (g.box[1] + g.box[3]) / 2, 0])
        self._centre0 = self.frame.get_center().copy()
        self.add(self.frame)
        self.set_reference(self.frame)
        self.boxes, self.stage_labels = {}, {}
        for s in self.ids:
            x, y, w, h = g.stages[s]
            rect = RoundedRectangle(corner_radius=0.14, width=w, height=h, stroke_color=theme.BLUE, stroke_width=3,
                                    fill_color=theme.PANEL, fill_opacity=1).move_to([x, y, 0])
            self.boxes[s] = self.part(f"stage:{s}", rect)
            self.stage_labels[s] = self.part(f"stage_label:{s}", stage_texts[s].move_to([x, y, 0]))
        self.arrows, self.link_labels = [], []
        for n, (link, text) in enumerate(zip(self.links, link_texts)):
            arrow = self._arrow(g.tracks[n])
            self.arrows.append(self.part(f"link:{link['from']}->{link['to']}", arrow))
            if text is not None:
                text.move_to([*g.labels[n], 0])
                self.link_labels.append(self.part(f"link_label:{link['from']}->{link['to']}", text))
        self.add(*self.arrows, *self.boxes.values(), *self.stage_labels.values(), *self.link_labels)
        # Tokens: each stage's parked tokens, in slot order.
        self.parked = {s: [] for s in self.ids}
        self.chips: dict[str, VGroup] = {}
        self.labels = {t["id"]: t["label"] for t in tokens}
        self.at = {t["id"]: t["at"] for t in tokens}
        for t in tokens:
            if not t.get("hidden"):
                chip = self._chip(t["id"], t["label"], natural=True)
                self.parked[t["at"]].append(t["id"])
                chip.move_to(self._slot_point(t["at"], len(self.parked[t["at"]]) - 1, chip, natural=True))
                self.chips[t["id"]] = self.part(f"token:{t['id']}", chip)
        self.add(*self.chips.values())
        self.lit: set[str] = set()
        shrink_to(self, size, grow=1.25)

    # ------------------------------------------------------------ parts ---
    def _text(self, text: str, size: float, color: str) -> Text:
        return Text(text, font=self.font, font_size=size, color=color)

    def _stage_text(self, label: str, wrap: float):
        one = self._text(label, STAGE_FONT, theme.TEXT)
        words = label.split()
        if one.width <= wrap or len(words) < 2:
            return one
        cut = min(range(1, len(words)), key=lambda c: max(len(" ".join(words[:c])), len(" ".join(words[c:]))))
        return VGroup(self._text(" ".join(words[:cut]), STAGE_FONT, theme.TEXT),
                      self._text(" ".join(words[cut:]), STAGE_FONT, theme.TEXT)).arrange(DOWN_, buff=0.1)

    def _chip_width(self, label: str) -> float:
        return self._text(label, TOKEN_FONT, theme.TEXT).width + 0.34

    def _stage_chip_widths(self, chip_w):
        """The widest chip that may park at each stage."""
        out = {s: 0.0 for s in self.ids}
        for state in spec_side.simulate(self.spec):
            for name, token in state.items():
                out[token["at"]] = max(out[token["at"]], chip_w[name])
        return out

    def _chip(self, name: str, label: str, natural: bool = False) -> VGroup:
        # A solid chip in the token's colour with dark text: it reads at a glance and stands out from the
        # dark stage boxes, so the eye can follow it as it travels.
        color = self.colors[name]
        text = self._text(label, TOKEN_FONT, theme.BACKGROUND)
        rect = RoundedRectangle(corner_radius=0.16, width=text.width + 0.34, height=CHIP_H, stroke_color=color,
                                stroke_width=3, fill_color=color, fill_opacity=1)
        chip = VGroup(rect, text.move_to(rect))
        return chip if natural else chip.scale(self.unit)

    def _arrow(self, track) -> VGroup:
        pts = [np.array([x, y, 0.0]) for x, y in track]
        d = pts[-1] - pts[-2]
        u = d / max(np.linalg.norm(d), 1e-9)
        n = np.array([-u[1], u[0], 0.0])
        tip_len = 0.22
        # The line stops under the tip, so its end does not poke out of the point.
        line = pts[:-1] + [pts[-1] - u * tip_len * 0.7]
        body = VMobject(stroke_color=ARROW, stroke_width=4)
        body.set_points_smoothly(line) if len(line) > 4 else body.set_points_as_corners(line)
        tip = VMobject(stroke_width=0, fill_color=ARROW, fill_opacity=1).set_points_as_corners(
            [pts[-1], pts[-1] - u * tip_len + n * 0.11, pts[-1] - u * tip_len - n * 0.11, pts[-1]])
        return VGroup(body, tip)

    def _map(self, p) -> np.ndarray:
        """A point of the natural layout, where it is on screen now."""
        p = np.array([p[0], p[1], 0.0])
        return self.frame.get_center() + (p - self._centre0) * self.unit

    def _slot_point(self, stage: str, k: int, chip, natural: bool = False) -> np.ndarray:
        """Where a chip's centre goes in slot k of a stage (slots may align chips by an edge)."""
        x, y, align = self.geo.slot(stage, k)
        half = chip.width / 2 / (1 if natural else self.unit)
        cx = x + half if align == "left" else x - half if align == "right" else x
        return np.array([cx, y, 0.0]) if natural else self._map((cx, y))

    # ------------------------------------------------------- animations ---
    def entrance(self) -> Change:
        def boxes():
            return [LaggedStart(*[AnimationGroup(FadeIn(self.boxes[s], scale=0.9), FadeIn(self.stage_labels[s]))
                                  for s in self.ids], lag_ratio=0.25)]

        def arrows():
            return [LaggedStart(*[Create(a) for a in self.arrows], lag_ratio=0.2)] + \
                [FadeIn(label) for label in self.link_labels]

        def tokens():  # then the molecules (or whatever travels), one after another at their stages
            return [LaggedStart(*[FadeIn(chip, scale=0.6) for chip in self.chips.values()], lag_ratio=0.3)]
        return Change(self, [boxes, arrows if self.arrows else None, tokens if self.chips else None])

    def step(self, index: int) -> Change:
        step = self.spec_steps[index]
        phases = [self._appear_phase(step), travel(self._move_phase(step)), self._light_phase(step),
                  self._become_phase(step)]
        phases = [p for p in phases if p is not None]
        if self.lit or not phases:  # last step's highlight ends with this step's first change
            first = phases[0] if phases else None
            phases[:1] = [self._with_unlight(first)]
        return Change(self, phases)

    def _with_unlight(self, phase):
        def play():
            anims = [self.boxes[s].animate(rate_func=lighting).set_fill(theme.PANEL, 1).set_stroke(theme.BLUE, width=3)
                     for s in self.lit]
            anims += [self.stage_labels[s].animate(rate_func=lighting).set_color(theme.TEXT) for s in self.lit]
            self.lit = set()
            return anims + (phase() if phase else [])
        return travel(play) if getattr(phase, "travel", False) else play

    def _close_up(self, stage: str) -> list:
        """The tokens left at a stage slide into the first slots."""
        anims = []
        for k, name in enumerate(self.parked[stage]):
            chip = self.chips[name]
            target = self._slot_point(stage, k, chip)
            if np.linalg.norm(target - chip.get_center()) > 1e-3:
                anims.append(chip.animate(rate_func=steady).move_to(target))
        return anims

    def _appear_phase(self, step: dict):
        if not step.get("show") and not step.get("hide"):
            return None

        def play():
            gone = []
            for name in step.get("hide") or []:
                chip = self.chips.pop(name)
                self.parked[self.at[name]].remove(name)
                gone.append(chip)
            anims = [a for s in {self.at[n] for n in step.get("hide") or []} for a in self._close_up(s)]
            fresh = []
            for name in step.get("show") or []:
                chip = self.part(f"token:{name}", self._chip(name, self.labels[name]))
                self.parked[self.at[name]].append(name)
                chip.move_to(self._slot_point(self.at[name], len(self.parked[self.at[name]]) - 1, chip))
                self.chips[name] = chip
                self.add(chip)
                chip.set_opacity(0)
                fresh.append(chip)

            def fade(t):
                for chip in fresh:
                    chip.set_opacity(t)
                for chip in gone:
                    chip.set_opacity(1 - t)
                    if t >= 1 and chip in self.submobjects:
                        self.remove(chip)
            return anims + [_Run(self, fade)]
        return play

    def _move_phase(self, step: dict):
        moves = step.get("move") or {}
        if not moves:
            return None

        def play():
            anims, left = [], set()
            starts = {}
            for name in moves:
                starts[name] = self.chips[name].get_center().copy()
                self.parked[self.at[name]].remove(name)
                left.add(self.at[name])
            for s in left:
                anims += self._close_up(s)
            first_links: dict[int, int] = {}
            for name, stage in moves.items():
                chip = self.chips[name]
                path_links = spec_side.route(self.spec, self.at[name], stage)
                self.at[name] = stage
                self.parked[stage].append(name)
                end = self._slot_point(stage, len(self.parked[stage]) - 1, chip)
                points = self._route(chip, starts[name], path_links, end)
                path = VMobject().set_points_as_corners(_dedupe(points))
                # Tokens leaving by the same arrow follow each other, a chip's width apart.
                order = first_links.get(path_links[0], 0)
                first_links[path_links[0]] = order + 1
                delay = min(0.45, order * 0.2)
                anims.append(MoveAlongPath(chip, path, rate_func=_delayed(delay)))
            return anims
        return play

    def _route(self, chip, start, path_links, end) -> list:
        """The way a token goes: out of its slot to the first arrow, along the arrows, into its new slot.

        In a row, a token leaves and enters a slot straight up or down beside the box (over the box's edge when
        the arrow's label is below it), and goes over a box it passes through, so it never covers a label; in a
        column it moves sideways under or over the box.
        """
        layout, lift = self.spec.get("layout", "row"), (CHIP_H / 2 + 0.06) * self.unit
        inset = chip.width / 2 + 0.02 * self.unit

        def side(n, at_start):
            """The x where a token rises to (or drops from) link n, beside its stage."""
            x = self._map(self.geo.tracks[n][0 if at_start else -1])[0]
            label = self.geo.labels[n]
            if label is None or label[1] > self.geo.tracks[n][0][1]:
                return x
            box = self.boxes[self.links[n]["from" if at_start else "to"]].get_center()[0]
            return x + inset * (1 if box > x else -1)

        points = [start]
        for k, n in enumerate(path_links):
            track = [self._map(p) for p in self.geo.tracks[n]]
            if k == 0 and layout == "row":
                x = side(n, True)
                points += [np.array([x, start[1], 0.0]), np.array([x, track[0][1], 0.0])]
            elif k == 0 and layout == "column":
                points.append(np.array([start[0], track[0][1], 0.0]))
            elif layout == "row":  # over the box in between
                top = self.boxes[self.links[n]["from"]].get_top()[1] + lift
                points += [np.array([points[-1][0], top, 0.0]), np.array([track[0][0], top, 0.0])]
            points += track
        if layout == "row":
            x = side(path_links[-1], False)
            points += [np.array([x, points[-1][1], 0.0]), np.array([x, end[1], 0.0])]
        elif layout == "column":
            points.append(np.array([end[0], points[-1][1], 0.0]))
        return points + [end]

    def _light_phase(self, step: dict):
        stages = step.get("highlight") or []
        if not stages:
            return None

        def play():
            # A lit stage is filled with the accent and its name turns dark: it lights up, not just its outline.
            self.lit = set(stages)
            anims = [self.boxes[s].animate(rate_func=lighting).set_fill(theme.ACCENT, LIT_OPACITY)
                     .set_stroke(theme.ACCENT, width=5) for s in stages]
            return anims + [self.stage_labels[s].animate(rate_func=lighting).set_color(theme.BACKGROUND) for s in stages]
        return play

    def _become_phase(self, step: dict):
        changes = step.get("become") or {}
        if not changes:
            return None

        def play():
            flips = []
            for name, label in changes.items():
                chip = self.chips[name]
                self.labels[name] = label
                new = self._chip(name, label)
                k = self.parked[self.at[name]].index(name)
                new.move_to(self._slot_point(self.at[name], k, new))
                flips.append({"chip": chip, "old": chip.copy(), "new": new, "turned": False})

            def flip(t):
                """The chip turns over like a card: it folds flat, and the new one opens in its place."""
                for f in flips:
                    chip = f["chip"]
                    if t >= 0.5 and not f["turned"]:
                        chip.remove(chip[1])
                        chip.add(f["new"][1].copy())
                        f["turned"] = True
                    source = f["new"] if f["turned"] else f["old"]
                    fold = max(abs(1 - 2 * t), 0.02)
                    for mob, shape in zip(chip.submobjects, source.submobjects):
                        mob.become(shape.copy().stretch(fold, 1))
            return [_Run(self, flip)]
        return play


DOWN_ = np.array([0.0, -1.0, 0.0])


def _dedupe(points):
    out = [points[0]]
    for p in points[1:]:
        if np.linalg.norm(p - out[-1]) > 1e-4:
            out.append(p)
    return out if len(out) > 1 else out + [out[0] + 1e-4]


def steady(t: float, ramp: float = 0.2) -> float:
    """Ease in over the first ``ramp`` of the time, out over the last, at an even speed between.

    Tokens travel and stages light up at a steady pace the eye can follow (``smooth`` spends most of
    its time speeding up and slowing down, so the change seems to stall at both ends).
    """
    t = min(1.0, max(0.0, t))
    top = 1 / (1 - ramp)
    if t < ramp:
        return top * t * t / (2 * ramp)
    if t > 1 - ramp:
        return 1 - top * (1 - t) ** 2 / (2 * ramp)
    return top * (t - ramp / 2)


def brisk(t: float) -> float:
    """An in-place change (a stage lighting up, a chip fading or turning over) done in the first half of its
    phase, then held: it lands as the voice names it instead of creeping in."""
    return steady(min(1.0, 2 * t))


def lighting(t: float) -> float:
    """A stage lights up (or goes back) over most of its phase, then holds."""
    return steady(min(1.0, t / 0.8), ramp=0.1)


def _delayed(delay: float):
    def rate(t: float) -> float:
        return steady(min(1.0, max(0.0, (t - delay) / (1 - delay))))
    return rate


class _Run(Animation):
    """An animation that calls ``fn(t)`` with the eased time (no copy of the visual is kept)."""

    def __init__(self, mob, fn, **kwargs):
        self.fn = fn
        super().__init__(mob, **{"rate_func": brisk, **kwargs})

    def create_starting_mobject(self):
        return Mobject()

    def interpolate_mobject(self, alpha: float) -> None:
        self.fn(self.rate_func(alpha))


def process(size: Size, stages: list, **spec) -> ProcessVisual:
    """Stages joined by arrows, with tokens that travel along them; see ``kinds.process``."""
    return ProcessVisual(size, {"stages": stages, **spec})
