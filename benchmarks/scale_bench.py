#!/usr/bin/env python3
"""How the workflow scales: planning and no-op times for big curricula, and the -j 2 speed-up.

Part 1, scale. Synthetic curricula of 50, 100 and 200 topics with 8 tiny
sections each (offline topic files, in a scratch copy of the workflow):

  plan, before storyboards   snakemake -n on a fresh folder. The storyboard is a
                             checkpoint, so this plans up to it (outline and
                             storyboard per topic, then all/assemble).
  plan, full DAG             snakemake -n after the planning stages ran for real
                             (snakemake --until storyboard): every scene, render
                             and critic job of every section (200 x 8 -> 5000+ jobs).
  no-op re-run               snakemake -j1 once every output exists. Outputs are
                             not rendered (1600 sections) but marked complete:
                             an empty file is created for every output the full
                             dry run lists, and `snakemake --touch` then stamps
                             them in DAG order and records their metadata, as a
                             real run would.

The three curricula are one folder: topics/part1 (50), part2 (50), part3
(100); a size is chosen with --config topics=[...], so the smaller curricula
are part of the larger one. Each time is the best of
--repeat runs. Printed: seconds, seconds per topic, and the ratio 200/50
against 4.0 (linear growth).

Part 2, parallel speed-up. A curriculum of 4 tiny topics built at preview
quality (real renders, render cache off) with -j 1 and with -j 2, each in a
fresh folder; speed-up = time(-j 1) / time(-j 2).

Usage: python benchmarks/scale_bench.py [--sizes 50,100,200] [--sections 8] [--repeat 2]
       [--speedup-repeat 1] [--skip-scale] [--skip-speedup] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
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

SNAKEMAKE = [sys.executable, "-m", "snakemake"]


def tiny_topic(n: int, sections: int, lines: int = 1) -> dict:
    return {
        "title": f"Synthetic topic {n}",
        "sections": [
            {"title": f"Part {s}",
             "lines": [f"Idea {s}.{k} of topic {n}" for k in range(1, lines + 1)],
             "visuals": [{"kind": "equation", "tex": f"x_{{{s}}} = {n}"}]}
            for s in range(1, sections + 1)
        ],
    }


def write_config(work: Path, **overrides) -> None:
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config.update(overrides)
    (work / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def run(work: Path, *args: str, env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([*SNAKEMAKE, *args], cwd=work, capture_output=True, text=True,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"snakemake {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return seconds, proc.stdout + proc.stderr


def best_of(repeat: int, work: Path, *args: str) -> tuple[float, str]:
    runs = [run(work, *args) for _ in range(repeat)]
    return min(r[0] for r in runs), runs[-1][1]


def jobs_planned(output: str) -> int:
    match = re.search(r"^total\s+(\d+)", output, re.M)
    return int(match.group(1)) if match else 0


def parts(sizes: list[int]) -> list[tuple[str, int]]:
    """Topic folders such that each size is the first k of them: 50,100,200 -> 50, 50, 100."""
    bounds = [0, *sizes]
    return [(f"part{i}", bounds[i] - bounds[i - 1]) for i in range(1, len(bounds))]


def topics_for(size: int, sizes: list[int]) -> str:
    chosen = [f'"topics/part{i}/*.yaml"' for i in range(1, sizes.index(size) + 2)]
    return "topics=[" + ",".join(chosen) + "]"


def placeholder_outputs(work: Path, dry_run: str) -> int:
    """Empty files for every output the full dry run lists that does not exist yet (nothing is rendered)."""
    made = 0
    for line in dry_run.splitlines():
        line = line.strip()
        if not line.startswith("output:"):
            continue
        for name in line[len("output:"):].split(","):
            path = work / name.strip()
            if name.strip() and not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
                made += 1
    return made


def scale(args) -> list[tuple]:
    sizes = sorted(int(s) for s in args.sizes.split(","))
    work = copy_workflow(Path(tempfile.mkdtemp(prefix="lessonreel-scale-")))
    n = 0
    for name, count in parts(sizes):
        folder = work / "topics" / name
        folder.mkdir(parents=True)
        for _ in range(count):
            n += 1
            (folder / f"synthetic-{n:03d}.yaml").write_text(yaml.safe_dump(tiny_topic(n, args.sections)))
    write_config(work, topics=["topics/*/*.yaml"])
    print(f"scale: {n} synthetic topics x {args.sections} sections in {work}")
    print(f"  (each time is the best of {args.repeat} runs; machine: {os.cpu_count()} cores)", flush=True)
    rows = []

    plan0 = {}
    for size in sizes:
        plan0[size] = best_of(args.repeat, work, "-n", "--config", topics_for(size, sizes))
        print(f"  plan before storyboards, {size} topics: {plan0[size][0]:.2f} s, "
              f"{jobs_planned(plan0[size][1])} jobs", flush=True)

    seconds, _ = run(work, "-j2", "--until", "storyboard", "--config", topics_for(max(sizes), sizes))
    print(f"  [setup] outline + storyboard of {max(sizes)} topics for real (-j2): {seconds:.1f} s", flush=True)

    plan = {}
    for size in sizes:
        plan[size] = best_of(args.repeat, work, "-n", "--config", topics_for(size, sizes))
        print(f"  plan full DAG, {size} topics: {plan[size][0]:.2f} s, {jobs_planned(plan[size][1])} jobs "
              f"(load average {os.getloadavg()[0]:.1f})", flush=True)

    made = placeholder_outputs(work, plan[max(sizes)][1])
    seconds, _ = run(work, "-j2", "--touch", "--config", topics_for(max(sizes), sizes))
    print(f"  [setup] {made} outputs created empty (nothing rendered), then snakemake --touch "
          f"marked them complete: {seconds:.1f} s", flush=True)

    noop = {}
    for size in sizes:
        # Outputs that depend on the whole curriculum (the gallery page) differ
        # per size: mark them complete for this size too (nothing else to touch).
        run(work, "-j1", "--touch", "--config", topics_for(size, sizes))
        noop[size] = best_of(args.repeat, work, "-j1", "--config", topics_for(size, sizes))
        if "Nothing to be done" not in noop[size][1]:
            raise SystemExit(f"the no-op re-run of {size} topics did something:\n{noop[size][1][-3000:]}")
        print(f"  no-op re-run, {size} topics: {noop[size][0]:.2f} s (load average {os.getloadavg()[0]:.1f})",
              flush=True)

    for label, data in (("plan, before storyboards (snakemake -n)", plan0),
                        ("plan, full DAG (snakemake -n)", plan),
                        ("no-op re-run (snakemake -j1)", noop)):
        rows.append((label, {s: (data[s][0], jobs_planned(data[s][1])) for s in sizes}))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def speedup(args) -> tuple[float, float]:
    """Best of --speedup-repeat builds each, in the order 1, 2, 2, 1, ... so a change in load hits both."""
    times: dict[int, list[float]] = {1: [], 2: []}
    order = [1, 2] + [2, 1] * ((args.speedup_repeat - 1) // 2 + 1)
    for jobs in order[: 2 * args.speedup_repeat]:
        work = copy_workflow(Path(tempfile.mkdtemp(prefix=f"lessonreel-j{jobs}-")))
        for n in range(1, args.speedup_topics + 1):
            (work / "topics" / f"tiny-{n}.yaml").write_text(
                yaml.safe_dump(tiny_topic(n, args.speedup_sections, lines=2)))
        write_config(work, quality="preview", cache={"dir": ".cache", "renders": False})
        seconds, _ = run(work, f"-j{jobs}")
        times[jobs].append(seconds)
        print(f"  build {args.speedup_topics} topics x {args.speedup_sections} sections at preview, "
              f"-j {jobs}: {seconds:.1f} s  (load average {os.getloadavg()[0]:.1f})", flush=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return min(times[1]), min(times[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50,100,200")
    parser.add_argument("--sections", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--speedup-topics", type=int, default=4)
    parser.add_argument("--speedup-sections", type=int, default=3)
    parser.add_argument("--speedup-repeat", type=int, default=1, help="builds per -j setting (best is kept)")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-speedup", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folders")
    args = parser.parse_args()

    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          "(other work on the machine slows every measure; ratios within one run are still comparable)")
    rows = [] if args.skip_scale else scale(args)
    j1 = j2 = None
    if not args.skip_speedup:
        print("speed-up: real renders, render cache off")
        j1, j2 = speedup(args)

    print()
    if rows:
        sizes = list(rows[0][1])
        lo, hi = sizes[0], sizes[-1]
        head = " | ".join(f"{s} topics" for s in sizes)
        print(f"| measure | {head} | per topic ({' / '.join(map(str, sizes))}) | {hi}/{lo} (linear: {hi / lo:.1f}) |")
        print("|---" * (len(sizes) + 3) + "|")
        for label, data in rows:
            cells = " | ".join(f"{data[s][0]:.2f} s" + (f" ({data[s][1]} jobs)" if data[s][1] else "")
                               for s in sizes)
            per = " / ".join(f"{data[s][0] / s * 1000:.0f} ms" for s in sizes)
            print(f"| {label} | {cells} | {per} | {data[hi][0] / data[lo][0]:.2f} |")
        worst = max(data[hi][0] for _, data in rows[1:] or rows)
        print(f"\n{hi} x {args.sections}: slowest of full plan and no-op {worst:.1f} s (target < 30 s); "
              f"growth {lo}->{hi} topics vs linear {hi / lo:.1f}: "
              + ", ".join(f"{data[hi][0] / data[lo][0]:.2f}" for _, data in rows))
    if j1 is not None:
        print(f"\n-j 2 over -j 1 on {args.speedup_topics} topics x {args.speedup_sections} sections (preview, "
              f"real renders): {j1:.1f} s / {j2:.1f} s = {j1 / j2:.2f}x speed-up ({os.cpu_count()} cores; ideal 2.0x)")


if __name__ == "__main__":
    main()
