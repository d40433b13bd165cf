"""Write a file outside the working folder (a planted script, a changed config...)."""
from manim import *


class WriteOutside(Scene):
    def construct(self):
        with open("@TARGET@", "w") as fh:  # ATTACK
            fh.write("pwned")
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
