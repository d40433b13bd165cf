# lessonreel repair corpus: An image in a VGroup
# VGroup only holds vector mobjects; an ImageMobject needs Group.
# expect-class: TypeError
# expect-line: 29
# expect-failure: bad_argument
# expect-fix: deterministic
# expect-fixer: fix_vgroup_of_non_vmobjects

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An image in a VGroup'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        picture = ImageMobject(np.full((8, 8, 4), 200, dtype=np.uint8)).scale_to_fit_width(2)
        caption = Text("A leaf", font_size=24).next_to(picture, DOWN)
        card = VGroup(picture, caption)
        self.place_in(card, "B2", "E5")
        self.play(FadeIn(card), run_time=0.5)
        self.wait(0.2)

        self.finish()
