# lessonreel repair corpus: A misspelt kit method in a multi-line call
# area_siz is a typo for the kit's area_size, on the last line of a statement spanning four lines
# (Python reports that inner line, not the statement's first line).
# expect-class: AttributeError
# expect-line: 31
# expect-failure: attribute
# expect-fix: deterministic
# expect-fixer: fix_attribute

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A misspelt kit method in a multi-line call'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        bullets = V.bullets([
            'See line 4',
            'Then line 9',
        ], self.area_siz("A4", "F6"))
        self.place_in(bullets, "A4", "F6")
        self.play(LaggedStart(*[FadeIn(item) for item in bullets], lag_ratio=0.4), run_time=0.5)
        self.wait(0.2)

        self.finish()
