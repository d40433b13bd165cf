"""Shape visuals: basic shapes and pictures from files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from manim import (
    DOWN, Circle, ImageMobject, Rectangle, RegularPolygon, Square, Text, Triangle, VGroup,
)

from .. import theme
from .common import Size, shrink_to


# -------------------------------------------------------------- shapes ---

def shape(kind: str, size: Size, label: str | None = None, sides: int | None = None,
          color: str | None = None) -> VGroup:
    color = color or theme.BLUE
    extent = min(size[0], size[1] - (0.6 if label else 0)) * 0.8
    if kind == "circle":
        body = Circle(radius=extent / 2)
    elif kind == "square":
        body = Square(side_length=extent)
    elif kind == "triangle":
        body = Triangle().scale_to_fit_height(extent)
    elif kind == "rectangle":
        body = Rectangle(width=min(size[0] * 0.8, extent * 1.6), height=extent * 0.8)
    else:
        body = RegularPolygon(n=sides or 6).scale_to_fit_height(extent)
    body.set_stroke(color, width=5).set_fill(color, opacity=0.25)
    group = VGroup(body)
    group.body, group.label = body, None
    if label:
        name = Text(label, font=theme.font_for(label), font_size=theme.BODY_FONT_SIZE, color=theme.TEXT)
        name.next_to(body, DOWN, buff=0.2)
        group.add(name)
        group.label = name
    return shrink_to(group, size)


def image(path: str, size: Size) -> ImageMobject:
    from PIL import Image

    with Image.open(Path(path)) as source:  # any mode Pillow reads -> RGBA, which Manim draws
        pixels = np.array(source.convert("RGBA"))
    picture = ImageMobject(pixels)
    picture.scale_to_fit_width(size[0])
    if picture.height > size[1]:
        picture.scale_to_fit_height(size[1])
    return picture
