"""Fill the disk from inside the working folder: the file-size limit stops the file (run with 8 MiB)."""
import os  # ATTACK
from manim import *


class GiantFile(Scene):
    def construct(self):
        chunk = b"x" * (1 << 20)
        with open(os.path.join(os.environ["TMPDIR"], "giant.bin"), "wb") as fh:  # ATTACK
            for _ in range(64):
                fh.write(chunk)
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
