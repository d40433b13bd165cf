# lessonreel repair corpus: A misspelt numpy function
# np.lnspace is a typo for np.linspace.
# expect-class: AttributeError
# expect-line: 27
# expect-failure: attribute
# expect-fix: deterministic
# expect-fixer: fix_attribute

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A misspelt numpy function'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        xs = np.lnspace(-2, 2, 5)
        dots = VGroup(*[Dot([x, 0, 0]) for x in xs])
        self.place_in(dots, "A3", "F4")
        self.play(LaggedStart(*[FadeIn(d) for d in dots], lag_ratio=0.2), run_time=0.5)
        self.wait(0.2)

        self.finish()
