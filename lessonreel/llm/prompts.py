"""Prompt templates: ``prompts/<name>.md`` with a system part, a ``---- user ----`` line, a user part.

Placeholders are ``{{name}}``. Every template's sha256 goes into the response cache key,
so editing a prompt invalidates exactly the answers that came from it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..errors import LessonError

PROMPTS_DIR = Path(__file__).resolve().parent.parent.parent / "prompts"
SEPARATOR = "---- user ----"

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Prompt:
    name: str
    sha256: str      # of the raw file bytes
    system: str
    user: str
    path: Path

    @property
    def variables(self) -> set[str]:
        """The placeholder names the template uses."""
        return set(_PLACEHOLDER.findall(self.system)) | set(_PLACEHOLDER.findall(self.user))

    def render(self, **variables: Any) -> list[dict]:
        """The chat messages with every ``{{name}}`` filled in.

        Strings go in as they are; lists and dicts as indented JSON (what a model
        should see); anything else through ``str``. Extra variables are ignored.
        """
        missing = sorted(self.variables - variables.keys())
        if missing:
            raise LessonError(
                f"prompt template {self.name!r} ({self.path}) needs variable(s) "
                f"{', '.join(missing)} which were not given"
            )

        def fill(text: str) -> str:
            # One pass, so a value that itself contains {{x}} is left alone.
            return _PLACEHOLDER.sub(lambda m: _as_text(variables[m.group(1)]), text)

        return [
            {"role": "system", "content": fill(self.system)},
            {"role": "user", "content": fill(self.user)},
        ]


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, indent=2)
    return str(value)


def _resolve(name: str, prompts_dir: str | Path | None) -> Path:
    if not _NAME.match(name):
        raise LessonError(f"prompt template name {name!r} must be a plain file name without folders")
    return Path(prompts_dir or PROMPTS_DIR) / f"{name}.md"


def load_prompt(name: str, prompts_dir: str | Path | None = None) -> Prompt:
    """Read ``<prompts_dir>/<name>.md`` (default: the repository's ``prompts/``)."""
    path = _resolve(name, prompts_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LessonError(f"prompt template {name!r} not found: {path}") from None
    text = raw.decode("utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    marks = [i for i, line in enumerate(lines) if line.strip() == SEPARATOR]
    if len(marks) != 1:
        what = "has no" if not marks else f"has {len(marks)}"
        raise LessonError(
            f"prompt template {name!r} ({path}) {what} line '{SEPARATOR}'; "
            "it needs exactly one, between the system part and the user part"
        )
    cut = marks[0]
    return Prompt(
        name=name,
        sha256=hashlib.sha256(raw).hexdigest(),
        system="\n".join(lines[:cut]).strip(),
        user="\n".join(lines[cut + 1:]).strip(),
        path=path,
    )


def prompt_hashes(names: Iterable[str], prompts_dir: str | Path | None = None) -> dict[str, str]:
    """``{name: sha256}`` for the given templates, e.g. to record in a manifest or a rule's params."""
    return {name: load_prompt(name, prompts_dir).sha256 for name in names}
