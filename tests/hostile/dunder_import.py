"""Import os without an import statement."""
from manim import *


class DunderImport(Scene):
    def construct(self):
        os_module = __import__("os")  # ATTACK
        os_module.system("touch @MARKER@")  # ATTACK
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
