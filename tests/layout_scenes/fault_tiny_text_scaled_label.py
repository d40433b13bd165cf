# lessonreel layout corpus: A label scaled down to 0.3
# The side label is scaled by 0.3 after it was created at size 30, leaving text of size 9
# that the learner cannot read.
# expect-problem: tiny_text base
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'A right triangle'
    lines = [
        'A triangle with a right angle',
        'The base is 4 cm long',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        triangle = Polygon([0, 0, 0], [4, 0, 0], [0, 3, 0], color=theme.BLUE)
        self.place_in(triangle, "A1", "D5")
        self.play(Create(triangle), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        base = Text('base = 4 cm', font=theme.FONT, font_size=30, color=theme.ACCENT).scale(0.3)
        base.next_to(triangle, DOWN, buff=0.2)
        self.play(FadeIn(base), run_time=0.3)
        self.wait(0.3)

        self.finish()
