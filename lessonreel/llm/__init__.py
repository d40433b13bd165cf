"""The LLM engine's model layer: one client for any OpenAI-compatible server, plus prompt templates.

The names below are loaded on first use: importing the ``openai`` package
takes about 0.4 s, which every job that only needs the cache helpers (the
narrate stage, say) would otherwise pay at start-up.
"""

from importlib import import_module

_WHERE = {
    "ResponseCache": "cache", "append_jsonl": "cache",
    "ROLES": "client", "ModelClient": "client", "ModelError": "client", "Response": "client",
    "RoleSettings": "client", "client_from_config": "client", "parse_json": "client", "safe_url": "client",
    "PROMPTS_DIR": "prompts", "Prompt": "prompts", "load_prompt": "prompts", "prompt_hashes": "prompts",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
