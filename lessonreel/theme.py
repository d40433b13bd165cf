"""Colours and type sizes shared by every scene.

Font sizes are Manim font sizes; with DejaVu Sans a lowercase x is roughly
``font_size`` pixels tall in a 1080p frame, so MIN_FONT_SIZE keeps the
smallest text about 20 px high at 1080p, comfortably legible.
"""

BACKGROUND = "#111827"
TEXT = "#E5E7EB"
DIM = "#6B7280"
ACCENT = "#FBBF24"
BLUE = "#60A5FA"
GREEN = "#34D399"
PINK = "#F472B6"
PURPLE = "#A78BFA"
PANEL = "#1F2937"
PALETTE = [BLUE, GREEN, ACCENT, PINK, PURPLE, "#F87171"]

FONT = "DejaVu Sans"
MONO_FONT = "DejaVu Sans Mono"

TITLE_FONT_SIZE = 40
LINE_FONT_SIZE = 26
BODY_FONT_SIZE = 30
LABEL_FONT_SIZE = 24
MIN_FONT_SIZE = 20
EQUATION_FONT_SIZE = 52
