# lessonreel repair corpus: Bad TeX in one derivation step
# The second step's \therefor (for \therefore) fails; Python reports the statement's first line, two
# lines above the bad string, which the fix finds from LaTeX's error context and replaces by
# \text{...}, keeping the derivation's structure.
# expect-class: TexError
# expect-line: 29
# expect-failure: tex
# expect-fix: deterministic
# expect-fixer: fix_tex

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'Bad TeX in one derivation step'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        derivation = V.derivation([
            r"(a+b)^2",
            r"\therefor a^2 + 2ab + b^2",
        ], self.area_size("A1", "F4"))
        self.place_in(derivation, "A1", "F4")
        self.play(Write(derivation.steps[0]), run_time=0.5)
        for before, after in zip(derivation.steps, derivation.steps[1:]):
            self.wait(0.2)
            self.play(TransformMatchingShapes(before, after), run_time=0.5)
        self.wait(0.2)

        self.finish()
