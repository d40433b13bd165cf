"""Make LaTeX read a secret file into the formula (and so into the video and the render log)."""
from manim import *

from lessonreel.kit import LessonScene


class TexInput(LessonScene):
    def construct(self):
        self.add(MathTex(r"\input{@OUTSIDE@}"))  # ATTACK
        print("ATTACK-SUCCEEDED")
        self.wait(0.1)
