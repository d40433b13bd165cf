# lessonreel repair corpus: An endless loop
# x never equals 1 exactly, so the loop never ends; the dry run interrupts it and reports the loop's
# line.
# expect-class: TimeoutError
# expect-line: 28
# expect-failure: timeout
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An endless loop'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        x = 0.0
        while abs(x - 1) > 1e-9: x += 0.3
        dot = Dot([x, 0, 0])
        self.play(FadeIn(dot), run_time=0.3)
        self.wait(0.2)

        self.finish()
