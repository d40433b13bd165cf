"""Rule gallery: every topic's manifest and thumbnail -> results/index.html."""
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))  # noqa: F821
from lessonreel import gallery, runner  # noqa: E402
from lessonreel.curriculum import BuildPlan  # noqa: E402

runner.run(snakemake, lambda: gallery.write_gallery(  # noqa: F821
    BuildPlan.from_json(snakemake.params.plan), snakemake.params.results, snakemake.output.html))  # noqa: F821
