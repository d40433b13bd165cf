# lessonreel layout corpus: A picture nudged into the corner margin
# The picture is placed in its cells and then shifted right and down by about 0.3, so its corner
# enters the safety margin at the right and bottom edges.
# expect-problem: margin picture
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Mixing colours'
    lines = [
        'Red and blue make purple',
        'The swatch shows the mix',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        mix = V.equation(r'\text{red} + \text{blue} = \text{purple}', self.area_size("A1", "F3"))
        self.place_in(mix, "A1", "F3")
        self.play(Write(mix), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        picture = ImageMobject(np.full((24, 32, 4), [150, 60, 200, 255], dtype=np.uint8)).scale_to_fit_height(3)
        self.place_in(picture, "E5", "F6")
        picture.shift(RIGHT * 0.35 + DOWN * 0.28)
        self.play(FadeIn(picture), run_time=0.3)
        self.wait(0.3)

        self.finish()
