"""Rule outline: topic file -> outline.json."""
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))  # noqa: F821
from lessonreel import pipeline, runner  # noqa: E402

runner.run(snakemake, lambda: pipeline.build_outline(  # noqa: F821
    snakemake.input.topic, snakemake.output.outline, snakemake.params.engine, snakemake.params.llm,  # noqa: F821
    settings=dict(snakemake.params.settings)))  # noqa: F821
