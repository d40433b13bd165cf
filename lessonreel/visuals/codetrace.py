"""The stepped ``code`` visual: a listing traced line by line, with a panel of the run's variables.

The lines a step is at get a bar behind them and full brightness, the rest
dim; the bar glides from line to line. A variable's value turns into its new
one (the old rolls up and out, the new rolls in) and its row flashes. Code with more lines than fit at font size 21 shows
a window of them (with a scroll bar) that scrolls so the lit lines are in
view; lines leaving or entering fade at the window's edge. Geometry is shared
with :mod:`lessonreel.kinds.code`, which plans the rows.

Named parts: ``line:<n>`` (1-based, while in view), ``bar:<i>``, ``scroll``
(the scroll bar's thumb), ``var:<name>`` (the value) and ``name:<name>``,
``code_panel``, ``vars_panel``.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    LEFT, RIGHT, UL, UP, FadeIn, FadeOut, GrowFromEdge, LaggedStart, Rectangle, RoundedRectangle, Text, Transform,
    UpdateFromAlphaFunc, VGroup, there_and_back,
)

from .. import theme
from ..kinds import code as spec
from .common import Size, shrink_to
from .stepped import Change, Stepped

DIM_OPACITY = 0.38   # lines the run is not at
BAR_OPACITY = 0.3
CODE_BG = "#172033"
_ADVANCE: dict[str, tuple[float, float]] = {}


def _metrics(font: str) -> tuple[float, float]:
    """(advance, cap height) of the monospace font at spec.FONT."""
    if font not in _ADVANCE:
        mm = Text("MM", font=font, font_size=spec.FONT)
        _ADVANCE[font] = (mm[1].get_left()[0] - mm[0].get_left()[0], mm[0].height)
    return _ADVANCE[font]


def mono_text(line: str, font: str, colors=None, color: str = theme.TEXT):
    """Text of one line whose origin is the left of its first column on the baseline (leading spaces count).

    ``colors`` gives each non-space character's colour. Returns None for a blank line.
    Manim's Text has one submobject per character, spaces included (empty ones).
    """
    line = line.rstrip()
    if not line.strip():
        return None
    advance, _ = _metrics(font)
    ref = Text("M" + line, font=font, font_size=spec.FONT, disable_ligatures=True)
    text = Text(line, font=font, font_size=spec.FONT, disable_ligatures=True, color=color)
    first = len(line) - len(line.lstrip())
    if len(ref) == len(line) + 1 and len(text) == len(line):
        text.shift(ref[first + 1].get_center() - text[first].get_center())
        glyphs = [text[i] for i, ch in enumerate(line) if not ch.isspace()]
    else:  # glyphs that do not map one to one: align the ends instead
        text.move_to(ref, aligned_edge=RIGHT)
        glyphs = []
    text.shift(-np.array([ref[0].get_left()[0] + advance, ref[0].get_bottom()[1], 0]))
    if colors and len(colors) == len(glyphs):
        for glyph, c in zip(glyphs, colors):
            glyph.set_color(c)
    return text


def syntax_colours(lines: list[str], language: str) -> list[list[str]]:
    """Per line, the colour of each non-space character (monokai)."""
    from pygments.lexers import get_lexer_by_name
    from pygments.styles import get_style_by_name

    style = get_style_by_name("monokai")
    lexer = get_lexer_by_name(language, stripnl=False, stripall=False, ensurenl=False)
    out: list[list[str]] = [[]]
    for ttype, value in lexer.get_tokens("\n".join(lines)):
        c = style.style_for_token(ttype).get("color")
        c = f"#{c}" if c else "#F8F8F2"
        for ch in value:
            if ch == "\n":
                out.append([])
            elif not ch.isspace():
                out[-1].append(c)
    return out + [[] for _ in range(len(lines) - len(out))]


def _runs(lines: list[int]) -> list[tuple[int, int]]:
    """Consecutive 0-based lines as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for i in sorted(set(lines)):
        if runs and i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


class TracedCode(Stepped):
    def __init__(self, size: Size, source: str, language: str, highlight=None, vars=None, steps=None):
        super().__init__(steps)
        visual = {"source": source, "vars": vars or {}, "steps": self.spec_steps}
        self.lines = spec.source_lines(visual)
        n = self.n = len(self.lines)
        self.font = theme.font_for(source, theme.MONO_FONT)
        self.advance, self.cap = _metrics(self.font)
        colours = syntax_colours(self.lines, language)
        digits = len(str(n))
        self.code_left = spec.PAD_X + digits * self.advance + spec.NUM_GAP
        self.rows = [self._row(i, digits, colours[i]) for i in range(n)]
        text_w = max((r[1].get_right()[0] - self.code_left for r in self.rows if len(r) > 1), default=1.0)
        self.names = spec.variables(visual)
        panel_w = self._panel_width(visual) if self.names else 0.0
        panel_h = spec.panel_height(visual)

        def width(windowed):
            w = 2 * spec.PAD_X + spec.TEXT_END + digits * self.advance + spec.NUM_GAP + text_w + (
                spec.SCROLL_W if windowed else 0)
            return w, w + (spec.PANEL_GAP + panel_w if panel_w else 0)

        full = min(spec.GROW, size[0] / width(False)[1], size[1] / max(spec.code_height(n), panel_h))
        self.k = n
        if full < spec.MIN_SCALE - 1e-6:
            scale = min(spec.MIN_SCALE, size[0] / width(True)[1])
            self.k = max(2, min(n, math.floor((size[1] / scale - 2 * spec.PAD_Y) / spec.PITCH + 1e-6)))
        self.windowed = self.k < n
        self.code_w, _ = width(self.windowed)
        # The states: lit lines (0-based) and the window's first line, before and after each step.
        lit = [i - 1 for i in highlight or []]
        self.lit, self.tops = [lit], [self._top(lit, 0)]
        for step in self.spec_steps:
            lit = [i - 1 for i in step["highlight"]] if "highlight" in step else lit
            self.lit.append(lit)
            self.tops.append(self._top(lit, self.tops[-1]))
        self.state = 0
        # Code panel, bars, scroll bar, lines in view.
        self.panel = RoundedRectangle(corner_radius=0.12, width=self.code_w, height=spec.code_height(self.k),
                                      fill_color=CODE_BG, fill_opacity=1, stroke_color=theme.DIM, stroke_width=2)
        self.panel.move_to([self.code_w / 2, -spec.code_height(self.k) / 2, 0])
        self.add(self.part("code_panel", self.panel))
        self.set_reference(self.panel)
        pool, runs = max((len(_runs(s)) for s in self.lit), default=0), self._bar_runs(0)
        self.bars = [self.part(f"bar:{i}", self._bar(runs[i] if i < len(runs) else None)) for i in range(pool)]
        self.add(*self.bars)
        self.shown = VGroup()
        for i in self._window(0):
            self._put_row(self.rows[i], i - self.tops[0])
            self.rows[i].set_opacity(self._brightness(0, i))
            self.shown.add(self.rows[i])
            self._name_line(i)
        self.add(self.shown)
        self.thumb = None
        if self.windowed:
            self.track = Rectangle(width=0.06, height=spec.code_height(self.k) - 2 * spec.PAD_Y, stroke_width=0,
                                   fill_color=theme.DIM, fill_opacity=0.35)
            self.track.move_to([self.code_w - spec.SCROLL_W / 2 - 0.04, -spec.code_height(self.k) / 2, 0])
            self.thumb = self.part("scroll", Rectangle(width=0.06, height=self.track.height * self.k / n,
                                                       stroke_width=0, fill_color=theme.TEXT, fill_opacity=0.7))
            self.thumb.move_to(self._thumb_at(self.tops[0]))
            self.add(self.track, self.thumb)
        if self.names:
            self._build_panel(panel_w, panel_h, vars or {})
        shrink_to(self, size, grow=spec.GROW)

    # --------------------------------------------------------- geometry ---
    def _row(self, i: int, digits: int, colours) -> VGroup:
        """Line i at its natural size, placed as if in slot i of the panel (top left at the origin)."""
        baseline = -(spec.PAD_Y + i * spec.PITCH) - (spec.PITCH + self.cap) / 2
        label = str(i + 1)
        number = mono_text(label, self.font, color=theme.DIM)
        number.shift([spec.PAD_X + (digits - len(label)) * self.advance, baseline, 0])
        row = VGroup(number)
        text = mono_text(self.lines[i], self.font, colours)
        if text is not None:
            row.add(text.shift([self.code_left, baseline, 0]))
        row.lesson_offset = row.get_center() - np.array([0, -(spec.PAD_Y + i * spec.PITCH), 0])
        row.lesson_number_width = number.width
        return row

    def _top(self, lit: list[int], top: int) -> int:
        """The window's first line once ``lit`` is in view (moving as little as it can, a line of context kept)."""
        if not self.windowed or not lit:
            return top if self.windowed else 0
        k, first, last = self.k, min(lit), max(lit)
        margin = 1 if k >= 5 else 0
        if last - first + 1 + 2 * margin > k:
            return max(0, min(first - margin, self.n - k))
        if first - margin < top:
            top = first - margin
        elif last + margin > top + k - 1:
            top = last + margin - k + 1
        return max(0, min(top, self.n - k))

    def _window(self, state: int) -> range:
        return range(self.tops[state], self.tops[state] + self.k)

    def _brightness(self, state: int, i: int) -> float:
        return 1.0 if not self.lit[state] or i in self.lit[state] else DIM_OPACITY

    def _corner(self) -> np.ndarray:
        return self.panel.get_corner(UL)

    def _put_row(self, row: VGroup, slot: float) -> None:
        unit = self.unit
        now = row[0].width / row.lesson_number_width
        if abs(now - unit) > 1e-9:
            row.scale(unit / now)
        top = -(spec.PAD_Y + slot * spec.PITCH)
        row.move_to(self._corner() + (row.lesson_offset + np.array([0, top, 0])) * unit)

    def _clip(self, slot: float) -> float:
        """How visible a line is at ``slot``: fully inside the window, fading out within half a line beyond."""
        beyond = max(-slot, slot - (self.k - 1), 0.0)
        return max(0.0, 1.0 - 2 * beyond)

    def _bar_runs(self, state: int) -> list[tuple[int, int]]:
        window = self._window(state)
        out = []
        for first, last in _runs(self.lit[state]):
            first, last = max(first, window.start), min(last, window.stop - 1)
            if first <= last:
                out.append((first - window.start, last - window.start))
        return out

    def _bar(self, run) -> Rectangle:
        """A bar behind the slots of ``run`` (first, last), or an invisible one in slot 0."""
        unit = self.unit
        first, last = run or (0, 0)
        inset = 0.07
        width = self.code_w - 2 * inset - (spec.SCROLL_W if self.windowed else 0)
        bar = Rectangle(width=width * unit, height=(last - first + 1) * spec.PITCH * unit, stroke_width=0,
                        fill_color=theme.BLUE, fill_opacity=BAR_OPACITY if run else 0)
        top = -(spec.PAD_Y + first * spec.PITCH)
        return bar.move_to(self._corner() + np.array([inset + width / 2, top - (last - first + 1) * spec.PITCH / 2, 0]) * unit)

    def _thumb_at(self, top: int) -> np.ndarray:
        travel = self.track.height - self.thumb.height
        y = self.track.get_top()[1] - self.thumb.height / 2 - travel * top / max(1, self.n - self.k)
        return np.array([self.track.get_x(), y, 0])

    def _name_line(self, i: int) -> None:
        row = self.rows[i]
        self.part(f"line:{i + 1}", row[1] if len(row) > 1 else row[0])

    # ------------------------------------------------------------ panel ---
    def _panel_width(self, visual: dict) -> float:
        self.name_col = max(map(len, self.names)) * self.advance
        values = [spec.show_value(v) for s in [visual, *self.spec_steps] for v in (s.get("vars") or {}).values()
                  if v is not None]
        value_w = max(map(len, values), default=1) * self.advance
        self.title = Text(spec.TITLE, font=theme.font_for(spec.TITLE), font_size=spec.FONT, color=theme.DIM)
        return 2 * spec.PAD_X + max(self.title.width, self.name_col + 3 * self.advance + value_w)

    def _build_panel(self, width: float, height: float, initial: dict) -> None:
        left = self.code_w + spec.PANEL_GAP
        self.vpanel = RoundedRectangle(corner_radius=0.12, width=width, height=height, fill_color=theme.PANEL,
                                       fill_opacity=1, stroke_color=theme.DIM, stroke_width=2)
        self.vpanel.move_to([left + width / 2, -height / 2, 0])
        self.add(self.part("vars_panel", self.vpanel))
        self.title.move_to([left + spec.PAD_X, -spec.PAD_Y - spec.TITLE_H / 2 + 0.04, 0], aligned_edge=LEFT)
        self.flashes, self.var_names, self.var_eqs, self.var_values = [], {}, {}, {}
        for j, name in enumerate(self.names):
            base = self._var_baseline(j)
            flash = Rectangle(width=width - 0.14, height=spec.VAR_PITCH - 0.06, stroke_width=0,
                              fill_color=theme.ACCENT, fill_opacity=0)
            flash.move_to([left + width / 2, base + self.cap / 2, 0])
            self.flashes.append(flash)
            self.var_names[name] = self.part(f"name:{name}", mono_text(name, self.font, color=theme.BLUE)
                                             .shift([left + spec.PAD_X, base, 0]))
            self.var_eqs[name] = mono_text("=", self.font, color=theme.DIM).shift(
                [left + spec.PAD_X + self.name_col + self.advance, base, 0])
            value = initial.get(name)
            self.var_values[name] = self.part(f"var:{name}", self._value_text(j, "?" if value is None else value,
                                                                              theme.TEXT, natural=True))
        self.add(*self.flashes, self.title, *self.var_names.values(), *self.var_eqs.values(),
                 *self.var_values.values())
        self.var_shown = {name for name in initial}
        self.var_lit: set[str] = set()

    def _var_baseline(self, j: int) -> float:
        return -(spec.PAD_Y + spec.TITLE_H + j * spec.VAR_PITCH) - (spec.VAR_PITCH + self.cap) / 2

    def _value_text(self, j: int, value, color: str, natural: bool = False):
        text = mono_text(spec.show_value(value), self.font, color=color) or mono_text("''", self.font, color=color)
        left = self.code_w + spec.PANEL_GAP + spec.PAD_X + self.name_col + 3 * self.advance
        origin = np.array([left, self._var_baseline(j), 0])
        if natural:
            return text.shift(origin)
        # Now: relative to the panel's top left corner, at the visual's current scale.
        corner = self.vpanel.get_corner(UL)
        offset = origin - np.array([self.code_w + spec.PANEL_GAP, 0, 0])
        return text.scale(self.unit, about_point=np.zeros(3)).shift(corner + offset * self.unit)

    # ------------------------------------------------------- animations ---
    def entrance(self) -> Change:
        def draw():
            anims = [FadeIn(self.panel)]
            runs = len(self._bar_runs(0))
            anims += [GrowFromEdge(bar, LEFT) if i < runs else FadeIn(bar) for i, bar in enumerate(self.bars)]
            rows = [self.rows[i] for i in self._window(0)]
            anims.append(LaggedStart(*[FadeIn(r, shift=RIGHT * 0.15) for r in rows], lag_ratio=0.5 / len(rows)))
            if self.thumb is not None:
                anims += [FadeIn(self.track), FadeIn(self.thumb)]
            if self.names:
                anims += [FadeIn(self.vpanel), *[FadeIn(f) for f in self.flashes], FadeIn(self.title)]
                anims += [FadeIn(m) for n in self.names if n in self.var_shown
                          for m in (self.var_names[n], self.var_eqs[n], self.var_values[n])]
            return anims
        return Change(self, [draw])

    def step(self, index: int) -> Change:
        return Change(self, self.phases_for(index))

    def phases_for(self, index: int) -> list:
        """The line moves first (the run gets there), then the values it sets change."""
        step, state = self.spec_steps[index], index + 1
        phases = []
        if "highlight" in step:
            phases.append(lambda: self._revert() + self._move(state))
        if step.get("vars"):
            first = "highlight" not in step
            setting = set(step["vars"])
            phases.append(lambda: (self._revert(setting) if first else []) + self._set(step["vars"]))
        return phases

    def _revert(self, skip=()) -> list:
        """Values a step changed go back to the plain colour at the next step (unless it changes them again)."""
        lit = getattr(self, "var_lit", set())
        anims = [self.var_values[n].animate.set_color(theme.TEXT) for n in sorted(lit - set(skip))]
        self.var_lit = set()
        return anims

    def _move(self, state: int) -> list:
        before, self.state = self.state, state
        t0, t1, k = self.tops[before], self.tops[state], self.k
        shift = t1 - t0
        jump = abs(shift) > k  # far away: the old lines leave by a window's height, the new ones come in
        old, new = set(self._window(before)), set(self._window(state))
        anims = []
        for i in sorted(old | new):
            row = self.rows[i]
            if jump:
                sign = 1 if shift > 0 else -1
                slot0, slot1 = (i - t0, i - t0 - sign * k) if i in old else (i - t1 + sign * k, i - t1)
            else:
                slot0, slot1 = i - t0, i - t1
            b0 = self._brightness(before, i) if i in old else self._brightness(state, i)
            b1 = self._brightness(state, i)
            if i not in old:
                self._put_row(row, slot0)
                row.set_opacity(0)
                self.shown.add(row)
            if i not in new:
                self.shown.remove(row)
                self.lesson_parts.pop(f"line:{i + 1}", None)
            else:
                self._name_line(i)
            anims.append(self._row_motion(row, slot0, slot1, b0, b1, leaves=i not in new))
        runs = self._bar_runs(state)
        visible = [b for b in self.bars if b.get_fill_opacity() > 0]
        for i, bar in enumerate(self.bars):
            target = self._bar(runs[i] if i < len(runs) else None)
            if bar.get_fill_opacity() == 0:  # it appears: from where a bar is, or in place
                bar.become((visible[0] if visible else target).copy().set_fill(opacity=0))
            if i >= len(runs):  # it leaves: into the first bar
                target = self._bar(runs[0]).set_fill(opacity=0) if runs else bar.copy().set_fill(opacity=0)
            anims.append(Transform(bar, target))
        if self.thumb is not None and t1 != t0:
            anims.append(self.thumb.animate.move_to(self._thumb_at(t1)))
        return anims

    def _row_motion(self, row, slot0: float, slot1: float, b0: float, b1: float, leaves: bool):
        def update(mob, alpha):
            slot = slot0 + (slot1 - slot0) * alpha
            self._put_row(mob, slot)
            mob.set_opacity((b0 + (b1 - b0) * alpha) * self._clip(slot))
        return UpdateFromAlphaFunc(row, update, remover=leaves)

    def _set(self, values: dict) -> list:
        anims = []
        for name, value in values.items():
            j = self.names.index(name)
            parts = (self.var_names[name], self.var_eqs[name], self.var_values[name])
            if value is None:
                if name in self.var_shown:
                    anims += [FadeOut(m) for m in parts]
                    self.var_shown.discard(name)
                continue
            new = self._value_text(j, value, theme.ACCENT)
            if name in self.var_shown:  # the old value rolls up and out, the new one rolls in from below
                old, roll = self.var_values[name], UP * 0.22 * self.unit
                anims += [FadeOut(old, shift=roll), FadeIn(new, shift=roll)]
                self.remove(old)
                self.add(new)
                self.var_values[name] = self.part(f"var:{name}", new)
            else:
                self.var_values[name].become(new)
                anims += [FadeIn(m) for m in parts]
                self.var_shown.add(name)
            anims.append(self.flashes[j].animate(rate_func=there_and_back).set_fill(opacity=0.2))
            self.var_lit.add(name)
        return anims


def traced_code(size: Size, source: str, language: str, highlight=None, vars=None, steps=None) -> TracedCode:
    """A code listing traced step by step, with a variables panel; see ``kinds.code``."""
    return TracedCode(size, source, language, highlight=highlight, vars=vars, steps=steps)
