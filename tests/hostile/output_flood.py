"""Flood the render log (and the memory of whoever reads it) with 200 MB of output."""
from manim import *


class OutputFlood(Scene):
    def construct(self):
        line = "flood " * 20_000
        for _ in range(1_700):
            print(line)
        raise RuntimeError("flooded")
