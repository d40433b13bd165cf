"""Reach open and __import__ through __builtins__ and getattr."""
from manim import *


class BuiltinsGetattr(Scene):
    def construct(self):
        table = __builtins__ if isinstance(__builtins__, dict) else vars(__builtins__)  # ATTACK
        opener = table["open"]
        print("ATTACK-SUCCEEDED", opener("/etc/passwd").read())
        imp = getattr(__builtins__, "__import__", None) or table["__import__"]  # ATTACK
        imp("os").system("touch @MARKER@")
        self.add(Dot())
