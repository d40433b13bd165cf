# lessonreel repair corpus: An unclosed parenthesis
# The file does not parse; no step runs at all.
# expect-class: SyntaxError
# expect-line: 27
# expect-failure: syntax
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An unclosed parenthesis'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        ring = Circle(radius=1)
        self.play(Create(ring, run_time=0.5)
        self.wait(0.2)

        self.finish()
