"""Rule critic: section.mp4 + its layout trace -> layout.json, scene.critic.py, section.critic.mp4."""
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))  # noqa: F821
from lessonreel import pipeline, runner  # noqa: E402

runner.run(snakemake, lambda: pipeline.critique(  # noqa: F821
    snakemake.input.scene, snakemake.input.trace, snakemake.input.video,  # noqa: F821
    snakemake.output.scene, snakemake.output.video, snakemake.output.layout,  # noqa: F821
    quality=snakemake.params.quality, timeout=snakemake.resources.render_timeout,  # noqa: F821
    settings=dict(snakemake.params.critic), engine=snakemake.params.engine, llm=snakemake.params.llm,  # noqa: F821
    log=snakemake.log[0], voice_dir=snakemake.input.voice,  # noqa: F821
    label=f"topic {snakemake.wildcards.topic}, section {snakemake.wildcards.section}"))  # noqa: F821
