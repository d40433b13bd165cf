# lessonreel layout corpus: A label centred at x = 6.5
# The label is centred 0.6 units from the right edge of the frame, so half of it lies
# outside the picture and the learner sees only "Are".
# expect-problem: off_frame label
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Area of a square'
    lines = [
        'A square with side 4',
        'Its area is 16',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        square = V.shape('square', self.area_size("A1", "D6"), color=theme.GREEN)
        self.place_in(square, "A1", "D6")
        self.play(DrawBorderThenFill(square), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        label = Text('Area = 16', font=theme.FONT, font_size=32, color=theme.ACCENT)
        label.move_to([6.5, 0.5, 0])
        self.play(Write(label), run_time=0.4)
        self.wait(0.3)

        self.finish()
