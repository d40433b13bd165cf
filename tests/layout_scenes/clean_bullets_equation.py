# lessonreel layout corpus: Bullets above an equation
# Bullets and an equation placed with place_in in disjoint areas (rows 1-3 and rows 4-6).
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = "Newton's second law"
    lines = [
        'Force changes motion',
        'Force equals mass times acceleration',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        facts = V.bullets(['A push or a pull', 'Measured in newtons'], self.area_size("A1", "F3"))
        self.place_in(facts, "A1", "F3")
        self.play(FadeIn(facts), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        law = V.equation('F = m a', self.area_size("A4", "F6"))
        self.place_in(law, "A4", "F6")
        self.play(Write(law), run_time=0.5)
        self.wait(0.3)

        self.finish()
