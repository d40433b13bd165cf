# lessonreel layout corpus: A weight placed left of the cart, into the lecture column
# next_to(cart, LEFT, buff=1.5) puts the weight partly inside the lecture column, where it
# crowds the lecture text area instead of staying on the grid.
# expect-problem: lecture_column weight
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Pulling a cart'
    lines = [
        'A cart on a table',
        'A weight pulls it along',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        cart = Rectangle(width=2.4, height=1.2, color=theme.BLUE, fill_opacity=0.4)
        self.place_in(cart, "B4", "C5")
        self.play(Create(cart), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        weight = Circle(radius=0.6, color=theme.PINK, fill_opacity=0.5)
        weight.next_to(cart, LEFT, buff=1.5)
        self.play(FadeIn(weight), run_time=0.3)
        self.wait(0.3)

        self.finish()
