# lessonreel layout corpus: Step 2 fades out two of the three shapes
# Step 2 fades out the triangle and the circle but forgets the square, which stays on screen
# while the new step talks only about the equation.
# expect-problem: leftover square
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Shapes and sides'
    lines = [
        'Three shapes',
        'Count the sides of a triangle',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        triangle = V.shape('triangle', self.area_size("A1", "B3"), color=theme.BLUE)
        self.place_in(triangle, "A1", "B3")
        circle = V.shape('circle', self.area_size("C1", "D3"), color=theme.GREEN)
        self.place_in(circle, "C1", "D3")
        square = V.shape('square', self.area_size("E1", "F3"), color=theme.PINK)
        self.place_in(square, "E1", "F3")
        self.play(FadeIn(triangle), FadeIn(circle), FadeIn(square), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.play(FadeOut(triangle), FadeOut(circle), run_time=0.3)
        sides = V.equation(r'\text{triangle: } 3 \text{ sides}', self.area_size("A4", "F6"))
        self.place_in(sides, "A4", "F6")
        self.play(Write(sides), run_time=0.5)
        self.wait(0.3)

        self.finish()
