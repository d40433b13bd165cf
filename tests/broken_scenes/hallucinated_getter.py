# lessonreel repair corpus: An invented get_ method
# Axes has no get_slope_line; Manim's generic getter makes it a TypeError; nothing close exists.
# expect-class: TypeError
# expect-line: 28
# expect-failure: attribute
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An invented get_ method'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        axes = Axes(x_range=[-2, 2, 1], y_range=[0, 4, 1], x_length=4, y_length=3)
        curve = axes.plot(lambda x: x ** 2)
        slope = axes.get_slope_line(curve, 1)
        self.place_in(VGroup(axes, curve, slope), "A1", "F4")
        self.play(Create(axes), Create(curve), Create(slope), run_time=0.5)
        self.wait(0.2)

        self.finish()
