# lessonreel layout corpus: An equation derivation, cleared between steps
# Each step clears the grid before the next form of the equation; every earlier form was
# placed with place_in, so clear_grid removes it.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Solving for x'
    lines = [
        'Start from the equation',
        'Subtract 3 from both sides',
        'Divide both sides by 2',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        start = V.equation('2x + 3 = 11', self.area_size("A2", "F5"))
        self.place_in(start, "A2", "F5")
        self.play(Write(start), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.clear_grid(run_time=0.3)
        middle = V.equation('2x = 8', self.area_size("A2", "F5"))
        self.place_in(middle, "A2", "F5")
        self.play(Write(middle), run_time=0.5)
        self.wait(0.2)

        # === Step 3 (line 3) ===
        self.highlight_line(2)
        self.clear_grid(run_time=0.3)
        result = V.equation('x = 4', self.area_size("A2", "F5"))
        self.place_in(result, "A2", "F5")
        note = self.caption_for(result, 'Check: 2 times 4 plus 3 is 11')
        self.play(Write(result), FadeIn(note), run_time=0.5)
        self.wait(0.3)

        self.finish()
