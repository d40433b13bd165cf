# lessonreel repair corpus: TextMobject is gone
# TextMobject (LaTeX text) is Tex in Manim Community.
# expect-class: NameError
# expect-line: 27
# expect-failure: removed_api
# expect-fix: deterministic
# expect-fixer: fix_renamed_name

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'TextMobject is gone'
    lines = [
        'Plants make sugar from light',
        'The error is on line 12, says the label',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        heading = TextMobject("Photosynthesis")
        self.place_in(heading, "A1", "F2")
        self.play(Write(heading), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        note = Text("line 12", font_size=24)
        self.place_in(note, "A4", "F4")
        self.play(FadeIn(note), run_time=0.3)
        self.wait(0.2)

        self.finish()
