# lessonreel repair corpus: FadeIn(direction=...)
# FadeIn moves with shift=, not direction=.
# expect-class: TypeError
# expect-line: 29
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_bad_kwarg

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'FadeIn(direction=...)'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        word = Text("rises", font_size=30)
        self.place_in(word, "B3", "E4")
        self.play(FadeIn(word, direction=UP), run_time=0.5)
        self.wait(0.2)

        self.finish()
