# lessonreel repair corpus: An invented keyword
# Dot has no glow=; no close keyword exists, so it is dropped.
# expect-class: TypeError
# expect-line: 27
# expect-failure: bad_kwarg
# expect-fix: deterministic
# expect-fixer: fix_bad_kwarg

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An invented keyword'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        dot = Dot(point=ORIGIN, radius=0.12, glow=True)
        self.place_in(dot, "C3", "D4")
        self.play(FadeIn(dot), run_time=0.3)
        self.wait(0.2)

        self.finish()
