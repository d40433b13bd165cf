# lessonreel layout corpus: An arrow created inside self.play reaching into the lecture column
# The arrow is built inline in the play call and points far to the left, into the lecture
# column; it has no name, so no fixer can address it.
# expect-problem: lecture_column
# expect-fix: none

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Direction of a force'
    lines = [
        'A box on the floor',
        'Push it to the left',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        box = Square(side_length=1.6, color=theme.GREEN, fill_opacity=0.4)
        self.place_in(box, "C4", "D6")
        self.play(Create(box), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.play(GrowArrow(Arrow([0.6, -2.6, 0], [-4.4, -2.6, 0], color=theme.ACCENT)), run_time=0.4)
        self.wait(0.3)

        self.finish()
