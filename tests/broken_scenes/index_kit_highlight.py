# lessonreel repair corpus: A lecture line that does not exist
# highlight_line(4) on a two-line section fails inside the kit (line_mobjects[4]); the line to change
# holds no subscript, so no local fix is safe.
# expect-class: IndexError
# expect-line: 30
# expect-failure: index
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A lecture line that does not exist'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        self.wait(0.2)

        # === Step 2 (line 5) ===
        self.highlight_line(4)
        self.wait(0.2)

        self.finish()
