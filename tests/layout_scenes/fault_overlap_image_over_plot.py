# lessonreel layout corpus: A photo placed on top of the plot
# The photo is placed in cells in the middle of the plot's area, so it covers the curve and
# the axes the learner is meant to read.
# expect-problem: overlap photo, plot
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Population growth'
    lines = [
        'Bacteria double every hour',
        'A photo of a colony',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        plot = V.plot('2**x', [0, 5], self.area_size("A1", "F6"))
        self.place_in(plot, "A1", "F6")
        self.play(Create(plot), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        photo = ImageMobject(np.full((30, 40, 4), [190, 170, 120, 255], dtype=np.uint8)).scale_to_fit_height(3)
        self.place_in(photo, "C2", "E5")
        self.play(FadeIn(photo), run_time=0.3)
        self.wait(0.3)

        self.finish()
