# lessonreel layout corpus: A source line pushed into the bottom margin
# to_edge(DOWN, buff=0.1) puts the source line 0.2 units below the safe area, where TVs and
# players crop or cover it, so the learner may not see it.
# expect-problem: margin source
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Cooling coffee'
    lines = [
        'Hot coffee cools quickly at first',
        'Then it cools more slowly',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        plot = V.plot('20 + 60*exp(-x/3)', [0, 10], self.area_size("A1", "F5"))
        self.place_in(plot, "A1", "F5")
        self.play(Create(plot), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        source = Text('Measured in a kitchen at 20 °C', font=theme.FONT, font_size=24, color=theme.DIM)
        source.to_edge(DOWN, buff=0.1).align_to(plot, RIGHT)
        self.play(FadeIn(source), run_time=0.3)
        self.wait(0.3)

        self.finish()
