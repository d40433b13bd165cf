# lessonreel layout corpus: A bar chart with a caption
# A bar chart with value and name labels from V.bar_chart, captioned in its own area.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Favourite fruit'
    lines = [
        'We asked 20 pupils',
        'Apples won',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        chart = V.bar_chart(['Apple', 'Pear', 'Plum'], [9, 6, 5], self.area_size("A1", "F6"), y_label='Pupils')
        self.place_in(chart, "A1", "F6")
        note = self.caption_for(chart, 'Votes for each fruit')
        self.play(Create(chart.axis), FadeIn(chart.bars), run_time=0.5)
        self.play(FadeIn(chart.values), FadeIn(chart.names), FadeIn(chart.y_label), run_time=0.3)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.play(FadeIn(note), Indicate(chart.bars[0]), run_time=0.5)
        self.wait(0.3)

        self.finish()
