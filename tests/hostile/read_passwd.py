"""Read /etc/passwd with the open builtin."""
from manim import *


class ReadPasswd(Scene):
    def construct(self):
        text = open("/etc/passwd").read()  # ATTACK
        print("ATTACK-SUCCEEDED", text)
        self.add(Text(text[:20]))
