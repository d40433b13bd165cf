"""Curricula: many topics built together, with shared settings and per-topic overrides.

A curriculum file (``curricula/<name>.yaml``, chosen with ``--config
curriculum=curricula/<name>.yaml``) lists topic files or glob patterns in
build order, settings every topic shares, and per-topic overrides::

    title: Physics for first-year students
    audience: first-year students      # shared settings
    quality: draft
    topics:
      - topics/waves.yaml
      - topic: topics/pendulum.md
        overrides: {quality: final, pacing: {seconds_per_word: 0.4}}

What each setting means, and how it reaches the rules:

- ``quality`` (per topic): the ``quality`` param of the render, critic and
  assemble rules of that topic. Changing it re-renders that topic only.
- ``pacing`` (per topic): the storyboard rule's ``pacing`` param, merged key by
  key over config.yaml's ``pacing``.
- ``audience``, ``language`` (per topic): the outline rule's ``settings``
  param. A per-topic override wins over the topic file; a shared setting only
  fills in what the topic file leaves out (the more specific wins).
- ``engine`` (shared only): the engine of the whole run, in place of
  config.yaml's. Rules hash the engine's code and prompts per run, so a
  per-topic engine is refused with a clear error.

Without a curriculum, the topics come from config.yaml's ``topics`` and every
topic gets config.yaml's settings: :func:`build_plan` gives both cases the same
shape, so the rules have one way to ask for a topic's settings.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError
from .schemas import validate
from .topic import TOPIC_SUFFIXES, load_topic, topic_slug

# Settings a topic of a curriculum may override, and those only a whole run can set.
PER_TOPIC = ("audience", "language", "quality", "pacing")
RUN_WIDE = ("engine",)
CONFIG_ONLY = ("topics", "results", "llm", "repair", "critic", "render", "cache", "curriculum")
# Topic metadata the outline takes from the curriculum (the rest are rule params of their own).
META = ("audience", "language")

DEFAULT_TITLE = "Lessons"


class CurriculumError(InputError):
    """A mistake in the curriculum file itself (not in one of its topics)."""


@dataclass
class TopicPlan:
    """One topic to build: where it comes from and the settings its rules get."""

    slug: str
    source: str  # the topic file, relative to the project folder
    quality: str
    pacing: dict
    meta: dict = field(default_factory=dict)  # {"defaults": {...}, "overrides": {...}} for the outline
    overrides: dict = field(default_factory=dict)  # as written in the curriculum (for the summary)

    def settings(self) -> dict:
        """The settings that decide what is built, as the summary reports them."""
        out = {"quality": self.quality, "pacing": dict(self.pacing)}
        for key in META:
            value = self.meta.get("overrides", {}).get(key) or self.meta.get("defaults", {}).get(key)
            if value:
                out[key] = value
        return out


@dataclass
class BuildPlan:
    """Every topic of a run, in order, with its settings."""

    title: str
    engine: str
    topics: dict[str, TopicPlan]
    curriculum: str | None = None
    description: str = ""

    @property
    def paths(self) -> dict[str, str]:
        """{slug: topic file}, in build order."""
        return {slug: plan.source for slug, plan in self.topics.items()}

    def to_json(self) -> dict:
        """The plan as plain data (the gallery rule's param: a change in it rewrites the page)."""
        return {"title": self.title, "engine": self.engine, "curriculum": self.curriculum,
                "description": self.description,
                "topics": [{"slug": t.slug, "source": t.source, "quality": t.quality, "pacing": dict(t.pacing),
                            "meta": t.meta, "overrides": t.overrides} for t in self.topics.values()]}

    @classmethod
    def from_json(cls, data: dict) -> "BuildPlan":
        topics = {t["slug"]: TopicPlan(**t) for t in data["topics"]}
        return cls(title=data["title"], engine=data["engine"], topics=topics, curriculum=data.get("curriculum"),
                   description=data.get("description", ""))


def read_curriculum(path: str | Path) -> dict:
    """Parse and validate a curriculum file; every mistake is a CurriculumError naming the file and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CurriculumError(path, "config.yaml curriculum", "an existing curriculum file") from None
    except IsADirectoryError:
        raise CurriculumError(path, "config.yaml curriculum", "a curriculum file, not a folder") from None
    except UnicodeDecodeError:
        raise CurriculumError(path, "file", "UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        raise CurriculumError(path, where, "valid YAML", getattr(exc, "problem", None) or str(exc)) from None
    if data is None:
        raise CurriculumError(path, "title", "a curriculum with a title and topics (the file is empty)")
    if not isinstance(data, dict):
        raise CurriculumError(path, "(top level)", "a mapping with title, topics and shared settings",
                              type(data).__name__)
    # Settings that exist but cannot differ per topic: say so, rather than "unknown field".
    for i, item in enumerate(data["topics"] if isinstance(data.get("topics"), list) else []):
        overrides = item.get("overrides") if isinstance(item, dict) else None
        if isinstance(overrides, dict):
            for key in overrides:
                if key in RUN_WIDE or key in CONFIG_ONLY:
                    where = "the curriculum's top level" if key in RUN_WIDE else "config.yaml"
                    raise CurriculumError(
                        path, f"topics[{i}].overrides.{key}",
                        f"a setting that can differ per topic ({', '.join(PER_TOPIC)}); `{key}` applies to the "
                        f"whole run: set it in {where}")
    try:
        validate(data, "curriculum", path)
    except InputError as exc:
        raise CurriculumError(exc.path, exc.field, exc.expected, exc.got) from None
    return data


def _merge_pacing(path: Path, field_name: str, base: dict, *layers: dict | None) -> dict:
    pacing = dict(base)
    for layer in layers:
        pacing.update(layer or {})
    if pacing.get("min_step_seconds", 0) > pacing.get("max_step_seconds", float("inf")):
        raise CurriculumError(path, field_name, "min_step_seconds no greater than max_step_seconds",
                              f"{pacing['min_step_seconds']} > {pacing['max_step_seconds']}")
    return pacing


def _matches(pattern: str, root: Path) -> list[str]:
    """Topic files a curriculum entry names: one path, or the topic files a glob pattern matches."""
    if glob.has_magic(pattern):
        found = sorted(glob.glob(pattern, root_dir=root, recursive=True))
        return [Path(p).as_posix() for p in found if Path(p).suffix in TOPIC_SUFFIXES and (root / p).is_file()]
    return [Path(pattern).as_posix()] if (root / pattern).is_file() else []


def load_curriculum(path: str | Path, config: dict, root: str | Path = ".") -> BuildPlan:
    """Read a curriculum, find and check its topics; return the plan of the run.

    ``config`` is the validated workflow configuration (its quality and pacing
    are the defaults). Topic paths and patterns are relative to ``root``, the
    project folder, like config.yaml's ``topics``.
    """
    path = Path(path)
    root = Path(root)
    data = read_curriculum(root / path if not path.is_absolute() else path)
    engine = data.get("engine", config["engine"])
    shared_meta = {k: data[k] for k in META if k in data}
    shared_pacing = _merge_pacing(path, "pacing", config["pacing"], data.get("pacing"))
    entries: dict[str, dict] = {}  # source -> {"overrides": {...}, "where": field}
    for i, item in enumerate(data["topics"]):
        pattern, overrides = (item, {}) if isinstance(item, str) else (item["topic"], item.get("overrides") or {})
        sources = _matches(pattern, root)
        if not sources:
            expected = ("a pattern that matches at least one topic file (.yaml, .yml or .md), relative to the "
                        "project folder") if glob.has_magic(pattern) else \
                "an existing topic file, relative to the project folder"
            raise CurriculumError(path, f"topics[{i}]", expected, pattern)
        for source in sources:
            if Path(source).suffix not in TOPIC_SUFFIXES:
                raise CurriculumError(path, f"topics[{i}]", "a topic file ending in .yaml, .yml or .md", source)
            entry = entries.setdefault(source, {"overrides": {}, "where": f"topics[{i}]"})
            # A topic listed again (say, by a glob and then by name) takes the later overrides on top.
            merged = {**entry["overrides"], **overrides}
            if "pacing" in entry["overrides"] and "pacing" in overrides:
                merged["pacing"] = {**entry["overrides"]["pacing"], **overrides["pacing"]}
            entry["overrides"] = merged
            if overrides:
                entry["where"] = f"topics[{i}]"
    topics: dict[str, TopicPlan] = {}
    for source, entry in entries.items():
        try:
            slug = topic_slug(source)
        except InputError as exc:
            raise CurriculumError(path, entry["where"], exc.expected, exc.got) from None
        if slug in topics:
            raise CurriculumError(path, entry["where"], f"a topic whose file name (its slug) is not already used by "
                                  f"{topics[slug].source}", source)
        load_topic(root / source, root, engine=engine)  # a bad topic stops the run now, naming its own file
        overrides = entry["overrides"]
        meta = {}
        if shared_meta:
            meta["defaults"] = dict(shared_meta)
        if any(k in overrides for k in META):
            meta["overrides"] = {k: overrides[k] for k in META if k in overrides}
        topics[slug] = TopicPlan(
            slug=slug, source=source,
            quality=overrides.get("quality", data.get("quality", config["quality"])),
            pacing=_merge_pacing(path, f"{entry['where']}.overrides.pacing", shared_pacing, overrides.get("pacing")),
            meta=meta, overrides=overrides,
        )
    return BuildPlan(title=data["title"], engine=engine, topics=topics, curriculum=path.as_posix(),
                     description=data.get("description", ""))


def build_plan(config: dict, root: str | Path = ".") -> BuildPlan:
    """The run's topics and settings: from ``config["curriculum"]`` when set, else ``config["topics"]``."""
    if config.get("curriculum"):
        return load_curriculum(config["curriculum"], config, root)
    from .pipeline import discover_topics

    paths = discover_topics(config["topics"], engine=config["engine"], root=root)
    topics = {slug: TopicPlan(slug=slug, source=source, quality=config["quality"], pacing=dict(config["pacing"]))
              for slug, source in paths.items()}
    return BuildPlan(title=DEFAULT_TITLE, engine=config["engine"], topics=topics)


def apply_topic_settings(topic: dict, settings: dict | None) -> dict:
    """A topic with a curriculum's audience and language applied (the outline rule's ``settings`` param).

    Shared settings fill in what the topic file leaves out; per-topic
    overrides win over the topic file.
    """
    if not settings:
        return topic
    defaults = {k: v for k, v in (settings.get("defaults") or {}).items() if k in META}
    overrides = {k: v for k, v in (settings.get("overrides") or {}).items() if k in META}
    return {**defaults, **topic, **overrides}
