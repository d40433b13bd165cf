# lessonreel repair corpus: CircleIndicate is gone
# CircleIndicate(m) is Circumscribe(m, shape=Circle).
# expect-class: NameError
# expect-line: 30
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_renamed_name

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'CircleIndicate is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        dot = Dot(radius=0.15, color=RED)
        self.place_in(dot, "C3", "D4")
        self.play(FadeIn(dot), run_time=0.3)
        self.play(CircleIndicate(dot), run_time=0.5)
        self.wait(0.2)

        self.finish()
