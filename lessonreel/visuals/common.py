"""Small helpers every visual builder shares: sizes, fitting, fonts."""

from __future__ import annotations

from .. import theme

Size = tuple[float, float]


def font_for_all(*texts) -> str:
    """One font for all the texts of a visual (a CJK font when any of them is CJK text)."""
    return theme.font_for(" ".join(str(t) for t in texts))


def shrink_to(mob, size: Size, grow: float = 1.0):
    """Scale mob to fit within size: down as needed, up by at most ``grow``."""
    width, height = size
    factor = min(grow, width / max(mob.width, 1e-6), height / max(mob.height, 1e-6))
    if factor != 1.0:
        mob.scale(factor)
    return mob
