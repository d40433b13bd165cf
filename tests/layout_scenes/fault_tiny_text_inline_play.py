# lessonreel layout corpus: A tiny note created inside self.play
# The "(not to scale)" note is built inline in the play call at font size 11, too small to
# read; it has no name, so no fixer can address it.
# expect-problem: tiny_text
# expect-fix: none

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'The solar system'
    lines = [
        'The Sun and the Earth',
        'The drawing is not to scale',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        sun = V.shape('circle', self.area_size("A1", "C4"), label='Sun', color=theme.ACCENT)
        self.place_in(sun, "A1", "C4")
        earth = V.shape('circle', self.area_size("E2", "F3"), label='Earth', color=theme.BLUE)
        self.place_in(earth, "E2", "F3")
        self.play(FadeIn(sun), FadeIn(earth), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.play(FadeIn(Text('(not to scale)', font=theme.FONT, font_size=11, color=theme.DIM).move_to([2.3, -2.8, 0])),
                  run_time=0.3)
        self.wait(0.3)

        self.finish()
