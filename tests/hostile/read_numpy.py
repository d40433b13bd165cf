"""Read a secret file outside the project through numpy, which the policy otherwise allows."""
import numpy as np
from manim import *


class ReadNumpy(Scene):
    def construct(self):
        raw = np.fromfile("@OUTSIDE@", dtype=np.uint8)  # ATTACK
        print("ATTACK-SUCCEEDED", bytes(raw))
        rows = np.loadtxt("@OUTSIDE@", dtype=str)  # ATTACK
        print("ATTACK-SUCCEEDED", rows)
        self.add(Dot())
