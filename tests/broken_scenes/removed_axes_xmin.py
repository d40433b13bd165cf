# lessonreel repair corpus: Axes(x_min=...) is gone
# Old Axes keywords x_min/x_max/y_min/y_max became x_range/y_range; x_labeled_nums is gone. The error
# is raised deep in Mobject.__init__.
# expect-class: TypeError
# expect-line: 28
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_bad_kwarg

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'Axes(x_min=...) is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        axes = Axes(x_min=0, x_max=4, y_min=0, y_max=8, x_labeled_nums=[1, 2, 3], x_length=4, y_length=3)
        self.place_in(axes, "A1", "F4")
        self.play(Create(axes), run_time=0.5)
        self.wait(0.2)

        self.finish()
