"""The scene kit that generated scenes build on.

A ``LessonScene`` has a title bar, a lecture column on the left whose current
line is highlighted, and a 6x6 anchor grid on the right (cells A1..F6, column
letter then row number) where visuals are placed with ``place_at`` and
``place_in``. Generated code only chooses cells; the kit does the geometry.
"""

from __future__ import annotations

from manim import (
    DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, Line, Scene, Text, VGroup, config, TexTemplate,
    Dot, Group,
)

import inspect
import math
import os
from pathlib import Path

from . import grid, theme
from . import visuals as V  # noqa: F401  (re-exported for generated scenes)
from .grid import area_box, cell_box
from .critic.trace import install_from_env, note_voice
from .render import VOICE_ENV

# When the workflow asks for a layout trace (LESSONREEL_LAYOUT_TRACE), record
# one from this very run: every play/wait ends with a snapshot of the layout.
install_from_env()

# Manim's default TeX template needs the `standalone` class (texlive-latex-extra);
# the article class with an empty page style renders the same with only
# texlive-latex-base, which keeps the install small.
_TEMPLATE = TexTemplate(
    documentclass=r"\documentclass[12pt]{article}",
    preamble="\\usepackage{amsmath}\n\\usepackage{amssymb}\n\\pagestyle{empty}",
)
config.tex_template = _TEMPLATE
config.background_color = theme.BACKGROUND

PAD = 0.12  # space kept free inside an area, so neighbours never touch
CAPTION_ROOM = 0.62  # a one-line caption (label font) and its gap above
CHANGE_SECONDS = (0.6, 1.5)  # a quick change of a stepped visual: long enough to follow, no longer
TRAVEL_SECONDS = (1.2, 4.5)  # a travel goes on while the voice describes it, but never drags
CHANGE_SHARE = 0.85  # of the time until the next change: the rest is a short hold to take it in


def phase_times(travels: list[bool], run_time: float | None, within: float | None) -> list[float]:
    """Seconds for each phase of a change, given which phases are travels (see ``play_changes``)."""
    if run_time is not None or not travels:
        return [run_time or 0.8] * len(travels)
    budget = CHANGE_SHARE * (within if within is not None else 2.4)
    quick = [t for t in travels if not t]
    each_quick = min(CHANGE_SECONDS[1], max(CHANGE_SECONDS[0], budget / len(travels)))
    left = budget - each_quick * len(quick)
    n_travel = len(travels) - len(quick)
    each_travel = min(TRAVEL_SECONDS[1], max(TRAVEL_SECONDS[0], left / n_travel)) if n_travel else 0.0
    return [round(each_travel if t else each_quick, 3) for t in travels]


# A narrated scene's audio is <dir>/<voice id>.wav, written by the workflow's narrate
# rule; renders name the folder in VOICE_ENV, else it is "voice" beside the scene file.


class LessonScene(Scene):
    """Base class of every section scene."""

    topic_title: str = ""
    section_title: str = ""
    lines: list[str] = []
    voice_pause: float = 0.4  # quiet after each step's narration before the next step begins
    language: str = ""  # the topic's language: which CJK glyph forms its text takes (theme.font_for)

    def setup(self):
        theme.LANGUAGE = self.language or None
        self.camera.background_color = theme.BACKGROUND
        self.current_line = None
        self.line_mobjects = self._build_lecture_column()
        self.placed: list = []
        self._step_start = 0.0
        self._voice_end = 0.0

    # ------------------------------------------------------ frame parts ---
    def title_card(self, title: str, subtitle: str | None = None, seconds: float = 2.5,
                   voice: tuple[str, float] | None = None):
        """A short opening card with the topic's title; ``voice`` (id, seconds) says it."""
        if voice:
            self.narrate(*voice)
        heading = V.paragraph(title, grid.SAFE.width - 2, None, font_size=56, color=theme.TEXT,
                              align="center", min_font_size=36)
        card = VGroup(heading)
        if subtitle:
            card.add(Text(subtitle, font=theme.font_for(subtitle), font_size=theme.BODY_FONT_SIZE, color=theme.ACCENT))
        card.arrange(DOWN, buff=0.5)
        rule = Line(LEFT * 3, RIGHT * 3, color=theme.ACCENT, stroke_width=4).next_to(heading, DOWN, buff=0.25)
        card.lesson_role = rule.lesson_role = "card"  # kit parts: the layout critic knows them apart
        self.play(FadeIn(card, shift=UP * 0.3), FadeIn(rule), run_time=1.2)
        if voice:
            self.wait_for_voice(at_least=1.2 + seconds)
        else:
            self.wait(seconds)
        self.play(FadeOut(card), FadeOut(rule), run_time=0.6)

    def show_title(self):
        """Draw the title bar and the frame of the lecture column."""
        bar = grid.TITLE_BAR
        heading = Text(self.section_title, font=theme.font_for(self.section_title), font_size=theme.TITLE_FONT_SIZE,
                       color=theme.TEXT, weight="BOLD")
        if heading.width > bar.width * 0.72:
            heading.scale_to_fit_width(bar.width * 0.72)
        heading.move_to([bar.left, (bar.top + bar.bottom) / 2, 0], aligned_edge=LEFT)
        rule = Line([bar.left, bar.bottom, 0], [bar.right, bar.bottom, 0], color=theme.ACCENT, stroke_width=3)
        parts = VGroup(heading, rule)
        if self.topic_title:
            topic = Text(self.topic_title, font=theme.font_for(self.topic_title), font_size=theme.MIN_FONT_SIZE,
                         color=theme.DIM)
            if topic.width > bar.width * 0.25:
                topic.scale_to_fit_width(bar.width * 0.25)
            topic.move_to([bar.right, (bar.top + bar.bottom) / 2, 0], aligned_edge=RIGHT)
            parts.add(topic)
        parts.lesson_role = "title"
        self.play(FadeIn(parts, shift=DOWN * 0.2), run_time=0.8)
        self.title_bar = parts

    def _build_lecture_column(self) -> VGroup:
        col = grid.LECTURE_COLUMN
        font_size = theme.LINE_FONT_SIZE
        while True:
            items = VGroup()
            for text in self.lines:
                body = V.paragraph(text, col.width - 0.45, None, font_size=font_size, min_font_size=font_size,
                                   color=theme.TEXT)
                marker = Dot(radius=0.07, color=theme.ACCENT)
                marker.next_to(body[0], LEFT, buff=0.22).shift(DOWN * 0.02)
                item = VGroup(marker, body)
                item.lesson_role = "lecture"
                items.add(item)
            if items:
                items.arrange(DOWN, buff=0.42, aligned_edge=LEFT)
            if not items or items.height <= col.height or font_size <= theme.MIN_FONT_SIZE:
                break
            font_size -= 2
        if items:
            # markers line up with the title; the text then ends inside the column (x <= col.right)
            items.move_to([col.left + 0.05, col.top, 0], aligned_edge=LEFT + UP)
        return items

    def highlight_line(self, index: int, run_time: float = 0.6):
        """Reveal lecture line ``index`` (0-based) as current and dim the previous one."""
        if index == self.current_line:
            return
        anims = []
        if self.current_line is not None:
            prev = self.line_mobjects[self.current_line]
            anims.append(prev[1].animate.set_color(theme.DIM))
            anims.append(prev[0].animate.set_color(theme.DIM))
        line = self.line_mobjects[index]
        anims.append(FadeIn(line, shift=RIGHT * 0.2))
        self.play(*anims, run_time=run_time)
        self.current_line = index

    # -------------------------------------------------------- narration ---
    def narrate(self, voice: str, seconds: float):
        """Start a step's narration now: ``<voice dir>/<voice>.wav``, ``seconds`` long.

        The step's animations play while it is spoken; ``wait_for_voice`` at the
        step's end holds the picture until it has been said, so a step never
        cuts its voice off however long its animations take.
        """
        self._step_start = self.renderer.time
        self._voice_end = self.renderer.time + seconds + self.voice_pause
        note_voice(self, voice, seconds)  # for the subtitles: when it really starts
        if not self.renderer.skip_animations:  # dry runs and skipped parts play no sound
            self.add_sound(str(self._voice_file(voice)))

    def wait_for_voice(self, at_least: float = 0.0, hold: float = 0.6):
        """End a narrated step once its narration and the pause after it are over.

        Also at least ``at_least`` seconds after the step began (time to take in
        its visual) and ``hold`` seconds after its last animation.
        """
        now = self.renderer.time
        end = max(self._voice_end, self._step_start + at_least, now + hold)
        # Whole frames, rounded up: Manim rounds a wait to frames, and down would clip the pause.
        frames = math.ceil((end - now) * config.frame_rate - 1e-6)
        self.wait(max(1, frames) / config.frame_rate)

    def wait_until(self, at: float):
        """Hold the picture until ``at`` seconds after the current step's voice began (no-op when later)."""
        frames = math.floor((self._step_start + at - self.renderer.time) * config.frame_rate + 1e-6)
        if frames > 0:
            self.wait(frames / config.frame_rate)

    def play_changes(self, *changes, at: float | None = None, run_time: float | None = None,
                     within: float | None = None):
        """Play steps of stepped visuals (``visual.step(k)``, ``visual.entrance()``) together.

        ``at`` is when they start, in seconds after the current step's voice
        began (so a change lands when the narration says what it shows); the
        picture holds until then. Each change's phases play one after another,
        the n-th phases of all changes together.

        ``within``: the seconds until the next change is due (or the voice
        ends). The phases share that time: a quick change (a colour, a label)
        takes at most ``CHANGE_SECONDS``; a travel (a point moving along a
        curve, tokens flowing, the plane transforming) goes on while it is
        being described, up to ``TRAVEL_SECONDS``. ``run_time`` fixes every
        phase's time instead.
        """
        if at is not None:
            self.wait_until(at)
        from itertools import zip_longest

        groups = [[p for p in group if p is not None] for group in zip_longest(*[c.phases for c in changes])]
        groups = [g for g in groups if g]
        times = phase_times([any(getattr(p, "travel", False) for p in g) for g in groups], run_time, within)
        for group, seconds in zip(groups, times):
            anims = [anim for phase in group for anim in phase()]
            if anims:
                self.play(*anims, run_time=seconds)

    def _voice_file(self, voice: str) -> Path:
        folder = os.environ.get(VOICE_ENV)
        if folder:
            base = Path(folder)
        else:
            base = Path(inspect.getfile(type(self))).resolve().parent / "voice"
        path = base / f"{voice}.wav"
        if not path.is_file():
            raise FileNotFoundError(f"narration audio {path} is missing: the section's narrate step writes it "
                                    f"(snakemake rebuilds it), or remove the self.narrate(...) calls")
        return path

    # ------------------------------------------------------------- grid ---
    def area_size(self, first: str, last: str | None = None, caption: bool = False) -> tuple[float, float]:
        """Width and height available to a visual in an area (padding removed).

        ``caption``: leave room for a one-line caption under it (``caption_for``),
        so the visual is built at the size it keeps, not shrunk afterwards.
        """
        box = area_box(first, last or first).shrink(PAD)
        return (box.width, box.height - (CAPTION_ROOM if caption else 0.0))

    def place_in(self, mob, first: str, last: str):
        """Scale mob down to fit the area between two cells and centre it there."""
        box = area_box(first, last).shrink(PAD)
        factor = min(1.0, box.width / max(mob.width, 1e-6), box.height / max(mob.height, 1e-6))
        if factor < 1.0:
            mob.scale(factor)
        mob.move_to([*box.center, 0])
        mob.lesson_area = box
        self.placed.append(mob)
        return mob

    def place_at(self, mob, cell: str):
        """Scale mob down to fit one cell and centre it there."""
        return self.place_in(mob, cell, cell)

    def caption_for(self, mob, caption: str):
        """Add a caption under a placed visual, inside the visual's own area."""
        box = mob.lesson_area
        note = V.paragraph(caption, box.width, None, font_size=theme.LABEL_FONT_SIZE, color=theme.DIM,
                           align="center")
        room = box.height - note.height - 0.15
        if mob.height > room:
            mob.scale(room / mob.height)
        note.next_to(mob, DOWN, buff=0.15)
        top_gap = box.top - mob.get_top()[1]
        bottom_gap = note.get_bottom()[1] - box.bottom
        dy = (top_gap - bottom_gap) / 2
        mob.shift([0, dy, 0])
        note.shift([0, dy, 0])
        self.placed.append(note)
        return note

    def clear_grid(self, run_time: float = 0.5):
        """Fade out everything placed on the grid so far.

        Visuals are often drawn part by part (axes, then graph), so what is on
        screen are their parts: fade every scene mobject that belongs to a
        placed visual's family.
        """
        family = set()
        for m in self.placed:
            family.update(m.get_family())
        on_screen = [m for m in self.mobjects if m in family]
        if on_screen:
            self.play(*[FadeOut(m) for m in on_screen], run_time=run_time)
        self.placed = []

    def finish(self, seconds: float = 0.8):
        """End the section with a short pause and fade everything out."""
        self.wait(seconds)
        self.play(FadeOut(Group(*self.mobjects)), run_time=0.6)


__all__ = ["LessonScene", "V", "theme", "cell_box", "area_box"]
