"""ScopeRefine: make a generated scene run, spending as few tokens as possible.

Each round checks the scene (the sandbox's static policy, then a fast dry run
that executes the whole construct body without encoding video). When it
fails, the error is located in the scene file's own traceback frames and the
cheapest remaining scope is tried:

  deterministic  known fixes at no token cost (renamed APIs, misspellings, bad TeX...)
  line           the model rewrites the failing line with a few lines around it
  block          the model rewrites the failing step's marked block
  section        the Coder writes the section's animations again, told what failed

Every attempt is recorded (scope, error class, tokens, outcome); the budgets
per scope come from config.yaml.
"""

from __future__ import annotations

import textwrap
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from .locate import ErrorLocation, enclosing_block, locate_error

SCOPES = ("deterministic", "line", "block", "section")
LINE_WINDOW = 3


@dataclass
class Attempt:
    scope: str
    error_class: str
    failure: str
    line: int | None
    message: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False
    change: str = ""
    outcome: str = ""  # "fixed" (the next check passed), "still failing", "no change"


@dataclass
class RepairResult:
    ok: bool
    code: str
    attempts: list[Attempt] = field(default_factory=list)
    checks: int = 0
    seconds: float = 0.0
    final_error: str = ""

    def to_json(self) -> dict:
        return {"ok": self.ok, "checks": self.checks, "seconds": round(self.seconds, 2),
                "final_error": self.final_error, "attempts": [asdict(a) for a in self.attempts],
                "tokens": sum(a.prompt_tokens + a.completion_tokens for a in self.attempts)}


@dataclass
class Check:
    ok: bool
    location: ErrorLocation | None
    output: str


# A model scope: (scope, code, location, context) -> (replacement code, prompt tokens, completion tokens, cached)
ModelFix = Callable[[str, str, ErrorLocation, str], tuple[str, int, int, bool]]
# Section scope: feedback about the failure -> (new scene code, prompt tokens, completion tokens, cached)
Regenerate = Callable[[str], tuple[str, int, int, bool]]


def check_scene(code: str, scene_file: Path, class_name: str, *, workdir: Path, package_root: Path,
                project_root: Path, timeout: float, static_gate: bool = True) -> Check:
    """Static policy first (free), then the dry run."""
    from ..dryrun import dry_run

    scene_file.write_text(code, encoding="utf-8")
    if static_gate:
        from ..sandbox import check_scene as policy

        violations = policy(code)
        if violations:
            v = violations[0]
            block, step = enclosing_block(code, v.line)
            lines = code.splitlines()
            text = lines[v.line - 1] if v.line and 0 < v.line <= len(lines) else ""
            message = "; ".join(f"line {x.line}: {x.message}" for x in violations)
            return Check(False, ErrorLocation(line=v.line, error_class="PolicyError", message=message, block=block,
                                              step=step, failure="policy", source_line=text), message)
    result = dry_run(scene_file, class_name, timeout=timeout, package_root=package_root, workdir=workdir,
                     project_root=project_root)
    if result.ok:
        return Check(True, None, result.output)
    location = locate_error(result.output, scene_file) or ErrorLocation(
        line=None, error_class="Error", message=result.output.strip().splitlines()[-1:][0] if result.output.strip()
        else "the dry run failed without output", block=None)
    return Check(False, location, result.output)


def repair(code: str, scene_file: Path, class_name: str, *, workdir: Path, package_root: Path, project_root: Path,
           timeout: float, budgets: dict, model_fix: ModelFix | None = None, regenerate: Regenerate | None = None,
           static_gate: bool = True) -> RepairResult:
    from .fixes import apply_deterministic_fixes

    started = time.monotonic()
    used = dict.fromkeys(SCOPES, 0)
    result = RepairResult(ok=False, code=code)
    current = code
    while True:
        check = check_scene(current, scene_file, class_name, workdir=workdir, package_root=package_root,
                            project_root=project_root, timeout=timeout, static_gate=static_gate)
        result.checks += 1
        if result.attempts:
            result.attempts[-1].outcome = "fixed" if check.ok else "still failing"
        if check.ok:
            result.ok, result.code = True, current
            break
        loc = check.location
        result.final_error = f"{loc.error_class}: {loc.message}" + (f" (line {loc.line})" if loc.line else "")
        attempt = _next_attempt(current, loc, used, budgets, model_fix, regenerate, check.output,
                                apply_deterministic_fixes)
        if attempt is None:
            result.code = current
            break
        new_code, record = attempt
        result.attempts.append(record)
        if new_code == current:
            record.outcome = "no change"
            continue
        current = new_code
    result.seconds = time.monotonic() - started
    return result


def _next_attempt(code, loc, used, budgets, model_fix, regenerate, output, deterministic):
    """The cheapest scope with budget left that produces a change, or None when all are spent."""
    base = dict(error_class=loc.error_class, failure=loc.failure, line=loc.line, message=loc.message[:500])
    # Policy refusals too: a removed import the gate refuses has a deterministic fix; the fixed
    # code goes through the gate again like any other attempt.
    if used["deterministic"] < budgets.get("deterministic", 0):
        used["deterministic"] += 1
        fix = deterministic(code, loc)
        if fix is not None and fix.source != code:
            return fix.source, Attempt("deterministic", change=fix.description, **base)
    for scope in ("line", "block"):
        if model_fix is None or used[scope] >= budgets.get(scope, 0):
            continue
        span = _span(code, loc, scope)
        if span is None:
            continue
        used[scope] += 1
        first, last = span
        lines = code.splitlines()
        shown = [text + ("  # <-- error" if n == loc.line else "") for n, text in
                 enumerate(lines[first - 1:last], start=first)]
        context = _context(lines, first, last)
        replacement, p_tok, c_tok, cached = model_fix(scope, "\n".join(shown), loc, context)
        replacement = _reindent(replacement.replace("  # <-- error", ""), lines[first - 1:last])
        new_lines = lines[: first - 1] + replacement.splitlines() + lines[last:]
        return "\n".join(new_lines) + "\n", Attempt(scope, prompt_tokens=p_tok, completion_tokens=c_tok,
                                                     cached=cached, change=f"lines {first}-{last}", **base)
    if regenerate is not None and used["section"] < budgets.get("section", 0):
        used["section"] += 1
        feedback = f"{loc.error_class}: {loc.message}" + (f" at: {loc.source_line.strip()}" if loc.source_line else "")
        new_code, p_tok, c_tok, cached = regenerate(feedback)
        return new_code, Attempt("section", prompt_tokens=p_tok, completion_tokens=c_tok, cached=cached,
                                 change="section written again", **base)
    return None


def _span(code: str, loc: ErrorLocation, scope: str) -> tuple[int, int] | None:
    """Lines a model scope rewrites: the whole block, or the failing line with a window, inside the block."""
    if loc.line is None:
        return None
    start, end = loc.block or (loc.line, loc.line)
    # The block's code starts after its "# === Step N ===" marker, which stays.
    if code.splitlines()[start - 1].lstrip().startswith("# ==="):
        start += 1
    if scope == "block":
        return (min(start, loc.line), end)
    return (max(start, loc.line - LINE_WINDOW), min(end, loc.line + LINE_WINDOW))


def _context(lines: list[str], first: int, last: int) -> str:
    """A little of what surrounds the scope, so names defined elsewhere are known."""
    before = lines[max(0, first - 9): first - 1]
    return "For reference, the lines just before it:\n" + "\n".join(before) if before else ""


def _reindent(code: str, original: list[str]) -> str:
    """Give the model's code the indentation of the lines it replaces."""
    indents = [len(t) - len(t.lstrip()) for t in original if t.strip()]
    indent = min(indents) if indents else 8
    body = textwrap.dedent(code.strip("\n"))
    return textwrap.indent(body, " " * indent)
