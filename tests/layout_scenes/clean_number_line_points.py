# lessonreel layout corpus: A number line with marked points
# A number line with two labelled points, and a short sentence in its own area below.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Negative numbers'
    lines = [
        'Numbers left of zero are negative',
        '-3 is less than 2',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        line = V.number_line([-5, 5, 1], self.area_size("A2", "F3"),
                             points=[{'value': -3, 'label': 'a'}, {'value': 2, 'label': 'b'}])
        self.place_in(line, "A2", "F3")
        self.play(Create(line.line), run_time=0.5)
        self.play(FadeIn(line.marks), run_time=0.3)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        compare = V.text('a = -3 lies to the left of b = 2', self.area_size("A5", "F6"))
        self.place_in(compare, "A5", "F6")
        self.play(FadeIn(compare), run_time=0.4)
        self.wait(0.3)

        self.finish()
