# lessonreel repair corpus: set_width(w, stretch=True) is gone
# set_width/set_height were removed; Manim's generic set_* setter rejects the stretch keyword. The fix
# uses stretch_to_fit_width.
# expect-class: TypeError
# expect-line: 29
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_removed_method

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'set_width(w, stretch=True) is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        bar = Rectangle(width=1, height=0.5, color=GREEN, fill_opacity=0.8)
        bar.set_width(3, stretch=True)
        self.place_in(bar, "A3", "F4")
        self.play(GrowFromEdge(bar, LEFT), run_time=0.5)
        self.wait(0.2)

        self.finish()
