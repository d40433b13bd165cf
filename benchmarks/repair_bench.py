"""Benchmark ScopeRefine on the broken-scene corpus: its model-free part, or with --model the whole loop.

    python benchmarks/repair_bench.py            # corpus tables (no model)
    python benchmarks/repair_bench.py --timing   # also: dry run vs preview render on generated sections

For every scene in tests/broken_scenes/ it dry-runs the scene, locates the
error, applies the deterministic fixes and dry-runs the fixed scene. It prints

* per failure class: scenes, errors localised correctly (class and line),
  fixed deterministically (the fixed scene's dry run passes), and the model
  scopes (line/block/section), marked n/m: they need the model (``--model``);
* per scene: expected and found line, what a naive "first `line N` in the
  log" regex would have said, the fix, and the size in tokens (chars/4) of a
  line-scope prompt (failing line +- 3 lines and the error) against the whole
  section's source.

With ``--timing`` it also generates the sections of tests/data/all_kinds.yaml
and times a preview render (``render.render_scene``) against the dry run (cold
and warm TeX cache) and against ``manim render --dry_run -ql``.

    python benchmarks/repair_bench.py --model [--config config.yaml] [--base-url URL] [--cache-dir DIR]

With ``--model`` it runs the whole repair loop instead, with a model: for every
corpus scene, ``pipeline.repair_scene`` (what the scene stage of the workflow
runs) with an ``LLMEngine`` built from the config's ``llm:`` section and the
budgets and timeout of its ``repair:`` section. The endpoint is ``llm.base_url``
(or ``--base-url``), else ``OPENAI_BASE_URL``; the key comes only from the
environment variable named by ``llm.api_key_env``. Answers are cached in a
fresh temporary folder unless ``--cache-dir`` names one, so every run really
calls the model. It prints

* per failure class: scenes, how many each scope fixed (the scope of the
  attempt after which the scene passed: deterministic, line, block or
  section), how many were not fixed, and the model tokens spent;
* per scope: attempts, attempts that fixed the scene, and the prompt and
  completion tokens spent (the server's own usage counts);
* per scene: the attempts made, the tokens the model scopes sent (server
  counts, and chars/4 of the prompts), and the size of the prompt a
  whole-section regeneration would have sent for the same scene: the Coder
  prompt the engine renders, measured as chars/4 (an estimate: it is not sent).

A corpus scene has no storyboard, so section regeneration gets a minimal spec
built from the scene file: its topic and section titles, its lecture lines,
and one free-text animation step per ``# === Step N (line L) ===`` block whose
description is that block's code. The scene expected to time out gets a
15-second dry-run limit, as in the plain mode.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
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
           "model rounds); nothing here calls a model. --model measures them.",
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


# ------------------------------------------------------------------- model ---

MODEL_SCOPES = ("line", "block", "section")


def _class_attr(source: str, name: str):
    """A literal class attribute of a corpus scene (regex + literal_eval: the scene may not parse)."""
    m = re.search(rf"^\s+{name} = (.*?)$", source, re.M)
    if not m:
        return None
    text = m.group(1)
    if text.rstrip().endswith("["):  # a list over several lines
        end = source.index("\n    ]", m.end())
        text = source[m.start(1):end + len("\n    ]")]
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return None


def corpus_spec(path: Path, source: str) -> dict:
    """A minimal section spec for a corpus scene, what ``LLMEngine.regenerate`` needs.

    Titles and lecture lines come from the scene's class attributes; every
    ``# === Step N (line L) ===`` block becomes a free-text animation step whose
    description is the block's own code (the intent the scene was written for);
    a block with no code besides highlight_line and wait becomes a step without
    a visual. Step lines past the lecture lines are clamped to the last one.
    """
    from lessonreel.repair.locate import step_blocks

    lines = _class_attr(source, "lines") or ["(lecture line)"]
    src = source.splitlines()
    steps = []
    for _number, start, end in step_blocks(source)[1]:
        m = re.search(r"\(line (\d+)\)", src[start - 1])
        line = min(max(1, int(m.group(1)) if m else 1), len(lines))
        body = [t for t in src[start:end] if t.strip() and not re.match(r"\s*self\.(highlight_line|finish)\(", t)]
        duration = 1.0
        if body and (wait := re.match(r"\s*self\.wait\(([\d.]+)\)\s*$", body[-1])):
            duration = float(wait.group(1)) or 1.0
            body = body[:-1]
        # A block with no code of its own (only highlight and wait) is a step without a visual.
        visual = {"kind": "animation", "description": "Animate what this code shows:\n"
                  + textwrap.dedent("\n".join(body))} if body else None
        steps.append({"line": line, "narration": "", "duration": duration, "visual": visual})
    if not steps:
        steps = [{"line": 1, "narration": "", "duration": 1.0,
                  "visual": {"kind": "animation", "description": _class_attr(source, "section_title") or path.stem}}]
    return {
        "topic": {"slug": path.stem, "title": _class_attr(source, "topic_title") or "Repair corpus",
                  "audience": "everyone", "language": "en"},
        "first": False,
        "section": {"id": "01", "title": _class_attr(source, "section_title") or path.stem, "lines": lines,
                    "steps": steps},
    }


def message_tokens(messages: list[dict]) -> int:
    """chars/4 of a chat prompt's text (an estimate, not a tokenizer)."""
    text = "\n".join(m["content"] if isinstance(m.get("content"), str) else json.dumps(m.get("content"))
                     for m in messages)
    return tokens(text)


class RecordingClient:
    """Passes every call to the engine's ModelClient and keeps the prompt size and usage of each."""

    def __init__(self, inner):
        self.inner = inner
        self.calls: list[dict] = []

    def complete(self, role, messages, **kwargs):
        response = self.inner.complete(role, messages, **kwargs)
        self.calls.append({"role": role, "step": kwargs.get("step", ""), "prompt_estimate": message_tokens(messages),
                           "prompt_tokens": response.prompt_tokens, "completion_tokens": response.completion_tokens,
                           "cached": response.cached})
        return response

    def __getattr__(self, name):
        return getattr(self.inner, name)


class _Captured(Exception):
    pass


class _PromptCapture:
    """A client that only records the prompt it is asked to send."""

    def complete(self, role, messages, **kwargs):
        raise _Captured(messages)


def section_prompt_estimate(spec: dict, source: str, feedback: str, prompts_dir=None) -> int:
    """chars/4 of the Coder prompt a whole-section regeneration would send (rendered, never sent)."""
    from lessonreel import codegen
    from lessonreel.engines.llm import LLMEngine

    if not codegen.animation_areas(spec["section"]):
        return 0  # no free-text animation: the section compiles without a model
    try:
        LLMEngine(_PromptCapture(), prompts_dir=prompts_dir).regenerate(spec, source, feedback)
    except _Captured as captured:
        return message_tokens(captured.args[0])
    raise RuntimeError("the engine wrote a section with free-text animations without asking the model")


def _scope_of(step: str) -> str:
    return "section" if step.startswith("scene") else step.replace("repair ", "")


def load_settings(config_file: Path, base_url: str | None = None) -> tuple[dict, dict]:
    """(llm, repair) sections of a config file; ``base_url`` overrides llm.base_url."""
    import yaml

    config = yaml.safe_load(Path(config_file).read_text(encoding="utf-8")) or {}
    llm = dict(config.get("llm") or {})
    if base_url:
        llm["base_url"] = base_url
    return llm, dict(config.get("repair") or {})


def run_model_one(path: Path, scratch: Path, llm: dict, repair_settings: dict, cache_dir: Path,
                  ledger: Path | None = None) -> dict:
    """One corpus scene through the scene stage's repair path, with the LLM engine."""
    from lessonreel.engines.llm import LLMEngine
    from lessonreel.pipeline import repair_scene

    exp = expectations(path)
    source = path.read_text(encoding="utf-8")
    spec = corpus_spec(path, source)
    rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name
    work = scratch / path.stem
    work.mkdir(parents=True, exist_ok=True)
    settings = dict(repair_settings)
    if exp.get("class") == "TimeoutError":
        settings["timeout"] = min(float(settings.get("timeout", 120)), 15.0)
    # One engine per scene: the engine keeps the usage of its last answer on itself.
    engine = LLMEngine.from_config({**llm, "cache_dir": str(cache_dir)}, ledger=ledger)
    recorder = RecordingClient(engine.client)
    engine.client = recorder
    started = time.monotonic()
    attempts, ok, error, final_error = [], False, "", ""
    try:
        result = repair_scene(engine, spec, rel, source, work / "scene.py", workdir=work / "_dryrun",
                              repair=settings, static_gate=True, project_root=ROOT)
        attempts = [{"scope": a.scope, "error_class": a.error_class, "line": a.line, "message": a.message,
                     "prompt_tokens": a.prompt_tokens, "completion_tokens": a.completion_tokens,
                     "cached": a.cached, "outcome": a.outcome} for a in result.attempts]
        ok, final_error = result.ok, result.final_error
    except Exception as exc:  # a model call failed for good (ModelError), or the engine broke: listed in the report
        error = f"{type(exc).__name__}: {exc}"
        # What was spent before the failure, by scope, from the calls themselves.
        attempts = [{"scope": _scope_of(c["step"]), "error_class": "", "line": None, "message": "",
                     "prompt_tokens": c["prompt_tokens"], "completion_tokens": c["completion_tokens"],
                     "cached": c["cached"], "outcome": "model error"} for c in recorder.calls]
    shutil.rmtree(work / "_dryrun", ignore_errors=True)
    if ok:
        fixed_by = attempts[-1]["scope"] if attempts else "passed as is"
    else:
        fixed_by = "error" if error else "not fixed"
    first = next((a for a in attempts if a["error_class"]), None)
    feedback = ""
    if first:
        src = source.splitlines()
        at = src[first["line"] - 1].strip() if first["line"] and 0 < first["line"] <= len(src) else ""
        feedback = f"{first['error_class']}: {first['message']}" + (f" at: {at}" if at else "")
    scoped_calls = [c for c in recorder.calls if c["step"].startswith("repair")]
    return {
        "name": path.stem, "exp": exp, "failure": exp.get("failure", "other"), "ok": ok, "fixed_by": fixed_by,
        "attempts": attempts, "error": error, "final_error": final_error,
        "seconds": time.monotonic() - started, "calls": recorder.calls,
        "scoped_prompt_estimate": sum(c["prompt_estimate"] for c in scoped_calls),
        "section_prompt_estimate": section_prompt_estimate(spec, rel, feedback, engine.prompts_dir),
    }


def run_model(scenes: list[Path], scratch: Path, llm: dict, repair_settings: dict, cache_dir: Path,
              jobs: int = 2, ledger: Path | None = None) -> list[dict]:
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda p: run_model_one(p, scratch, llm, repair_settings, cache_dir, ledger), scenes))


def _spent(attempts: list[dict], scope: str | None = None) -> tuple[int, int]:
    """(prompt, completion) tokens of the attempts (of one scope) that reached the server (not cache hits)."""
    chosen = [a for a in attempts if not a["cached"] and (scope is None or a["scope"] == scope)]
    return sum(a["prompt_tokens"] for a in chosen), sum(a["completion_tokens"] for a in chosen)


def model_report(results: list[dict], *, endpoint: str = "", models: str = "") -> str:
    fixed_columns = ["deterministic", *MODEL_SCOPES]
    by_class: dict[str, list[dict]] = {}
    for r in results:
        by_class.setdefault(r["failure"], []).append(r)

    def class_row(label: str, group: list[dict]) -> list:
        prompt, completion = _spent([a for r in group for a in r["attempts"]])
        return [label, len(group), sum(r["exp"].get("fix") == "deterministic" for r in group),
                *(sum(r["fixed_by"] == s for r in group) for s in fixed_columns),
                sum(r["fixed_by"] in ("not fixed", "error") for r in group), prompt, completion]

    rows = [class_row(f, by_class[f]) for f in [*FAILURE_CLASSES, *sorted(set(by_class) - set(FAILURE_CLASSES))]
            if f in by_class]
    out = [f"Repair loop with the model{f' at {endpoint}' if endpoint else ''}{f' ({models})' if models else ''}.",
           "Token counts are the server's own usage numbers (real) unless marked 'est.' (chars/4, an estimate).", "",
           "Per failure class (the corpus header's expect-failure):", "",
           table(["failure class", "scenes", "det. expected", "fixed: det.", "fixed: line", "fixed: block",
                  "fixed: section", "not fixed", "prompt tokens", "completion tokens"],
                 [*rows, class_row("total", results)]),
           "",
           "fixed: <scope> = the scope of the attempt after which the scene's dry run passed.",
           "not fixed: the budgets ran out, or a model call failed for good or the engine broke (listed below).",
           "prompt/completion tokens: of every model attempt on the class's scenes (server counts; cache hits "
           "not counted).", ""]

    rows = []
    for scope in ("deterministic", *MODEL_SCOPES):
        made = [a for r in results for a in r["attempts"] if a["scope"] == scope]
        prompt, completion = _spent(made)
        rows.append([scope, len(made), sum(a["outcome"] == "fixed" for a in made), sum(a["cached"] for a in made),
                     prompt, completion, prompt + completion])
    all_attempts = [a for r in results for a in r["attempts"]]
    prompt, completion = _spent(all_attempts)
    rows.append(["total", len(all_attempts), sum(a["outcome"] == "fixed" for a in all_attempts),
                 sum(a["cached"] for a in all_attempts), prompt, completion, prompt + completion])
    out += ["Per scope (every attempt; tokens from the server, cache hits not counted):", "",
            table(["scope", "attempts", "fixed", "cache hits", "prompt tokens", "completion tokens", "tokens"], rows),
            ""]

    rows = []
    for r in results:
        prompt, completion = _spent(r["attempts"], None)
        scoped = _spent([a for a in r["attempts"] if a["scope"] in ("line", "block")])
        ratio = (f"{r['scoped_prompt_estimate'] / r['section_prompt_estimate']:.2f}"
                 if r["fixed_by"] in ("line", "block") and r["section_prompt_estimate"] else "-")
        rows.append([r["name"], r["failure"], r["fixed_by"],
                     " > ".join(a["scope"] for a in r["attempts"]) or "-",
                     prompt, completion, scoped[0], r["scoped_prompt_estimate"], r["section_prompt_estimate"], ratio,
                     f"{r['seconds']:.1f}"])
    out += ["Per scene:", "",
            table(["scene", "failure", "fixed by", "attempts", "prompt tokens", "completion tokens",
                   "line+block sent", "line+block sent est.", "section prompt est.", "ratio est.", "s"],
                  rows, "llllrrrrrrr"),
            "",
            "prompt/completion tokens: all model attempts on the scene (server counts).",
            "line+block sent: prompt tokens of its line and block attempts (server counts); est.: chars/4 of those "
            "prompts.",
            "section prompt est.: chars/4 of the Coder prompt a section regeneration would send for the scene "
            "(rendered, not sent).",
            "ratio est.: line+block sent est. / section prompt est., for scenes fixed at line or block scope."]
    scoped = [r for r in results if r["fixed_by"] in ("line", "block")]
    if scoped:
        sent = sum(_spent([a for a in r["attempts"] if a["scope"] in ("line", "block")])[0] for r in scoped)
        est = sum(r["scoped_prompt_estimate"] for r in scoped)
        section = sum(r["section_prompt_estimate"] for r in scoped)
        out += ["", f"Scenes fixed at line or block scope: {len(scoped)}. Their scoped fixes sent {sent} prompt "
                    f"tokens (server counts; {est} est.); a section regeneration prompt for the same scenes: "
                    f"{section} tokens (est.)" + (f", ratio {est / section:.2f} (est. vs est.)." if section else ".")]
    regenerated = [(r, a) for r in results for a in r["attempts"] if a["scope"] == "section" and not a["cached"]]
    if regenerated:
        out += [f"Section regenerations actually sent: {len(regenerated)}, "
                f"{sum(a['prompt_tokens'] for _, a in regenerated)} prompt tokens (server counts; "
                f"{sum(r['section_prompt_estimate'] for r, _ in regenerated)} est.)."]
    failed = [r for r in results if r["error"]]
    if failed:
        out += ["", "Model errors:"] + [f"  {r['name']}: {r['error'][:300]}" for r in failed]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="--model runs the real repair loop (pipeline.repair_scene, as the scene stage does) with the model "
               "named in the config's llm: section, and reports per failure class which scope fixed each scene, "
               "the tokens each scope spent (server counts) and, for scoped fixes, the tokens sent against the "
               "size of a whole-section regeneration prompt (chars/4 estimate).")
    parser.add_argument("--jobs", type=int, default=2, help="scenes at a time (default 2)")
    parser.add_argument("--timing", action="store_true", help="also time dry run vs preview render")
    parser.add_argument("--qualities", default="preview",
                        help="render qualities to time against (comma list of preview,draft,final)")
    parser.add_argument("--only", default="", help="regex: run only the corpus scenes whose name matches")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus tables")
    parser.add_argument("--model", action="store_true",
                        help="run the repair loop with the model of the config's llm: section, with the budgets "
                             "of its repair: section, instead of the model-free tables")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml",
                        help="config file whose llm: and repair: sections --model uses (default: the repo's)")
    parser.add_argument("--base-url", default=None,
                        help="OpenAI-compatible endpoint for --model (default: llm.base_url, else OPENAI_BASE_URL)")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="response cache for --model (default: a fresh temporary folder, so the model is "
                             "really called)")
    parser.add_argument("--ledger", type=Path, default=None, help="with --model: append every model call here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="repair_bench_") as tmp:
        scratch = Path(tmp)
        if not args.no_corpus:
            scenes = [p for p in sorted(CORPUS.glob("*.py")) if re.search(args.only, p.stem)]
            started = time.monotonic()
            if args.model:
                from lessonreel.llm.client import safe_url

                llm, repair_settings = load_settings(args.config, args.base_url)
                endpoint = llm.get("base_url") or os.environ.get("OPENAI_BASE_URL")
                key_env = llm.get("api_key_env") or "OPENAI_API_KEY"
                if not endpoint and not os.environ.get(key_env):
                    print(f"--model: no endpoint: set llm.base_url in {args.config}, --base-url or "
                          f"OPENAI_BASE_URL (or {key_env} for the default OpenAI server)", file=sys.stderr)
                    return 2
                roles = llm.get("roles") or {}
                models = ", ".join(f"{role}: {(roles.get(role) or {}).get('model') or llm.get('model')}"
                                   for role in ("repair", "coder"))
                cache_dir = args.cache_dir or scratch / "llm_cache"
                results = run_model(scenes, scratch / "model", llm, repair_settings, cache_dir, args.jobs,
                                    args.ledger)
                print(model_report(results, endpoint=safe_url(endpoint) or "the default OpenAI server",
                                   models=models))
            else:
                with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                    results = list(pool.map(lambda p: run_one(p, scratch / "corpus"), scenes))
                print(corpus_report(results))
            print(f"\n{len(results)} scenes in {time.monotonic() - started:.0f} s ({args.jobs} at a time).\n")
        if args.timing:
            print(timing_report(scratch / "timing", [q for q in args.qualities.split(",") if q]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
