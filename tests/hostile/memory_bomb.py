"""Allocate 100 GB at once: the address-space limit refuses it (nothing a static check can see)."""
from manim import *


class MemoryBomb(Scene):
    def construct(self):
        block = bytearray(10**11)
        print("ATTACK-SUCCEEDED", len(block))
        self.add(Dot())
