# lessonreel repair corpus: CONFIG dicts are ignored
# Manim Community ignores a CONFIG class dict, so self.dot_color does not exist; the fix turns the
# dict into class attributes (the one fix that edits outside the failing line).
# expect-class: AttributeError
# expect-line: 33
# expect-failure: attribute
# expect-fix: deterministic
# expect-fixer: fix_config_dict

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'CONFIG dicts are ignored'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    CONFIG = {
        "radius": 1.5,
        "dot_color": YELLOW,
    }

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        ring = Circle(radius=self.radius)
        dot = Dot(color=self.dot_color)
        self.place_in(VGroup(ring, dot), "B2", "E5")
        self.play(Create(ring), FadeIn(dot), run_time=0.5)
        self.wait(0.2)

        self.finish()
