# lessonreel layout corpus: A value past the right edge and a tiny unit note
# Two faults in one step: the computed value is centred at x = 6.4, so it runs off the right
# edge, and the note on the unit is set at font size 12, too small to read.
# expect-problem: off_frame value
# expect-problem: tiny_text unit
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Momentum'
    lines = [
        'Momentum is mass times velocity',
        'A 3 kg ball at 4 m/s',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        rule = V.equation('p = m v', self.area_size("A1", "F3"))
        self.place_in(rule, "A1", "F3")
        self.play(Write(rule), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        value = Text('p = 12 kg·m/s', font=theme.FONT, font_size=34, color=theme.ACCENT)
        value.move_to([6.4, -1.2, 0])
        unit = Text('Momentum is measured in kilogram metres per second', font=theme.FONT, font_size=12,
                    color=theme.DIM)
        unit.move_to([1.5, -2.8, 0])
        self.play(FadeIn(value), FadeIn(unit), run_time=0.4)
        self.wait(0.3)

        self.finish()
