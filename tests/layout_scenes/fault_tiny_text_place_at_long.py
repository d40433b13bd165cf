# lessonreel layout corpus: A long sentence shrunk into two cells
# place_in scales the whole sentence down to fit cells E6-F6, so it ends up at about font
# size 8: the kit keeps it inside the grid but the learner cannot read it.
# expect-problem: tiny_text summary
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Kinetic energy'
    lines = [
        'Energy of motion',
        'It grows with speed squared',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        formula = V.equation(r'E_k = \tfrac{1}{2} m v^2', self.area_size("A1", "F4"))
        self.place_in(formula, "A1", "F4")
        self.play(Write(formula), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        summary = Text('Kinetic energy grows with the square of the speed', font=theme.FONT, font_size=30)
        self.place_in(summary, "E6", "F6")
        self.play(FadeIn(summary), run_time=0.3)
        self.wait(0.3)

        self.finish()
