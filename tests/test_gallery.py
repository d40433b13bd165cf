"""The gallery, the run summary and Snakemake's report: unit tests, then a real curriculum build."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import FAST_PACING, small_topic
from lessonreel import gallery
from lessonreel.curriculum import BuildPlan, TopicPlan
from lessonreel.schemas import validate, validate_file

CHROMIUM = Path("/usr/bin/chromium")
PACING = {"seconds_per_word": 0.32, "min_step_seconds": 2.5, "max_step_seconds": 14}

RICH_TRACEBACK = """\
2026-11-26 11:28:10,123 rule render_section, topic=gamma, section=01: gamma/01: render failed (exit 1)
--- end of render log ---
│ /tmp/p2/results/gamma/sections/01/scene.py:24 in construct                                       │
│ ❱ 24 │   │   self.no_such_method()                                                               │
╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
AttributeError: 'Section01' object has no attribute 'no_such_method'

[exit 1, 3.4 s]
"""

SNAKEMAKE_LOG = """\
[Thu Nov 26 11:24:23 2026]
Error in rule render_section:
    message: None
    jobid: 7
    output: results/gamma/sections/01/section.mp4, results/gamma/sections/01/render.json
    log: results/gamma/logs/render_01.log (check log file(s) for error details)
Trying to restart job 7.
Error in rule render_section:
    message: None
    jobid: 7
    output: results/gamma/sections/01/section.mp4, results/gamma/sections/01/render.json
    log: results/gamma/logs/render_01.log (check log file(s) for error details)
Error in rule storyboard:
    jobid: 3
    output: results/delta/storyboard.json
    log: results/delta/logs/storyboard.log (check log file(s) for error details)
Error in rule gallery:
    jobid: 1
    output: results/index.html
    log: results/logs/gallery.log (check log file(s) for error details)
Exiting because a job execution failed. Look above for error messages
"""


def plan_of(*slugs: str, title: str = "Plan") -> BuildPlan:
    return BuildPlan(title=title, engine="offline", topics={
        s: TopicPlan(slug=s, source=f"topics/{s}.yaml", quality="preview", pacing=dict(PACING)) for s in slugs})


def test_error_line_finds_the_exception_in_a_render_log(tmp_path):
    log = tmp_path / "render_01.log"
    log.write_text(RICH_TRACEBACK)
    assert gallery.error_line(log) == "AttributeError: 'Section01' object has no attribute 'no_such_method'"
    log.write_text("2026-11-26 10:00:00,000 rule assemble, topic=t: results/t/storyboard.json: sections: expected "
                   "2 rendered sections, got 3\n")
    assert gallery.error_line(log).startswith("rule assemble, topic=t: results/t/storyboard.json: sections")
    log.write_text("first\nsecond\n\n")
    assert gallery.error_line(log) == "second"
    log.write_text("")
    assert gallery.error_line(log) == "(the log is empty)"
    log.write_text("x" * 1000 + " failed\n")
    assert len(gallery.error_line(log)) == 300


def test_failures_from_a_snakemake_log():
    refs = gallery.failures_from_log(SNAKEMAKE_LOG, "results")
    assert [(r.rule, r.topic, r.section) for r in refs] == [
        ("render_section", "gamma", "01"), ("storyboard", "delta", None), ("gallery", None, None)]
    assert refs[0].logs == ["results/gamma/logs/render_01.log"]
    assert refs[0].outputs == ["results/gamma/sections/01/section.mp4", "results/gamma/sections/01/render.json"]


def test_jobs_of_run_needs_a_scheduler():
    assert gallery.jobs_of_run(object()) is None


def test_summary_statuses_and_page(tmp_path, monkeypatch):
    """Built, failed (with rule, section and error line), not started, and a failure outside any topic."""
    monkeypatch.chdir(tmp_path)
    results = Path("results")
    for slug in ("built", "failed"):  # "failed" has a video from an earlier run
        (results / slug / "logs").mkdir(parents=True)
        (results / slug / "video.mp4").write_bytes(b"")
        (results / slug / "manifest.json").write_text(json.dumps({
            "title": f"Topic <{slug}>", "duration": 75.4, "quality": "preview", "engine": "offline",
            "sections": [{"id": "01", "title": "One & only", "duration": 75.4,
                          "layout": {"score": 88, "score_before": 70, "problems": 1, "revised": True}}]}))
    (results / "built" / "video.vtt").write_text("WEBVTT\n")
    (results / "failed" / "logs" / "render_02.log").write_text(RICH_TRACEBACK)
    (results / "logs").mkdir()
    (results / "logs" / "gallery.log").write_text("OSError: disk full\n")
    plan = plan_of("built", "failed", "pending", "never", title='A <i>"curriculum"</i>')
    failed = [gallery.JobRef("render_section", "failed", "02", ["results/failed/logs/render_02.log"]),
              gallery.JobRef("gallery", None, None, ["results/logs/gallery.log"])]
    unfinished = [gallery.JobRef("outline", "pending")]
    summary = gallery.make_summary(plan, results, failed, unfinished, outcome="error")
    validate(summary, "summary", "summary.json")
    by_slug = {t["slug"]: t for t in summary["topics"]}
    assert summary["counts"] == {"built": 1, "failed": 1, "not started": 2}
    assert [t["status"] for t in summary["topics"]] == ["built", "failed", "not started", "not started"]
    assert by_slug["failed"]["errors"] == [{
        "rule": "render_section", "section": "02", "log": "results/failed/logs/render_02.log",
        "message": "AttributeError: 'Section01' object has no attribute 'no_such_method'"}]
    assert by_slug["failed"]["previous_build"] is True and "previous_build" not in by_slug["built"]
    assert "another topic failed" in by_slug["pending"]["reason"]
    assert "did not ask for it" in by_slug["never"]["reason"]
    assert by_slug["built"]["layout_score"] == 88 and by_slug["built"]["subtitles_vtt"] == "results/built/video.vtt"
    assert summary["other_errors"] == [{"rule": "gallery", "log": "results/logs/gallery.log",
                                        "message": "OSError: disk full"}]

    table = gallery.format_table(summary)
    assert "1 built, 1 failed, 2 not started" in table
    assert re.search(r"\nfailed +failed +- +- +render_section, section 02: AttributeError: 'Section01'", table)
    assert re.search(r"\nbuilt +built +1:15 +1 +results/built/video.mp4 \(layout 88\)", table)
    assert re.search(r"\npending +not started +- +- +the run stopped", table)

    page = gallery.render_page(summary, results)
    assert "<i>" not in page and "&lt;i&gt;&quot;curriculum&quot;&lt;/i&gt;" in page
    assert "Topic &lt;built&gt;" in page and "One &amp; only" in page
    assert 'href="built/video.vtt"' in page and 'href="failed/logs/render_02.log"' in page
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert page.count('data-status="not started"') == 2


def test_finish_run_writes_summary_and_page_and_never_raises(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    plan = plan_of("alpha")
    log = tmp_path / "snakemake.log"
    log.write_text(SNAKEMAKE_LOG.replace("gamma", "alpha"))
    summary = gallery.finish_run(object(), plan, "results", ok=False, log=[str(log)])
    assert summary["topics"][0]["status"] == "failed" and summary["topics"][0]["errors"][0]["section"] == "01"
    validate_file(tmp_path / "results" / "summary.json", "summary")
    assert (tmp_path / "results" / "index.html").exists()
    assert re.search(r"\nalpha +failed", capsys.readouterr().err)
    (tmp_path / "results" / "summary.json").unlink()
    (tmp_path / "results" / "summary.json").mkdir()  # unwritable: reported, not raised
    assert gallery.finish_run(object(), plan, "results", ok=True) is None
    assert "could not write the run summary" in capsys.readouterr().err


# --------------------------------------------------------- end to end ---

class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.srcs = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.srcs.append(attrs["src"])


CHECK_PAGE = """<!DOCTYPE html><html><body><pre id="out">not loaded</pre>
<iframe id="gallery" src="%s" width="1280" height="900"></iframe>
<script>
document.getElementById("gallery").addEventListener("load", function () {
  var out = document.getElementById("out");
  try {
    var doc = this.contentDocument;
    out.textContent = JSON.stringify({scripts: doc.scripts.length, cards: Array.from(doc.querySelectorAll("article.card")).map(function (card) {
      var img = card.querySelector("img");
      return {slug: card.dataset.slug, status: card.dataset.status, title: card.querySelector("h2").textContent,
              image: img ? {complete: img.complete, width: img.naturalWidth, height: img.naturalHeight} : null};
    })});
  } catch (e) { out.textContent = "ERROR " + e; }
});
</script></body></html>
"""


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--no-first-run", f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180)


def check_in_chromium(index: Path, tmp_path: Path) -> tuple[dict, Path]:
    """The gallery as headless Chromium loads it from file://: its cards, and a screenshot."""
    check = tmp_path / "check.html"
    check.write_text(CHECK_PAGE % index.resolve().as_uri())
    proc = chromium("--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom", check.as_uri(),
                    profile=tmp_path / "chromium")
    marker = '<pre id="out">'
    assert marker in proc.stdout, proc.stderr[-2000:]
    found = proc.stdout.split(marker, 1)[1].split("</pre>", 1)[0]
    import html

    loaded = json.loads(html.unescape(found))
    shot = tmp_path / "gallery.png"
    chromium("--window-size=1280,1000", "--hide-scrollbars", f"--screenshot={shot}", index.resolve().as_uri(),
             profile=tmp_path / "chromium")
    return loaded, shot


@pytest.mark.render
def test_curriculum_build_with_a_failing_topic(project, tmp_path):
    """Three topics, one broken: with --keep-going the others are built, and the summary, the table
    and the gallery say what failed and why; fixed, everything is built; --report holds the gallery."""
    project.write_config(pacing=FAST_PACING)
    project.write_topic("alpha.yaml", small_topic('Alpha <script>alert("x")</script> & co', sections=1))
    project.write_topic("beta.yaml", small_topic("Beta", sections=1))
    project.write_topic("broken.yaml", small_topic("Broken", sections=1))
    (project.path / "curricula").mkdir()
    (project.path / "curricula" / "week.yaml").write_text(yaml.safe_dump({
        "title": "Week <1>", "description": "Three tiny lessons", "audience": "testers",
        "topics": ["topics/alpha.yaml", {"topic": "topics/beta.yaml", "overrides": {"quality": "draft"}},
                   "topics/broken.yaml"]}))
    config = ("--config", "curriculum=curricula/week.yaml")
    results = project.path / "results"

    # The broken topic's scene calls a method that does not exist: it fails when it renders.
    project.snakemake("-j2", "results/broken/sections/01/scene.py", *config)
    scene = results / "broken" / "sections" / "01" / "scene.py"
    code = scene.read_text()
    scene.write_text(code.replace("self.show_title()", "self.show_title()\n        self.no_such_method()"))
    proc = project.snakemake("-j2", "--keep-going", *config, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0

    summary = validate_file(results / "summary.json", "summary")
    assert summary["title"] == "Week <1>" and summary["outcome"] == "error"
    assert summary["counts"] == {"built": 2, "failed": 1, "not started": 0}
    alpha, beta, broken = summary["topics"]
    assert (alpha["status"], beta["status"], broken["status"]) == ("built", "built", "failed")
    [error] = broken["errors"]
    assert error["rule"] == "render_section" and error["section"] == "01"
    assert error["message"] == "AttributeError: 'Section01' object has no attribute 'no_such_method'"
    assert error["log"] == "results/broken/logs/render_01.log" and (project.path / error["log"]).exists()
    assert "video" not in broken
    # The table on the terminal.
    assert "Week <1>: 3 topic(s): 2 built, 1 failed, 0 not started" in out
    assert re.search(r"\nbroken +failed +- +- +render_section, section 01: AttributeError: .*no_such_method", out)
    # Per-topic quality reached the render: beta at draft, alpha at the shared default.
    assert (beta["quality"], alpha["quality"]) == ("draft", "preview")
    from lessonreel.media import probe

    assert (probe(results / "beta" / "video.mp4")["height"], probe(results / "alpha" / "video.mp4")["height"]) == (720, 480)
    from PIL import Image

    for slug in ("alpha", "beta"):
        with Image.open(results / slug / "thumbnail.png") as thumb:
            assert (thumb.format, thumb.size) == ("PNG", (480, 270))

    index = results / "index.html"
    page = index.read_text()
    assert "<script" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page
    assert 'data-slug="broken" data-status="failed"' in page and "no_such_method" in page
    links = Links()
    links.feed(page)
    assert all(src.startswith("data:image/png;base64,") for src in links.srcs) and len(links.srcs) == 2
    assert "broken/logs/render_01.log" in links.hrefs and "summary.json" in links.hrefs
    for href in links.hrefs:  # every link resolves to a file next to the page
        assert ":" not in href and (results / href).is_file(), href

    if CHROMIUM.exists():
        loaded, shot = check_in_chromium(index, tmp_path)
        assert loaded["scripts"] == 0
        cards = {c["slug"]: c for c in loaded["cards"]}
        assert list(cards) == ["alpha", "beta", "broken"]
        assert cards["alpha"]["title"] == 'Alpha <script>alert("x")</script> & co'
        assert cards["broken"]["status"] == "failed" and cards["broken"]["image"] is None
        for slug in ("alpha", "beta"):
            assert cards[slug]["image"] == {"complete": True, "width": 480, "height": 270}, cards[slug]
        image = Image.open(shot).convert("RGB")
        assert image.size == (1280, 1000)
        assert len(set(image.resize((64, 50)).getdata())) > 50  # a page with pictures, not a blank one
    else:
        print("chromium is not installed: the browser check was skipped")

    # Fixed: the failed topic builds, the gallery rule writes the page, every topic is built.
    scene.write_text(code)
    project.snakemake("-j2", *config)
    summary = validate_file(results / "summary.json", "summary")
    assert summary["outcome"] == "success"
    assert [t["status"] for t in summary["topics"]] == ["built"] * 3
    assert summary["topics"][2]["sections"][0]["layout_report"] == "results/broken/sections/01/layout.json"
    page = index.read_text()
    assert page.count('data-status="built"') == 3 and "no_such_method" not in page
    assert "Nothing to be done" in project.snakemake("-n", *config).stdout

    # Snakemake's report holds the gallery (and each topic's video and thumbnail).
    project.snakemake("--report", "report.zip", *config)
    with zipfile.ZipFile(project.path / "report.zip") as report:
        names = report.namelist()
        [gallery_entry] = [n for n in names if n.endswith("/index.html")]
        assert report.read(gallery_entry).decode() == index.read_text()
        assert sum(n.endswith("/video.mp4") for n in names) == 3
        assert sum(n.endswith("/thumbnail.png") for n in names) == 3
        html = report.read("report/report.html").decode()
        assert gallery_entry.removeprefix("report/") in html and "Gallery" in html
    project.snakemake("--report", "report.html", *config)
    embedded = (project.path / "report.html").read_text()
    assert base64.b64encode(index.read_bytes()).decode() in embedded
    shutil.rmtree(tmp_path / "chromium", ignore_errors=True)
