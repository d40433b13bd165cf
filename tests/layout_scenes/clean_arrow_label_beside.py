# lessonreel layout corpus: An arrow with its label next to it
# Two boxes joined by an arrow; the label sits just above the arrow without touching it,
# and each box name lies inside its own filled box.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'Energy changes form'
    lines = [
        'A battery stores chemical energy',
        'A lamp turns it into light',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        battery = VGroup(
            RoundedRectangle(corner_radius=0.15, width=2.4, height=1.2, color=theme.GREEN, fill_opacity=0.3),
            Text('Battery', font=theme.FONT, font_size=28),
        )
        self.place_in(battery, "A3", "B4")
        lamp = VGroup(
            RoundedRectangle(corner_radius=0.15, width=2.4, height=1.2, color=theme.ACCENT, fill_opacity=0.3),
            Text('Lamp', font=theme.FONT, font_size=28),
        )
        self.place_in(lamp, "E3", "F4")
        self.play(FadeIn(battery), FadeIn(lamp), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        flow = Arrow(battery.get_right(), lamp.get_left(), buff=0.2, color=theme.TEXT)
        flow_label = Text('electric current', font=theme.FONT, font_size=24, color=theme.ACCENT)
        flow_label.next_to(flow, UP, buff=0.25)
        self.play(GrowArrow(flow), run_time=0.4)
        self.play(FadeIn(flow_label), run_time=0.3)
        self.wait(0.3)

        self.finish()
