# lessonreel repair corpus: An animation given to add
# self.add(Write(m)) adds an animation as if it were a mobject; it fails deep in Scene.add.
# expect-class: AttributeError
# expect-line: 29
# expect-failure: attribute
# expect-fix: deterministic
# expect-fixer: fix_animation_added

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An animation given to add'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        title = Text("Chapter 2, line 5", font_size=30)
        self.place_in(title, "A1", "F2")
        self.add(Write(title))
        self.wait(0.2)

        self.finish()
