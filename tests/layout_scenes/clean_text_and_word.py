# lessonreel layout corpus: A paragraph and a key word
# A wrapped paragraph in the top rows and one key word at font size 40 below it, in
# separate areas.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'What a cell is'
    lines = [
        'Living things are made of cells',
        'The cell is the unit of life',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        idea = V.text('Every plant and animal is built from tiny units called cells.', self.area_size("A1", "F3"))
        self.place_in(idea, "A1", "F3")
        self.play(FadeIn(idea), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        key = Text('cell', font=theme.FONT, font_size=40, color=theme.ACCENT)
        self.place_in(key, "B4", "E6")
        self.play(Write(key), run_time=0.4)
        self.wait(0.3)

        self.finish()
