# lessonreel repair corpus: A string direction
# next_to(ring, "down") needs the vector DOWN; numpy fails deep inside Mobject.next_to.
# expect-class: _UFuncNoLoopError
# expect-line: 27
# expect-failure: bad_argument
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A string direction'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        ring = Circle(radius=1)
        label = Text("below", font_size=24).next_to(ring, "down")
        self.place_in(VGroup(ring, label), "B2", "E5")
        self.play(Create(ring), FadeIn(label), run_time=0.5)
        self.wait(0.2)

        self.finish()
