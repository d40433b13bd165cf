# lessonreel layout corpus: An equation scaled up after placing
# The equation is scaled by 1.8 after place_in fitted it to its area, so its right end runs
# past the frame and the result of the formula is cut off.
# expect-problem: off_frame result
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Kinetic energy'
    lines = [
        'Moving things carry energy',
        'Half the mass times speed squared',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        idea = V.text('A moving object can do work.', self.area_size("A1", "F2"))
        self.place_in(idea, "A1", "F2")
        self.play(FadeIn(idea), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        result = V.equation(r'E = \tfrac{1}{2} m v^2', self.area_size("D3", "F6"))
        self.place_in(result, "D3", "F6")
        result.scale(1.8)
        self.play(Write(result), run_time=0.5)
        self.wait(0.3)

        self.finish()
