# lessonreel repair corpus: A zero wait
# Manim refuses self.wait(0); pacing maths can produce it.
# expect-class: ValueError
# expect-line: 30
# expect-failure: bad_argument
# expect-fix: deterministic
# expect-fixer: fix_nonpositive_time

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A zero wait'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        dot = Dot()
        self.place_in(dot, "C3", "D4")
        self.play(FadeIn(dot), run_time=0.3)
        self.wait(0)

        self.finish()
