# lessonreel layout corpus: Four photos filling every cell of the grid
# Four pictures are placed in the four quadrants of the grid at once; together they cover all
# 36 cells and leave the learner no focus and no room for a label.
# expect-problem: crowded photo_leaf, photo_root, photo_stem, photo_flower
# expect-fix: none

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Parts of a plant'
    lines = [
        'A plant has four main parts',
        'Each part has a job',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        photo_leaf = ImageMobject(np.full((30, 42, 4), [60, 160, 80, 255], dtype=np.uint8)).scale_to_fit_height(4)
        self.place_in(photo_leaf, "A1", "C3")
        photo_root = ImageMobject(np.full((30, 42, 4), [140, 100, 60, 255], dtype=np.uint8)).scale_to_fit_height(4)
        self.place_in(photo_root, "D1", "F3")
        self.play(FadeIn(photo_leaf), FadeIn(photo_root), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        photo_stem = ImageMobject(np.full((30, 42, 4), [120, 170, 90, 255], dtype=np.uint8)).scale_to_fit_height(4)
        self.place_in(photo_stem, "A4", "C6")
        photo_flower = ImageMobject(np.full((30, 42, 4), [230, 120, 170, 255], dtype=np.uint8)).scale_to_fit_height(4)
        self.place_in(photo_flower, "D4", "F6")
        self.play(FadeIn(photo_stem), FadeIn(photo_flower), run_time=0.4)
        self.wait(0.3)

        self.finish()
