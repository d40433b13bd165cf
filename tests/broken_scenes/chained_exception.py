# lessonreel repair corpus: An error while handling another
# The scene catches a ValueError and then fails in its handler; the log holds two chained tracebacks,
# the last one is the error to fix.
# expect-class: NameError
# expect-line: 30
# expect-failure: undefined_name
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An error while handling another'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        try:
            value = int("line 7")
        except ValueError:
            value = fallback_value
        label = Text(str(value), font_size=30)
        self.play(FadeIn(label), run_time=0.3)
        self.wait(0.2)

        self.finish()
