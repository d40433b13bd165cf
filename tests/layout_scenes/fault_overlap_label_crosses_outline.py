# lessonreel layout corpus: A side label straddling the square's outline
# The label is centred on the square's right side, so the outline cuts through the middle of
# the word; a side label belongs next to the side, not on it.
# expect-problem: overlap side, square
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Sides of a square'
    lines = [
        'All four sides are equal',
        'Call the side a',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        square = V.shape('square', self.area_size("B1", "E5"), color=theme.BLUE)
        self.place_in(square, "B1", "E5")
        self.play(DrawBorderThenFill(square), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        side = Text('side a', font=theme.FONT, font_size=32, color=theme.ACCENT)
        side.move_to(square.body.get_right())
        self.play(FadeIn(side), run_time=0.3)
        self.wait(0.3)

        self.finish()
