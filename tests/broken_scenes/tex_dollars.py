# lessonreel repair corpus: Dollars in MathTex
# MathTex is already math mode; $...$ inside it breaks LaTeX.
# expect-class: TexError
# expect-line: 27
# expect-failure: tex
# expect-fix: deterministic
# expect-fixer: fix_tex

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'Dollars in MathTex'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        energy = MathTex(r"$E = mc^2$")
        self.place_in(energy, "A1", "F3")
        self.play(Write(energy), run_time=0.5)
        self.wait(0.2)

        self.finish()
