"""Rule storyboard: topic file + outline.json -> storyboard.json."""
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))  # noqa: F821
from lessonreel import pipeline, runner  # noqa: E402

runner.run(snakemake, lambda: pipeline.build_storyboard(  # noqa: F821
    snakemake.input.topic, snakemake.input.outline, snakemake.output.storyboard,  # noqa: F821
    dict(snakemake.params.pacing), snakemake.params.engine, snakemake.params.llm))  # noqa: F821
