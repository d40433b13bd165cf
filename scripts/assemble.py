"""Rule assemble: section videos -> video.mp4 + manifest.json."""
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))  # noqa: F821
from lessonreel import pipeline, runner  # noqa: E402

runner.run(snakemake, lambda: pipeline.assemble(  # noqa: F821
    list(snakemake.input.videos), list(snakemake.input.infos), snakemake.input.storyboard,  # noqa: F821
    snakemake.output.video, snakemake.output.manifest, snakemake.params.quality,  # noqa: F821
    snakemake.log[0], list(snakemake.input.layouts)))  # noqa: F821
