# lessonreel repair corpus: Unicode in MathTex
# LaTeX (without extra packages) refuses Greek letters typed as Unicode.
# expect-class: TexError
# expect-line: 27
# expect-failure: tex
# expect-fix: deterministic
# expect-fixer: fix_tex

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'Unicode in MathTex'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        angles = MathTex(r"α + β = γ", font_size=44)
        self.place_in(angles, "A1", "F3")
        self.play(Write(angles), run_time=0.5)
        self.wait(0.2)

        self.finish()
