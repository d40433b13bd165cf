# lessonreel repair corpus: Transform into an image
# Transform between a vector square and an ImageMobject fails inside Transform.begin, five frames
# below the scene; no safe local fix exists.
# expect-class: AttributeError
# expect-line: 31
# expect-failure: attribute
# expect-fix: model

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'Transform into an image'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        square = Square(side_length=1.5)
        picture = ImageMobject(np.full((8, 8, 4), 255, dtype=np.uint8)).scale_to_fit_width(1.5)
        self.place_in(square, "B2", "E5")
        self.play(Create(square), run_time=0.3)
        self.play(Transform(square, picture), run_time=0.5)
        self.wait(0.2)

        self.finish()
