"""Rule assemble: section videos (+ narration) -> video.mp4, manifest.json and video.srt/.vtt."""
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))  # noqa: F821
from lessonreel import pipeline, runner  # noqa: E402

out = snakemake.output  # noqa: F821
runner.run(snakemake, lambda: pipeline.assemble(  # noqa: F821
    list(snakemake.input.videos), list(snakemake.input.infos), snakemake.input.storyboard,  # noqa: F821
    out.video, out.manifest, snakemake.params.quality,  # noqa: F821
    snakemake.log[0], list(snakemake.input.layouts),  # noqa: F821
    narrations=list(snakemake.input.narrations), timings=list(snakemake.input.timings),  # noqa: F821
    narration=dict(snakemake.params.narration),  # noqa: F821
    srt=getattr(out, "srt", None), vtt=getattr(out, "vtt", None)))
