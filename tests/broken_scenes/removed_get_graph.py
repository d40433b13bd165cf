# lessonreel repair corpus: Axes.get_graph is gone
# axes.get_graph(f, x_min=a, x_max=b) is axes.plot(f, x_range=[a, b]); Manim's generic get_* getter
# turns the call into a confusing TypeError.
# expect-class: TypeError
# expect-line: 29
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_removed_method

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'Axes.get_graph is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        axes = Axes(x_range=[-2, 2, 1], y_range=[0, 4, 1], x_length=4, y_length=3)
        curve = axes.get_graph(lambda x: x ** 2, x_min=-2, x_max=2, color=YELLOW)
        group = VGroup(axes, curve)
        self.place_in(group, "A1", "F4")
        self.play(Create(axes), Create(curve), run_time=0.5)
        self.wait(0.2)

        self.finish()
