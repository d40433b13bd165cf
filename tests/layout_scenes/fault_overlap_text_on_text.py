# lessonreel layout corpus: Examples written over the definition
# The examples are moved onto the definition and shifted down only slightly, so the two
# texts print over each other and both become unreadable.
# expect-problem: overlap examples, definition
# expect-fix: deterministic

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Prime numbers'
    lines = [
        'A prime has two divisors',
        'The first primes',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        definition = V.text('A prime has exactly two divisors.', self.area_size("A1", "F3"))
        self.place_in(definition, "A1", "F3")
        self.play(FadeIn(definition), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        examples = Text('2, 3, 5, 7, 11, 13', font=theme.FONT, font_size=40, color=theme.ACCENT)
        examples.move_to(definition).shift(DOWN * 0.1)
        self.play(Write(examples), run_time=0.4)
        self.wait(0.3)

        self.finish()
