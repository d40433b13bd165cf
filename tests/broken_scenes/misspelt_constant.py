# lessonreel repair corpus: A misspelt constant
# RIHGT (two letters swapped) is RIGHT.
# expect-class: NameError
# expect-line: 27
# expect-failure: undefined_name
# expect-fix: deterministic
# expect-fixer: fix_misspelt_name

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A misspelt constant'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        arrow = Arrow(ORIGIN, RIHGT * 2, color=YELLOW)
        self.place_in(arrow, "B3", "E4")
        self.play(GrowArrow(arrow), run_time=0.5)
        self.wait(0.2)

        self.finish()
