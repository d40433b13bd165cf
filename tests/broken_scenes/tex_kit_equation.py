# lessonreel repair corpus: Bad TeX through the kit
# \sfrac needs a package the template lacks; the error is raised inside V.equation -> MathTex ->
# compile_tex. The fix switches to V.text with a plain version.
# expect-class: TexError
# expect-line: 28
# expect-failure: tex
# expect-fix: deterministic
# expect-fixer: fix_tex

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'Bad TeX through the kit'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        equation = V.equation(r"\sfrac{1}{2} m v^2", self.area_size("A1", "F3"))
        self.place_in(equation, "A1", "F3")
        self.play(Write(equation), run_time=0.5)
        self.wait(0.2)

        self.finish()
