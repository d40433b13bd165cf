# lessonreel layout corpus: A footnote at font size 12
# The footnote under the chart is set at font size 12, well under the smallest size a
# learner can read on a phone or a projected screen.
# expect-problem: tiny_text footnote
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Rainfall by season'
    lines = [
        'Rain through the year',
        'Where the numbers come from',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        chart = V.bar_chart(['Spring', 'Summer', 'Autumn', 'Winter'], [60, 40, 80, 90], self.area_size("A1", "F5"))
        self.place_in(chart, "A1", "F5")
        self.play(FadeIn(chart), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        footnote = Text('Source: weather station records, 1990-2020', font=theme.FONT, font_size=12, color=theme.DIM)
        footnote.next_to(chart, DOWN, buff=0.3)
        self.play(FadeIn(footnote), run_time=0.3)
        self.wait(0.3)

        self.finish()
