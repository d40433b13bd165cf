"""Subtitles from narration: readable cues, SRT and WebVTT, and the pace of speech.

A step's narration is spoken in a known window (its audio's real start and
length in the section). :func:`split_cues` cuts the text into cues a reader can
follow - at sentence ends first, then at clause punctuation, then between
words - so that each cue has at most ``max_lines`` lines of at most
``max_chars`` characters, and times each cue in proportion to its length
within the window. :func:`offset` moves cues by a section's start in the video.

Line limits: 42 characters a line and 2 lines a cue are the usual limits for
Latin-script subtitles (e.g. Netflix's English timed-text style guide uses 42
characters per line; the BBC's subtitle guidelines use about 37 for broadcast
fonts). East Asian wide characters count as two columns here, which gives 21
Chinese or Japanese characters per line - a little more than the per-line limits
streaming style guides set for those languages, so choose ``max_chars=32`` for
them if cues feel crowded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

__all__ = ["Cue", "split_cues", "cues_for_steps", "to_srt", "to_vtt", "offset", "check_cues", "display_width",
           "count_words", "words_per_minute", "audience_group", "pace_flag", "pace_check", "PACE_RANGES"]


@dataclass(frozen=True)
class Cue:
    start: float   # seconds
    end: float
    text: str      # its lines, joined with "\n"

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


# -- measuring text ---------------------------------------------------------------

def display_width(text: str) -> int:
    """Columns ``text`` takes on screen: East Asian wide/full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and ch.isalnum()


def count_words(text: str) -> int:
    """Words in ``text``; each Chinese/Japanese character counts as one (those scripts have no spaces)."""
    count = 0
    for token in text.split():
        cjk = sum(1 for ch in token if _is_cjk(ch))
        rest = "".join(" " if _is_cjk(ch) else ch for ch in token).split()
        count += cjk + sum(1 for word in rest if any(ch.isalnum() for ch in word))
    return count


# -- splitting --------------------------------------------------------------------

_CLOSERS = "\"'”’»)]"
# A sentence ends at . ! ? … (plus closing quotes/brackets) before a space, or at 。！？ anywhere.
_SENTENCE = re.compile(rf"(?<=[.!?…])[{re.escape(_CLOSERS)}]*\s+|(?<=[。！？])[{re.escape(_CLOSERS)}」』]*\s*")
_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=[—–]\s)|(?<=[，；：、])\s*")
_BREAK_AFTER = set(",;:.!?…，；：、。！？)")
_ABBREVIATIONS = {"e.g.", "i.e.", "etc.", "vs.", "cf.", "dr.", "mr.", "mrs.", "ms.", "prof.", "fig.", "eq.", "no.",
                  "approx.", "st.", "z.b.", "d.h.", "usw.", "bzw."}


def _split_keep(pattern: re.Pattern, text: str) -> list[str]:
    """Split after each match; the pieces keep their punctuation and lose the spaces between them."""
    pieces, last = [], 0
    for match in pattern.finditer(text):
        end_of_piece = match.start() + len(match.group(0).rstrip()) if match.group(0).strip() else match.start()
        piece = text[last:end_of_piece].strip()
        if piece:
            pieces.append(piece)
        last = match.end()
    tail = text[last:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def sentences(text: str) -> list[str]:
    parts = _split_keep(_SENTENCE, text)
    merged: list[str] = []
    for part in parts:  # "e.g. a triangle" is one sentence, not two
        if merged and merged[-1].split()[-1].lower() in _ABBREVIATIONS:
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    # No space between CJK pieces (or after CJK punctuation); a space everywhere else.
    if _is_cjk(a[-1]) or _is_cjk(b[0]) or a[-1] in "。！？，；：、」』":
        return a + b
    return f"{a} {b}"


def _tokens(text: str) -> list[str]:
    """Units a line may break between: words, and single characters inside CJK runs."""
    out: list[str] = []
    for word in text.split():
        if not any(_is_cjk(ch) for ch in word):
            out.append(word)
            continue
        own: list[str] = []
        for ch in word:
            # Punctuation stays with the character before it: no line starts with "，" or "。".
            if own and unicodedata.category(ch).startswith("P"):
                own[-1] += ch
            elif own and not _is_cjk(ch) and not _is_cjk(own[-1][-1]):
                own[-1] += ch  # a Latin word or number inside CJK text stays whole
            else:
                own.append(ch)
        out.extend(own)
    return out


def _join_tokens(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        text = _join(text, token)
    return text


def wrap(text: str, max_chars: int = 42, max_lines: int = 2) -> list[str] | None:
    """The lines ``text`` is shown in, or None when it does not fit ``max_lines`` x ``max_chars``.

    Two lines are balanced (the break that makes the longer line shortest; on a
    tie, the top line is the shorter), never broken inside a word.
    """
    if display_width(text) <= max_chars:
        return [text]
    tokens = _tokens(text)
    if max_lines < 2 or len(tokens) < 2:
        return None
    if max_lines == 2:
        options = []
        for cut in range(1, len(tokens)):
            top, bottom = _join_tokens(tokens[:cut]), _join_tokens(tokens[cut:])
            widths = (display_width(top), display_width(bottom))
            if max(widths) <= max_chars:
                options.append(((max(widths), widths[0] > widths[1], abs(widths[0] - widths[1])), top, bottom))
        if not options:
            return None
        balanced = min(options)
        # A break after punctuation reads better; take it unless it is much less balanced.
        natural = [o for o in options if o[1][-1] in _BREAK_AFTER and o[0][0] <= balanced[0][0] + max_chars // 4]
        chosen = min(natural) if natural else balanced
        return [chosen[1], chosen[2]]
    lines, current = [], ""
    for token in tokens:  # more than two lines: fill greedily
        candidate = _join(current, token)
        if display_width(candidate) <= max_chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = token
    lines.append(current)
    if len(lines) > max_lines or any(display_width(line) > max_chars for line in lines):
        return None
    return lines


def _by_words(text: str, max_chars: int, max_lines: int) -> list[str]:
    """Cut between words into as few cues as possible, as even as possible.

    A word longer than a line (a URL, a long formula) is first cut into line-sized pieces.
    """
    tokens: list[str] = []
    for token in _tokens(text):
        while display_width(token) > max_chars:
            head = ""
            for ch in token:
                if display_width(head + ch) > max_chars:
                    break
                head += ch
            tokens.append(head)
            token = token[len(head):]
        if token:
            tokens.append(token)
    n = len(tokens)
    fits = {}

    def width(i: int, j: int) -> float:  # of tokens[i:j] as one cue, inf when it does not fit
        if (i, j) not in fits:
            piece = _join_tokens(tokens[i:j])
            fits[(i, j)] = display_width(piece) if wrap(piece, max_chars, max_lines) is not None else float("inf")
        return fits[(i, j)]

    # best[j] = (pieces, widest piece) for tokens[:j]: fewest pieces first, then the most even.
    best: list[tuple[float, float, int]] = [(0, 0, 0)] + [(float("inf"), float("inf"), 0)] * n
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            w = width(i, j)
            if w == float("inf"):
                if j - i > 1:
                    break  # longer runs fit even less
                w = display_width(tokens[i])  # a single over-long token still makes a piece
            pieces, widest, _ = best[i]
            candidate = (pieces + 1, max(widest, w), i)
            if candidate[:2] < best[j][:2]:
                best[j] = candidate
    cuts, j = [], n
    while j > 0:
        i = best[j][2]
        cuts.append(_join_tokens(tokens[i:j]))
        j = i
    return cuts[::-1]


def _fit(chunk: str, max_chars: int, max_lines: int) -> list[str]:
    """Cut a sentence into pieces that each fit one cue: at clauses, then between words."""
    if wrap(chunk, max_chars, max_lines) is not None:
        return [chunk]
    out, current = [], ""
    for clause in _split_keep(_CLAUSE, chunk):
        candidate = _join(current, clause)
        if wrap(candidate, max_chars, max_lines) is not None:
            current = candidate
            continue
        if current:
            out.append(current)
        if wrap(clause, max_chars, max_lines) is not None:
            current = clause
        else:
            words = _by_words(clause, max_chars, max_lines)
            out.extend(words[:-1])
            current = words[-1] if words else ""
    if current:
        out.append(current)
    return out


def split_text(text: str, max_chars: int = 42, max_lines: int = 2) -> list[str]:
    """The narration cut into cue texts (not yet wrapped into lines), in order."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()
    pieces: list[str] = []
    for sentence in sentences(text):
        pieces.extend(_fit(sentence, max_chars, max_lines))
    return pieces


# -- timing -----------------------------------------------------------------------

def _weights(pieces: list[str]) -> list[float]:
    # Speaking time follows the amount of text; spaces take almost none, so they do not count.
    return [max(1, display_width(piece.replace(" ", ""))) for piece in pieces]


def _durations(weights: list[float], span: float, min_duration: float) -> list[float]:
    """Share ``span`` in proportion to ``weights``, lifting cues to ``min_duration`` when the span allows."""
    total = sum(weights)
    durations = [span * w / total for w in weights]
    if span < min_duration * len(weights):
        return durations
    fixed: set[int] = set()
    while True:
        short = [i for i, d in enumerate(durations) if i not in fixed and d < min_duration - 1e-9]
        if not short:
            return durations
        fixed.update(short)
        rest = span - min_duration * len(fixed)
        free = sum(weights[i] for i in range(len(weights)) if i not in fixed)
        durations = [min_duration if i in fixed else rest * weights[i] / free for i in range(len(weights))]


def _join_short(pieces: list[str], span: float, min_duration: float, max_chars: int, max_lines: int) -> list[str]:
    """Join pieces that would flash by: the shortest first, with its shorter neighbour, while they fit."""
    pieces = list(pieces)
    while len(pieces) > 1:
        durations = _durations(_weights(pieces), span, 0.0)
        joined_any = False
        for i in sorted(range(len(pieces)), key=durations.__getitem__):
            if durations[i] >= min_duration:
                break
            for j in sorted((j for j in (i - 1, i + 1) if 0 <= j < len(pieces)), key=durations.__getitem__):
                a, b = min(i, j), max(i, j)
                joined = _join(pieces[a], pieces[b])
                if wrap(joined, max_chars, max_lines) is not None:
                    pieces[a:b + 1] = [joined]
                    joined_any = True
                    break
            if joined_any:
                break
        if not joined_any:
            return pieces
    return pieces


def split_cues(text: str, start: float, end: float, max_chars: int = 42, max_lines: int = 2,
               min_duration: float = 1.0) -> list[Cue]:
    """Cues for ``text`` spoken from ``start`` to ``end`` seconds.

    Each cue has at most ``max_lines`` lines of at most ``max_chars`` columns. The
    cues cover [start, end] without gaps or overlaps, each lasting in proportion to
    its share of the text. A cue that would last less than ``min_duration`` is first
    joined with a neighbour when both still fit one cue, then lengthened at the
    expense of the others when the window allows (a window too short for all cues
    keeps the proportional times).
    """
    if end < start:
        raise ValueError(f"cue window ends before it starts: {start} > {end}")
    pieces = split_text(text, max_chars, max_lines)
    if not pieces:
        return []
    span = end - start
    pieces = _join_short(pieces, span, min_duration, max_chars, max_lines)
    durations = _durations(_weights(pieces), span, min_duration)
    cues, clock = [], start
    for k, (piece, seconds) in enumerate(zip(pieces, durations)):
        begin = round(float(clock), 3)
        clock += seconds
        finish = round(float(end if k == len(pieces) - 1 else clock), 3)
        cues.append(Cue(begin, finish, "\n".join(wrap(piece, max_chars, max_lines) or [piece])))
    return cues


def cues_for_steps(steps: Iterable[tuple[str, float, float]], *, offset_s: float = 0.0, **limits) -> list[Cue]:
    """Cues for consecutive steps, each ``(narration, audio start, audio end)`` in section time.

    ``offset_s`` moves them all (the section's start in the whole video).
    """
    cues: list[Cue] = []
    for text, start, end in steps:
        cues.extend(split_cues(text, start + offset_s, end + offset_s, **limits))
    check_cues(cues)
    return cues


def offset(cues: Iterable[Cue], seconds: float) -> list[Cue]:
    """The same cues ``seconds`` later (a section's start in the whole video)."""
    return [Cue(round(c.start + seconds, 3), round(c.end + seconds, 3), c.text) for c in cues]


def check_cues(cues: list[Cue]) -> None:
    """Raise ValueError unless every cue has a positive length and none starts before the last one ended."""
    previous_end = float("-inf")
    for n, cue in enumerate(cues, start=1):
        if cue.end <= cue.start:
            raise ValueError(f"cue {n} ({cue.text!r}) does not last: {cue.start} -> {cue.end}")
        if cue.start < previous_end - 1e-9:
            raise ValueError(f"cue {n} ({cue.text!r}) starts at {cue.start}, before cue {n - 1} ends at {previous_end}")
        previous_end = cue.end


# -- writing ----------------------------------------------------------------------

def timestamp(seconds: float, separator: str = ",") -> str:
    """``HH:MM:SS,mmm`` (SRT) or, with ``separator='.'``, ``HH:MM:SS.mmm`` (WebVTT)."""
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _clean_lines(text: str) -> list[str]:
    # A blank line would end the cue early in both formats.
    return [line.strip() for line in text.split("\n") if line.strip()] or ["..."]


def to_srt(cues: Iterable[Cue]) -> str:
    blocks = []
    for n, cue in enumerate(cues, start=1):
        blocks.append(f"{n}\n{timestamp(cue.start)} --> {timestamp(cue.end)}\n" + "\n".join(_clean_lines(cue.text)))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _vtt_escape(line: str) -> str:
    # WebVTT cue text is markup: & and < must be escaped ("-->" then cannot occur either).
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: Iterable[Cue]) -> str:
    blocks = ["WEBVTT"]
    for cue in cues:
        blocks.append(f"{timestamp(cue.start, '.')} --> {timestamp(cue.end, '.')}\n"
                      + "\n".join(_vtt_escape(line) for line in _clean_lines(cue.text)))
    return "\n\n".join(blocks) + "\n"


# -- pace -------------------------------------------------------------------------

# Comfortable narration rates in words per minute, by audience. These bounds are
# this project's choices, not a standard. What informed them:
# * Tauroza & Allison (1990), "Speech rates in British English", Applied
#   Linguistics 11(1): radio monologue averaged about 160 wpm, lectures to
#   non-native listeners about 140, interviews about 190, conversation about 210.
# * Guo, Kim & Rubin (2014), "How video production affects student engagement"
#   (ACM Learning@Scale): in MOOC videos, fast-speaking instructors did not lose
#   learners - engagement was higher for the faster speakers - so experts get
#   a higher ceiling.
# * espeak-ng's default rate is 175 wpm; audiobook narration is commonly
#   produced at around 150-160 wpm.
# Children (and anyone reading along while the picture changes) need more time:
# 100-150. Outside a range the manifest flags "too slow" / "too fast".
PACE_RANGES: dict[str, tuple[float, float]] = {
    "children": (100.0, 150.0),
    "general": (120.0, 180.0),
    "expert": (120.0, 200.0),
}
_CHILDREN = re.compile(r"child|kid|primary|elementary|middle school|grade\s*\d|year\s*\d|pupil|young|junior|"
                       r"kindergarten|beginner reader", re.IGNORECASE)
_EXPERT = re.compile(r"expert|graduate|postgrad|phd|research|professional|advanced|specialist|engineer|"
                     r"practitioner", re.IGNORECASE)
# Scripts without spaces between words: words per minute means little there.
_UNRATED_LANGUAGES = {"zh", "ja", "cmn", "yue", "th", "lo", "km", "my"}


def words_per_minute(text: str, seconds: float) -> float:
    """Spoken words per minute (0 for silence or no time)."""
    if seconds <= 0:
        return 0.0
    return round(count_words(text) * 60.0 / seconds, 1)


def audience_group(audience: str | None) -> str:
    """"children", "expert" or "general", from a topic's free-text ``audience``."""
    text = audience or ""
    if _CHILDREN.search(text):
        return "children"
    if _EXPERT.search(text):
        return "expert"
    return "general"


def pace_flag(wpm: float, audience: str | None = None, language: str | None = "en") -> str:
    """"ok", "too slow", "too fast", or "not rated" (no speech, or a language written without spaces)."""
    if wpm <= 0 or (language or "en").lower().replace("_", "-").split("-")[0] in _UNRATED_LANGUAGES:
        return "not rated"
    low, high = PACE_RANGES[audience_group(audience)]
    if wpm < low:
        return "too slow"
    if wpm > high:
        return "too fast"
    return "ok"


def pace_check(text: str, seconds: float, audience: str | None = None, language: str | None = "en") -> dict:
    """What the manifest records per section: words, seconds, wpm, the audience's range and the flag."""
    wpm = words_per_minute(text, seconds)
    group = audience_group(audience)
    return {"words": count_words(text), "seconds": round(seconds, 3), "wpm": wpm, "audience": group,
            "range": list(PACE_RANGES[group]), "pace": pace_flag(wpm, audience, language)}
