# lessonreel repair corpus: A number given to Text
# Text needs a string; the int fails deep inside Text.__init__ as an AttributeError on 'int'.
# expect-class: AttributeError
# expect-line: 27
# expect-failure: attribute
# expect-fix: deterministic
# expect-fixer: fix_text_argument_type

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'A number given to Text'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        count = Text(len(self.lines), font_size=40)
        self.place_in(count, "C3", "D4")
        self.play(Write(count), run_time=0.5)
        self.wait(0.2)

        self.finish()
