"""Signal a process outside the sandbox (the test starts a sleeping one and checks it survives)."""
import os  # ATTACK
import signal  # ATTACK

from manim import *


class KillProcess(Scene):
    def construct(self):
        os.kill(@PID@, signal.SIGKILL)  # ATTACK
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
