"""The LLM engine's model layer: one client for any OpenAI-compatible server, plus prompt templates."""

from .cache import ResponseCache, append_jsonl
from .client import (
    ROLES,
    ModelClient,
    ModelError,
    Response,
    RoleSettings,
    client_from_config,
    parse_json,
    safe_url,
)
from .prompts import PROMPTS_DIR, Prompt, load_prompt, prompt_hashes

__all__ = [
    "ROLES",
    "ModelClient",
    "ModelError",
    "PROMPTS_DIR",
    "Prompt",
    "Response",
    "ResponseCache",
    "RoleSettings",
    "append_jsonl",
    "client_from_config",
    "load_prompt",
    "parse_json",
    "prompt_hashes",
    "safe_url",
]
