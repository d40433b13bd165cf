# lessonreel layout corpus: A filled square with its own label inside
# The label lies entirely inside the filled square it names; a label inside its own filled
# shape is how diagrams are labelled, not an overlap.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Area of a square'
    lines = [
        'A square with side 3 cm',
        'Its area is 9 square centimetres',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        square = V.shape('square', self.area_size("B1", "E4"), color=theme.GREEN)
        self.place_in(square, "B1", "E4")
        self.play(DrawBorderThenFill(square), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        area = Text('9 cm²', font=theme.FONT, font_size=36)
        area.move_to(square.body)
        equation = V.equation(r'A = 3 \times 3 = 9', self.area_size("A5", "F6"))
        self.place_in(equation, "A5", "F6")
        self.play(FadeIn(area), Write(equation), run_time=0.5)
        self.wait(0.3)

        self.finish()
