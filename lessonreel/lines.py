"""What is said for each lecture line of a section, before any model or voice is involved."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def narration_per_line(section: dict) -> list[str]:
    """What is said for each lecture line: given per line, split from one text, or the line itself."""
    lines = section["lines"]
    narration = section.get("narration")
    if isinstance(narration, list):
        return [n or line for n, line in zip(narration, lines)]
    if isinstance(narration, str):
        sentences = [s for s in _SENTENCE.split(narration.strip()) if s]
        n = len(lines)
        out = []
        for i in range(n):
            lo, hi = round(i * len(sentences) / n), round((i + 1) * len(sentences) / n)
            out.append(" ".join(sentences[lo:hi]) or lines[i])
        return out
    return list(lines)
