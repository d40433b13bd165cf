# lessonreel repair corpus: A misspelt scene method
# self.pley is a typo for self.play.
# expect-class: AttributeError
# expect-line: 29
# expect-failure: attribute
# expect-fix: deterministic
# expect-fixer: fix_attribute

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A misspelt scene method'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        dot = Dot(color=YELLOW)
        self.place_in(dot, "C3", "D4")
        self.pley(FadeIn(dot), run_time=0.3)
        self.wait(0.2)

        self.finish()
