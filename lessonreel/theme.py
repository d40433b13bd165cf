"""Colours and type sizes shared by every scene.

Font sizes are Manim font sizes; with DejaVu Sans a lowercase x is roughly
``font_size`` pixels tall in a 1080p frame, so MIN_FONT_SIZE keeps the
smallest text about 20 px high at 1080p, comfortably legible. A CJK
character (Noto Sans CJK, see font_for) is about 1.6 font_size pixels tall.
"""

from __future__ import annotations

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


# ------------------------------------------------------------- scripts ---
# DejaVu Sans has no Chinese, Japanese or Korean glyphs. Pango's fontconfig
# fallback does draw them (from Noto Sans CJK, Debian's fonts-noto-cjk), but
# always in the Japanese variant (fontconfig lists Noto Sans CJK JP first), so
# a Chinese lesson would get Japanese glyph forms (令, 直, 骨, and centred
# fullwidth punctuation). Text with CJK characters therefore gets a Noto Sans
# CJK family of its own: one font for the whole text, Latin words included,
# so a mixed line has one baseline and one line height.

#: The lesson's language (a topic's ``language:``, e.g. "zh", "zh-TW", "ja",
#: "ko"), when the scene sets it; it picks the CJK variant for text whose
#: characters alone do not tell (kanji-only Japanese, Han-only text).
LANGUAGE: str | None = None

CJK_FONT = "Noto Sans CJK {region}"
CJK_MONO_FONT = "Noto Sans Mono CJK {region}"

_CJK_RANGES = (
    (0x1100, 0x11FF),    # Hangul Jamo
    (0x2E80, 0x2FDF),    # CJK radicals, Kangxi radicals
    (0x2FF0, 0x303F),    # ideographic description, CJK symbols and punctuation
    (0x3040, 0x30FF),    # Hiragana, Katakana
    (0x3100, 0x312F),    # Bopomofo
    (0x3130, 0x318F),    # Hangul compatibility Jamo
    (0x3190, 0x31FF),    # Kanbun, Bopomofo ext., CJK strokes, Katakana ext.
    (0x3200, 0x33FF),    # enclosed CJK, CJK compatibility
    (0x3400, 0x4DBF),    # CJK ext. A
    (0x4E00, 0x9FFF),    # CJK unified ideographs
    (0xA960, 0xA97F),    # Hangul Jamo ext. A
    (0xAC00, 0xD7FF),    # Hangul syllables, Jamo ext. B
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0xFE10, 0xFE1F),    # vertical forms
    (0xFE30, 0xFE4F),    # CJK compatibility forms
    (0xFF00, 0xFFEF),    # halfwidth and fullwidth forms
    (0x1B000, 0x1B16F),  # kana supplement and ext.
    (0x20000, 0x3134F),  # CJK ext. B..G, compatibility supplement
)
_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F), (0x1B000, 0x1B16F))
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC))


def _in(ch: str, ranges) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in ranges)


def is_cjk(ch: str) -> bool:
    """Whether ``ch`` is a Chinese, Japanese or Korean character (ideograph, kana, Hangul, CJK punctuation, fullwidth form)."""
    return ord(ch) >= 0x1100 and _in(ch, _CJK_RANGES)


def is_hangul(ch: str) -> bool:
    return ord(ch) >= 0x1100 and _in(ch, _HANGUL)


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


def cjk_region(text: str, language: str | None = None) -> str:
    """The Noto CJK variant for ``text``: SC, TC, HK, JP or KR.

    The language (argument, else :data:`LANGUAGE`) decides when it is a CJK
    one; otherwise kana mean Japanese, Hangul Korean, and Han alone Chinese
    (simplified).
    """
    lang = (language or LANGUAGE or "").lower().replace("_", "-")
    if lang.startswith("ja"):
        return "JP"
    if lang.startswith("ko"):
        return "KR"
    if lang.startswith("zh"):
        if any(tag in lang for tag in ("-hk", "-mo")):
            return "HK"
        return "TC" if any(tag in lang for tag in ("-tw", "-hant")) else "SC"
    if any(_in(ch, _KANA) for ch in text):
        return "JP"
    if any(is_hangul(ch) for ch in text):
        return "KR"
    return "SC"


def font_for(text: str, font: str = FONT, language: str | None = None) -> str:
    """The font family to draw ``text`` with.

    Text without CJK characters keeps ``font``. CJK text asked for in the
    theme's fonts (FONT, MONO_FONT) gets the matching Noto Sans (Mono) CJK
    variant, when it is installed; any other font a caller chose is kept.
    """
    if font not in (FONT, MONO_FONT) or not has_cjk(text):
        return font
    family = (CJK_MONO_FONT if font == MONO_FONT else CJK_FONT).format(region=cjk_region(text, language))
    return family if family in installed_fonts() else font


_INSTALLED: frozenset | None = None


def installed_fonts() -> frozenset:
    """Font families Pango can use (cached; manimpango is imported on first use only)."""
    global _INSTALLED
    if _INSTALLED is None:
        import manimpango

        _INSTALLED = frozenset(manimpango.list_fonts())
    return _INSTALLED
