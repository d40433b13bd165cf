# lessonreel repair corpus: The colour package is gone
# Manim 0.18 dropped the colour package; `from colour import Color` fails at import time, outside
# construct. The fix imports ManimColor under the old name.
# expect-class: ModuleNotFoundError
# expect-line: 13
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_colour_import

from manim import *

from lessonreel.kit import LessonScene, V
from colour import Color


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'The colour package is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        disc = Circle(radius=1, color=Color("#58C4DD"), fill_opacity=0.5)
        self.place_in(disc, "B2", "E5")
        self.play(DrawBorderThenFill(disc), run_time=0.5)
        self.wait(0.2)

        self.finish()
