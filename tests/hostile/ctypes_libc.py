"""Call libc's system() through ctypes, past every Python-level check."""
import ctypes  # ATTACK
from manim import *


class CtypesLibc(Scene):
    def construct(self):
        libc = ctypes.CDLL(None)  # ATTACK
        libc.system(b"touch @MARKER@")
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
