# lessonreel layout corpus: An equation moved into the lecture column
# The equation is moved to x = -3.4, under the lecture lines: it sits in the column the kit
# keeps for the lecture text, outside the grid where visuals belong.
# expect-problem: lecture_column speed
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Average speed'
    lines = [
        'Distance over time',
        'Write it as a formula',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        trip = V.text('A car drives 120 km in 2 hours.', self.area_size("A1", "F3"))
        self.place_in(trip, "A1", "F3")
        self.play(FadeIn(trip), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        speed = V.equation(r'v = \frac{d}{t}', self.area_size("A5", "C6"))
        speed.move_to([-3.4, -2.6, 0])
        self.play(Write(speed), run_time=0.5)
        self.wait(0.3)

        self.finish()
