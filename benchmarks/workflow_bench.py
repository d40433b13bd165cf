#!/usr/bin/env python3
"""Measure the workflow on one topic, in one run, and print the ratios.

  full build      snakemake -j1 on a fresh copy of the workflow
  no-op rerun     snakemake -j1 again, nothing changed
  one-section     edit one section's lecture line in the topic file, rebuild
  plain manim     `manim render -q<flag> --disable_caching scene.py SectionNN` on the
                  same scenes, one after another (the flags the workflow's render uses)

Targets (issue 2): one-section rebuild <= 1.3 x (that section's render + the
concatenation); no-op rerun < 3 s; workflow overhead over plain manim < 15 %.

Usage: python benchmarks/workflow_bench.py [topics/pythagorean-theorem.yaml] [--quality preview]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lessonreel.pipeline import copy_workflow  # noqa: E402
from lessonreel.render import QUALITIES, render_env  # noqa: E402



def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("topic", nargs="?", default="topics/pythagorean-theorem.yaml")
    parser.add_argument("--quality", default="preview", choices=sorted(QUALITIES))
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()

    topic = (ROOT / args.topic).resolve()
    work = copy_workflow(tempfile.mkdtemp(prefix="lessonreel-bench-"))
    shutil.copy2(topic, work / "topics" / topic.name)
    if (topic.parent / "images").is_dir():
        shutil.copytree(topic.parent / "images", work / "topics" / "images")
    config = yaml.safe_load((work / "config.yaml").read_text())
    config["quality"] = args.quality
    (work / "config.yaml").write_text(yaml.safe_dump(config))
    snakemake = [sys.executable, "-m", "snakemake", "-j1"]
    slug = topic.stem
    out = work / "results" / slug

    print(f"topic {args.topic}, quality {args.quality}, scratch {work}")
    full = timed(snakemake, work)
    noop = timed(snakemake, work)
    manifest = json.loads((out / "manifest.json").read_text())
    ids = [s["id"] for s in manifest["sections"]]

    # Edit the second section (or the only one): change one lecture line.
    data = topic.read_text()
    target_index = 1 if len(ids) > 1 else 0
    if topic.suffix == ".md":
        lines = data.splitlines()
        heading_count, edited = 0, False
        for i, line in enumerate(lines):
            if line.startswith("## "):
                heading_count += 1
            elif heading_count == target_index + 1 and line.lstrip().startswith("- ") and not edited:
                lines[i] = line + " (edited)"
                edited = True
        data = "\n".join(lines) + "\n"
    else:
        parsed = yaml.safe_load(data)
        parsed["sections"][target_index]["lines"][0] += " (edited)"
        data = yaml.safe_dump(parsed, sort_keys=False, allow_unicode=True)
    (work / "topics" / topic.name).write_text(data)
    edited_id = ids[target_index]
    rebuild = timed(snakemake, work)
    section_render = json.loads((out / "sections" / edited_id / "render.json").read_text())["render_seconds"]
    with open(out / "benchmarks" / "assemble.tsv") as fh:
        concat = float(next(csv.DictReader(fh, delimiter="\t"))["s"])

    # Plain manim on the same scene files, one after another.
    flag = QUALITIES[args.quality][0]
    plain_dir = work / "plain"
    plain_dir.mkdir()
    env = {**render_env(ROOT, plain_dir)}
    plain = 0.0
    for sid in ids:
        scene = out / "sections" / sid / "scene.py"
        # The same Manim flags the workflow uses (no partial-movie cache, which
        # Snakemake's own rebuild logic replaces), so the difference is the workflow.
        plain += timed([sys.executable, "-m", "manim", "render", f"-q{flag}", "--disable_caching",
                        "--media_dir", str(plain_dir / sid), str(scene), f"Section{sid}"], work, env)

    rebuild_budget = section_render + concat
    rows = [
        ("full build (s)", f"{full:.1f}", ""),
        ("plain manim, same scenes (s)", f"{plain:.1f}", ""),
        ("workflow overhead over plain manim", f"{(full / plain - 1) * 100:+.1f} %", "target < 15 %"),
        ("no-op rerun (s)", f"{noop:.2f}", "target < 3 s"),
        (f"one-section rebuild, section {edited_id} (s)", f"{rebuild:.1f}", ""),
        ("  that section's render + concatenation (s)", f"{rebuild_budget:.1f}", ""),
        ("  rebuild / (render + concat)", f"{rebuild / rebuild_budget:.2f} x", "target <= 1.3 x"),
        ("  rebuild / full build", f"{rebuild / full:.2f} x", ""),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
