# lessonreel repair corpus: spacing= for arrange
# arrange takes buff=, not spacing= (raised in Mobject.next_to).
# expect-class: TypeError
# expect-line: 27
# expect-failure: bad_kwarg
# expect-fix: deterministic
# expect-fixer: fix_bad_kwarg

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'spacing= for arrange'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        stack = VGroup(Square(0.5), Circle(0.3), Triangle()).arrange(DOWN, spacing=0.3)
        self.place_in(stack, "B1", "E6")
        self.play(FadeIn(stack), run_time=0.5)
        self.wait(0.2)

        self.finish()
