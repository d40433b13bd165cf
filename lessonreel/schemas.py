"""Load the project's JSON Schemas and turn validation failures into InputErrors.

Every intermediate file is checked against its schema in `schemas/`; a failure
names the file, the field (as a path like ``sections[2].visuals[0].tex``) and
what the schema expected there.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator

from .errors import InputError

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

_TYPE_WORDS = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping (key: value)",
    "null": "nothing (null)",
}


@functools.lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Return the schema ``schemas/<name>.schema.json`` (or .yaml)."""
    for suffix in (".schema.json", ".schema.yaml"):
        path = SCHEMA_DIR / f"{name}{suffix}"
        if path.exists():
            if suffix.endswith("json"):
                return json.loads(path.read_text())
            import yaml

            return yaml.safe_load(path.read_text())
    raise FileNotFoundError(f"no schema named {name!r} in {SCHEMA_DIR}")


@functools.lru_cache(maxsize=None)
def _registry():
    """All schemas by their $id, so one schema can $ref another (storyboard -> topic)."""
    from referencing import Registry, Resource

    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        resources.append((schema.get("$id", path.name), Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@functools.lru_cache(maxsize=None)
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name), registry=_registry())


def field_path(parts) -> str:
    """Render a jsonschema path deque as ``a.b[2].c``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _describe(error: jsonschema.ValidationError) -> tuple[str, str, Any]:
    """(field, expected, got) for one validation error."""
    field = field_path(error.absolute_path)
    validator = error.validator
    value = error.validator_value
    if validator == "required":
        missing = [k for k in value if isinstance(error.instance, dict) and k not in error.instance]
        name = missing[0] if missing else value[0]
        return (f"{field}.{name}" if field else name, "a value (this field is required)", None)
    if validator == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        name = extra[0] if extra else "?"
        return (f"{field}.{name}" if field else name, "one of the known fields: " + ", ".join(allowed), f"unknown field {name!r}")
    if validator == "enum":
        return (field, "one of: " + ", ".join(map(str, value)), error.instance)
    if validator == "type":
        types = value if isinstance(value, list) else [value]
        return (field, " or ".join(_TYPE_WORDS.get(t, t) for t in types), error.instance)
    if validator == "minItems":
        return (field, f"a list of at least {value} item(s)", error.instance)
    if validator == "maxItems":
        return (field, f"a list of at most {value} item(s)", f"{len(error.instance)} items")
    if validator == "minLength":
        return (field, "a non-empty text" if value == 1 else f"a text of at least {value} characters", error.instance)
    if validator == "maxLength":
        return (field, f"a text of at most {value} characters", f"{len(error.instance)} characters")
    if validator in ("minimum", "maximum"):
        word = "at least" if validator == "minimum" else "at most"
        return (field, f"a number {word} {value}", error.instance)
    if validator == "pattern":
        return (field, f"a text matching {value}", error.instance)
    if validator == "oneOf":
        kinds = []
        for sub in value:
            t = sub.get("type")
            kinds.extend(t if isinstance(t, list) else [t])
        words = [_TYPE_WORDS.get(t, str(t)) for t in kinds if t]
        return (field, " or ".join(dict.fromkeys(words)) or "a valid value", error.instance)
    return (field, error.message, None)


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """Descend into if/then and oneOf context to the most specific cause."""
    best = jsonschema.exceptions.best_match([error])
    while best.context:
        deeper = jsonschema.exceptions.best_match(best.context)
        if deeper is None or deeper is best:
            break
        best = deeper
    return best


def validate(data: Any, schema: str, path: str | Path) -> Any:
    """Validate ``data`` against the named schema; raise InputError naming ``path``."""
    errors = sorted(_validator(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return data
    # Prefer the error about an unknown visual kind: everything else follows from it.
    for err in errors:
        if err.validator == "enum" and list(err.absolute_path)[-1:] == ["kind"]:
            field, expected, got = _describe(err)
            raise InputError(path, field, expected, got)
    err = jsonschema.exceptions.best_match(errors)
    if err.validator != "oneOf":
        err = _deepest(err)
    field, expected, got = _describe(err)
    raise InputError(path, field, expected, got)


def validate_file(path: str | Path, schema: str) -> Any:
    """Load a JSON file and validate it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"line {exc.lineno}", "valid JSON", exc.msg) from None
    return validate(data, schema, path)
