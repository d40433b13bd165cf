"""Rule thumbnail: video.mp4 -> thumbnail.png (the frame at a third of the video)."""
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))  # noqa: F821
from lessonreel import gallery, runner  # noqa: E402

runner.run(snakemake, lambda: gallery.make_thumbnail(  # noqa: F821
    snakemake.input.video, snakemake.output.thumbnail, snakemake.log[0]))  # noqa: F821
