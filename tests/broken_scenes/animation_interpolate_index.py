# lessonreel repair corpus: An error inside an animation's interpolation
# The alpha function indexes past the list's end when alpha reaches 1, deep inside play ->
# interpolate; the innermost scene frame is the lambda's line, not the play call below it.
# expect-class: IndexError
# expect-line: 30
# expect-failure: index
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = "An error inside an animation's interpolation"
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        values = [1, 4, 9]
        counter = Integer(0, font_size=48)
        self.place_in(counter, "C3", "D4")
        pick = lambda m, a: m.set_value(values[int(a * len(values))])
        self.play(UpdateFromAlphaFunc(counter, pick), run_time=0.5)
        self.wait(0.2)

        self.finish()
