# lessonreel repair corpus: An undefined helper
# make_arrow was never defined and nothing close exists.
# expect-class: NameError
# expect-line: 28
# expect-failure: undefined_name
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An undefined helper'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        ring = Circle(radius=0.6).shift(LEFT)
        tile = Square(side_length=1).shift(RIGHT)
        link = make_arrow(ring, tile)
        self.place_in(VGroup(ring, tile, link), "A2", "F5")
        self.play(Create(ring), Create(tile), GrowArrow(link), run_time=0.5)
        self.wait(0.2)

        self.finish()
