# lessonreel repair corpus: Math in Tex
# Tex is text mode; x^2 needs MathTex (LaTeX: Missing $ inserted).
# expect-class: TexError
# expect-line: 27
# expect-failure: tex
# expect-fix: deterministic
# expect-fixer: fix_tex

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'Math in Tex'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        square_law = Tex(r"x^2 + 1")
        self.place_in(square_law, "A1", "F3")
        self.play(Write(square_law), run_time=0.5)
        self.wait(0.2)

        self.finish()
