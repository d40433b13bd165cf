# lessonreel repair corpus: side= for Square
# Square takes side_length=; side is its only prefix match.
# expect-class: TypeError
# expect-line: 27
# expect-failure: bad_kwarg
# expect-fix: deterministic
# expect-fixer: fix_bad_kwarg

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'side= for Square'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        tile = Square(side=1.5, color=ORANGE)
        self.place_in(tile, "B2", "E5")
        self.play(Create(tile), run_time=0.5)
        self.wait(0.2)

        self.finish()
