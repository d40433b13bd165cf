# lessonreel repair corpus: A British keyword
# colour= is color= in Manim (raised deep in Mobject.__init__).
# expect-class: TypeError
# expect-line: 27
# expect-failure: bad_kwarg
# expect-fix: deterministic
# expect-fixer: fix_bad_kwarg

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A British keyword'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        ring = Circle(radius=1, colour=BLUE)
        self.place_in(ring, "B2", "E5")
        self.play(Create(ring), run_time=0.5)
        self.wait(0.2)

        self.finish()
