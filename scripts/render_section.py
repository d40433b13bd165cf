"""Rule render_section: sections/<id>/scene.py (+ its voice/ audio) -> section.mp4 + render.json."""
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))  # noqa: F821
from lessonreel import pipeline, runner  # noqa: E402

runner.run(snakemake, lambda: pipeline.render_section(  # noqa: F821
    snakemake.input.scene, snakemake.output.video, snakemake.output.info,  # noqa: F821
    snakemake.params.quality, snakemake.resources.render_timeout, snakemake.log[0],  # noqa: F821
    label=f"topic {snakemake.wildcards.topic}, section {snakemake.wildcards.section}",  # noqa: F821
    trace=snakemake.output.trace, voice_dir=snakemake.input.voice))  # noqa: F821
