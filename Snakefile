# lessonreel: topic files -> finished educational videos.
#
# Data flow per topic (results/<slug>/):
#   topics/<slug>.yaml|md -> outline.json -> storyboard.json (checkpoint: sections are data)
#   -> sections/<id>/narration.json + voice/ (speech first: its length times the scene)
#   -> sections/<id>/scene.py -> sections/<id>/section.mp4 (+ layout-trace.jsonl)
#   -> critic: sections/<id>/layout.json, scene.critic.py, section.critic.mp4
#   -> video.mp4 + manifest.json -> thumbnail.png
# Over every topic: results/index.html (the gallery); when a run ends, also
# after failures, results/summary.json and the gallery again (onsuccess/onerror).
from snakemake.utils import min_version

min_version("9.20")


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/common.smk"


# Under a cluster executor (profiles/slurm) these run on the submitting host: the
# cheap planning, narration (espeak-ng there, or a speech API), the scene stage
# (which calls the model with the llm engine) and joining. Renders and the critic go to the cluster.
localrules:
    outline,
    storyboard,
    narrate,
    scene,
    assemble,


include: "workflow/outline.smk"
include: "workflow/storyboard.smk"
include: "workflow/narrate.smk"
include: "workflow/scene.smk"
include: "workflow/render.smk"
include: "workflow/critic.smk"
include: "workflow/assemble.smk"
include: "workflow/gallery.smk"


rule all:
    input:
        get_final_outputs(),
    default_target: True


# When a run ends, also after failed jobs (with --keep-going the other topics
# went on): summary.json with every topic built, failed (the rule, the section
# and the error line from its log) or not started; the gallery again, so it
# shows the failures too; and the same table on the terminal.
onsuccess:
    gallery_page.finish_run(workflow, BUILD, RESULTS, ok=True, log=log)


onerror:
    gallery_page.finish_run(workflow, BUILD, RESULTS, ok=False, log=log)
