# lessonreel repair corpus: A scene method called without self
# wait(...) needs self.wait(...).
# expect-class: NameError
# expect-line: 30
# expect-failure: undefined_name
# expect-fix: deterministic
# expect-fixer: fix_missing_self

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A scene method called without self'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        dot = Dot()
        self.place_in(dot, "C3", "D4")
        self.play(FadeIn(dot), run_time=0.3)
        wait(0.2)

        self.finish()
