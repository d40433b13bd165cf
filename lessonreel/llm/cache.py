"""Files that many Snakemake jobs write at once: the response cache and the call ledger.

Jobs may run as separate processes on a shared filesystem, so nothing here relies
on in-process locks: cache entries appear atomically (temp file + ``os.replace``)
and ledger lines are appended with ``O_APPEND`` under an ``flock``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

try:  # POSIX only; without it O_APPEND alone still keeps small lines whole.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_KEY_RE = re.compile(r"^[0-9a-f]{16,128}$")


class ResponseCache:
    """Model answers stored as ``<dir>/<key[:2]>/<key>.json``, one JSON record per key."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        # Keys are hex digests; refusing anything else keeps a key from escaping the directory.
        if not _KEY_RE.match(key):
            raise ValueError(f"cache key must be a lowercase hex digest, got {key!r}")
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The stored record, or None when absent, unreadable or corrupt (a miss, never an error)."""
        try:
            with open(self.path(key), encoding="utf-8") as handle:
                record = json.load(handle)
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) else None

    def put(self, key: str, record: dict) -> Path:
        """Store ``record`` atomically: readers see the old file, the new one, or none."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
        return target


def atomic_write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so readers see the old file, the new one, or none (temp file, fsync, rename).

    Shared by the model-answer cache and the narration audio cache.
    """
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:16]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def append_jsonl(path: str | Path, record: dict[str, Any]) -> None:
    """Append ``record`` as one JSON line, safely against concurrent writers in other processes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False, sort_keys=True, default=str) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            # One write normally suffices; the loop only matters for huge lines,
            # and the lock keeps even those from interleaving.
            view = memoryview(line)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
