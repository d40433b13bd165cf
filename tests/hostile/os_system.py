"""Run a shell command with os.system, then os.popen."""
import os  # ATTACK
from manim import *


class OsSystem(Scene):
    def construct(self):
        try:
            os.system("touch @MARKER@")  # ATTACK
        except PermissionError as exc:
            print("BLOCKED os.system:", exc)
        print(os.popen("id; touch @MARKER@").read())  # ATTACK
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
