# lessonreel repair corpus: A misspelt set_ method
# set_fil is a typo for set_fill; Manim's generic set_* setter turns it into a TypeError about a
# setter.
# expect-class: TypeError
# expect-line: 29
# expect-failure: attribute
# expect-fix: deterministic
# expect-fixer: fix_attribute

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A misspelt set_ method'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        disc = Circle(radius=1)
        disc.set_fil(RED, opacity=0.5)
        self.place_in(disc, "B2", "E5")
        self.play(DrawBorderThenFill(disc), run_time=0.5)
        self.wait(0.2)

        self.finish()
