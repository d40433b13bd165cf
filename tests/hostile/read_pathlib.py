"""Read a secret file outside the project with pathlib (and try the usual SSH keys first)."""
from pathlib import Path  # ATTACK

from manim import *


class ReadPathlib(Scene):
    def construct(self):
        for name in ("~/.ssh/id_rsa", "/root/.ssh/id_rsa", "/root/.ssh/id_ed25519"):
            try:
                print("ATTACK-SUCCEEDED", Path(name).expanduser().read_text())  # ATTACK
            except (OSError, RuntimeError) as exc:
                print("BLOCKED", type(exc).__name__, exc)
        secret = Path("@OUTSIDE@").read_text()  # ATTACK
        print("ATTACK-SUCCEEDED", secret)
        self.add(Dot())
