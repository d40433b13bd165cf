# lessonreel repair corpus: An index past the end
# bullets has three items; bullets[3] is clamped to bullets[-1].
# expect-class: IndexError
# expect-line: 30
# expect-failure: index
# expect-fix: deterministic
# expect-fixer: fix_literal_index

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An index past the end'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        bullets = V.bullets(['line 1', 'line 2', 'line 3'], self.area_size("A1", "F4"))
        self.place_in(bullets, "A1", "F4")
        self.play(FadeIn(bullets), run_time=0.3)
        self.play(Indicate(bullets[3]), run_time=0.5)
        self.wait(0.2)

        self.finish()
