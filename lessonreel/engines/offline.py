"""The offline engine: no model, no network; draws exactly what the topic says."""

from __future__ import annotations

from .. import codegen, planner


class OfflineEngine:
    name = "offline"

    def outline(self, topic: dict, slug: str) -> dict:
        return planner.make_outline(topic, slug)

    def storyboard(self, topic: dict, outline: dict, project_root, pacing: dict) -> dict:
        return planner.make_storyboard(topic, outline, project_root, pacing)

    def scene(self, spec: dict, source: str) -> str:
        return codegen.generate_scene(spec["section"], spec["topic"], source, spec["first"], voices=spec.get("voices"))
