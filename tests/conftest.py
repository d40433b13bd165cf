"""Shared fixtures: a scratch copy of the workflow to run Snakemake in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(ROOT))

from lessonreel.pipeline import copy_workflow  # noqa: E402

# Fast pacing for tests: every step stays on screen briefly, so renders are short.
FAST_PACING = {"seconds_per_word": 0.02, "min_step_seconds": 0.3, "max_step_seconds": 0.6}


class Project:
    """A copy of the workflow in a temporary folder, with its own topics and config."""

    def __init__(self, path: Path):
        self.path = copy_workflow(path)

    def write_topic(self, name: str, data: dict | str) -> Path:
        target = self.path / "topics" / name
        target.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        return target

    def write_config(self, **overrides) -> None:
        config = yaml.safe_load((ROOT / "config.yaml").read_text())
        config.update(overrides)
        (self.path / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))

    def snakemake(self, *args: str, check: bool = True, timeout: float = 900) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "snakemake", *args]
        proc = subprocess.run(cmd, cwd=self.path, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        if check and proc.returncode != 0:
            raise AssertionError(f"snakemake {' '.join(args)} failed ({proc.returncode}):\n"
                                 f"{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
        return proc

    def planned_jobs(self) -> list[tuple[str, str]]:
        """(rule, wildcards) of every job a dry run plans."""
        proc = self.snakemake("-n", check=True)
        jobs, rule = [], None
        for line in (proc.stdout + proc.stderr).splitlines():
            stripped = line.strip()
            for prefix in ("localrule ", "rule ", "localcheckpoint ", "checkpoint "):
                if stripped.startswith(prefix) and stripped.endswith(":"):
                    rule = stripped[len(prefix):-1]
                    jobs.append((rule, ""))
            if stripped.startswith("wildcards:") and jobs:
                jobs[-1] = (jobs[-1][0], stripped[len("wildcards:"):].strip())
        return jobs

    def manifest(self, slug: str) -> dict:
        return json.loads((self.path / "results" / slug / "manifest.json").read_text())


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "project")


def small_topic(title: str = "Small topic", sections: int = 3) -> dict:
    """A short topic whose sections render in a few seconds at preview quality."""
    return {
        "title": title,
        "sections": [
            {
                "title": f"Part {i}",
                "lines": [f"Idea number {i}", "A second line"],
                "visuals": [{"kind": "equation", "tex": f"x^{i} + {i}"}, {"kind": "text", "text": f"Text {i}"}],
            }
            for i in range(1, sections + 1)
        ],
    }
