#!/usr/bin/env python3
"""Measure the layout Critic, in one run: what its measurement costs, and what it finds and fixes.

    python benchmarks/critic_bench.py                  # both parts
    python benchmarks/critic_bench.py --no-corpus      # only the measurement cost
    python benchmarks/critic_bench.py --no-cost --only tiny_text

Measurement cost (target from the issue: the layout report comes from the
render that already runs, at under 10 % of a preview render). The sections of
real generated scenes (the offline engine, through a fresh copy of the
workflow: ``snakemake --until storyboard``, then the
scene files as targets) are rendered at preview quality with
``render.render_scene`` as the workflow's render rule does (in the workflow
copy, the copy as package root), once with ``trace=None`` and once with
``trace=path``, in pairs whose order alternates, ``--repeat`` pairs each
(after one untimed warm-up render).
Per section and in total it prints

* the median render seconds without and with the trace (wall time, sandbox
  included), and the median of the pairs' differences as a share of the
  untraced render: the trace's cost as the render's clock sees it; the same
  for the CPU time of the render's processes (getrusage of the children), and
  the spread of the untraced renders, which tells how much of a difference
  the clocks can resolve on this machine (on a shared 2-core machine, not the
  1 % or so the tracer costs);
* the tracer's own time inside the render, measured in the child: the scratch
  workflow copy gets a ``sitecustomize.py`` that, when a trace is asked for,
  wraps the recorder's ``snapshot`` with a clock and prints the total at exit
  (render_env passes no other variables, and nothing in lessonreel changes);
* the analysis in the parent, as the critic stage runs it on the render's
  trace: ``analyze.measure``, which the stage runs once per trace (median of 3);
* the trace file's size and its snapshots.

The cost judged against the target is tracer + analysis, as a share of the
untraced render; the wall-clock and CPU differences are printed beside it as
the outside check, with their noise.

Corpus (tests/layout_scenes/, as tests/test_critic.py runs it): every scene is
measured once (a dry run that records the trace, in the sandbox) and put
through the critic's deterministic rounds (``stage.deterministic_rounds``,
``--rounds``, each round one more dry run), ``--jobs`` scenes at a time. Per
problem kind: faulty scenes expecting it, detected (the kind found, with the
expected objects among one such problem's objects), fixed (the kind gone from
the best version), false alarms (clean scenes where it was reported) and
unexpected reports in faulty scenes; and the mean number of dry runs per fixed
scene. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lessonreel.pipeline import copy_workflow, scene_class  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from repair_bench import table  # noqa: E402  (the same markdown tables as the repair benchmark)

CORPUS = ROOT / "tests" / "layout_scenes"
DEFAULT_TOPICS = ("tests/data/all_kinds.yaml", "topics/pythagorean-theorem.yaml")
TARGET = 0.10
COST_MARK = "lessonreel-critic-bench: tracer"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif")

# Put in the scratch workflow copy (the renders' package root, so on their PYTHONPATH). Python imports it
# at start-up, before the sandbox guard; it only acts when the render asks for a trace.
SITECUSTOMIZE = f'''\
"""critic_bench: time the layout tracer inside the render (wraps _Recorder.snapshot; prints the total at exit)."""
import os

if os.environ.get("LESSONREEL_LAYOUT_TRACE"):
    import atexit
    import sys
    import time

    from lessonreel.critic import trace as _trace

    _spent = [0.0, 0.0, 0]
    _snapshot = _trace._Recorder.snapshot

    def _timed_snapshot(self, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return _snapshot(self, *args, **kwargs)
        finally:
            _spent[0] += time.perf_counter() - wall
            _spent[1] += time.process_time() - cpu
            _spent[2] += 1

    _trace._Recorder.snapshot = _timed_snapshot

    @atexit.register
    def _report():
        sys.stderr.write("\\n{COST_MARK} %.6f s wall, %.6f s cpu, %d snapshots\\n" % tuple(_spent))
        sys.stderr.flush()
'''


def pct(part: float, whole: float) -> str:
    return f"{part / whole * 100:+.1f} %" if whole else "-"


# -------------------------------------------------------------- sections ---

def generate_sections(work: Path, topics: list[str]) -> list[tuple[str, Path]]:
    """Copy the workflow to ``work``, add the topics, plan, write the scenes; return (label, scene.py)."""
    copy_workflow(work)
    for name in topics:
        topic = (ROOT / name).resolve()
        shutil.copy2(topic, work / "topics" / topic.name)
        if (topic.parent / "images").is_dir() and not (work / "topics" / "images").exists():
            shutil.copytree(topic.parent / "images", work / "topics" / "images")
        for image in topic.parent.iterdir():  # images next to the topic file (tests/data/cell.png)
            if image.suffix.lower() in IMAGE_SUFFIXES and image.is_file():
                shutil.copy2(image, work / "topics" / image.name)
    config = yaml.safe_load((work / "config.yaml").read_text())
    config["quality"] = "preview"
    config["topics"] = [f"topics/{(ROOT / t).name}" for t in topics]
    (work / "config.yaml").write_text(yaml.safe_dump(config))
    snakemake = [sys.executable, "-m", "snakemake", "-j2"]
    # The storyboard is a checkpoint (its sections are data): plan first, then ask for the scene files.
    subprocess.run([*snakemake, "--until", "storyboard"], cwd=work, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)
    sections = []
    for name in topics:
        slug = Path(name).stem
        board = json.loads((work / "results" / slug / "storyboard.json").read_text(encoding="utf-8"))
        for section in board["sections"]:
            scene = work / "results" / slug / "sections" / section["id"] / "scene.py"
            sections.append((f"{slug}/{section['id']}", scene))
    subprocess.run([*snakemake, *(str(s.relative_to(work)) for _, s in sections)], cwd=work, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return sections


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def render_once(scene: Path, work: Path, out: Path, traced: bool) -> dict:
    """One preview render as the workflow's render rule does it; wall and CPU seconds, and the tracer's time."""
    from lessonreel.critic.analyze import load_trace
    from lessonreel.render import render_scene

    out.mkdir(parents=True, exist_ok=True)
    log = out / "render.log"
    log.unlink(missing_ok=True)
    trace = out / "layout-trace.jsonl" if traced else None
    cpu = children_cpu()
    seconds = render_scene(scene, scene_class(scene), out / "section.mp4", "preview", project_root=work,
                           package_root=work, timeout=1800, log_file=log, trace=trace)
    result = {"seconds": seconds, "cpu": children_cpu() - cpu}
    if traced:
        m = re.search(rf"{COST_MARK} ([\d.]+) s wall, ([\d.]+) s cpu, (\d+) snapshots", log.read_text())
        if m is None:
            raise RuntimeError(f"{scene}: the render printed no tracer time (sitecustomize not loaded?)")
        result.update(tracer=float(m.group(1)), tracer_cpu=float(m.group(2)), snapshots=int(m.group(3)),
                      size=trace.stat().st_size, trace=trace)
        if len(load_trace(trace).snapshots) != result["snapshots"]:
            raise RuntimeError(f"{scene}: the trace holds another number of snapshots than were timed")
    return result


def analysis_seconds(trace: Path, source: str, repeat: int = 3) -> tuple[float, dict]:
    """The critic stage's own work on the render's trace: analyze.measure (load once, analyze)."""
    from lessonreel.critic.analyze import measure

    times, report = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        report, _ = measure(trace, source)
        times.append(time.perf_counter() - started)
    return statistics.median(times), report


def cost_report(scratch: Path, topics: list[str], repeat: int) -> str:
    work = scratch / "workflow"
    started = time.monotonic()
    sections = generate_sections(work, topics)
    (work / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    generated = time.monotonic() - started
    print(f"{len(sections)} sections of {', '.join(topics)} generated in {generated:.0f} s; rendering "
          f"{repeat} pairs each...", file=sys.stderr, flush=True)

    # One render before the clock counts: the first render of a run reads Manim, fonts and TeX from disk.
    render_once(sections[0][1], work, scratch / "renders" / "warm-up", False)
    keys = ("plain", "traced", "diff", "cpu", "cpu_diff", "tracer", "tracer_cpu", "analysis", "size", "snapshots")
    rows, totals, spreads, cpu_spreads = [], dict.fromkeys(keys, 0.0), [], []
    for label, scene in sections:
        plain, traced = [], []
        for pair in range(repeat):
            order = (False, True) if pair % 2 == 0 else (True, False)
            for flag in order:
                run = render_once(scene, work, scratch / "renders" / label / ("traced" if flag else "plain"), flag)
                (traced if flag else plain).append(run)
        analysis, report = analysis_seconds(traced[-1]["trace"], scene.read_text(encoding="utf-8"))
        values = {
            "plain": statistics.median(r["seconds"] for r in plain),
            "traced": statistics.median(r["seconds"] for r in traced),
            "diff": statistics.median(b["seconds"] - a["seconds"] for a, b in zip(plain, traced)),
            "cpu": statistics.median(r["cpu"] for r in plain),
            "cpu_diff": statistics.median(b["cpu"] - a["cpu"] for a, b in zip(plain, traced)),
            "tracer": statistics.median(r["tracer"] for r in traced),
            "tracer_cpu": statistics.median(r["tracer_cpu"] for r in traced),
            "analysis": analysis, "size": max(r["size"] for r in traced), "snapshots": traced[-1]["snapshots"],
        }
        for key in keys:
            totals[key] += values[key]
        walls, cpus = [r["seconds"] for r in plain], [r["cpu"] for r in plain]
        spread = (max(walls) - min(walls)) / values["plain"]
        spreads.append(spread)
        cpu_spreads.append((max(cpus) - min(cpus)) / values["cpu"])
        v = values
        rows.append([label, f"{v['plain']:.2f}", f"{v['traced']:.2f}", pct(v["diff"], v["plain"]),
                     f"{spread * 100:.0f} %", f"{v['cpu']:.2f}", pct(v["cpu_diff"], v["cpu"]), v["snapshots"], f"{v['size'] / 1024:.0f}",
                     f"{v['tracer']:.3f}", f"{v['analysis']:.3f}", pct(v["tracer"] + v["analysis"], v["plain"]),
                     f"{report['score']} / {len(report['problems'])}"])
        print(f"  {label}: {v['plain']:.1f} s / {v['traced']:.1f} s", file=sys.stderr, flush=True)
    t = totals
    rows.append(["total", f"{t['plain']:.2f}", f"{t['traced']:.2f}", pct(t["diff"], t["plain"]),
                 f"{statistics.median(spreads) * 100:.0f} %", f"{t['cpu']:.2f}", pct(t["cpu_diff"], t["cpu"]),
                 int(t["snapshots"]), f"{t['size'] / 1024:.0f}", f"{t['tracer']:.3f}", f"{t['analysis']:.3f}",
                 pct(t["tracer"] + t["analysis"], t["plain"]), ""])
    share = (t["tracer"] + t["analysis"]) / t["plain"]
    wall_share = (t["diff"] + t["analysis"]) / t["plain"]
    cpu_share = (t["cpu_diff"] + t["analysis"]) / t["cpu"]
    noise, cpu_noise = statistics.median(spreads), statistics.median(cpu_spreads)

    def verdict(value: float, spread: float) -> str:
        return "within the noise" if abs(value) <= spread else "beyond the noise"

    per_snapshot = t["tracer"] / t["snapshots"] * 1000 if t["snapshots"] else 0.0
    return "\n".join([
        f"Measurement cost: {len(sections)} generated sections ({', '.join(topics)}; offline engine), preview "
        f"render (854x480, 15 fps) without and with the layout trace, {repeat} pairs each, order alternating:", "",
        table(["section", "render s", "traced s", "traced - render", "spread", "render CPU s", "traced - render CPU",
               "snapshots", "trace KiB", "tracer s", "analysis s", "cost", "score / problems"], rows),
        "",
        "render s / traced s: median wall time of render.render_scene (sandbox included) without / with trace=.",
        "traced - render: median of the pairs' differences, as a share of the untraced render; spread: "
        "(slowest - fastest) / median of the untraced renders, the noise the clock has here.",
        "render CPU s: CPU time of the render's processes (user + system, the sandbox and LaTeX included).",
        "tracer s: the recorder's snapshots timed inside the render (median over the traced renders).",
        "analysis s: the critic stage's work on the trace in the parent (analyze.measure: load once, analyze).",
        "cost = (tracer + analysis) / render. score / problems: the section's layout report.",
        "",
        f"Target: cost < {TARGET * 100:.0f} % of a preview render: {'met' if share < TARGET else 'MISSED'}, "
        f"{share * 100:.1f} % measured in-process ({per_snapshot:.1f} ms per snapshot, "
        f"{t['tracer_cpu'] / t['tracer'] * 100 if t['tracer'] else 0:.0f} % of it CPU).",
        f"Seen from outside (traced - render + analysis): wall clock {wall_share * 100:+.1f} % "
        f"({verdict(wall_share, noise)}: the untraced renders alone spread by {noise * 100:.0f} %), CPU time "
        f"{cpu_share * 100:+.1f} % ({verdict(cpu_share, cpu_noise)}: spread {cpu_noise * 100:.0f} %); spreads are "
        f"(slowest - fastest) / median, the median over the sections.",
        "Renders go through the sandbox; the machine may be shared (noisy wall timings).",
    ])


# ---------------------------------------------------------------- corpus ---

def expectations(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    problems = []
    for kind, objects in re.findall(r"^# expect-problem: *(\w+) *(.*?)\s*$", text, re.M):
        problems.append((kind, [o.strip() for o in objects.split(",") if o.strip()]))
    fix = re.search(r"^# expect-fix: *(\w+)", text, re.M)
    return {"problems": problems, "fix": fix.group(1) if fix else None,
            "clean": re.search(r"^# expect-clean\b", text, re.M) is not None}


def run_scene(path: Path, scratch: Path, rounds: int) -> dict:
    from lessonreel.critic.stage import Measurer, deterministic_rounds

    exp = expectations(path)
    work = scratch / path.stem
    measure = Measurer("scene.py", "Section01", work, timeout=90, project_root=ROOT, package_root=ROOT)
    started = time.monotonic()
    first = measure(path.read_text(encoding="utf-8"))
    if not first.ok:
        return {"name": path.stem, "exp": exp, "ok": False, "error": first.error, "runs": measure.runs,
                "seconds": time.monotonic() - started}
    best, entries = deterministic_rounds(first, measure, rounds)
    shutil.rmtree(work, ignore_errors=True)
    found = first.report["problems"]
    detected = {}
    for kind, objects in exp["problems"]:
        matching = [p for p in found if p["kind"] == kind]
        detected[kind] = any(set(objects) <= set(p["objects"]) for p in matching)
    left = {p["kind"] for p in best.report["problems"]}
    return {"name": path.stem, "exp": exp, "ok": True, "runs": measure.runs, "rounds": entries,
            "seconds": time.monotonic() - started, "found": sorted({p["kind"] for p in found}),
            "detected": detected, "fixed": {kind: kind not in left for kind, _ in exp["problems"]},
            "before": first.score, "after": best.score}


def corpus_report(results: list[dict], jobs: int, seconds: float) -> str:
    from lessonreel.critic.analyze import PENALTY

    faults = [r for r in results if not r["exp"]["clean"]]
    clean = [r for r in results if r["exp"]["clean"]]
    broken = [r for r in results if not r["ok"]]
    ok = [r for r in results if r["ok"]]
    kinds = sorted({k for r in faults for k, _ in r["exp"]["problems"]} | {k for r in ok for k in r["found"]},
                   key=lambda k: (list(PENALTY).index(k) if k in PENALTY else 99, k))
    rows = []
    sums = [0] * 6
    for kind in kinds:
        group = [r for r in faults if any(k == kind for k, _ in r["exp"]["problems"])]
        det_expected = sum(r["exp"]["fix"] == "deterministic" for r in group)
        detected = sum(r["ok"] and r["detected"][kind] for r in group)
        fixed = sum(r["ok"] and r["fixed"][kind] for r in group)
        alarms = sum(r["ok"] and kind in r["found"] for r in clean)
        unexpected = sum(r["ok"] and kind in r["found"] and kind not in {k for k, _ in r["exp"]["problems"]}
                         for r in faults)
        row = [len(group), detected, det_expected, fixed, alarms, unexpected]
        sums = [a + b for a, b in zip(sums, row)]
        rows.append([kind, *row])
    rows.append(["total", *sums])

    fixed_scenes = [r for r in faults if r["ok"] and r["fixed"] and all(r["fixed"].values())]
    runs = [r["runs"] - 1 for r in fixed_scenes]
    mean_runs = f"{statistics.mean(runs):.2f}" if runs else "-"
    clean_ok = sum(r["ok"] and not r["found"] for r in clean)
    out = [f"Corpus (tests/layout_scenes/: {len(faults)} faulty, {len(clean)} clean scenes), per problem kind:", "",
           table(["kind", "faulty scenes", "detected", "det. fix expected", "fixed (det.)", "false alarms (clean)",
                  "unexpected (faulty)"], rows),
           "",
           "detected: the kind found with the expected objects among one such problem's objects (first measurement).",
           "fixed (det.): the kind gone after the deterministic rounds (kept only when the score rose).",
           "false alarms: clean scenes where the kind was reported; unexpected: faulty scenes where it was reported "
           "but not expected.",
           "",
           f"Clean scenes with no problem reported: {clean_ok}/{len(clean)}. Faulty scenes with every expected "
           f"problem fixed: {len(fixed_scenes)}/{len(faults)}, with {mean_runs} dry runs each on average besides "
           f"the first measurement (which in the workflow is the render's trace; "
           f"{', '.join(f'{n} run(s): {runs.count(n)}' for n in sorted(set(runs)))}).",
           f"Score of the faulty scenes: mean {statistics.mean(r['before'] for r in faults if r['ok']):.1f} before, "
           f"{statistics.mean(r['after'] for r in faults if r['ok']):.1f} after the deterministic rounds."
           if any(r["ok"] for r in faults) else "",
           f"{len(results)} scenes in {seconds:.0f} s ({jobs} at a time; "
           f"{sum(r['runs'] for r in results)} dry runs in all)."]
    if broken:
        out += ["", "Scenes that did not run:"] + [f"  {r['name']}: {r['error']}" for r in broken]
    misses = [r for r in faults if r["ok"] and not all(r["detected"].values())]
    unfixed = [r for r in faults if r["ok"] and r["exp"]["fix"] == "deterministic" and not all(r["fixed"].values())]
    surprises = [r for r in faults if r["ok"] and r["exp"]["fix"] == "none" and r["fixed"]
                 and all(r["fixed"].values())]
    if surprises:
        out += ["", "Fixed although the header says expect-fix: none:"] + [
            f"  {r['name']}: {[(a['action'], a['object'], a.get('area')) for e in r['rounds'] for a in e['actions']]}"
            for r in surprises]
    if misses:
        out += ["", "Not detected as expected:"] + [f"  {r['name']}: expected {r['exp']['problems']}, found "
                                                   f"{r['found']}" for r in misses]
    if unfixed:
        out += ["", "Expected a deterministic fix, not fixed:"] + [
            f"  {r['name']}: {[(e['round'], e['verdict']) for e in r['rounds']]}" for r in unfixed]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Prints markdown tables; asserts nothing about time.")
    parser.add_argument("--topic", action="append", default=None,
                        help=f"topic whose generated sections are timed (repeatable; default: "
                             f"{', '.join(DEFAULT_TOPICS)})")
    parser.add_argument("--repeat", type=int, default=3, help="pairs of renders (plain, traced) per section")
    parser.add_argument("--no-cost", action="store_true", help="skip the measurement cost")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus table")
    parser.add_argument("--only", default="", help="regex: run only the corpus scenes whose name matches")
    parser.add_argument("--jobs", type=int, default=2, help="corpus scenes at a time (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="deterministic rounds per scene (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="critic_bench_"))
    try:
        if not args.no_cost:
            print(cost_report(scratch / "cost", args.topic or list(DEFAULT_TOPICS), max(1, args.repeat)))
            print()
        if not args.no_corpus:
            scenes = [p for p in sorted(CORPUS.glob("*.py")) if re.search(args.only, p.stem)]
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                results = list(pool.map(lambda p: run_scene(p, scratch / "corpus", args.rounds), scenes))
            print(corpus_report(results, args.jobs, time.monotonic() - started))
    finally:
        if args.keep:
            print(f"\nscratch kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
