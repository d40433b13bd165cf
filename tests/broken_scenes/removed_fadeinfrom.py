# lessonreel repair corpus: FadeInFrom is gone
# FadeInFrom(m, LEFT) is FadeIn(m, shift=RIGHT) in Manim Community.
# expect-class: NameError
# expect-line: 29
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_renamed_name

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'FadeInFrom is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        label = Text("radius", font_size=30)
        self.place_in(label, "B3", "E4")
        self.play(FadeInFrom(label, LEFT), run_time=0.5)
        self.wait(0.2)

        self.finish()
