# lessonreel layout corpus: Six filled cards covering the whole grid
# Six solid cards fill all 36 grid cells at once; with no empty space the learner cannot tell
# where to look or which card the narration is about.
# expect-problem: crowded card_mass, card_force, card_speed, card_time, card_energy, card_power
# expect-fix: none

from manim import *

from lessonreel.kit import LessonScene, V, theme


def card(word, color):
    panel = RoundedRectangle(corner_radius=0.1, width=2.7, height=3.0, color=color, fill_opacity=0.7)
    return VGroup(panel, Text(word, font=theme.FONT, font_size=30, color=theme.TEXT))


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Quantities in physics'
    lines = [
        'Six basic quantities',
        'Each has its own unit',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        card_mass = card('Mass', theme.BLUE)
        self.place_in(card_mass, "A1", "B3")
        card_force = card('Force', theme.GREEN)
        self.place_in(card_force, "C1", "D3")
        card_speed = card('Speed', theme.PINK)
        self.place_in(card_speed, "E1", "F3")
        self.play(FadeIn(card_mass), FadeIn(card_force), FadeIn(card_speed), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        card_time = card('Time', theme.PURPLE)
        self.place_in(card_time, "A4", "B6")
        card_energy = card('Energy', theme.PALETTE[5])
        self.place_in(card_energy, "C4", "D6")
        card_power = card('Power', theme.BLUE)
        self.place_in(card_power, "E4", "F6")
        self.play(FadeIn(card_time), FadeIn(card_energy), FadeIn(card_power), run_time=0.4)
        self.wait(0.3)

        self.finish()
