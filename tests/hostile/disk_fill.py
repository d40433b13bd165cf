"""Fill the disk with many files, each under the file-size limit: the disk watchdog stops it (16 MB here)."""
import os  # ATTACK
import time  # ATTACK

from manim import *


class DiskFill(Scene):
    def construct(self):
        chunk = b"x" * (2 << 20)
        for i in range(10_000):
            with open(os.path.join(os.environ["TMPDIR"], f"fill{i}.bin"), "wb") as fh:  # ATTACK
                fh.write(chunk)
            time.sleep(0.05)
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
