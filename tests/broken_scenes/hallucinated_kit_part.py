# lessonreel repair corpus: An invented part of a kit visual
# V.plot's parts are axes, graph, label...; plot.curve does not exist and is not close to any of them.
# expect-class: AttributeError
# expect-line: 29
# expect-failure: attribute
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An invented part of a kit visual'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        plot = V.plot('x^2', x_range=[-2, 2], size=self.area_size("A1", "F4"))
        self.place_in(plot, "A1", "F4")
        self.play(Create(plot.axes), run_time=0.3)
        self.play(Create(plot.curve), run_time=0.5)
        self.wait(0.2)

        self.finish()
