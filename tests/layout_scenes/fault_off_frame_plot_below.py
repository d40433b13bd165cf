# lessonreel layout corpus: A plot pushed below the bottom edge
# The plot is put under the equation with a large gap, so its lower part (the x axis and
# its numbers) falls below the frame and the learner cannot read the axis.
# expect-problem: off_frame plot
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'A straight line'
    lines = [
        'The equation of a line',
        'Its graph rises steadily',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        equation = V.equation('y = 2x + 1', self.area_size("A1", "F2"))
        self.place_in(equation, "A1", "F2")
        self.play(Write(equation), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        plot = V.plot('2*x + 1', [0, 4], self.area_size("A3", "F6"))
        self.place_in(plot, "A3", "F6")
        plot.next_to(equation, DOWN, buff=1.9)
        self.play(Create(plot), run_time=0.5)
        self.wait(0.3)

        self.finish()
