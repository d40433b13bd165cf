# lessonreel repair corpus: Code(code=..., style=...) is gone
# Code's keywords were renamed (code -> code_string, style -> formatter_style); both must change at
# once.
# expect-class: TypeError
# expect-line: 28
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_bad_kwarg

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'Code(code=..., style=...) is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        listing = Code(code="print('line 3')", language="python", style="monokai")
        self.place_in(listing, "A1", "F4")
        self.play(FadeIn(listing), run_time=0.5)
        self.wait(0.2)

        self.finish()
