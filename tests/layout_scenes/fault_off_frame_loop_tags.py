# lessonreel layout corpus: Tags made in a loop, the last one off the frame
# Tags are spaced 2.8 units apart in a loop; the fourth lands past the right edge and is
# cut in half. After the loop the variable `tag` still holds that last tag, so the trace
# names it and the fix (placed before the wait that first shows it) reaches the right object.
# expect-problem: off_frame tag
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Stages of a journey'
    lines = [
        'A journey has stages',
        'Each stage follows the last',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        route = Line([-1.6, -0.5, 0], [6.2, -0.5, 0], color=theme.DIM, stroke_width=4)
        self.play(Create(route), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        for i, word in enumerate(['start', 'middle', 'end', 'beyond']):
            tag = Text(word, font=theme.FONT, font_size=28, color=theme.PALETTE[i])
            tag.move_to([-1.0 + 2.8 * i, -1.5, 0])
            self.add(tag)
        self.wait(0.3)

        self.finish()
