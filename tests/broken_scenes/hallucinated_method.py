# lessonreel repair corpus: An invented method
# Circle has no morph_into (the model meant Transform).
# expect-class: AttributeError
# expect-line: 30
# expect-failure: attribute
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An invented method'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        ring = Circle(radius=1)
        tile = Square(side_length=1.5)
        self.place_in(ring, "B2", "E5")
        self.play(Create(ring), run_time=0.3)
        self.play(ring.morph_into(tile), run_time=0.5)
        self.wait(0.2)

        self.finish()
