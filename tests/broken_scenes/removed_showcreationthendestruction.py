# lessonreel repair corpus: ShowCreationThenDestruction is gone
# ShowCreationThenDestruction is ShowPassingFlash(m, time_width=2) in Manim Community.
# expect-class: NameError
# expect-line: 31
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_renamed_name

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'ShowCreationThenDestruction is gone'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        word = Text("radius", font_size=32)
        self.place_in(word, "B3", "E4")
        underline = Underline(word, color=YELLOW)
        self.play(FadeIn(word), run_time=0.3)
        self.play(ShowCreationThenDestruction(underline), run_time=0.5)
        self.wait(0.2)

        self.finish()
