"""The interface of visuals that change step by step (pointers move, lines light up, ...).

A stepped builder takes a validated spec (the visual's fields, with its
``steps``) and a size, and returns a :class:`Stepped` group: the objects,
plus :meth:`Stepped.entrance` and :meth:`Stepped.step` giving the animations
that draw it and that play each step. Animations are built when they are
played (each phase is a function), so every change starts from what is on
screen at that moment, after the scene kit placed and scaled the visual.

Named parts (``cell:3``, ``pointer:mid``) are kept in ``lesson_parts``; the
layout trace records where each one is after every play, so a test can check
a step's result from the render itself.
"""

from __future__ import annotations

from typing import Callable

from manim import VGroup
from manim.utils.rate_functions import smooth

Phase = Callable[[], list]


def staggered(i: int, n: int, overlap: int = 2, rate=smooth):
    """The rate function of the i-th of n changes that follow one another in one play, each lasting
    ``overlap`` slices of the n + overlap - 1 (so neighbours overlap) and holding before and after;
    every animation keeps acting on its own mobject, unlike a LaggedStart of groups."""
    slices = n + overlap - 1

    def rate_func(t: float) -> float:
        return rate(min(1.0, max(0.0, (t * slices - i) / overlap)))
    return rate_func


def travel(phase: Phase | None) -> Phase | None:
    """Mark a phase as a travel: a motion through the picture (a point moving along a curve, tokens
    flowing, the plane transforming) that goes on while the voice describes it. The scene kit gives
    it the time until the next change; a quick change (a colour, a label) keeps a short, fixed time."""
    if phase is not None:
        phase.travel = True
    return phase


class Change:
    """One step of a stepped visual: phases of animations, played one after another."""

    def __init__(self, visual: "Stepped", phases: list[Phase]):
        self.visual = visual
        self.phases = [p for p in phases if p is not None]


class Stepped(VGroup):
    """A visual with an entrance and numbered steps (0-based, in the order of the spec's ``steps``)."""

    def __init__(self, steps: list[dict] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.spec_steps = [dict(s) for s in steps or []]
        self.lesson_parts: dict[str, object] = {}

    def part(self, name: str, mob):
        """Name a part (for the layout trace) and return it."""
        self.lesson_parts[name] = mob
        return mob

    def entrance(self) -> Change:
        """The animations that draw the visual in its first state."""
        raise NotImplementedError

    def step(self, index: int) -> Change:
        """The animations of step ``index``."""
        return Change(self, self.phases(self.spec_steps[index]))

    def phases(self, step: dict) -> list[Phase]:
        raise NotImplementedError

    @property
    def unit(self) -> float:
        """How much the visual was scaled since it was built (1.0 at its natural size).

        New objects a step creates (a note, a label) are made at their natural
        size and scaled by this, so they match what is on screen.
        """
        ref = getattr(self, "_ref", None)
        return ref.width / self._ref_width if ref is not None else 1.0

    def set_reference(self, mob) -> None:
        """The part whose size tells the visual's scale (a part that never changes size)."""
        self._ref, self._ref_width = mob, max(mob.width, 1e-6)
