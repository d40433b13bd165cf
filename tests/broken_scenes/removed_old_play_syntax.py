# lessonreel repair corpus: self.play(mob.method, args) is gone
# Passing a bound method and its arguments to play became mob.animate.method(args).
# expect-class: TypeError
# expect-line: 30
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_old_play_syntax

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'self.play(mob.method, args) is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        square = Square(side_length=1)
        self.place_in(square, "A2", "C4")
        self.play(Create(square), run_time=0.3)
        self.play(square.shift, RIGHT * 2, run_time=0.5)
        self.wait(0.2)

        self.finish()
