"""What the offline engine knows about each visual kind that changes step by step.

A *stepped* visual is drawn once (its entrance, with the lecture line it
belongs to) and then changes at later lecture lines: a pointer moves, a line
of code lights up, a square grows on a side. Its ``steps`` list those
changes; each step goes with a lecture line (``line``, by default the line
after the previous step's) and may name a ``cue``: a phrase of that line's
narration, so the change happens when the voice says it.

This package has no Manim in it: topics are checked, laid out and planned
when the Snakefile is parsed, long before anything draws. The drawing side of
each kind is its builder in :mod:`lessonreel.visuals`.

Every family module offers the same small interface:

``KINDS``            the visual kinds it speaks for
``stepped(v)``       whether ``v`` is drawn as a stepped visual (builder + steps)
``check(v, fail)``   semantic checks the schema cannot make; ``fail(field, expected, got)``
``rows(v)``          (minimum, maximum) grid rows, or None for the kind's usual band
``seconds(v)``       time to take in the entrance, or None for the usual
``step_seconds(v, step)``  time to take in one step's change
``describe(v, step)``      a short comment for the generated code
``builder(v)``       the ``V.<name>`` builder that draws it
``entrance_step(v)`` (optional) True when step 0 is what the entrance shows, so it
                     goes with the visual's own line by default
"""

from __future__ import annotations

from importlib import import_module

from . import common

# Family modules, by kind. Each is imported on first use.
_FAMILIES = {
    "code": "code",
    "equation": "formulas",
    "derivation": "formulas",
    "vectors": "vectors",
    "process": "process",
    "geometry": "geometry",
    "array": "array",
    "plot": "plot",
    "number_line": "plot",
    "diagram": "diagram",
    "stack": "containers",
}

Fail = common.Fail


def family(kind: str):
    """The family module for a visual kind, or None when the kind has no steps."""
    name = _FAMILIES.get(kind)
    return import_module(f"{__name__}.{name}") if name else None


def stepped(visual: dict | None) -> bool:
    """True when the visual is drawn by a stepped builder (an entrance, then its steps)."""
    if not visual:
        return False
    fam = family(visual["kind"])
    return bool(fam and fam.stepped(visual))


def check(visual: dict, fail: Fail, n_lines: int, narration: list[str] | None = None,
          line: int | None = None) -> None:
    """Semantic checks of a visual of a stepped kind: its own, then its steps' lines and cues.

    ``line`` is the lecture line the visual appears with (default: its ``line`` field).
    """
    fam = family(visual["kind"])
    if fam is None:
        return
    fam.check(visual, fail)
    if fam.stepped(visual):
        common.check_step_lines(visual, fail, n_lines, narration, line, _first_on_entrance(fam, visual))


def rows(visual: dict) -> tuple[int, int] | None:
    fam = family(visual["kind"])
    return fam.rows(visual) if fam else None


def seconds(visual: dict) -> float | None:
    fam = family(visual["kind"])
    return fam.seconds(visual) if fam else None


def step_seconds(visual: dict, index: int) -> float:
    return family(visual["kind"]).step_seconds(visual, visual["steps"][index])


def describe(visual: dict, index: int) -> str:
    return family(visual["kind"]).describe(visual, visual["steps"][index])


def builder(visual: dict) -> str:
    return family(visual["kind"]).builder(visual)


def _first_on_entrance(fam, visual: dict) -> bool:
    """Whether the kind's first step is what its entrance shows (``entrance_step``, optional)."""
    return bool(getattr(fam, "entrance_step", None) and fam.entrance_step(visual))


def step_lines(visual: dict, line: int | None = None) -> list[int]:
    """The lecture line of each of a stepped visual's steps (see :func:`common.step_lines`)."""
    return common.step_lines(visual, line, _first_on_entrance(family(visual["kind"]), visual))
