"""Errors that point at the user's file and field."""

from __future__ import annotations


class LessonError(Exception):
    """Base class for every error this package raises on purpose."""


class InputError(LessonError):
    """Bad user input: names the file, the field and what was expected."""

    def __init__(self, path: str, field: str, expected: str, got: object = None):
        self.path = str(path)
        self.field = field or "(top level)"
        self.expected = expected
        self.got = got
        msg = f"{self.path}: {self.field}: expected {expected}"
        if got is not None:
            msg += f", got {_short(got)}"
        super().__init__(msg)


class RenderError(LessonError):
    """A section's scene failed to render."""


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
