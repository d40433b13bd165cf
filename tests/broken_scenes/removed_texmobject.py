# lessonreel repair corpus: TexMobject is gone
# TexMobject (LaTeX math) is MathTex in Manim Community.
# expect-class: NameError
# expect-line: 27
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_renamed_name

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'TexMobject is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        formula = TexMobject(r"e^{i\pi} + 1 = 0")
        self.place_in(formula, "A1", "F3")
        self.play(Write(formula), run_time=0.5)
        self.wait(0.2)

        self.finish()
