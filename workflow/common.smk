# Config validation, topic discovery and the small input functions the rules share.
import sys

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

# The package lives next to the Snakefile; make it importable without installing.
sys.path.insert(0, workflow.basedir)

from lessonreel import curriculum, pipeline, snakemake_compat  # noqa: E402
from lessonreel.errors import InputError  # noqa: E402

# Without this, every run ends with up to a second of idle waiting.
snakemake_compat.exit_promptly()

# One readable line for a wrong option (file, field, what is allowed), then
# Snakemake's own validation, which also fills in the schema's defaults.
try:
    pipeline.check_config(config)
except InputError as exc:
    raise WorkflowError(f"Invalid configuration: {exc}") from None
validate(config, schema="../schemas/config.schema.yaml")

RESULTS = config["results"].rstrip("/")

# Every topic is read and checked now, before any job runs, so bad input stops
# the run with one clear message and nothing already built is touched. The
# topics and their settings come from a curriculum file (`curriculum:`, see
# lessonreel/curriculum.py) or from `topics:` with config.yaml's settings.
try:
    BUILD = curriculum.build_plan(config)
except InputError as exc:
    kind = "curriculum" if isinstance(exc, curriculum.CurriculumError) else "topic"
    raise WorkflowError(f"Invalid {kind}: {exc}") from None
config["engine"] = BUILD.engine  # a curriculum may choose the engine of its whole run
TOPICS = BUILD.paths

# Content hashes of the code that turns a storyboard into a scene, and a scene
# into a video: changing that code rebuilds what it affects, and nothing else
# (file times do not matter, so a fresh clone does not re-render everything).
KIT_HASH = pipeline.source_hash("kit")
ASSEMBLER_HASH = pipeline.source_hash("assembler")
# With the LLM engine, the model settings and prompt templates of a stage are
# part of what it produces too; with the offline engine they play no part.
ENGINE = config["engine"]
LLM = pipeline.llm_params(config) if ENGINE == "llm" else None
OUTLINE_HASH = pipeline.source_hash("planner", "llm_outline" if LLM else None)
STORYBOARD_HASH = pipeline.source_hash("planner", "llm_storyboard" if LLM else None)
SCENE_HASH = pipeline.source_hash("generator", "llm_scene" if LLM else None)
# The critic: on unless config says otherwise; the vision model only where one is configured.
CRITIC = config["critic"]["enabled"]
VISION = pipeline.vision_enabled(config)
CRITIC_HASH = pipeline.source_hash("critic", "llm_critic" if VISION else None)
# Narration: what changes the audio is a param of the narrate rule (subtitle and
# loudness settings only change the final join). An API engine needs the llm settings.
NARRATION = config["narration"]
NARRATION_SPEAKING = pipeline.narration_speaking(NARRATION)
NARRATION_LLM = pipeline.llm_params(config) if NARRATION["engine"] == "openai" else None
NARRATION_HASH = pipeline.source_hash("narration")


wildcard_constraints:
    topic=r"[A-Za-z0-9][A-Za-z0-9_-]*",
    section=r"[0-9]+",


def get_topic_file(wildcards):
    return TOPICS[wildcards.topic]


def topic_setting(wildcards, key):
    """One topic's setting: its curriculum's override, else the curriculum's shared one, else config.yaml's."""
    return getattr(BUILD.topics[wildcards.topic], key)


def get_quality(wildcards):
    return topic_setting(wildcards, "quality")


def get_pacing(wildcards):
    return topic_setting(wildcards, "pacing")


def get_topic_meta(wildcards):
    """The audience and language a curriculum gives a topic (applied to the topic file by the outline)."""
    return topic_setting(wildcards, "meta")


def storyboard_path(wildcards):
    return f"{RESULTS}/{wildcards.topic}/storyboard.json"


def get_section_ids(wildcards):
    """Section ids of a topic, in numeric order (known once its storyboard exists)."""
    storyboard = checkpoints.storyboard.get(topic=wildcards.topic).output.storyboard
    return pipeline.section_ids(storyboard)


def get_section_videos(wildcards):
    """The videos the final one joins: the critic-revised sections, or the first renders without critic."""
    name = "section.critic.mp4" if CRITIC else "section.mp4"
    return [
        f"{RESULTS}/{wildcards.topic}/sections/{sid}/{name}"
        for sid in get_section_ids(wildcards)
    ]


def get_section_layouts(wildcards):
    if not CRITIC:
        return []
    return [
        f"{RESULTS}/{wildcards.topic}/sections/{sid}/layout.json"
        for sid in get_section_ids(wildcards)
    ]


def get_section_narrations(wildcards):
    if NARRATION["engine"] == "none":
        return []
    return [
        f"{RESULTS}/{wildcards.topic}/sections/{sid}/narration.json"
        for sid in get_section_ids(wildcards)
    ]


def get_section_timings(wildcards):
    """Where each section's voices really start: the critic's layout.json, else the render's trace."""
    if NARRATION["engine"] == "none":
        return []
    if CRITIC:
        return get_section_layouts(wildcards)
    return [
        f"{RESULTS}/{wildcards.topic}/sections/{sid}/layout-trace.jsonl"
        for sid in get_section_ids(wildcards)
    ]


def get_subtitle_outputs():
    """video.srt and video.vtt, when the video speaks."""
    if NARRATION["engine"] == "none":
        return {}
    return {"srt": f"{RESULTS}/{{topic}}/video.srt", "vtt": f"{RESULTS}/{{topic}}/video.vtt"}


def get_section_infos(wildcards):
    return [
        f"{RESULTS}/{wildcards.topic}/sections/{sid}/render.json"
        for sid in get_section_ids(wildcards)
    ]


def get_section_narration(wildcards):
    """What one section says, step by step, read from the storyboard (a param: only edited sections re-speak)."""
    return pipeline.section_narration(storyboard_path(wildcards), wildcards.section)


def section_spec(wildcards):
    """Everything the scene of one section depends on, read from the storyboard.

    Given to the scene rule as params: Snakemake compares params between runs,
    so only the sections whose spec changed are regenerated.
    """
    return pipeline.section_spec(storyboard_path(wildcards), wildcards.section)


def get_final_outputs():
    return [
        f"{RESULTS}/{slug}/{name}"
        for slug in TOPICS
        for name in ("video.mp4", "manifest.json", "thumbnail.png")
        + (("video.srt", "video.vtt") if NARRATION["engine"] != "none" else ())
    ] + [f"{RESULTS}/index.html"]
