# lessonreel layout corpus: An image with its caption
# One picture and its caption in one area through caption_for; nothing covers the picture.
# expect-clean

from manim import *

from lessonreel.kit import LessonScene, V, theme


class Section01(LessonScene):
    topic_title = 'Layout corpus'
    section_title = 'A colour gradient'
    lines = [
        'Light mixes smoothly',
        'Blue fades into yellow',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        ramp = np.linspace(0, 1, 48)[None, :, None]
        pixels = np.concatenate([255 * ramp * np.ones((32, 1, 1)), 200 * np.ones((32, 48, 1)),
                                 255 * (1 - ramp) * np.ones((32, 1, 1)), 255 * np.ones((32, 48, 1))], axis=2)
        picture = ImageMobject(pixels.astype(np.uint8)).scale_to_fit_height(4)
        self.place_in(picture, "B1", "E5")
        note = self.caption_for(picture, 'From blue to yellow')
        self.play(FadeIn(picture), run_time=0.4)
        self.wait(0.2)

        # === Step 2 (line 2) ===
        self.highlight_line(1)
        self.play(FadeIn(note), run_time=0.3)
        self.wait(0.3)

        self.finish()
