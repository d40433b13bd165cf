"""The gallery (results/index.html), the run summary (results/summary.json) and thumbnails.

Two writers share this module:

- the ``gallery`` rule writes ``index.html`` once every topic is built (a
  normal output, so ``snakemake --report`` can include it);
- the workflow's ``onsuccess``/``onerror`` handlers (:func:`finish_run`) write
  ``summary.json`` and the same page again from what exists, with the
  status of every topic in this run: built, failed (the rule, the section and
  the error line from its log) or not started. So after a run with failures
  the page still shows every topic, and why some are missing.

The page is one static file: relative links only, thumbnails embedded as
data URIs (so it also shows inside Snakemake's report), no scripts, no
external resources, every text escaped.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from .curriculum import BuildPlan, TopicPlan

STATUSES = ("built", "failed", "not started")
SUBTITLES = {"subtitles_vtt": "video.vtt", "subtitles_srt": "video.srt"}  # written by assemble with narration
THUMBNAIL_WIDTH = 480
# The code that decides what the page looks like (a param of the gallery rule), and a thumbnail.
SOURCES = ("lessonreel/gallery.py", "lessonreel/curriculum.py", "scripts/gallery.py")
THUMBNAIL_SOURCES = ("lessonreel/gallery.py", "scripts/thumbnail.py")


def code_hash(names: tuple[str, ...] = SOURCES) -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------- thumbnails ---

def make_thumbnail(video: str | Path, output: str | Path, log: str | Path | None = None,
                   width: int = THUMBNAIL_WIDTH) -> dict:
    """Extract the frame at a third of the video as a PNG, ``width`` pixels wide."""
    import ffmpeg

    from .errors import RenderError
    from .media import probe

    output = Path(output)
    at = round(probe(video)["duration"] / 3, 3)
    tmp = output.with_name(f".{output.stem}.tmp{output.suffix}")
    stream = ffmpeg.input(str(video), ss=at).output(str(tmp), vframes=1, vf=f"scale={width}:-2", format="image2",
                                                    vcodec="png")
    try:
        _out, err = ffmpeg.run(stream.overwrite_output(), capture_stdout=True, capture_stderr=True)
    except ffmpeg.Error as exc:
        tmp.unlink(missing_ok=True)
        raise RenderError(f"{video}: no thumbnail at {at} s:\n{exc.stderr.decode(errors='replace')[-1000:]}") from None
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"thumbnail at {at} s of {video}\n{err.decode(errors='replace')[-1500:]}\n")
    os.replace(tmp, output)
    return {"at": at, "path": str(output)}


# --------------------------------------------------------- job outcomes ---

@dataclass
class JobRef:
    """A job of this run: what rule, for which topic and section, and its logs."""

    rule: str
    topic: str | None = None
    section: str | None = None
    logs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)


def _ref(job) -> JobRef:
    wildcards = dict(job.wildcards_dict)
    return JobRef(rule=job.rule.name, topic=wildcards.get("topic"), section=wildcards.get("section"),
                  logs=[str(f) for f in job.log], outputs=[str(f) for f in job.output])


def jobs_of_run(workflow) -> tuple[list[JobRef], list[JobRef]] | None:
    """(failed jobs, jobs that were needed but never finished) of the run that just ended.

    Read from Snakemake's scheduler and DAG; None when this Snakemake does not
    have them where expected (then :func:`failures_from_log` reads its log).
    """
    try:
        failed_jobs = set(workflow.scheduler.failed)
        unfinished = [job for job in workflow.dag.needrun_jobs() if job not in failed_jobs]
        return [_ref(j) for j in failed_jobs], [_ref(j) for j in unfinished]
    except AttributeError:
        return None


_ERROR_BLOCK = re.compile(r"^Error in rule (?P<rule>[\w-]+):\s*$")


def failures_from_log(text: str, results: str) -> list[JobRef]:
    """Failed jobs from the "Error in rule ..." blocks of a Snakemake log (the fallback of jobs_of_run)."""
    failures: dict[tuple, JobRef] = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = _ERROR_BLOCK.match(line.strip())
        if not match:
            continue
        ref = JobRef(rule=match["rule"])
        for detail in lines[i + 1:]:
            if not detail.startswith((" ", "\t")):
                break
            key, _, value = detail.strip().partition(": ")
            if key == "output":
                ref.outputs = [v.strip() for v in value.split(",") if v.strip()]
            elif key == "log":
                ref.logs = [v.strip() for v in value.split(" (check log")[0].split(",") if v.strip()]
        for path in ref.outputs + ref.logs:
            parts = Path(os.path.relpath(path, results)).parts if path else ()
            if parts and parts[0] != "..":
                ref.topic = parts[0] if len(parts) > 1 else None
                if "sections" in parts[:-1]:
                    ref.section = parts[parts.index("sections") + 1]
                elif ref.topic and (m := re.search(r"_(\d+)\.log$", parts[-1])):
                    ref.section = m[1]
                break
        failures[(ref.rule, tuple(ref.outputs), tuple(ref.logs))] = ref  # a retried job counts once
    return list(failures.values())


_EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?\w*(?:Error|Exception|Exit|Interrupt)\b(?::.*)?$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[ T][\d:,.]+\s+")


def error_line(*logs: str | Path, limit: int = 300) -> str:
    """The line of a job's log that says what went wrong.

    The last line that names a Python exception (``AttributeError: ...``),
    else the last line that mentions an error, else the last line.
    """
    lines: list[str] = []
    for log in logs:
        try:
            text = Path(log).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for raw in text.splitlines():
            stripped = _TIMESTAMP.sub("", raw.strip().strip("│┃|").strip())
            if stripped:
                lines.append(stripped)
    if not lines:
        return "(the log is empty)"
    for test in (_EXCEPTION_LINE.match, lambda s: re.search(r"\berror\b|\bfailed\b|\btimed out\b", s, re.I)):
        for line in reversed(lines):
            if test(line):
                return _clip(line, limit)
    return _clip(lines[-1], limit)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -------------------------------------------------------------- summary ---

def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _topic_title(plan: TopicPlan, manifest: dict | None, topic_dir: Path) -> str:
    if manifest:
        return manifest["title"]
    outline = _read_json(topic_dir / "outline.json")
    if outline and outline.get("title"):
        return outline["title"]
    try:
        from .topic import read_topic

        return str(read_topic(plan.source).get("title") or plan.slug)
    except Exception:  # noqa: BLE001 - a title is only for display
        return plan.slug


def describe_failure(ref: JobRef) -> dict:
    logs = [log for log in ref.logs if Path(log).exists()]
    error = {"rule": ref.rule, "message": error_line(*logs) if logs else "(no log was written)"}
    if ref.section:
        error["section"] = ref.section
    if ref.logs:
        error["log"] = ref.logs[0]
    return error


def topic_summary(plan: TopicPlan, results: str | Path, status: str, errors: list[dict] | None = None,
                  reason: str | None = None) -> dict:
    """What the summary and the gallery say about one topic, from its files."""
    results = Path(results)
    topic_dir = results / plan.slug
    manifest = _read_json(topic_dir / "manifest.json") if (topic_dir / "video.mp4").exists() else None
    entry: dict = {"slug": plan.slug, "title": _topic_title(plan, manifest, topic_dir), "source": plan.source,
                   "status": status, "settings": plan.settings()}
    if plan.overrides:
        entry["overrides"] = plan.overrides
    if reason:
        entry["reason"] = reason
    if errors:
        entry["errors"] = errors
    outline = _read_json(topic_dir / "outline.json")
    if outline and outline.get("audience"):
        entry["audience"] = outline["audience"]
    if manifest:
        sections = []
        for section in manifest["sections"]:
            item = {"id": section["id"], "title": section["title"], "duration": section["duration"]}
            report = topic_dir / "sections" / section["id"] / "layout.json"
            if section.get("layout"):
                item["layout_score"] = section["layout"]["score"]
            if report.exists():
                item["layout_report"] = report.as_posix()
            sections.append(item)
        scores = [s["layout_score"] for s in sections if "layout_score" in s]
        entry.update({
            "video": (topic_dir / "video.mp4").as_posix(),
            "manifest": (topic_dir / "manifest.json").as_posix(),
            "duration": manifest["duration"],
            "quality": manifest["quality"],
            "engine": manifest["engine"],
            "sections": sections,
        })
        if scores:
            entry["layout_score"] = min(scores)
        if status != "built":
            entry["previous_build"] = True  # the files shown are from an earlier run
    for key, name in {"thumbnail_png": "thumbnail.png", **SUBTITLES}.items():
        if (topic_dir / name).exists():
            entry[key] = (topic_dir / name).as_posix()
    return entry


def make_summary(plan: BuildPlan, results: str | Path, failed: list[JobRef] | None = None,
                 unfinished: list[JobRef] | None = None, outcome: str = "success") -> dict:
    """Every topic of the plan with its status in this run: built, failed (and why) or not started."""
    failed, unfinished = list(failed or []), list(unfinished or [])
    topics = []
    for slug, plan_topic in plan.topics.items():
        mine = [f for f in failed if f.topic == slug]
        pending = [j for j in unfinished if j.topic == slug]
        built = (Path(results) / slug / "video.mp4").exists() and (Path(results) / slug / "manifest.json").exists()
        if mine:
            topics.append(topic_summary(plan_topic, results, "failed", errors=[describe_failure(f) for f in mine]))
        elif pending:
            topics.append(topic_summary(plan_topic, results, "not started", reason=(
                "the run stopped before this topic was built: a job of another topic failed "
                "(with --keep-going, the other topics go on)")))
        elif built:
            topics.append(topic_summary(plan_topic, results, "built"))
        else:
            topics.append(topic_summary(plan_topic, results, "not started",
                                        reason="not built yet: this run did not ask for it"))
    counts = {status: sum(t["status"] == status for t in topics) for status in STATUSES}
    summary = {
        "title": plan.title,
        "curriculum": plan.curriculum,
        "outcome": outcome,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "counts": counts,
        "topics": topics,
    }
    other = [describe_failure(f) for f in failed if f.topic not in plan.topics]
    if other:
        summary["other_errors"] = other
    return summary


def format_table(summary: dict) -> str:
    """The summary as a plain-text table, one line per topic."""
    counts = summary["counts"]
    head = (f"{summary['title']}: {len(summary['topics'])} topic(s): {counts['built']} built, "
            f"{counts['failed']} failed, {counts['not started']} not started")
    rows = [("topic", "status", "length", "sections", "detail")]
    for topic in summary["topics"]:
        if topic["status"] == "failed":
            detail = "; ".join(
                f"{e['rule']}" + (f", section {e['section']}" if e.get("section") else "") + f": {e['message']}"
                + (f" ({e['log']})" if e.get("log") else "")
                for e in topic["errors"])
        elif topic["status"] == "not started":
            detail = topic.get("reason", "")
        else:
            detail = topic.get("video", "")
            if "layout_score" in topic:
                detail += f" (layout {topic['layout_score']})"
        length = duration_text(topic["duration"]) if topic.get("duration") is not None and topic["status"] == "built" else "-"
        count = str(len(topic["sections"])) if topic.get("sections") and topic["status"] == "built" else "-"
        rows.append((topic["slug"], topic["status"], length, count, detail))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [head] + ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4] for row in rows]
    for error in summary.get("other_errors", []):
        lines.append(f"also failed: {error['rule']}: {error['message']}")
    return "\n".join(line.rstrip() for line in lines)


def duration_text(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


# ------------------------------------------------------------- the page ---

def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _href(path: str | Path, results: Path) -> str:
    rel = os.path.relpath(Path(path), results)
    return quote(Path(rel).as_posix(), safe="/")


def _data_uri(png: Path) -> str | None:
    try:
        return "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")
    except OSError:
        return None


STYLE = """
:root { color-scheme: light; --ink:#111827; --dim:#6b7280; --line:#e5e7eb; --bg:#f3f4f6; --card:#fff;
        --ok:#047857; --ok-bg:#d1fae5; --bad:#b91c1c; --bad-bg:#fee2e2; --wait:#4b5563; --wait-bg:#e5e7eb; --accent:#2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); background: var(--bg); }
header { background: #111827; color: #f9fafb; padding: 28px 32px 22px; }
header h1 { margin: 0 0 6px; font-size: 26px; font-weight: 650; }
header p { margin: 4px 0 0; color: #d1d5db; }
.counts span { display: inline-block; margin-right: 14px; }
.counts b { font-size: 17px; }
header a { color: #93c5fd; }
main { padding: 26px 32px 40px; display: grid; gap: 22px;
       grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); max-width: 1500px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; overflow: hidden;
        display: flex; flex-direction: column; box-shadow: 0 1px 3px rgba(0,0,0,.06); }
.card.failed { border-color: #fca5a5; }
.thumb { position: relative; display: block; aspect-ratio: 16 / 9; background: #1f2937; }
.thumb img { width: 100%; height: 100%; object-fit: cover; display: block; }
.card.failed .thumb img, .card.not-started .thumb img { filter: grayscale(.7) brightness(.75); }
.thumb .empty { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
                color: #9ca3af; font-size: 14px; }
.thumb .len { position: absolute; right: 8px; bottom: 8px; background: rgba(17,24,39,.85); color: #fff;
              font-size: 13px; padding: 1px 7px; border-radius: 4px; font-variant-numeric: tabular-nums; }
.thumb .old { position: absolute; left: 8px; bottom: 8px; background: rgba(17,24,39,.85); color: #fde68a;
              font-size: 12px; padding: 1px 7px; border-radius: 4px; }
.body { padding: 14px 16px 16px; display: flex; flex-direction: column; gap: 8px; flex: 1; }
.top { display: flex; align-items: flex-start; justify-content: space-between; gap: 10px; }
.card h2 { margin: 0; font-size: 18px; line-height: 1.3; overflow-wrap: anywhere; }
.badge { flex: none; font-size: 12px; font-weight: 600; padding: 2px 9px; border-radius: 999px; text-transform: uppercase;
         letter-spacing: .03em; }
.badge.built { color: var(--ok); background: var(--ok-bg); }
.badge.failed { color: var(--bad); background: var(--bad-bg); }
.badge.not-started { color: var(--wait); background: var(--wait-bg); }
.meta { color: var(--dim); font-size: 13px; margin: 0; overflow-wrap: anywhere; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 0; font-size: 14px; }
.facts div { display: flex; gap: 5px; } .facts dt { color: var(--dim); } .facts dd { margin: 0; font-weight: 600; }
.links { display: flex; flex-wrap: wrap; gap: 6px; margin-top: auto; padding-top: 4px; }
.links a { font-size: 13px; color: var(--accent); text-decoration: none; border: 1px solid #bfdbfe;
           border-radius: 6px; padding: 2px 9px; background: #eff6ff; }
.links a:hover { background: #dbeafe; }
.error { background: var(--bad-bg); color: #7f1d1d; border-radius: 6px; padding: 8px 10px; font-size: 13px; }
.error p { margin: 0 0 4px; } .error p:last-child { margin: 0; }
.error code { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
.error a { color: #991b1b; }
.others { margin: 20px 32px 0; max-width: 1436px; font-size: 14px; }
.reason { color: var(--wait); font-size: 13px; margin: 0; }
details { font-size: 13px; } summary { cursor: pointer; color: var(--dim); }
details ol { margin: 6px 0 0; padding-left: 22px; } details li { margin: 2px 0; }
details .score { color: var(--dim); }
footer { padding: 0 32px 30px; color: var(--dim); font-size: 13px; }
"""


def _card(topic: dict, results: Path) -> str:
    status = topic["status"]
    css = status.replace(" ", "-")
    slug = topic["slug"]
    link = lambda path, label: f'<a href="{_href(path, results)}">{_e(label)}</a>'  # noqa: E731
    thumb_uri = _data_uri(Path(topic["thumbnail_png"])) if topic.get("thumbnail_png") else None
    if thumb_uri:
        image = f'<img src="{thumb_uri}" alt="{_e("A frame of " + topic["title"])}" width="480" height="270">'
    else:
        image = f'<span class="empty">{_e("no video yet" if status != "built" else "no thumbnail")}</span>'
    overlay = ""
    if topic.get("duration") is not None and topic.get("video"):
        overlay += f'<span class="len">{_e(duration_text(topic["duration"]))}</span>'
    if topic.get("previous_build"):
        overlay += '<span class="old">previous build</span>'
    thumb = (f'<a class="thumb" href="{_href(topic["video"], results)}" title="Play the video">{image}{overlay}</a>'
             if topic.get("video") else f'<div class="thumb">{image}</div>')

    facts = []
    if topic.get("duration") is not None:
        facts.append(("length", duration_text(topic["duration"])))
    if topic.get("sections"):
        facts.append(("sections", str(len(topic["sections"]))))
    if "layout_score" in topic:
        facts.append(("layout", f"{topic['layout_score']}/100"))
    facts.append(("quality", topic.get("quality") or topic["settings"]["quality"]))
    facts_html = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in facts)

    meta = f"{slug} · {topic['source']}"
    if topic.get("audience"):
        meta += f" · for {topic['audience']}"

    problems = ""
    for error in topic.get("errors", []):
        where = f"rule {error['rule']}" + (f", section {error['section']}" if error.get("section") else "")
        log = (f' · {link(error["log"], "log")}' if error.get("log") and Path(error["log"]).exists() else "")
        problems += (f'<div class="error"><p><b>Failed</b> in {_e(where)}{log}</p>'
                     f'<p><code>{_e(error["message"])}</code></p></div>')
    if topic.get("reason"):
        problems += f'<p class="reason">{_e(topic["reason"])}</p>'

    links = []
    if topic.get("video"):
        links.append(link(topic["video"], "Video"))
    for name, label in (("subtitles_vtt", "Subtitles (VTT)"), ("subtitles_srt", "Subtitles (SRT)")):
        if topic.get(name):
            links.append(link(topic[name], label))
    if topic.get("manifest"):
        links.append(link(topic["manifest"], "Manifest"))

    sections = ""
    if topic.get("sections"):
        items = []
        for section in topic["sections"]:
            score = ""
            if section.get("layout_report"):
                label = f"layout {section['layout_score']}" if "layout_score" in section else "layout"
                score = f' <span class="score">· {link(section["layout_report"], label)}</span>'
            items.append(f"<li>{_e(section['title'])} <span class=\"score\">"
                         f"({_e(duration_text(section['duration']))})</span>{score}</li>")
        sections = f"<details><summary>Sections and layout reports</summary><ol>{''.join(items)}</ol></details>"

    return (f'<article class="card {css}" id="topic-{_e(slug)}" data-slug="{_e(slug)}" data-status="{_e(status)}">'
            f"{thumb}<div class=\"body\"><div class=\"top\"><h2>{_e(topic['title'])}</h2>"
            f'<span class="badge {css}">{_e(status)}</span></div>'
            f'<p class="meta">{_e(meta)}</p><dl class="facts">{facts_html}</dl>{problems}{sections}'
            f'<div class="links">{"".join(links)}</div></div></article>')


def render_page(summary: dict, results: str | Path, description: str = "") -> str:
    """The gallery as one HTML page, for ``<results>/index.html``."""
    results = Path(results)
    counts = summary["counts"]
    count_html = "".join(f"<span><b>{counts[s]}</b> {_e(s)}</span>" for s in STATUSES if counts[s] or s == "built")
    extra = ""
    if description:
        extra += f"<p>{_e(description)}</p>"
    source = f"curriculum {summary['curriculum']}" if summary.get("curriculum") else "config.yaml topics"
    summary_file = results / "summary.json"
    summary_link = f' · <a href="{_href(summary_file, results)}">summary.json</a>' if summary_file.exists() else ""
    cards = "\n".join(_card(topic, results) for topic in summary["topics"])
    others = "".join(
        f'<div class="error others"><p><b>Also failed</b>: rule {_e(e["rule"])}</p>'
        f'<p><code>{_e(e["message"])}</code></p></div>'
        for e in summary.get("other_errors", []))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>{_e(summary['title'])}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{_e(summary['title'])}</h1>
{extra}<p class="counts">{count_html}</p>
<p>{len(summary['topics'])} topic(s) from {_e(source)}{summary_link}</p>
</header>
{others}<main>
{cards}
</main>
<footer>Made by lessonreel. Each card links the topic's video, manifest, subtitles (when present) and the layout
report of each section; files stay in this folder, so the page works straight from the disk.</footer>
</body>
</html>
"""


def write_if_changed(path: str | Path, text: str) -> bool:
    """Write atomically, and not at all when the content is the same (its time stays)."""
    path = Path(path)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def write_gallery(plan: BuildPlan, results: str | Path, output: str | Path | None = None,
                  summary: dict | None = None) -> dict:
    """Write the gallery page; without a summary, every topic's status comes from its files."""
    summary = summary or make_summary(plan, results)
    output = output or Path(results) / "index.html"
    write_if_changed(output, render_page(summary, results, plan.description))
    return summary


def write_summary(path: str | Path, summary: dict) -> None:
    from .pipeline import write_json
    from .schemas import validate

    validate(summary, "summary", path)
    write_json(path, summary)


def finish_run(workflow, plan: BuildPlan, results: str, *, ok: bool, log=None, stream=None) -> dict | None:
    """The onsuccess/onerror handler: write summary.json and index.html, and print the table.

    Never raises: a problem here is reported, and the run's own outcome stands.
    """
    stream = stream or sys.stderr
    try:
        jobs = jobs_of_run(workflow)
        if jobs is None:
            logs = log if isinstance(log, (list, tuple)) else [log] if log else []
            text = "".join(Path(p).read_text(encoding="utf-8", errors="replace") for p in logs if p and Path(p).exists())
            jobs = (failures_from_log(text, results), [])
        failed, unfinished = jobs
        summary = make_summary(plan, results, failed, unfinished, outcome="success" if ok else "error")
        write_summary(Path(results) / "summary.json", summary)
        write_gallery(plan, results, summary=summary)
        print(f"\n{format_table(summary)}\nSummary: {Path(results) / 'summary.json'}; gallery: "
              f"{Path(results) / 'index.html'}\n", file=stream, flush=True)
        return summary
    except Exception as exc:  # noqa: BLE001 - the handler must not hide the run's own result
        print(f"lessonreel: could not write the run summary and gallery: {exc!r}", file=stream, flush=True)
        return None
