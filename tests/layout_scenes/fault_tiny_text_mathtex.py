# lessonreel layout corpus: A limit condition at font size 14
# The condition under the sum is a MathTex at font size 14, next to a formula at size 72;
# the learner cannot read the part that says what n runs over.
# expect-problem: tiny_text condition
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'A geometric series'
    lines = [
        'Add halves forever',
        'The sum approaches 2',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        series = V.equation(r'1 + \tfrac{1}{2} + \tfrac{1}{4} + \dots = 2', self.area_size("A2", "F4"))
        self.place_in(series, "A2", "F4")
        self.play(Write(series), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        condition = MathTex(r'\text{as } n \to \infty', font_size=14)
        condition.next_to(series, DOWN, buff=0.6)
        self.play(FadeIn(condition), run_time=0.3)
        self.wait(0.3)

        self.finish()
