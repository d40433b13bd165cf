# lessonreel layout corpus: A long note pushed past the right edge
# The note is moved to the right edge and then shifted further right, so its last words are
# cut off by the frame and the learner cannot read the sentence.
# expect-problem: off_frame note
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'The radius of a circle'
    lines = [
        'A circle has a centre',
        'Every point is r away from it',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        shape = V.shape('circle', self.area_size("B1", "E4"), label='Radius r', color=theme.BLUE)
        self.place_in(shape, "B1", "E4")
        self.play(Create(shape.body), FadeIn(shape.label), run_time=0.5)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        note = Text('Every point is the same distance from the centre', font=theme.FONT, font_size=28)
        note.to_edge(RIGHT).shift(RIGHT * 1.2 + DOWN * 2.6)
        self.play(FadeIn(note), run_time=0.4)
        self.wait(0.3)

        self.finish()
