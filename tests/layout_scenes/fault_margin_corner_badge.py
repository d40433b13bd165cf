# lessonreel layout corpus: A badge in the bottom-right corner margin
# to_corner(DR, buff=0.12) puts the badge inside the 0.3-unit safety margin at both the right
# and the bottom edge, where players overlay their controls.
# expect-problem: margin badge
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Practice question'
    lines = [
        'Add the two fractions',
        'Find a common denominator',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        question = V.equation(r'\frac{1}{2} + \frac{1}{3} = \,?', self.area_size("A1", "F4"))
        self.place_in(question, "A1", "F4")
        self.play(Write(question), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        badge = Text('Try it!', font=theme.FONT, font_size=32, color=theme.ACCENT)
        badge.to_corner(DR, buff=0.12)
        self.play(FadeIn(badge), run_time=0.3)
        self.wait(0.3)

        self.finish()
