# lessonreel layout corpus: A table with a caption
# A small table and its caption share one area through caption_for; nothing else on the grid.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Squares of small numbers'
    lines = [
        'Square each number',
        'The squares grow faster and faster',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        squares = V.table(['n', 'n²'], [[1, 1], [2, 4], [3, 9]], self.area_size("B1", "E6"))
        self.place_in(squares, "B1", "E6")
        note = self.caption_for(squares, 'Each square is n times n')
        self.play(Create(squares), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.play(FadeIn(note), run_time=0.3)
        self.wait(0.3)

        self.finish()
