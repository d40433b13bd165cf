# lessonreel layout corpus: A plot with its label in the empty part of the axes
# The label sits in the empty upper-left interior of the axes, away from the curve and the
# tick numbers; the caption is under the plot in its own area.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Growth of a square'
    lines = [
        'The area grows with the side',
        'Doubling the side gives four times the area',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        plot = V.plot('x**2', [0, 4], self.area_size("A1", "F6"))
        self.place_in(plot, "A1", "F6")
        note = self.caption_for(plot, 'Area of a square of side x')
        self.play(Create(plot.axes), run_time=0.5)
        self.play(Create(plot.graph), FadeIn(note), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        label = Text('y = x²', font=theme.FONT, font_size=30, color=theme.BLUE)
        label.move_to(plot.axes.c2p(1, 12))
        self.play(FadeIn(label), run_time=0.3)
        self.wait(0.3)

        self.finish()
