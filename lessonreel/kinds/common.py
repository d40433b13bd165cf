"""Helpers shared by the stepped kinds: which lecture line each step goes with, and index checks."""

from __future__ import annotations

from typing import Callable

# fail(field, expected, got): raise the input error for a field of the visual
# (the field is relative to the visual, e.g. "steps[2].pointers.mid").
Fail = Callable[[str, str, object], None]

# Fields every step may have, whatever its kind: they say when it happens.
TIMING_FIELDS = ("line", "cue")


def step_lines(visual: dict, line: int | None = None, first_on_entrance: bool = False) -> list[int]:
    """The lecture line (1-based) of each of the visual's steps.

    A step names its ``line``, or else goes with the line after the previous
    step's (the first step: the line after the visual's own, ``line``, which
    defaults to the visual's ``line`` field; or the visual's own line when
    ``first_on_entrance``, for kinds whose first step is what the entrance
    shows, like a derivation's first form).
    """
    out = []
    previous = line if line is not None else visual.get("line", 1)
    for k, step in enumerate(visual.get("steps") or []):
        line = step.get("line", previous + (0 if k == 0 and first_on_entrance else 1))
        out.append(line)
        previous = line
    return out


def check_step_lines(visual: dict, fail: Fail, n_lines: int, narration: list[str] | None,
                     line: int | None = None, first_on_entrance: bool = False) -> None:
    """Each step's line exists, comes no earlier than the visual or the step before, and its cue is said."""
    first = line if line is not None else visual.get("line", 1)
    previous = first
    for k, line in enumerate(step_lines(visual, first, first_on_entrance)):
        step = visual["steps"][k]
        field = f"steps[{k}].line"
        if line > n_lines:
            hint = "" if "line" in step else " (a step without `line` goes with the line after the previous step's)"
            fail(field, f"a lecture line number from {previous} to {n_lines}{hint}", line)
        if line < previous:
            fail(field, f"a lecture line from {previous} on (the visual appears with line {first}, "
                        f"and steps follow each other)", line)
        previous = line
        cue = step.get("cue")
        if cue and narration is not None and cue.lower() not in narration[line - 1].lower():
            fail(f"steps[{k}].cue", f"a phrase of line {line}'s narration ({narration[line - 1]!r})", cue)


def check_index(fail: Fail, field: str, value, size: int, what: str = "an index") -> None:
    """An index into a sequence of ``size`` items (0-based)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
        fail(field, f"{what} from 0 to {size - 1}", value)


def check_indices(fail: Fail, field: str, values, size: int, what: str = "an index") -> None:
    for i, value in enumerate(values or []):
        check_index(fail, f"{field}[{i}]", value, size, what)


def words(text: str) -> int:
    return len(str(text).split())
