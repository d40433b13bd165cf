"""Rule scene: one storyboard section (+ its narration.json) -> sections/<id>/scene.py."""
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))  # noqa: F821
from lessonreel import pipeline, runner  # noqa: E402

runner.run(snakemake, lambda: pipeline.build_scene(  # noqa: F821
    snakemake.params.spec, snakemake.output.scene, snakemake.input.storyboard,  # noqa: F821
    snakemake.params.engine, snakemake.params.llm, dict(snakemake.params.repair),  # noqa: F821
    snakemake.output.original, snakemake.output.repair, snakemake.log[0],  # noqa: F821
    narration=snakemake.input.narration))  # noqa: F821
