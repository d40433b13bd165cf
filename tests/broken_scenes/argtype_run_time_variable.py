# lessonreel repair corpus: A computed run_time of zero
# run_time=gap with gap == 0 is refused deep in Scene.play; the fix bounds it with max(gap, 0.1).
# expect-class: ValueError
# expect-line: 30
# expect-failure: bad_argument
# expect-fix: deterministic
# expect-fixer: fix_nonpositive_time

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A computed run_time of zero'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        gap = 2.0 - 2 * 1.0
        dot = Dot()
        self.place_in(dot, "C3", "D4")
        self.play(FadeIn(dot), run_time=gap)
        self.wait(0.2)

        self.finish()
