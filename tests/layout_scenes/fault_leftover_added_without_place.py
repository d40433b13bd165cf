# lessonreel layout corpus: A hint added with self.add survives clear_grid
# The hint was added with self.add and moved by hand, not placed with place_in, so
# clear_grid in step 2 misses it: it stays on screen next to a graph it does not belong to.
# expect-problem: leftover hint
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Mass and weight'
    lines = [
        'A 2 kg mass on a spring scale',
        'Weight grows with mass',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        block = V.shape('square', self.area_size("A1", "F4"), label='2 kg', color=theme.BLUE)
        self.place_in(block, "A1", "F4")
        hint = Text('g = 9.8 N/kg', font=theme.FONT, font_size=28, color=theme.ACCENT)
        hint.move_to([5.2, -3.0, 0])
        self.add(hint)
        self.play(FadeIn(block), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.clear_grid(run_time=0.3)
        plot = V.plot('9.8*x', [0, 5], self.area_size("A1", "F4"))
        self.place_in(plot, "A1", "F4")
        self.play(Create(plot), run_time=0.5)
        self.wait(0.3)

        self.finish()
