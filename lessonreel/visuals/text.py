"""Text visuals: wrapped paragraphs (with CJK line breaking), prose and bullets."""

from __future__ import annotations


import numpy as np
from manim import (
    DOWN, LEFT, UP, ORIGIN,
    Dot, Text, VGroup,
)

from .. import theme
from .common import Size


# ---------------------------------------------------------------- text ---

def wrap_text(text: str, font_size: float, width: float, font: str = theme.FONT) -> list[str]:
    """Greedy word wrap measured with Manim's own text layout.

    Text with Chinese, Japanese or Korean characters wraps by :func:`_wrap_cjk`
    (it also breaks between CJK characters); other text breaks at spaces only.
    """
    if theme.has_cjk(text):
        return _wrap_cjk(text, font_size, width, theme.font_for(text, font))
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and Text(candidate, font=font, font_size=font_size).width > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


# Line breaking rules for CJK text (the basic "kinsoku" of JIS X 4051 and the
# Chinese GB/T 15834 practice): no line starts with closing punctuation, small
# kana, an iteration or a prolonged sound mark; no line ends with an opening
# bracket or quote.
NO_LINE_START = frozenset(
    "、。，．,.：:；;！!？?）)］]｝}〕〉》」』】〙〗〟’”｠»‐゠–〜～…‥・"
    "ーヽヾゝゞ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "％%‰℃°′″｡､｣ｧｨｩｪｫｬｭｮｯｰ"
)
NO_LINE_END = frozenset("（(［[｛{〔〈《「『【〘〖〝‘“｟«｢")

_NO_BREAK, _SYLLABLE_BREAK, _BREAK = 0, 1, 2


def _atoms(text: str) -> list[list[str]]:
    """Split text into [characters, kind, separator before] atoms.

    Every Han, kana, fullwidth or CJK punctuation character is an atom of its
    own ("cjk"); so is every Hangul syllable ("hangul"); a run of any other
    non-space characters (a Latin word, a number, ASCII punctuation) is one
    atom ("word"), never split. The separator is the whitespace that came
    before the atom, collapsed to one space (an ideographic space stays one).
    """
    atoms: list[list[str]] = []
    sep = ""
    for ch in text:
        if ch.isspace():
            sep = "\u3000" if ch == "\u3000" or sep == "\u3000" else " "
            continue
        kind = "hangul" if theme.is_hangul(ch) else "cjk" if theme.is_cjk(ch) else "word"
        if kind == "word" and atoms and not sep and atoms[-1][1] == "word":
            atoms[-1][0] += ch
        else:
            atoms.append([ch, kind, sep])
        sep = ""
    return atoms


def _break_before(prev: list[str], atom: list[str]) -> int:
    """How a line may break between two atoms."""
    if atom[0][0] in NO_LINE_START or prev[0][-1] in NO_LINE_END:
        return _NO_BREAK
    if atom[2] or prev[1] == "cjk" or atom[1] == "cjk":
        return _BREAK
    if prev[1] == atom[1] == "hangul":  # inside a Korean word: only when the word alone is too wide
        return _SYLLABLE_BREAK
    return _NO_BREAK


def _join(atoms: list[list[str]]) -> str:
    return "".join((atom[2] if k else "") + atom[0] for k, atom in enumerate(atoms))


def _last_fitting(candidates: list[int], fits) -> int | None:
    """The last candidate that fits (fitting is monotone: a longer line is wider), or None."""
    if not candidates:
        return None
    if fits(candidates[-1]):
        return candidates[-1]
    lo, hi, best = 0, len(candidates) - 2, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if fits(candidates[mid]):
            best, lo = candidates[mid], mid + 1
        else:
            hi = mid - 1
    return best


def _wrap_cjk(text: str, font_size: float, width: float, font: str) -> list[str]:
    """Greedy wrap of text with CJK characters, measured with Manim's text layout.

    Lines break at spaces and between CJK characters (Han, kana, fullwidth
    forms), never before closing or after opening punctuation
    (:data:`NO_LINE_START`, :data:`NO_LINE_END`). Latin words and numbers stay
    whole. Korean, which puts spaces between words, breaks at those spaces;
    a Korean word breaks between syllables only when it is wider than a line
    by itself. A piece that cannot break and is too wide gets a line of its own.
    """
    atoms = _atoms(text)
    n = len(atoms)
    kinds = [_NO_BREAK] + [_break_before(atoms[k - 1], atoms[k]) for k in range(1, n)]
    lines: list[str] = []
    i = 0
    while i < n:
        def fits(j: int, start: int = i) -> bool:
            return Text(_join(atoms[start:j]), font=font, font_size=font_size).width <= width

        ends = [k for k in range(i + 1, n) if kinds[k] == _BREAK] + [n]
        j = _last_fitting(ends, fits)
        if j is None:
            syllables = [k for k in range(i + 1, ends[0]) if kinds[k] == _SYLLABLE_BREAK]
            j = _last_fitting(syllables, fits) or ends[0]
        lines.append(_join(atoms[i:j]))
        i = j
    return lines or [""]


def _stack_on_baselines(block: VGroup, rows: list[str], font: str, font_size: float, line_spacing: float,
                        align: str) -> bool:
    """Put the rows of a paragraph on baselines a fixed distance apart.

    Arranging rows by their ink (what space-separated text does) lets the line
    pitch follow the glyphs: a row of Latin letters or digits inside CJK text
    is shorter than a row of ideographs, and the gaps would differ. Manim lays
    out a multi-line Text on a fixed pitch, so each row is moved to where it
    sits in one such Text of all rows, then the pitch is set to one CJK
    character's height plus the usual gap. False when the glyphs of that Text
    do not match the rows (the caller then arranges by ink).
    """
    probe = Text("\n".join(rows), font=font, font_size=font_size)
    glyphs = probe.submobjects
    counts = [len(row.submobjects) for row in block]
    if sum(counts) != len(glyphs) or 0 in counts:
        return False
    em, probe_pitch = _line_metrics(font, font_size)
    pitch = em + line_spacing * font_size / 48
    start = 0
    for i, (row, count) in enumerate(zip(block, counts)):
        points = [g.points for g in glyphs[start:start + count] if len(g.points)]
        start += count
        if not points:
            return False
        points = np.concatenate(points)
        (left, bottom), (right, top) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
        if abs((right - left) - row.width) > 0.01 + 0.01 * row.width:
            return False
        row.move_to([(left + right) / 2, (bottom + top) / 2 + i * (probe_pitch - pitch), 0])
    if align != "left":
        for row in block:
            row.set_x(0)
    return True


_LINE_METRICS: dict[tuple[str, float], tuple[float, float]] = {}


def _line_metrics(font: str, font_size: float) -> tuple[float, float]:
    """(height of one CJK character, Manim's line pitch) for a font and size, in scene units."""
    key = (font, float(font_size))
    if key not in _LINE_METRICS:
        two = Text("国\n国", font=font, font_size=font_size)
        _LINE_METRICS[key] = (two[0].height, two[0].get_center()[1] - two[1].get_center()[1])
    return _LINE_METRICS[key]


def paragraph(text: str, width: float, height: float | None = None, font_size: float = theme.BODY_FONT_SIZE,
              color: str = theme.TEXT, min_font_size: float = theme.MIN_FONT_SIZE, align: str = "left",
              font: str = theme.FONT, line_spacing: float = 0.35) -> VGroup:
    """Wrapped text that fits ``width`` (and ``height``), at the largest size that fits.

    Sizes go down in steps to ``min_font_size``; text never gets smaller than
    that (a layout that needs smaller text is a layout bug, reported by the
    kit's checks rather than hidden). CJK text is drawn in a CJK font
    (:func:`lessonreel.theme.font_for`), one font for all its rows, with the
    rows on evenly spaced baselines.
    """
    font = theme.font_for(text, font)
    cjk = theme.has_cjk(text)
    size = font_size
    while True:
        rows = wrap_text(text, size, width, font)
        block = VGroup(*[Text(r, font=font, font_size=size, color=color) for r in rows])
        if not (cjk and len(rows) > 1 and _stack_on_baselines(block, rows, font, size, line_spacing, align)):
            block.arrange(DOWN, buff=line_spacing * size / 48, aligned_edge=LEFT if align == "left" else ORIGIN)
        fits = height is None or block.height <= height
        if fits or size <= min_font_size:
            break
        size = max(min_font_size, size - 2)
    block.font_size_used = size
    return block


def text(content: str, size: Size, color: str = theme.TEXT) -> VGroup:
    """A paragraph of prose."""
    return paragraph(content, size[0], size[1], font_size=theme.BODY_FONT_SIZE, color=color)


def bullets(items: list[str], size: Size) -> VGroup:
    """A bulleted list; each item wraps beside its own marker."""
    width, height = size
    font_size = theme.BODY_FONT_SIZE
    while True:
        rows = VGroup()
        for i, item in enumerate(items):
            marker = Dot(radius=0.06 * font_size / 30, color=theme.PALETTE[i % len(theme.PALETTE)])
            body = paragraph(item, width - 0.5, None, font_size=font_size, min_font_size=font_size)
            marker.next_to(body[0], LEFT, buff=0.25).align_to(body[0], UP).shift(DOWN * 0.12 * font_size / 30)
            rows.add(VGroup(marker, body))
        rows.arrange(DOWN, buff=0.3 * font_size / 30, aligned_edge=LEFT)
        if rows.height <= height or font_size <= theme.MIN_FONT_SIZE:
            return rows
        font_size -= 2
