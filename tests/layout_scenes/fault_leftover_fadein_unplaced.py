# lessonreel layout corpus: A formula faded in by hand survives clear_grid
# The formula was shown with FadeIn after move_to instead of place_in, so clear_grid does not
# know it; the old formula stays under the new step's unrelated equation.
# expect-problem: leftover formula
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Circles and squares'
    lines = [
        'The area of a circle',
        'The area of a square',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        disc = V.shape('circle', self.area_size("A1", "F4"), color=theme.PINK)
        self.place_in(disc, "A1", "F4")
        formula = MathTex(r'A = \pi r^2', font_size=48)
        formula.move_to([4.6, -3.0, 0])
        self.play(FadeIn(disc), FadeIn(formula), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.clear_grid(run_time=0.3)
        square_area = V.equation('A = s^2', self.area_size("A1", "F4"))
        self.place_in(square_area, "A1", "F4")
        self.play(Write(square_area), run_time=0.5)
        self.wait(0.3)

        self.finish()
