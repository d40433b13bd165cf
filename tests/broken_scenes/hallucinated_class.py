# lessonreel repair corpus: An invented class
# CurlyBrace does not exist (Brace does, but is not close).
# expect-class: NameError
# expect-line: 27
# expect-failure: undefined_name
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An invented class'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        formula = MathTex(r"a + b")
        brace = CurlyBrace(formula, direction=DOWN)
        self.place_in(VGroup(formula, brace), "A1", "F3")
        self.play(Write(formula), GrowFromCenter(brace), run_time=0.5)
        self.wait(0.2)

        self.finish()
