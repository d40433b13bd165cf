# lessonreel repair corpus: A grid cell that does not exist
# G9 is outside the 6x6 grid; the kit raises a ValueError in grid.parse_cell, three frames down.
# expect-class: ValueError
# expect-line: 27
# expect-failure: bad_argument
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A grid cell that does not exist'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        word = Text("line 2", font_size=30)
        self.place_in(word, "A1", "G9")
        self.play(FadeIn(word), run_time=0.3)
        self.wait(0.2)

        self.finish()
