# lessonreel repair corpus: FRAME_WIDTH is gone
# FRAME_WIDTH is config.frame_width in Manim Community.
# expect-class: NameError
# expect-line: 27
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_renamed_name

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'FRAME_WIDTH is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        banner = Rectangle(width=FRAME_WIDTH / 3, height=0.6, color=TEAL)
        self.place_in(banner, "A1", "F2")
        self.play(Create(banner), run_time=0.5)
        self.wait(0.2)

        self.finish()
