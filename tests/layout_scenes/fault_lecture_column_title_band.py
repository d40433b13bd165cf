# lessonreel layout corpus: A thermometer poking into the title bar
# The thermometer is placed in column D and then shifted up by 0.8, so its top crosses the
# title bar's rule and enters the title band, which the kit keeps for the section title.
# expect-problem: lecture_column thermometer
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Temperature'
    lines = [
        'Heat makes liquids expand',
        'The column rises',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        thermometer = Rectangle(width=0.6, height=3.5, color=theme.PINK, fill_opacity=0.5)
        self.place_in(thermometer, "D1", "D3")
        thermometer.shift(UP * 0.8)
        self.play(FadeIn(thermometer), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        reading = V.equation(r'40^\circ\text{C}', self.area_size("A5", "F6"))
        self.place_in(reading, "A5", "F6")
        self.play(Write(reading), run_time=0.4)
        self.wait(0.3)

        self.finish()
