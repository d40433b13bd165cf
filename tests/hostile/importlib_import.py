"""Import subprocess through importlib."""
import importlib  # ATTACK

from manim import *


class ImportlibImport(Scene):
    def construct(self):
        sp = importlib.import_module("subprocess")  # ATTACK
        sp.run(["touch", "@MARKER@"])
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
