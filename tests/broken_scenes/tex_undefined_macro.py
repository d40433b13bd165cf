# lessonreel repair corpus: An undefined TeX macro
# \acceleration is not a TeX command; LaTeX fails and Manim raises from compile_tex. The fix shows the
# formula as Text, keeping font_size and dropping MathTex-only keywords.
# expect-class: TexError
# expect-line: 28
# expect-failure: tex
# expect-fix: deterministic
# expect-fixer: fix_tex

from manim import *

from lessonreel.kit import LessonScene, V


class Section01(LessonScene):
    topic_title = 'Repair corpus'
    section_title = 'An undefined TeX macro'
    lines = [
        'A circle is a set of points',
        'Line 3 of the proof says the radius is fixed',
    ]

    def construct(self):
        self.show_title()

        # === Step 1 (line 1) ===
        self.highlight_line(0)
        law = MathTex(r"\vec{F} = m \acceleration", font_size=40, tex_to_color_map={"F": YELLOW})
        self.place_in(law, "A1", "F3")
        self.play(Write(law), run_time=0.5)
        self.wait(0.2)

        self.finish()
