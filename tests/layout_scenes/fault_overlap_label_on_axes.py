# lessonreel layout corpus: A label centred on the origin of the axes
# The word is centred where the axes cross, so both axis lines run through its letters.
# expect-problem: overlap origin, plot
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'A parabola'
    lines = [
        'The graph of x squared plus one',
        'The axes meet at the origin',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        plot = V.plot('x**2/2 + 2', [-3, 3], self.area_size("A1", "F6"), y_range=[-4, 8, 2])
        self.place_in(plot, "A1", "F6")
        self.play(Create(plot), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        origin = Text('origin', font=theme.FONT, font_size=36, color=theme.ACCENT)
        origin.move_to(plot.axes.c2p(0, 0))
        self.play(FadeIn(origin), run_time=0.3)
        self.wait(0.3)

        self.finish()
