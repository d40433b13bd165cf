# lessonreel repair corpus: FadeOutAndShift is gone
# FadeOutAndShift(m, DOWN) is FadeOut(m, shift=DOWN); the error is in the second step.
# expect-class: NameError
# expect-line: 34
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_renamed_name

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'FadeOutAndShift is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        label = Text("line 1: a label", font_size=28)
        self.place_in(label, "B3", "E4")
        self.play(FadeIn(label), run_time=0.3)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.play(FadeOutAndShift(label, DOWN), run_time=0.3)
        self.wait(0.2)

        self.finish()
