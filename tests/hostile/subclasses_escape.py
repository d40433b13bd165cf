"""The classic escape: walk from a tuple to object's subclasses to os.system."""
from manim import *


class SubclassesEscape(Scene):
    def construct(self):
        for cls in ().__class__.__base__.__subclasses__():  # ATTACK
            if cls.__name__ == "_wrap_close":  # ATTACK
                cls.__init__.__globals__["system"]("touch @MARKER@")  # ATTACK
                print("ATTACK-SUCCEEDED")
        self.add(Dot())
