# lessonreel repair corpus: A misspelt run_time
# run_tmie= inside an animation is run_time=.
# expect-class: TypeError
# expect-line: 29
# expect-failure: bad_kwarg
# expect-fix: deterministic
# expect-fixer: fix_bad_kwarg

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A misspelt run_time'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        ring = Circle(radius=1)
        self.place_in(ring, "B2", "E5")
        self.play(Create(ring, run_tmie=0.5))
        self.wait(0.2)

        self.finish()
