"""Skip subprocess.Popen's audit event: call the C process starter directly."""
import subprocess  # ATTACK
from manim import *


class ForkExecDirect(Scene):
    def construct(self):
        import _posixsubprocess  # ATTACK

        for start in (subprocess._fork_exec, _posixsubprocess.fork_exec):  # ATTACK
            try:
                start((b"/bin/sh", b"-c", b"touch @MARKER@"), (b"/bin/sh",), True, (), None, None,
                      -1, -1, -1, -1, -1, -1, *__import__("os").pipe(), False, False, -1,  # ATTACK
                      None, None, None, -1, None)
                print("ATTACK-SUCCEEDED")
            except PermissionError as exc:
                print("BLOCKED:", exc)
        raise PermissionError("every direct start was refused")
