"""The content cache: section renders (and model answers) shared across topics, work folders and users.

A section's video depends only on its scene's code, the quality, the scene kit
and the tools that draw it, so a render is stored under a key made of exactly
those (:func:`render_key`): the same scene code in another topic, another work
folder or another user's run on the same cache folder is copied out of the
cache instead of being rendered again.

Layout of the cache folder (``cache.dir`` in config.yaml, or the environment
variable ``LESSONREEL_CACHE``)::

    <dir>/renders/<key[:2]>/<key>/section.mp4          the video
                                 /layout-trace.jsonl   the layout the render recorded (the critic reads it)
                                 /meta.json            key, quality, sizes and sha256 of the files, tool versions
    <dir>/llm/<key[:2]>/<key>.json                     model answers (lessonreel.llm.cache), unless llm.cache_dir is set

Many jobs on many machines may use one folder at once. Nothing relies on
locks: an entry is built in a temporary folder beside its final place and
renamed into place in one step (``os.rename`` of a directory is atomic and
refuses to replace a non-empty directory), so a reader sees a whole entry or
none, and of two jobs racing on the same key one entry wins and the other job
throws its copy away. Files in an entry are made read-only.

Files go in and out of the cache as copies, never as hard links: a file
shared by a work folder and the cache would share its modification time too,
and Snakemake decides what to rerun from those times. Touching the cache (a
backup, a clean-up tool) would then make a finished section look newer than
its critic's report in every work folder linked to it, and a hit would give
a new output the time the entry was made. A copy is a file of its own with a
fresh time. Copies go through ``copy_file_range``, which is a reflink (no
extra space) on btrfs and XFS and a server-side copy on NFS 4.2.

Where the cache is and whether renders use it is read at run time from the
workflow's config (:func:`configure`, called for every job by
:func:`lessonreel.runner.run`), never from rule params: moving the cache
folder reruns nothing.
"""

from __future__ import annotations

import ast
import errno
import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ENV = "LESSONREEL_CACHE"
DEFAULT_DIR = ".cache"
# Bump when what a render produces changes in a way the key does not see.
FORMAT = "lessonreel-render/1"
VIDEO, TRACE, META = "section.mp4", "layout-trace.jsonl", "meta.json"
# Packages whose version changes what a render draws or encodes.
TOOLS = ("manim", "av", "manimpango", "pycairo", "numpy", "pillow", "skia-pathops")

_active: dict | None = None


# ------------------------------------------------------------ settings ---

def configure(config: dict | None) -> None:
    """Make ``config`` (the workflow's config, ``snakemake.config``) the one this process's cache reads."""
    global _active
    _active = dict(config) if config is not None else None


def _settings(config: dict | None) -> dict:
    config = _active if config is None else config
    return dict((config or {}).get("cache") or {})


def cache_root(config: dict | None = None) -> Path:
    """The cache folder: ``$LESSONREEL_CACHE``, else ``cache.dir`` (default ``.cache``), absolute."""
    where = os.environ.get(ENV) or _settings(config).get("dir") or DEFAULT_DIR
    return Path(os.path.expandvars(where)).expanduser().absolute()


def llm_cache_dir(config: dict | None = None) -> Path:
    """Where model answers are cached: ``llm.cache_dir`` when set, else ``<cache folder>/llm``."""
    source = _active if config is None else config
    explicit = ((source or {}).get("llm") or {}).get("cache_dir")
    if explicit:
        return Path(os.path.expandvars(str(explicit))).expanduser()
    return cache_root(config) / "llm"


def render_cache(config: dict | None = None) -> "RenderCache | None":
    """The render cache the config asks for, or None: ``cache.renders: false``, or no config at all.

    Without a config (a library call outside the workflow, before
    :func:`configure`) renders are not cached.
    """
    if config is None and _active is None:
        return None
    if not _settings(config).get("renders", True):
        return None
    return RenderCache(cache_root(config))


# ----------------------------------------------------------------- key ---

@functools.lru_cache(maxsize=1)
def _tool_versions() -> tuple[tuple[str, str], ...]:
    from importlib import metadata

    versions = {}
    for name in TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return tuple(versions.items())


def tool_versions() -> dict[str, str]:
    return dict(_tool_versions())


def referenced_files(code: bytes | str, project_root: Path) -> list[tuple[str, str]]:
    """(path, sha256) of every file the scene names in a string literal (images), inside the project.

    Renders run in the project folder, so ``V.image("topics/cell.png", ...)``
    reads that file: its content is part of what the render draws.
    """
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return []
    root = Path(project_root).resolve()
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        text = node.value
        if not text or len(text) > 1024 or "\n" in text or "\0" in text or not ("/" in text or "." in text):
            continue
        try:
            path = (root / text).resolve()
            if text in found or not path.is_file() or not path.is_relative_to(root):
                continue
            found[text] = hashlib.sha256(path.read_bytes()).hexdigest()
        except (OSError, ValueError):
            continue
    return sorted(found.items())


def scene_content(code: bytes) -> bytes:
    """The scene code as far as a render can tell: the text of the module docstring blanked out.

    A generated scene's docstring names the storyboard it came from
    (``results/<slug>/storyboard.json``), so the same section in two topics
    differs there only. Python discards that text when it runs the file; its
    lines are kept (empty), so every line number, which the layout trace
    records, stays the same. Everything else counts, comments included.
    """
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return code
    first = tree.body[0] if tree.body else None
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return code
    lines = code.splitlines(keepends=True)
    start, end = first.lineno - 1, first.end_lineno
    after = lines[end - 1][first.end_col_offset:].strip()  # offsets are in UTF-8 bytes, like ``code``
    if first.col_offset != 0 or (after and not after.startswith(b"#")):
        return code  # something else shares the docstring's lines: keep every byte
    blank = [b"\n"] * (end - start)
    return b"".join(lines[:start] + blank + lines[end:])


def render_key(scene_file: str | Path, quality: str, *, class_name: str, project_root: str | Path,
               kit_hash: str | None = None) -> str:
    """sha256 of everything a render's output depends on.

    The scene's code (its titles, lines and every visual are in it; not the
    text of its docstring, see :func:`scene_content`), the scene
    class, the quality and what it means (size, fps), the scene kit's source
    hash (``pipeline.source_hash("kit")``, which includes the render code),
    the versions of Manim and the libraries that draw and encode, and the
    content of any project file the scene names (images).
    """
    from .render import QUALITIES

    if kit_hash is None:
        from .pipeline import source_hash

        kit_hash = source_hash("kit")
    code = Path(scene_file).read_bytes()
    digest = hashlib.sha256()

    def part(name: str, value: bytes | str) -> None:
        data = value.encode() if isinstance(value, str) else value
        digest.update(name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)

    part("format", FORMAT)
    part("scene", scene_content(code))
    part("class", class_name)
    part("quality", json.dumps([quality, *QUALITIES[quality]]))
    part("kit", kit_hash)
    part("tools", json.dumps(tool_versions(), sort_keys=True))
    for name, file_hash in referenced_files(code, Path(project_root)):
        part("file", f"{name}\0{file_hash}")
    return digest.hexdigest()


# --------------------------------------------------------------- store ---

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy(src: Path, dest: Path) -> None:
    """Copy file data; in the kernel where it can (copy_file_range: a reflink on btrfs/XFS, server-side on NFS 4.2)."""
    with open(src, "rb") as fin, open(dest, "wb") as fout:
        size = os.fstat(fin.fileno()).st_size
        try:
            copied = 0
            while copied < size:
                sent = os.copy_file_range(fin.fileno(), fout.fileno(), size - copied)
                if sent == 0:
                    break
                copied += sent
            if copied == size:
                return
        except (AttributeError, OSError):
            pass
        fin.seek(0)
        fout.seek(0)
        fout.truncate()
        shutil.copyfileobj(fin, fout, 1 << 20)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)


class RenderCache:
    """Rendered sections stored by :func:`render_key` under ``<root>/renders/``."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.directory = self.root / "renders"

    def __repr__(self) -> str:
        return f"RenderCache({str(self.root)!r})"

    def entry(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError(f"render cache key must be a sha256 hex digest, got {key!r}")
        return self.directory / key[:2] / key

    def lookup(self, key: str, *, trace: bool = False) -> dict | None:
        """The entry's meta.json when the entry is whole (and holds a trace, if one is wanted); else None."""
        folder = self.entry(key)
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("key") != key:
            return None
        files = meta.get("files") or {}
        if VIDEO not in files or (trace and TRACE not in files):
            return None
        for name, info in files.items():
            try:
                if (folder / name).stat().st_size != info["bytes"]:
                    return None
            except (OSError, KeyError, TypeError):
                return None
        return meta

    def fetch(self, key: str, video: str | Path, trace: str | Path | None = None, *,
              scene_file: str | Path | None = None) -> dict | None:
        """Copy a stored render to ``video`` (and its trace to ``trace``); return its meta, or None on a miss.

        The video's sha256 is checked against the entry's record first: a
        damaged entry is a miss (and is moved out of the way), never a bad video.
        """
        meta = self.lookup(key, trace=trace is not None)
        if meta is None:
            return None
        folder = self.entry(key)
        if _sha256(folder / VIDEO) != meta["files"][VIDEO]["sha256"]:
            log.warning("render cache entry %s is damaged; rendering again", folder)
            self._discard(folder)
            return None
        video = Path(video)
        video.parent.mkdir(parents=True, exist_ok=True)
        tmp = video.with_name(f".{video.name}.{os.getpid()}.cache")
        try:
            _copy(folder / VIDEO, tmp)
            os.replace(tmp, video)
            if trace is not None:
                self._copy_trace(folder / TRACE, Path(trace), scene_file)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return meta

    @staticmethod
    def _copy_trace(src: Path, dest: Path, scene_file: str | Path | None) -> None:
        """The stored trace, its header naming this scene file (a fresh render would have recorded that path)."""
        text = src.read_text(encoding="utf-8")
        if scene_file is not None and text:
            first, sep, rest = text.partition("\n")
            try:
                header = json.loads(first)
                if isinstance(header, dict) and "scene_file" in header:
                    header["scene_file"] = str(Path(scene_file).resolve())
                    text = json.dumps(header) + sep + rest
            except ValueError:
                pass
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.cache")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, dest)

    def store(self, key: str, video: str | Path, trace: str | Path | None = None, **meta: Any) -> bool:
        """Add a render under ``key``; True if this call made the entry, False if one was there (or appeared).

        The files are copied (see the module docstring) and made read-only.
        The entry is built in a temporary folder and renamed into place, so
        concurrent writers of one key leave exactly one whole entry.
        """
        final = self.entry(key)
        if final.exists():
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".tmp-{key[:16]}-"))
        try:
            files = {VIDEO: Path(video)}
            if trace is not None:
                files[TRACE] = Path(trace)
            record = {}
            for name, src in files.items():
                dest = tmp / name
                _copy(src, dest)  # never a hard link: see the module docstring
                _fsync(dest)
                record[name] = {"bytes": dest.stat().st_size, "sha256": _sha256(dest)}
            info = {"key": key, "format": FORMAT, **meta, "files": record, "tools": tool_versions(),
                    "stored_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "host": os.uname().nodename if hasattr(os, "uname") else ""}
            (tmp / META).write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            _fsync(tmp / META)
            for name in (*record, META):
                os.chmod(tmp / name, 0o444)
            os.chmod(tmp, 0o755 & ~_umask())
            _fsync(tmp)
            try:
                os.rename(tmp, final)
            except OSError as exc:
                if exc.errno in (errno.EEXIST, errno.ENOTEMPTY) or final.exists():
                    shutil.rmtree(tmp, ignore_errors=True)
                    return False
                raise
            _fsync(final.parent)
            return True
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def _discard(self, folder: Path) -> None:
        """Move a damaged entry aside (atomically) and delete it, so the next render can store a good one."""
        aside = folder.with_name(f".bad-{folder.name}-{os.getpid()}-{time.time_ns()}")
        try:
            os.rename(folder, aside)
        except OSError:
            return
        shutil.rmtree(aside, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -------------------------------------------------------------- render ---

@dataclass
class Rendered:
    seconds: float          # spent rendering now (0 on a hit)
    cache: str              # "hit", "miss" or "off"
    key: str | None = None
    entry: str | None = None


def cached_render(cache: RenderCache | None, scene_file: str | Path, class_name: str, output: str | Path,
                  quality: str, *, project_root: str | Path, package_root: str | Path, timeout: float,
                  log_file: str | Path | None = None, label: str = "", trace: str | Path | None = None,
                  voice_dir: str | Path | None = None) -> Rendered:
    """:func:`lessonreel.render.render_scene` through the cache: copy a stored render, or render and store it.

    With ``cache`` None this is exactly ``render_scene``. The outcome is
    written to ``log_file`` too (``[render cache: hit ...]``).
    """
    from .render import render_scene

    def note(text: str) -> None:
        log.info("%s", text)
        if log_file:
            with open(log_file, "a", encoding="utf-8") as fh:
                fh.write(text + "\n")

    def render() -> float:
        return render_scene(Path(scene_file), class_name, Path(output), quality, project_root=Path(project_root),
                            package_root=Path(package_root), timeout=timeout,
                            log_file=Path(log_file) if log_file else None, label=label,
                            trace=Path(trace) if trace is not None else None,
                            voice_dir=Path(voice_dir) if voice_dir is not None else None)

    if cache is None:
        note("[render cache: off]")
        return Rendered(render(), "off")
    key = render_key(scene_file, quality, class_name=class_name, project_root=project_root)
    entry = cache.entry(key)
    meta = cache.fetch(key, output, trace, scene_file=scene_file)
    if meta is not None:
        note(f"[render cache: hit {key}: copied from {entry}; no render "
             f"(it took {meta.get('render_seconds', '?')} s when {meta.get('label') or 'it'} rendered it)]")
        return Rendered(0.0, "hit", key, str(entry))
    seconds = render()
    try:
        made = cache.store(key, output, trace, quality=quality, class_name=class_name, label=label,
                           render_seconds=round(seconds, 2))
        note(f"[render cache: miss {key}: rendered in {seconds:.1f} s, "
             f"{'stored in' if made else 'another job stored it first in'} {entry}]")
    except OSError as exc:  # a full or read-only cache must not fail a render that worked
        note(f"[render cache: miss {key}: rendered in {seconds:.1f} s; not stored: {exc}]")
    return Rendered(seconds, "miss", key, str(entry))
