# lessonreel layout corpus: Two overlapping circles, Venn style
# Two filled circles overlap on purpose (shape over shape is not a fault); each label sits in
# the part of its own circle that the other circle does not cover.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Sets that share members'
    lines = [
        'Set A and set B',
        'The overlap holds members of both',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        left_set = Circle(radius=1.7, color=theme.BLUE, fill_opacity=0.3)
        left_set.move_to([1.2, 0.3, 0])
        right_set = Circle(radius=1.7, color=theme.PINK, fill_opacity=0.3)
        right_set.move_to([3.4, 0.3, 0])
        name_a = Text('A', font=theme.FONT, font_size=40)
        name_a.move_to([0.4, 0.3, 0])
        name_b = Text('B', font=theme.FONT, font_size=40)
        name_b.move_to([4.2, 0.3, 0])
        self.play(Create(left_set), Create(right_set), run_time=0.5)
        self.play(FadeIn(name_a), FadeIn(name_b), run_time=0.3)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        both = V.text('A ∩ B: members of both sets', self.area_size("A5", "F6"))
        self.place_in(both, "A5", "F6")
        self.play(FadeIn(both), run_time=0.4)
        self.wait(0.3)

        self.finish()
