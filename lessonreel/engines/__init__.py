"""The agents' engines: two implementations of the same three stage functions.

``outline(topic, slug)``, ``storyboard(topic, outline, root, pacing)`` and
``scene(spec, source)`` return the same files, validated by the same schemas,
whether the offline engine compiles what the topic spells out or the LLM
engine plans and writes what is missing through a model.
"""

from __future__ import annotations

from typing import Protocol


class Engine(Protocol):
    name: str

    def outline(self, topic: dict, slug: str) -> dict: ...

    def storyboard(self, topic: dict, outline: dict, project_root, pacing: dict) -> dict: ...

    def scene(self, spec: dict, source: str) -> str: ...


def get_engine(name: str, llm_config: dict | None = None, *, ledger=None) -> Engine:
    if name == "offline":
        from .offline import OfflineEngine

        return OfflineEngine()
    if name == "llm":
        from .llm import LLMEngine

        return LLMEngine.from_config(llm_config or {}, ledger=ledger)
    raise ValueError(f"unknown engine {name!r}")
