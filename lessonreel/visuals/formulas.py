"""Formula visuals: display equations, derivations and matrices."""

from __future__ import annotations


from manim import (
    MathTex, Matrix,
    VGroup,
)

from .. import theme
from .common import Size, shrink_to


# ---------------------------------------------------------------- math ---

def equation(tex: str, size: Size, color: str = theme.TEXT) -> MathTex:
    """Display math, grown up to 1.4x its base size when its area has room."""
    eq = MathTex(tex, font_size=theme.EQUATION_FONT_SIZE, color=color)
    grow = min(1.4, 0.9 * size[0] / eq.width, 0.8 * size[1] / eq.height)
    if grow > 1:
        eq.scale(grow)
    return shrink_to(eq, size)


def derivation(steps: list[str], size: Size) -> VGroup:
    """All steps of a derivation, each sized for the area; shown one at a time."""
    forms = VGroup(*[equation(s, size) for s in steps])
    for form in forms[1:]:
        form.move_to(forms[0])
    forms.steps = list(forms)
    return forms


def matrix(rows: list[list], size: Size) -> Matrix:
    m = Matrix([[str(c) for c in row] for row in rows], element_to_mobject=MathTex,
               element_to_mobject_config={"font_size": theme.EQUATION_FONT_SIZE, "color": theme.TEXT},
               bracket_config={"color": theme.TEXT})
    return shrink_to(m, size, grow=1.3)
