# lessonreel repair corpus: A misspelt mobject method
# next_too is a typo for next_to; Manim raises it from Mobject.__getattr__ (one frame below the
# scene).
# expect-class: AttributeError
# expect-line: 29
# expect-failure: attribute
# expect-fix: deterministic
# expect-fixer: fix_attribute

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A misspelt mobject method'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        ring = Circle(radius=1)
        label = Text("centre", font_size=24).next_too(ring, DOWN)
        self.place_in(VGroup(ring, label), "B2", "E5")
        self.play(Create(ring), FadeIn(label), run_time=0.5)
        self.wait(0.2)

        self.finish()
