# lessonreel repair corpus: A misspelt local variable
# equaton is a typo for the local variable equation.
# expect-class: NameError
# expect-line: 34
# expect-failure: undefined_name
# expect-fix: deterministic
# expect-fixer: fix_misspelt_name

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A misspelt local variable'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        equation = MathTex(r"a^2 + b^2 = c^2")
        self.place_in(equation, "A1", "F3")
        self.play(Write(equation), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.play(Indicate(equaton), run_time=0.3)
        self.wait(0.2)

        self.finish()
