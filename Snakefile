# lessonreel: topic files -> finished educational videos.
#
# Data flow per topic (results/<slug>/):
#   topics/<slug>.yaml|md -> outline.json -> storyboard.json (checkpoint: sections are data)
#   -> sections/<id>/scene.py -> sections/<id>/section.mp4 (+ layout-trace.jsonl)
#   -> critic: sections/<id>/layout.json, scene.critic.py, section.critic.mp4
#   -> video.mp4 + manifest.json
from snakemake.utils import min_version

min_version("9.20")


configfile: "config.yaml"


include: "workflow/common.smk"
include: "workflow/outline.smk"
include: "workflow/storyboard.smk"
include: "workflow/scene.smk"
include: "workflow/render.smk"
include: "workflow/critic.smk"
include: "workflow/assemble.smk"


rule all:
    input:
        get_final_outputs(),
    default_target: True
