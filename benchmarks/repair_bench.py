"""Benchmark the model-free part of ScopeRefine on the broken-scene corpus.

    python benchmarks/repair_bench.py            # corpus tables
    python benchmarks/repair_bench.py --timing   # also: dry run vs preview render on generated sections

For every scene in tests/broken_scenes/ it dry-runs the scene, locates the
error, applies the deterministic fixes and dry-runs the fixed scene. It prints

* per failure class: scenes, errors localised correctly (class and line),
  fixed deterministically (the fixed scene's dry run passes), and the model
  scopes (line/block/section), which are not measured here: they need the
  model;
* per scene: expected and found line, what a naive "first `line N` in the
  log" regex would have said, the fix, and the size in tokens (chars/4) of a
  line-scope prompt (failing line +- 3 lines and the error) against the whole
  section's source.

With ``--timing`` it also generates the sections of tests/data/all_kinds.yaml
and times a preview render (``render.render_scene``) against the dry run (cold
and warm TeX cache) and against ``manim render --dry_run -ql``.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lessonreel.dryrun import dry_run  # noqa: E402
from lessonreel.repair.fixes import apply_deterministic_fixes  # noqa: E402
from lessonreel.repair.locate import FAILURE_CLASSES, locate_error  # noqa: E402

CORPUS = ROOT / "tests" / "broken_scenes"
LINE_WINDOW = 3
NOT_MEASURED = "n/m"


def expectations(path: Path) -> dict[str, str]:
    return dict(re.findall(r"^# expect-([\w-]+): *(.*?)\s*$", path.read_text(encoding="utf-8"), re.M))


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def line_prompt(source: str, line: int | None, error: str) -> str | None:
    """What a line-scope repair would show the model: the failing line +- 3 lines and the error."""
    if line is None:
        return None
    lines = source.splitlines()
    first, last = max(1, line - LINE_WINDOW), min(len(lines), line + LINE_WINDOW)
    return "\n".join(lines[first - 1:last]) + "\n" + error


def naive_line(output: str) -> int | None:
    m = re.search(r"\bline (\d+)", output)
    return int(m.group(1)) if m else None


def run_one(path: Path, scratch: Path) -> dict:
    exp = expectations(path)
    timeout = 15.0 if exp.get("class") == "TimeoutError" else 90.0
    work = scratch / path.stem
    source = path.read_text(encoding="utf-8")
    run = dry_run(path, "Section01", timeout=timeout, package_root=ROOT, workdir=work / "dry", project_root=ROOT)
    loc = locate_error(run.output, path)
    fix = apply_deterministic_fixes(source, loc)
    fixed_ok = False
    if fix is not None:
        fixed = work / path.name
        fixed.write_text(fix.source, encoding="utf-8")
        fixed_ok = dry_run(fixed, "Section01", timeout=timeout, package_root=ROOT, workdir=work / "dry",
                           project_root=ROOT).ok
    error = f"{loc.error_class}: {loc.message}" if loc else run.output.strip().splitlines()[-1]
    prompt = line_prompt(source, loc.line if loc else None, error)
    return {
        "name": path.stem, "exp": exp, "failed": not run.ok, "seconds": run.seconds,
        "failure": loc.failure if loc else "other", "error_class": loc.error_class if loc else "",
        "line": loc.line if loc else None, "naive": naive_line(run.output),
        "localised": bool(loc) and not run.ok and loc.error_class == exp.get("class")
        and str(loc.line) == exp.get("line"),
        "fix": fix.description if fix else "", "fixer": fix.fixer if fix else "", "fixed": bool(fix) and fixed_ok,
        "line_tokens": tokens(prompt) if prompt else None, "section_tokens": tokens(source),
    }


def table(headers: list[str], rows: list[list], aligns: str | None = None) -> str:
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    aligns = aligns or "l" + "r" * (len(headers) - 1)

    def fmt(row):
        return "| " + " | ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(row, widths, aligns)) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":" if a == "r" else "-" * (w + 2)) for w, a in zip(widths, aligns)) + "|"
    return "\n".join([fmt(headers), sep, *(fmt(r) for r in cells)])


def corpus_report(results: list[dict]) -> str:
    by_class: dict[str, list[dict]] = {}
    for r in results:
        by_class.setdefault(r["exp"].get("failure", r["failure"]), []).append(r)
    rows = []
    for failure in [*FAILURE_CLASSES, *sorted(set(by_class) - set(FAILURE_CLASSES))]:
        group = by_class.get(failure)
        if not group:
            continue
        rows.append([failure, len(group), sum(r["localised"] for r in group),
                     sum(r["naive"] is not None and str(r["naive"]) == r["exp"].get("line") for r in group),
                     sum(r["exp"].get("fix") == "deterministic" for r in group), sum(r["fixed"] for r in group),
                     NOT_MEASURED, NOT_MEASURED, NOT_MEASURED])
    total = ["total", len(results), sum(r["localised"] for r in results),
             sum(r["naive"] is not None and str(r["naive"]) == r["exp"].get("line") for r in results),
             sum(r["exp"].get("fix") == "deterministic" for r in results), sum(r["fixed"] for r in results),
             NOT_MEASURED, NOT_MEASURED, NOT_MEASURED]
    out = ["Per failure class (the corpus header's expect-failure):", "",
           table(["failure class", "scenes", "localised", "naive regex", "det. expected", "fixed (det.)",
                  "line scope", "block scope", "section scope"], [*rows, total]),
           "",
           "localised: error class and line both right. naive regex: the first 'line N' in the log was the line.",
           "fixed (det.): a deterministic fix applied and the fixed scene's dry run passed.",
           f"line/block/section scope: {NOT_MEASURED} = not measured: needs the model scopes (ScopeRefine's "
           "model rounds); nothing here calls a model.",
           ""]
    rows = []
    for r in results:
        ratio = f"{r['line_tokens'] / r['section_tokens']:.2f}" if r["line_tokens"] else "-"
        rows.append([r["name"], r["failure"], r["exp"].get("line", "?"), r["line"] if r["line"] else "-",
                     r["naive"] if r["naive"] else "-", "yes" if r["localised"] else "NO",
                     ("yes: " + r["fixer"][4:]) if r["fixed"] else ("failed: " + r["fixer"][4:] if r["fixer"] else "-"),
                     f"{r['seconds']:.1f}", r["line_tokens"] or "-", r["section_tokens"], ratio])
    out += ["Per scene (tokens = chars/4; line prompt = failing line +- 3 lines + the error):", "",
            table(["scene", "failure", "exp. line", "line", "naive", "localised", "deterministic fix", "dry run s",
                   "line tokens", "section tokens", "ratio"], rows, "lllrrllrrrr")]
    line_t = [r["line_tokens"] for r in results if r["line_tokens"]]
    sect_t = [r["section_tokens"] for r in results if r["line_tokens"]]
    if line_t:
        out += ["", f"Line-scope prompt vs whole section: {sum(line_t)} vs {sum(sect_t)} tokens "
                    f"(mean ratio {sum(a / b for a, b in zip(line_t, sect_t)) / len(line_t):.2f}). Corpus scenes are "
                    "tiny; a generated section is 50-90 lines, where the ratio is smaller."]
    return "\n".join(out)


# ------------------------------------------------------------------ timing ---

def generated_sections(folder: Path) -> list[tuple[Path, str]]:
    from lessonreel import codegen, planner
    from lessonreel.topic import load_topic

    path = ROOT / "tests" / "data" / "all_kinds.yaml"
    topic = load_topic(path, ROOT)
    outline = planner.make_outline(topic, path.stem)
    board = planner.make_storyboard(topic, outline, ROOT, {"seconds_per_word": 0.3, "min_step_seconds": 2.5,
                                                           "max_step_seconds": 12})
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, section in enumerate(board["sections"]):
        scene = folder / f"section_{section['id']}.py"
        scene.write_text(codegen.generate_scene(section, topic, "tests/data/all_kinds.yaml", i == 0))
        out.append((scene, codegen.class_name(section["id"])))
    return out


def cli_dry_run(scene: Path, cls: str, scratch: Path) -> float:
    """``manim render --dry_run -ql``: no output files, but every frame still drawn."""
    from lessonreel.render import render_env

    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "--dry_run", "--disable_caching",
                           "--progress_bar", "none", "-v", "WARNING", "--media_dir", str(scratch / "media"),
                           str(scene), cls], cwd=ROOT, env=render_env(ROOT, scratch), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout[-2000:] + proc.stderr[-2000:])
    return time.monotonic() - started


def timing_report(scratch: Path, qualities: list[str]) -> str:
    from lessonreel.render import render_scene

    headers = ["section", "video s", "dry run (cold TeX)", "dry run (warm TeX)", "manim --dry_run -ql"]
    for q in qualities:
        headers += [f"{q} render", f"{q}/cold", f"{q}/warm"]
    rows, sizes = [], []
    totals: dict[str, float] = {}
    for scene, cls in generated_sections(scratch):
        sizes.append(tokens(scene.read_text()))
        work = scratch / f"dry_{scene.stem}"
        cold = dry_run(scene, cls, package_root=ROOT, workdir=work, project_root=ROOT)
        warm = dry_run(scene, cls, package_root=ROOT, workdir=work, project_root=ROOT)
        assert cold.ok and warm.ok, cold.output[-2000:]
        cli = cli_dry_run(scene, cls, scratch / f"cli_{scene.stem}")
        video = re.search(r"([\d.]+) s of video", warm.output)
        row = [scene.stem, video.group(1) if video else "?", f"{cold.seconds:.2f}", f"{warm.seconds:.2f}",
               f"{cli:.2f}"]
        for key, value in (("cold", cold.seconds), ("warm", warm.seconds), ("cli", cli)):
            totals[key] = totals.get(key, 0.0) + value
        for q in qualities:
            seconds = render_scene(scene, cls, scratch / q / f"{scene.stem}.mp4", q, project_root=ROOT,
                                   package_root=ROOT, timeout=1800)
            totals[q] = totals.get(q, 0.0) + seconds
            row += [f"{seconds:.2f}", f"{seconds / cold.seconds:.1f}x", f"{seconds / warm.seconds:.1f}x"]
        rows.append(row)
    total = ["total", "", f"{totals['cold']:.2f}", f"{totals['warm']:.2f}", f"{totals['cli']:.2f}"]
    for q in qualities:
        total += [f"{totals[q]:.2f}", f"{totals[q] / totals['cold']:.1f}x", f"{totals[q] / totals['warm']:.1f}x"]
    rows.append(total)
    return "\n".join([
        "Dry run vs render (tests/data/all_kinds.yaml at normal pacing; seconds of wall time):", "",
        table(headers, rows),
        "", "render: render.render_scene(..., quality), encoded, TeX compiled afresh (preview = 854x480 at 15 fps).",
        "manim --dry_run -ql: no files, but every frame is still stepped and drawn (not sandboxed).",
        "dry run: lessonreel.dryrun (animations skipped: begin + alpha 0.5 and 1, one tiny frame per play).",
        "Renders and dry runs both go through the sandbox; the machine may be shared (noisy timings).",
        "", f"Generated section sources: {', '.join(map(str, sizes))} tokens (a line-scope prompt is ~60-110)."])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="dry runs at a time (default 2)")
    parser.add_argument("--timing", action="store_true", help="also time dry run vs preview render")
    parser.add_argument("--qualities", default="preview",
                        help="render qualities to time against (comma list of preview,draft,final)")
    parser.add_argument("--only", default="", help="regex: run only the corpus scenes whose name matches")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus tables")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="repair_bench_") as tmp:
        scratch = Path(tmp)
        if not args.no_corpus:
            scenes = [p for p in sorted(CORPUS.glob("*.py")) if re.search(args.only, p.stem)]
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                results = list(pool.map(lambda p: run_one(p, scratch / "corpus"), scenes))
            print(corpus_report(results))
            print(f"\n{len(results)} scenes in {time.monotonic() - started:.0f} s ({args.jobs} at a time).\n")
        if args.timing:
            print(timing_report(scratch / "timing", [q for q in args.qualities.split(",") if q]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
