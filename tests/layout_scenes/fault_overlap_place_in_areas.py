# lessonreel layout corpus: Bullets and an equation placed in overlapping areas
# The bullets fill rows 1-4 and the equation is placed in rows 2-5, so the equation is
# drawn over the last bullets and the learner can read neither.
# expect-problem: overlap formula, steps
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Area of a triangle'
    lines = [
        'How to find the area',
        'The formula',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        steps = V.bullets(['Pick a side as the base', 'Measure the height to it', 'Multiply base by height',
                           'Take half of the product', 'Give the unit squared'], self.area_size("A1", "F4"))
        self.place_in(steps, "A1", "F4")
        self.play(FadeIn(steps), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        formula = V.equation(r'A = \tfrac{1}{2}\, b\, h', self.area_size("A2", "F5"))
        self.place_in(formula, "A2", "F5")
        self.play(Write(formula), run_time=0.5)
        self.wait(0.3)

        self.finish()
