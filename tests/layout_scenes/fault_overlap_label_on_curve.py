# lessonreel layout corpus: A label written on top of the curve
# The label is centred on a point of the graph, so the curve runs through its letters and
# neither the words nor the curve can be read there.
# expect-problem: overlap label, plot
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Where a curve is steep'
    lines = [
        'The graph of x squared',
        'It gets steeper as x grows',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        plot = V.plot('x**2', [0, 4], self.area_size("A1", "F6"))
        self.place_in(plot, "A1", "F6")
        self.play(Create(plot), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        label = Text('steeper here', font=theme.FONT, font_size=36, color=theme.ACCENT)
        label.move_to(plot.axes.c2p(3, 9))
        self.play(FadeIn(label), run_time=0.3)
        self.wait(0.3)

        self.finish()
