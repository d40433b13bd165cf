# lessonreel layout corpus: Every earlier object faded out before new content
# Step 2 fades out all three objects of step 1 (including one added without place_in), so
# nothing is left over when the new visual appears.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Three states of water'
    lines = [
        'Ice, water and steam',
        'Heating moves water up the list',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        ice = V.shape('square', self.area_size("A1", "B3"), label='Ice', color=theme.BLUE)
        self.place_in(ice, "A1", "B3")
        water = V.shape('circle', self.area_size("C1", "D3"), label='Water', color=theme.GREEN)
        self.place_in(water, "C1", "D3")
        steam = Text('Steam', font=theme.FONT, font_size=32, color=theme.DIM)
        steam.move_to([6.0 - 0.4, 0.9, 0])
        self.play(FadeIn(ice), FadeIn(water), FadeIn(steam), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.play(FadeOut(ice), FadeOut(water), FadeOut(steam), run_time=0.3)
        order = V.equation(r'\text{ice} \to \text{water} \to \text{steam}', self.area_size("A2", "F5"))
        self.place_in(order, "A2", "F5")
        self.play(Write(order), run_time=0.5)
        self.wait(0.3)

        self.finish()
