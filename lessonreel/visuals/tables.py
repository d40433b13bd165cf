"""Tabular visuals: tables and syntax-highlighted code."""

from __future__ import annotations


from manim import (
    Code, Table,
    Text,
)

from .. import theme
from .common import Size, font_for_all, shrink_to


# -------------------------------------------------------------- tables ---

def table(header: list, rows: list[list], size: Size) -> Table:
    font = font_for_all(*header, *(c for r in rows for c in r))

    def cell(value, color=theme.TEXT):
        return Text(str(value), font=font, font_size=theme.LABEL_FONT_SIZE + 2, color=color)

    width = max(len(header), *(len(r) for r in rows))
    body = [[str(r[i]) if i < len(r) else "" for i in range(width)] for r in rows]
    tab = Table(body, col_labels=[cell(h, theme.ACCENT) for h in header] + [cell("")] * (width - len(header)),
                element_to_mobject=cell, include_outer_lines=True, v_buff=0.35, h_buff=0.6,
                line_config={"color": theme.DIM, "stroke_width": 2})
    return shrink_to(tab, size, grow=1.3)


def code(source: str, language: str, size: Size) -> Code:
    block = Code(code_string=source.rstrip("\n"), language=language, formatter_style="monokai",
                 background="window", add_line_numbers=True,
                 paragraph_config={"font": theme.font_for(source, theme.MONO_FONT),
                                   "font_size": theme.LABEL_FONT_SIZE},
                 background_config={"fill_color": "#272822", "stroke_color": theme.DIM})
    return shrink_to(block, size, grow=1.3)
