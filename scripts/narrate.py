"""Rule narrate: one section's narration -> sections/<id>/narration.json + voice/<id>.wav per step."""
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))  # noqa: F821
from lessonreel import pipeline, runner  # noqa: E402

runner.run(snakemake, lambda: pipeline.narrate(  # noqa: F821
    dict(snakemake.params.spec), dict(snakemake.params.settings),  # noqa: F821
    snakemake.output.narration, snakemake.output.voice,  # noqa: F821
    llm=snakemake.params.llm))  # noqa: F821
