"""The content cache: renders shared across topics, work folders and users; model answers beside them."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from conftest import FAST_PACING, ROOT, Project, small_topic
from lessonreel import cache, pipeline

TINY_SCENE = textwrap.dedent("""
    from manim import *

    class Tiny(Scene):
        def construct(self):
            self.add(Dot(color=BLUE))
            self.wait(0.2)
""")


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def no_active_config(monkeypatch):
    """Each test starts as a library call outside the workflow: no config, no LESSONREEL_CACHE."""
    monkeypatch.delenv(cache.ENV, raising=False)
    cache.configure(None)
    yield
    cache.configure(None)


# ------------------------------------------------------------- the key ---

def test_key_is_the_content_not_the_place(tmp_path):
    one, two = tmp_path / "a" / "scene.py", tmp_path / "b" / "elsewhere.py"
    for path in (one, two):
        path.parent.mkdir()
        path.write_text(TINY_SCENE)
    key = cache.render_key(one, "preview", class_name="Tiny", project_root=tmp_path / "a")
    assert len(key) == 64
    # Same code in another folder (another topic, work folder, user): the same key.
    assert cache.render_key(two, "preview", class_name="Tiny", project_root=tmp_path / "b") == key
    # What changes the video changes the key.
    assert cache.render_key(one, "draft", class_name="Tiny", project_root=tmp_path / "a") != key
    assert cache.render_key(one, "preview", class_name="Tiny", project_root=tmp_path / "a", kit_hash="0" * 16) != key
    assert cache.render_key(one, "preview", class_name="Other", project_root=tmp_path / "a") != key
    two.write_text(TINY_SCENE.replace("BLUE", "RED"))
    assert cache.render_key(two, "preview", class_name="Tiny", project_root=tmp_path / "b") != key
    # The module docstring's text (a generated scene names its topic's storyboard there) does not count;
    # code sharing its lines does.
    one.write_text('"""From results/one/storyboard.json."""\n' + TINY_SCENE)
    two.write_text('"""From results/two/storyboard.json."""\n' + TINY_SCENE)
    docs = [cache.render_key(p, "preview", class_name="Tiny", project_root=tmp_path) for p in (one, two)]
    assert docs[0] == docs[1] != key
    two.write_text('"""From results/two/storyboard.json."""; X = 2\n' + TINY_SCENE)
    assert cache.render_key(two, "preview", class_name="Tiny", project_root=tmp_path) != docs[0]
    # A project file the scene names (an image) is part of the key by its content.
    picture = tmp_path / "a" / "topics" / "cell.png"
    picture.parent.mkdir()
    picture.write_bytes(b"first picture")
    one.write_text(TINY_SCENE + '\nPICTURE = "topics/cell.png"\n')
    with_image = cache.render_key(one, "preview", class_name="Tiny", project_root=tmp_path / "a")
    picture.write_bytes(b"another picture")
    assert cache.render_key(one, "preview", class_name="Tiny", project_root=tmp_path / "a") != with_image


# ------------------------------------------------------------ settings ---

def test_cache_folder_from_config_env_and_llm_override(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cache.render_cache() is None  # outside the workflow: renders are not cached
    config = {"cache": {"dir": "shared", "renders": True}, "llm": {"cache_dir": None}}
    assert cache.cache_root(config) == tmp_path / "shared"
    assert cache.llm_cache_dir(config) == tmp_path / "shared" / "llm"
    assert cache.render_cache(config).directory == tmp_path / "shared" / "renders"
    assert cache.render_cache({"cache": {"dir": "shared", "renders": False}}) is None
    # An explicit llm.cache_dir wins for model answers.
    assert cache.llm_cache_dir({**config, "llm": {"cache_dir": "/srv/answers"}}) == Path("/srv/answers")
    # LESSONREEL_CACHE wins over cache.dir (a shared folder on a cluster).
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cluster"))
    assert cache.cache_root(config) == tmp_path / "cluster"
    assert cache.llm_cache_dir(config) == tmp_path / "cluster" / "llm"
    # A job's config (set by lessonreel.runner) is what the LLM engine's client uses.
    from lessonreel.engines.llm import LLMEngine

    cache.configure(config)
    engine = LLMEngine.from_config({"roles": {"planner": {"model": "m"}}})
    assert engine.client.cache.directory == tmp_path / "cluster" / "llm"
    assert "cache_dir" not in pipeline.llm_params({"llm": {"cache_dir": "x", "roles": {}}})


def test_the_shipped_config_puts_everything_under_cache_dir():
    import yaml

    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    pipeline.check_config(config)
    assert config["cache"] == {"dir": ".cache", "renders": True}
    assert config["llm"]["cache_dir"] is None
    assert cache.llm_cache_dir(config) == Path(".cache").absolute() / "llm"


# --------------------------------------------------------------- store ---

def _write(folder: Path, tag: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    video, trace = folder / "section.mp4", folder / "trace.jsonl"
    video.write_bytes((f"video from {tag}\n" * 20000).encode())
    trace.write_text(json.dumps({"trace": "lessonreel-layout", "scene_file": f"/{tag}/scene.py"}) + "\n{}\n")
    return video, trace


def _store_in_process(root: str, key: str, folder: str, tag: str, barrier, results) -> None:
    video, trace = _write(Path(folder), tag)
    barrier.wait()
    results.put(cache.RenderCache(root).store(key, video, trace, label=tag))


def _check_single_whole_entry(store: cache.RenderCache, key: str, tags: list[str]) -> str:
    entry = store.entry(key)
    assert sorted(p.name for p in entry.parent.iterdir()) == [key]  # no temporary folder left behind
    meta = store.lookup(key, trace=True)
    assert meta is not None and meta["key"] == key
    video = (entry / "section.mp4").read_bytes()
    assert sha(entry / "section.mp4") == meta["files"]["section.mp4"]["sha256"]
    # One writer's files, whole, and its own meta.
    winner = meta["label"]
    assert winner in tags and video == (f"video from {winner}\n" * 20000).encode()
    assert f"/{winner}/scene.py" in (entry / "layout-trace.jsonl").read_text()
    return winner


def test_concurrent_writers_of_one_key_leave_one_whole_entry(tmp_path):
    key = hashlib.sha256(b"one scene").hexdigest()
    root = tmp_path / "cache"
    tags = [f"job{i}" for i in range(8)]
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(tags)), context.Queue()
    processes = [context.Process(target=_store_in_process, args=(str(root), key, str(tmp_path / t), t, barrier, results))
                 for t in tags]
    for process in processes:
        process.start()
    made = [results.get(timeout=60) for _ in tags]
    for process in processes:
        process.join()
        assert process.exitcode == 0
    assert made.count(True) == 1
    store = cache.RenderCache(root)
    _check_single_whole_entry(store, key, tags)

    # Threads too, with readers fetching while writers race on a second key: a
    # reader gets a whole entry or a miss, never part of one.
    key2 = hashlib.sha256(b"another scene").hexdigest()
    start = threading.Barrier(len(tags) + 2)
    made, fetched, errors = [], [], []

    def writer(tag):
        video, trace = _write(tmp_path / "t" / tag, tag)
        start.wait()
        made.append(store.store(key2, video, trace, label=tag))

    def reader(n):
        start.wait()
        for i in range(200):
            out = tmp_path / "r" / f"{n}-{i}.mp4"
            meta = store.fetch(key2, out, tmp_path / "r" / f"{n}-{i}.jsonl", scene_file=tmp_path / "mine.py")
            if meta is not None:
                if out.read_bytes() != (f"video from {meta['label']}\n" * 20000).encode():
                    errors.append(out)
                fetched.append(meta["label"])
                header = json.loads((tmp_path / "r" / f"{n}-{i}.jsonl").read_text().splitlines()[0])
                if header["scene_file"] != str(tmp_path / "mine.py"):  # the trace names the fetching scene
                    errors.append(header)

    (tmp_path / "r").mkdir()
    threads = [threading.Thread(target=writer, args=(t,)) for t in tags]
    threads += [threading.Thread(target=reader, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made.count(True) == 1 and not errors
    winner = _check_single_whole_entry(store, key2, tags)
    assert set(fetched) <= {winner}


def test_a_damaged_entry_is_a_miss_and_is_replaced(tmp_path):
    store = cache.RenderCache(tmp_path / "cache")
    key = hashlib.sha256(b"scene").hexdigest()
    video, trace = _write(tmp_path / "job", "job")
    assert store.store(key, video, trace, label="job")
    stored = store.entry(key) / "section.mp4"
    assert not os.stat(stored).st_mode & 0o222  # read-only in the cache
    os.chmod(stored, 0o644)
    data = bytearray(stored.read_bytes())
    data[100] ^= 0xFF  # same size, other bytes
    stored.write_bytes(bytes(data))
    assert store.fetch(key, tmp_path / "out.mp4") is None
    assert not store.entry(key).exists()
    assert store.store(key, video, trace, label="again")
    assert store.fetch(key, tmp_path / "out.mp4")["label"] == "again"
    assert (tmp_path / "out.mp4").read_bytes() == video.read_bytes()


# -------------------------------------------------------------- render ---

@pytest.mark.render
def test_render_section_hits_misses_and_off(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scene.py").write_text(TINY_SCENE)
    store = cache.RenderCache(tmp_path / "cache")

    def render(folder, quality="preview", use=store):
        out = tmp_path / folder
        out.mkdir(exist_ok=True)
        record = pipeline.render_section("scene.py", str(out / "section.mp4"), str(out / "render.json"), quality,
                                         120, str(out / "render.log"), label=folder,
                                         trace=str(out / "layout-trace.jsonl"), cache=use)
        return record, out

    first, a = render("a")
    assert first["cache"] == "miss" and first["render_seconds"] > 0
    assert "[render cache: miss" in (a / "render.log").read_text()
    second, b = render("b")
    assert second["cache"] == "hit" and second["render_seconds"] == 0 and second["cache_key"] == first["cache_key"]
    log = (b / "render.log").read_text()
    assert "[render cache: hit" in log and "manim" not in log  # no render ran
    assert sha(b / "section.mp4") == sha(a / "section.mp4")
    assert (b / "section.mp4").stat().st_ino != (a / "section.mp4").stat().st_ino  # a copy, not a link
    assert json.loads((b / "render.json").read_text())["cache"] == "hit"
    # Another quality is another video: a miss.
    draft, c = render("c", quality="draft")
    assert draft["cache"] == "miss" and draft["cache_key"] != first["cache_key"] and draft["width"] == 1280
    # Cache off: it renders.
    off, d = render("d", use=None)
    assert off["cache"] == "off" and off["cache_key"] is None and off["render_seconds"] > 0
    assert "[render cache: off]" in (d / "render.log").read_text()


def _section_records(project: Project, slug: str) -> dict[str, dict]:
    sections = project.path / "results" / slug / "sections"
    return {p.name: json.loads((p / "render.json").read_text()) for p in sorted(sections.iterdir())}


@pytest.mark.render
def test_a_second_work_folder_builds_the_same_topic_from_the_shared_cache(tmp_path):
    shared = tmp_path / "shared-cache"  # absolute: both work folders point at it
    topic = small_topic("Shared lesson", sections=2)
    a, b = Project(tmp_path / "a"), Project(tmp_path / "b")
    for project in (a, b):
        project.write_config(pacing=FAST_PACING, cache={"dir": str(shared)})
        project.write_topic("shared.yaml", topic)

    a.snakemake("-j2")
    assert {s["cache"] for s in _section_records(a, "shared").values()} == {"miss"}
    entries = sorted(p.name for p in (shared / "renders").glob("*/*"))
    assert len(entries) == 2

    b.snakemake("-j2")
    records = _section_records(b, "shared")
    assert set(records) == {"01", "02"}
    for sid, record in records.items():
        assert record["cache"] == "hit" and record["render_seconds"] == 0, (sid, record)
        log = (b.path / "results" / "shared" / "logs" / f"render_{sid}.log").read_text()
        assert "[render cache: hit" in log and "-m manim render" not in log  # no Manim render ran
        video_a = a.path / "results" / "shared" / "sections" / sid / "section.mp4"
        video_b = b.path / "results" / "shared" / "sections" / sid / "section.mp4"
        assert sha(video_a) == sha(video_b)
        # The critic read the cached trace: the same layout report.
        layout_a = json.loads((video_a.parent / "layout.json").read_text())
        layout_b = json.loads((video_b.parent / "layout.json").read_text())
        assert layout_b["objects"] == layout_a["objects"] and layout_b["snapshots"] == layout_a["snapshots"]
    assert sha(b.path / "results" / "shared" / "video.mp4") == sha(a.path / "results" / "shared" / "video.mp4")
    assert b.manifest("shared")["cost"]["render_seconds"] == 0
    assert sorted(p.name for p in (shared / "renders").glob("*/*")) == entries

    # Another topic whose first section is the same code (same title, same
    # first section): that section hits; its other section is new and renders.
    variant = small_topic("Shared lesson", sections=2)
    variant["sections"][1]["lines"] = ["Something else entirely"]
    b.write_topic("variant.yaml", variant)
    b.snakemake("-j2")
    records = _section_records(b, "variant")
    assert (records["01"]["cache"], records["02"]["cache"]) == ("hit", "miss")
    assert records["01"]["cache_key"] == _section_records(a, "shared")["01"]["cache_key"]

    # The cache folder is not a param: moving it (config or LESSONREEL_CACHE) reruns nothing.
    assert "Nothing to be done" in b.snakemake("-n", "--config", f"cache={{dir: {tmp_path / 'moved'}}}").stdout
    moved = subprocess.run([sys.executable, "-m", "snakemake", "-n"], cwd=b.path, capture_output=True, text=True,
                           env={**os.environ, cache.ENV: str(tmp_path / "moved")})
    assert moved.returncode == 0 and "Nothing to be done" in moved.stdout

    # Cache off: every section renders, and nothing new goes into the cache.
    b.write_config(pacing=FAST_PACING, cache={"dir": str(shared), "renders": False})
    assert "Nothing to be done" in b.snakemake("-n").stdout  # switching it off reruns nothing either
    b.snakemake("-j2", "--forcerun", "render_section", "--until", "render_section")
    for slug in ("shared", "variant"):
        for sid, record in _section_records(b, slug).items():
            assert record["cache"] == "off" and record["render_seconds"] > 0, (slug, sid, record)
    assert len(list((shared / "renders").glob("*/*"))) == 3
    assert not list((shared / "renders").glob("*/.tmp-*"))
