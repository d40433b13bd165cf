"""Never finish: the timeout kills the render (nothing a static check can see)."""
from manim import *


class InfiniteLoop(Scene):
    def construct(self):
        n = 0
        while True:
            n += 1
