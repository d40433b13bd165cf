"""Hide the import in a string and run it with exec and eval."""
from manim import *


class EvalExec(Scene):
    def construct(self):
        code = "imp" + "ort os; os.sys" + "tem('touch @MARKER@')"
        exec(code)  # ATTACK
        eval("__imp" + "ort__('subprocess').run(['touch', '@MARKER@'])")  # ATTACK
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
