"""One small interface in front of any OpenAI-compatible chat server.

Every role (planner, coder, repair, critic, judge) names its model and settings;
``ModelClient.complete`` sends messages, retries transient failures itself, can
insist on JSON that passes one of the project's schemas, caches good answers on
disk and records every call in a JSON-lines ledger.
"""

from __future__ import annotations

import base64
import copy
import email.utils
import hashlib
import json
import os
import random
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

import openai

from ..errors import InputError, LessonError
from ..schemas import validate
from .cache import ResponseCache, append_jsonl

ROLES = ("planner", "coder", "repair", "critic", "judge")
PLACEHOLDER_KEY = "not-needed"
JSON_MODE = {"type": "json_object"}
REASK = "Your answer was not valid: {error}. Answer again with JSON only."


@dataclass(frozen=True)
class RoleSettings:
    model: str
    temperature: float = 0.2
    max_tokens: int = 4096
    timeout: float = 120.0


@dataclass
class Response:
    text: str                 # the completion text
    data: Any | None          # parsed + validated JSON when a schema was asked for
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency: float            # seconds spent in HTTP requests (0 for a cache hit)
    cached: bool
    attempts: int             # HTTP attempts made (0 for a cache hit)
    cache_key: str = ""


class ModelError(LessonError):
    """A model call failed for good. The message names role, model and cause, never the key."""

    def __init__(self, message: str, *, role: str = "", model: str = "", status: int | None = None):
        super().__init__(message)
        self.role = role
        self.model = model
        self.status = status


class _AnswerInvalid(Exception):
    """The answer did not parse or did not match the schema; the message is shown to the model."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


class _CallFailed(Exception):
    """Carries the ModelError plus the ledger's failure class out of the HTTP loop."""

    def __init__(self, error: ModelError, kind: str):
        super().__init__(str(error))
        self.error = error
        self.kind = kind


def safe_url(url: str | None) -> str:
    """``url`` without user:pass@ and without a query string (some providers put keys there)."""
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _image_mime(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return "image/png"


def _attach_images(messages: list[dict], images: list[bytes]) -> list[dict]:
    """Turn the last user message into text + image_url parts (OpenAI vision format)."""
    for message in reversed(messages):
        if message.get("role") == "user":
            break
    else:
        raise LessonError("images were given but there is no user message to attach them to")
    content = message.get("content")
    parts = list(content) if isinstance(content, list) else [{"type": "text", "text": content or ""}]
    for image in images:
        url = f"data:{_image_mime(image)};base64," + base64.b64encode(image).decode("ascii")
        parts.append({"type": "image_url", "image_url": {"url": url}})
    message["content"] = parts
    return messages


def _for_key(messages: list[dict]) -> list[dict]:
    """Messages with inline images replaced by their sha256: small, and stable across runs."""
    out = copy.deepcopy(messages)
    for message in out:
        content = message.get("content")
        if not isinstance(content, list):
            continue
        for part in content:
            url = part.get("image_url", {}).get("url", "") if isinstance(part, dict) else ""
            if url.startswith("data:"):
                part["image_url"]["url"] = "sha256:" + hashlib.sha256(url.encode("ascii")).hexdigest()
    return out


_FENCE = re.compile(r"^\s*```[A-Za-z0-9_-]*\s*\n(.*?)\n?```\s*$", re.DOTALL)


def parse_json(text: str) -> Any:
    """Parse a model's JSON answer, tolerating ```json fences and prose around one object."""
    body = text.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1).strip()
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        first, last = body.find("{"), body.rfind("}")
        if 0 <= first < last and (first > 0 or last < len(body) - 1):
            try:
                return json.loads(body[first:last + 1])
            except json.JSONDecodeError:
                pass
        raise _AnswerInvalid(f"it is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
                             "JSONDecodeError") from None


def _retry_after(exc: openai.APIStatusError) -> float | None:
    """Seconds the server asked us to wait, from Retry-After (seconds or HTTP date) or retry-after-ms."""
    headers = exc.response.headers
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _error_detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict) and body.get("message"):
        detail = str(body["message"])
    elif isinstance(body, str) and body:
        detail = body
    else:
        detail = exc.message
    return detail if len(detail) <= 300 else detail[:297] + "..."


class ModelClient:
    def __init__(
        self,
        roles: dict[str, RoleSettings],
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        cache_dir: str | Path | None = None,
        ledger: str | Path | None = None,
        max_retries: int = 5,
        max_json_retries: int = 2,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        sleep: Callable[[float], Any] = time.sleep,
        rng: Callable[[], float] = random.random,
    ):
        self.roles = dict(roles)
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        self._api_key = api_key or os.environ.get("OPENAI_API_KEY") or PLACEHOLDER_KEY
        self.cache = ResponseCache(cache_dir) if cache_dir else None
        self.ledger = Path(ledger) if ledger else None
        self.max_retries = max_retries
        self.max_json_retries = max_json_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._rng = rng
        self._client: openai.OpenAI | None = None
        self._lock = threading.Lock()
        # Models whose server refused response_format; they get plain requests from then on.
        self._no_json_mode: set[str] = set()

    def __repr__(self) -> str:  # the key must not show up in logs or tracebacks
        return f"ModelClient(server={safe_url(self.base_url) or 'default'!r}, roles={sorted(self.roles)})"

    # -- plumbing ---------------------------------------------------------

    def _openai(self) -> openai.OpenAI:
        # Built on first use so that merely configuring a client never needs a server.
        with self._lock:
            if self._client is None:
                timeout = max((s.timeout for s in self.roles.values()), default=120.0)
                self._client = openai.OpenAI(base_url=self.base_url, api_key=self._api_key,
                                             max_retries=0, timeout=timeout)
            return self._client

    def _redact(self, text: str) -> str:
        if self._api_key and self._api_key != PLACEHOLDER_KEY and len(self._api_key) >= 4:
            text = text.replace(self._api_key, "***")
        if self.base_url and safe_url(self.base_url) != self.base_url:
            text = text.replace(self.base_url, safe_url(self.base_url))
        return text

    def _fail(self, role: str, settings: RoleSettings, what: str, kind: str, status: int | None = None) -> _CallFailed:
        message = self._redact(f"model call for role {role!r} (model {settings.model!r}) failed: {what}")
        return _CallFailed(ModelError(message, role=role, model=settings.model, status=status), kind)

    def _delay(self, failures: int, retry_after: float | None) -> float:
        delay = min(self.backoff * 2 ** (failures - 1), self.max_backoff) * (0.5 + self._rng())
        if retry_after is not None:
            delay = min(max(delay, retry_after), self.max_backoff * 4)
        return delay

    def _request(self, role: str, settings: RoleSettings, messages: list[dict], json_mode: bool,
                 stats: dict) -> Any:
        """One chat completion with our retry policy; updates ``stats`` (attempts, latency, waited)."""
        client = self._openai()
        failures = 0
        while True:
            kwargs: dict[str, Any] = dict(model=settings.model, messages=messages,
                                          temperature=settings.temperature, max_tokens=settings.max_tokens,
                                          timeout=settings.timeout)
            use_json = json_mode and settings.model not in self._no_json_mode
            if use_json:
                kwargs["response_format"] = JSON_MODE
            stats["attempts"] += 1
            started = time.monotonic()
            retry_after: float | None = None
            try:
                return client.chat.completions.create(**kwargs)
            except openai.APIStatusError as exc:
                status, detail = exc.status_code, _error_detail(exc)
                if status == 400 and use_json and "response_format" in detail:
                    # Server without JSON mode: ask plainly; parsing + schema still guard the answer.
                    self._no_json_mode.add(settings.model)
                    continue
                if not (status in (408, 429) or status >= 500):
                    raise self._fail(role, settings, f"HTTP {status}: {detail}", type(exc).__name__, status) from None
                retry_after = _retry_after(exc)
                what, kind = f"HTTP {status}: {detail}", type(exc).__name__
            except openai.APIConnectionError as exc:  # includes APITimeoutError
                cause = f" ({exc.__cause__})" if exc.__cause__ else ""
                what, kind, status = f"{exc.message}{cause}", type(exc).__name__, None
            except openai.OpenAIError as exc:
                raise self._fail(role, settings, f"{type(exc).__name__}: {exc}", type(exc).__name__) from None
            finally:
                stats["latency"] += time.monotonic() - started
            failures += 1
            if failures > self.max_retries:
                server = safe_url(self.base_url) or "the default OpenAI server"
                raise self._fail(role, settings, f"gave up after {stats['attempts']} attempts at {server}; "
                                 f"last error: {what}", kind, status)
            delay = self._delay(failures, retry_after)
            stats["waited"] += delay
            self._sleep(delay)

    # -- the interface ----------------------------------------------------

    def cache_key(self, role: str, messages: list[dict], *, template_hash: str = "", schema: str | None = None,
                  images: list[bytes] | None = None) -> str:
        settings = self._settings(role)
        prepared = _attach_images(copy.deepcopy(messages), images) if images else messages
        return self._key(settings, _for_key(prepared), template_hash, schema)

    def _key(self, settings: RoleSettings, key_messages: list[dict], template_hash: str, schema: str | None) -> str:
        return hashlib.sha256(_canonical({
            "model": settings.model,
            "messages": key_messages,
            "temperature": settings.temperature,
            "max_tokens": settings.max_tokens,
            "schema": schema,
            "template_hash": template_hash,
            "response_format": JSON_MODE if schema else None,
        }).encode("utf-8")).hexdigest()

    def _settings(self, role: str) -> RoleSettings:
        try:
            return self.roles[role]
        except KeyError:
            raise ModelError(f"no model configured for role {role!r}; configured roles: "
                             f"{', '.join(sorted(self.roles)) or 'none'}", role=role) from None

    def complete(self, role: str, messages: list[dict], *, template_hash: str = "", schema: str | None = None,
                 images: list[bytes] | None = None, step: str = "") -> Response:
        settings = self._settings(role)
        messages = copy.deepcopy(messages)  # never touch the caller's list
        if images:
            _attach_images(messages, images)
        key_messages = _for_key(messages)
        key = self._key(settings, key_messages, template_hash, schema)
        entry = {"time": _now(), "role": role, "model": settings.model, "step": step,
                 "server": safe_url(self.base_url), "cache_key": key}

        hit = self._from_cache(key, schema, role)
        if hit is not None:
            self._log({**entry, "prompt_tokens": hit.prompt_tokens, "completion_tokens": hit.completion_tokens,
                       "latency": 0.0, "attempts": 0, "waited": 0.0, "outcome": "cached", "json_retries": 0})
            return hit

        stats = {"attempts": 0, "latency": 0.0, "waited": 0.0, "prompt_tokens": 0, "completion_tokens": 0,
                 "json_retries": 0}
        reasks: list[dict] = []
        conversation = messages
        try:
            while True:
                completion = self._request(role, settings, conversation, schema is not None, stats)
                usage = getattr(completion, "usage", None)
                stats["prompt_tokens"] += int(getattr(usage, "prompt_tokens", 0) or 0)
                stats["completion_tokens"] += int(getattr(usage, "completion_tokens", 0) or 0)
                if not completion.choices:
                    raise self._fail(role, settings, "the server answered without any choices", "NoChoices")
                choice = completion.choices[0]
                text = choice.message.content or ""
                if schema is None:
                    data = None
                    break
                try:
                    data = self._check(text, schema, role, choice.finish_reason)
                    break
                except _AnswerInvalid as invalid:
                    reasks.append({"answer": text, "error": str(invalid)})
                    if stats["json_retries"] >= self.max_json_retries:
                        raise self._fail(role, settings, f"answer still not valid {schema!r} JSON after "
                                         f"{stats['json_retries'] + 1} tries: {invalid}", invalid.kind) from None
                    stats["json_retries"] += 1
                    conversation = conversation + [
                        {"role": "assistant", "content": text},
                        {"role": "user", "content": REASK.format(error=invalid)},
                    ]
        except _CallFailed as failed:
            self._log({**entry, **self._ledger_stats(stats), "outcome": f"error: {failed.kind}"})
            raise failed.error from None

        response = Response(text=text, data=data, model=completion.model or settings.model,
                            prompt_tokens=stats["prompt_tokens"], completion_tokens=stats["completion_tokens"],
                            latency=round(stats["latency"], 4), cached=False, attempts=stats["attempts"],
                            cache_key=key)
        if self.cache is not None:
            self.cache.put(key, {
                "key": key, "time": entry["time"], "role": role, "step": step,
                "request": {"model": settings.model, "messages": key_messages,
                            "temperature": settings.temperature, "max_tokens": settings.max_tokens,
                            "schema": schema, "template_hash": template_hash,
                            "response_format": JSON_MODE if schema else None, "server": entry["server"]},
                "response": {"text": text, "data": data, "model": response.model,
                             "prompt_tokens": response.prompt_tokens,
                             "completion_tokens": response.completion_tokens,
                             "latency": response.latency, "attempts": response.attempts,
                             "finish_reason": choice.finish_reason, "json_retries": stats["json_retries"]},
                "rejected": reasks,  # earlier answers that failed, with the error the model was shown
            })
        self._log({**entry, **self._ledger_stats(stats), "outcome": "ok"})
        return response

    def _check(self, text: str, schema: str, role: str, finish_reason: str | None) -> Any:
        try:
            data = parse_json(text)
            validate(data, schema, f"{role} answer")
        except InputError as exc:
            raise _AnswerInvalid(str(exc), "InputError") from None
        except _AnswerInvalid as exc:
            if finish_reason == "length":
                raise _AnswerInvalid(f"{exc} - it was cut off at the token limit; answer more briefly",
                                     exc.kind) from None
            raise
        return data

    def _from_cache(self, key: str, schema: str | None, role: str) -> Response | None:
        if self.cache is None:
            return None
        record = self.cache.get(key)
        try:
            stored = record["response"]  # type: ignore[index]
            data = stored.get("data")
            if schema is not None:
                # The schema file may have changed since the answer was stored.
                validate(data, schema, f"cached {role} answer")
            return Response(text=str(stored["text"]), data=data, model=str(stored.get("model", "")),
                            prompt_tokens=int(stored.get("prompt_tokens", 0)),
                            completion_tokens=int(stored.get("completion_tokens", 0)),
                            latency=0.0, cached=True, attempts=0, cache_key=key)
        except (TypeError, KeyError, ValueError, AttributeError, InputError):
            return None

    @staticmethod
    def _ledger_stats(stats: dict) -> dict:
        return {"prompt_tokens": stats["prompt_tokens"], "completion_tokens": stats["completion_tokens"],
                "latency": round(stats["latency"], 4), "attempts": stats["attempts"],
                "waited": round(stats["waited"], 3), "json_retries": stats["json_retries"]}

    def _log(self, record: dict) -> None:
        if self.ledger is not None:
            append_jsonl(self.ledger, record)


def client_from_config(llm_config: dict, *, cache_dir: str | Path | None, ledger: str | Path | None,
                       **overrides: Any) -> ModelClient:
    """Build a ModelClient from the ``llm:`` section of config.yaml.

    Top-level ``model``/``temperature``/``max_tokens``/``timeout`` are defaults for every
    role; ``roles.<role>`` overrides them. The API key is read only from the environment
    variable named by ``api_key_env`` (default OPENAI_API_KEY). ``overrides`` go to
    ModelClient (e.g. ``sleep`` in tests).
    """
    where = "config.yaml"
    config = dict(llm_config or {})
    if "api_key" in config:
        raise InputError(where, "llm.api_key", "no key in the config: put it in an environment variable "
                         "and name that variable in llm.api_key_env", "a key")
    fields = ("model", "temperature", "max_tokens", "timeout")
    defaults = {name: config[name] for name in fields if config.get(name) is not None}
    role_configs = config.get("roles") or {}
    if not isinstance(role_configs, dict):
        raise InputError(where, "llm.roles", "a mapping from role name to its settings", role_configs)
    roles: dict[str, RoleSettings] = {}
    for role in dict.fromkeys([*ROLES, *role_configs]):
        own = role_configs.get(role) or {}
        if not isinstance(own, dict):
            raise InputError(where, f"llm.roles.{role}", "a mapping with model, temperature, max_tokens, timeout", own)
        unknown = sorted(set(own) - set(fields))
        if unknown:
            raise InputError(where, f"llm.roles.{role}.{unknown[0]}", "one of the known fields: " + ", ".join(fields),
                             f"unknown field {unknown[0]!r}")
        merged = {**defaults, **{k: v for k, v in own.items() if v is not None}}
        if not merged.get("model"):
            if role in role_configs:
                raise InputError(where, f"llm.roles.{role}.model", "a model name")
            continue  # a role nobody configured simply has no model; using it raises ModelError
        try:
            roles[role] = RoleSettings(model=str(merged["model"]),
                                       temperature=float(merged.get("temperature", RoleSettings.temperature)),
                                       max_tokens=int(merged.get("max_tokens", RoleSettings.max_tokens)),
                                       timeout=float(merged.get("timeout", RoleSettings.timeout)))
        except (TypeError, ValueError):
            raise InputError(where, f"llm.roles.{role}", "numbers for temperature, max_tokens and timeout", own) from None
    key_env = config.get("api_key_env") or "OPENAI_API_KEY"
    options = {name: config[name] for name in ("max_retries", "max_json_retries", "backoff", "max_backoff")
               if config.get(name) is not None}
    # The placeholder (not None) so that an unset custom variable never falls back to OPENAI_API_KEY.
    return ModelClient(roles, base_url=config.get("base_url") or None,
                       api_key=os.environ.get(key_env) or PLACEHOLDER_KEY,
                       cache_dir=cache_dir, ledger=ledger, **{**options, **overrides})
