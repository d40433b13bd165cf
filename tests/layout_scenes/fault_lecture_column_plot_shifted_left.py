# lessonreel layout corpus: A plot shifted into the lecture column
# The plot is placed in cells A4-C6 and then shifted left by 1.5, so its left part runs under
# the lecture column, where the learner expects only the lecture lines.
# expect-problem: lecture_column plot
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Falling objects'
    lines = [
        'Drop a ball',
        'Its speed grows steadily',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        rule = V.equation('v = g t', self.area_size("A1", "F3"))
        self.place_in(rule, "A1", "F3")
        self.play(Write(rule), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        plot = V.plot('9.8*x', [0, 3], self.area_size("A4", "C6"))
        self.place_in(plot, "A4", "C6")
        plot.shift(LEFT * 1.5)
        self.play(Create(plot), run_time=0.5)
        self.wait(0.3)

        self.finish()
