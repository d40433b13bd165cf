"""Start a shell with subprocess."""
import subprocess  # ATTACK
from manim import *


class SpawnSubprocess(Scene):
    def construct(self):
        subprocess.run(["sh", "-c", "touch @MARKER@"], check=True)  # ATTACK
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
