"""profiles/slurm on a real single-node Slurm cluster (Debian's slurm-wlm and munge), not a mock.

The test starts munged, slurmctld and slurmd on this machine (tests/slurm_cluster.py)
and builds a two-section topic with `snakemake --profile profiles/slurm`. It
checks the video; that every render and critic job went through sbatch, with
the profile's time, memory and CPUs, and ran on the node; that the planning,
scene and joining rules stayed on the submit host. Then it breaks one
section: the render is submitted three times, each attempt with more time and
memory, and Slurm's logs of the failed attempts are kept. Last, no daemon is
left running. The project folder is the shared filesystem (same machine).

Skipped only when the Slurm or munge programs are not installed (`./setup.sh
test` installs them). When they are installed and the cluster does not come
up, the test fails with the daemons' logs. Each Slurm job costs about 15 s
here (Snakemake starts again inside the job); the test takes about three
minutes, and every step has a time limit, so a hang fails fast.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FAST_PACING, Project, small_topic
from lessonreel.media import probe
from slurm_cluster import GLOBAL_CONF, MARKER, SlurmCluster, daemon_processes, missing_binaries

pytestmark = pytest.mark.render

# Seconds: a Snakemake run is killed after this (`timeout -s KILL`). The build takes
# ~45 s here (~2 min if every rule went through Slurm), the failing one ~1 min.
BUILD_LIMIT = 360
# Where each rule runs under the profile (README, "Running on a Slurm cluster").
ON_SUBMIT_HOST = {"outline", "storyboard", "scene", "assemble"}
THROUGH_SLURM = {"render_section", "critic"}

SUBMITTED = re.compile(r"Job (\d+) has been submitted with SLURM jobid (\d+) \(log: (.+?)\)\.")
HEADER = re.compile(r"^(local)?(rule|checkpoint) (\w+):$")


def jobs_in_output(output: str) -> list[dict]:
    """Each job Snakemake started, in order: rule, wildcards, jobid, local or not."""
    jobs = []
    for line in output.splitlines():
        line = line.strip()
        if match := HEADER.match(line):
            jobs.append({"rule": match[3], "local": bool(match[1]), "wildcards": "", "jobid": None})
        elif jobs and line.startswith("wildcards:"):
            jobs[-1]["wildcards"] = line.split(":", 1)[1].strip()
        elif jobs and line.startswith("jobid:"):
            jobs[-1]["jobid"] = line.split(":", 1)[1].strip()
    return jobs


def submissions_in_output(output: str) -> dict[str, list[tuple[str, Path]]]:
    """Snakemake's job id -> each attempt's (Slurm job id, Slurm log), as the executor reported them."""
    attempts: dict[str, list[tuple[str, Path]]] = {}
    for jobid, slurm_id, log in SUBMITTED.findall(output):
        attempts.setdefault(jobid, []).append((slurm_id, Path(log)))
    return attempts


def slurm_minutes(minutes: int) -> str:
    """A time limit as squeue prints it: 20:00, 1:00:00."""
    return f"{minutes // 60}:{minutes % 60:02d}:00" if minutes >= 60 else f"{minutes}:00"


def build(cluster: SlurmCluster, project: Project, *extra: str) -> tuple[subprocess.CompletedProcess, str, float]:
    """`snakemake --profile profiles/slurm` in the project, killed after BUILD_LIMIT seconds."""
    cmd = ["timeout", "-s", "KILL", str(BUILD_LIMIT), sys.executable, "-m", "snakemake",
           "--profile", "profiles/slurm",
           # Only for the test: check job states every 5 s instead of 20 s.
           "--slurm-init-seconds-before-status-checks", "5", *extra]
    # Render for real on the node: no content cache from outside the project folder.
    env = {k: v for k, v in cluster.env.items() if k != "LESSONREEL_CACHE"}
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=project.path, env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
                          capture_output=True, text=True, timeout=BUILD_LIMIT + 30)
    return proc, proc.stdout + proc.stderr, time.monotonic() - start


@pytest.fixture
def slurm_available():
    missing = missing_binaries()
    if missing:
        pytest.skip(f"Slurm/munge programs not installed ({', '.join(missing)}): "
                    "`./setup.sh test` installs them (apt-get install slurm-wlm munge)")
    if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
        pytest.fail("Slurm is installed but snakemake-executor-plugin-slurm is not: pip install -e '.[slurm]'")


def test_a_topic_builds_through_sbatch_on_a_real_slurm_cluster(tmp_path, slurm_available):
    started = time.monotonic()
    before = daemon_processes()
    project = Project(tmp_path / "project")
    project.write_config(pacing=FAST_PACING)
    project.write_topic("cluster.yaml", small_topic("On the cluster", sections=2))
    out = project.path / "results" / "cluster"

    with SlurmCluster(start_timeout=90) as cluster:
        up = time.monotonic() - started
        node = cluster.info["node"]

        # --- 1. the build ---------------------------------------------------------------------
        # Slurm's logs of successful jobs are kept too, this once, as evidence.
        proc, output, built = build(cluster, project, "--slurm-keep-successful-logs")
        context = f"\n--- snakemake (end) ---\n{output[-6000:]}\n{cluster.log_tails()}"
        assert proc.returncode == 0, (f"snakemake --profile profiles/slurm failed ({proc.returncode}"
                                      f"{', killed at the time limit' if proc.returncode in (-9, 137) else ''})"
                                      + context)
        video = probe(out / "video.mp4")
        assert (video["width"], video["height"], round(video["fps"])) == (854, 480, 15)
        manifest = project.manifest("cluster")
        assert [s["id"] for s in manifest["sections"]] == ["01", "02"]
        assert all(s["status"] == "rendered" for s in manifest["sections"])
        sections = sum(probe(out / "sections" / sid / "section.critic.mp4")["duration"] for sid in ("01", "02"))
        assert abs(video["duration"] - sections) < 0.5

        # Every job Snakemake did not run itself went through sbatch, and only those.
        started_jobs = {}  # a job Snakemake restarted (retries) is listed again: once here
        for job in jobs_in_output(output):
            started_jobs.setdefault(job["jobid"], job)
        started_jobs = list(started_jobs.values())
        attempts = submissions_in_output(output)
        remote = [j for j in started_jobs if not j["local"]]
        assert remote and {j["jobid"] for j in remote} == set(attempts), context
        where = {(j["rule"], "host" if j["local"] else "slurm") for j in started_jobs}
        expected = {(r, "host") for r in ON_SUBMIT_HOST} | {(r, "slurm") for r in THROUGH_SLURM}
        assert expected <= where and not {(r, "slurm") for r in ON_SUBMIT_HOST} & where, (
            f"expected {sorted(ON_SUBMIT_HOST)} on the submit host and {sorted(THROUGH_SLURM)} through Slurm, "
            f"got {sorted(where)}" + context)
        assert sorted((j["rule"], j["wildcards"]) for j in remote if j["rule"] in THROUGH_SLURM) == [
            ("critic", "topic=cluster, section=01"), ("critic", "topic=cluster, section=02"),
            ("render_section", "topic=cluster, section=01"), ("render_section", "topic=cluster, section=02")], context

        slurm_jobs = {job["id"]: job for job in cluster.jobs()}
        controller_log = cluster.controller_log()
        run_id = re.search(r"SLURM run ID: (\S+)", output)[1]
        retried = []
        for job in remote:
            # A job that failed was submitted again (retries); the last attempt completed.
            if len(attempts[job["jobid"]]) > 1:
                retried.append(f"{job['rule']} ({job['wildcards']}): Slurm jobs "
                               + ", ".join(sid for sid, _ in attempts[job["jobid"]]))
            for number, (slurm_id, slurm_log) in enumerate(attempts[job["jobid"]], start=1):
                last = number == len(attempts[job["jobid"]])
                seen = slurm_jobs.get(slurm_id)
                # The controller knows the job: submitted under this run's name, with the rule in
                # its comment and the profile's requests (20 min and 2000 MB per attempt, 1 CPU).
                assert seen is not None, f"Slurm job {slurm_id} unknown to squeue: {slurm_jobs}"
                assert seen["name"] == run_id and seen["node"] == node, seen
                assert seen["state"] == ("COMPLETED" if last else "FAILED"), seen
                assert seen["comment"].startswith(f"rule_{job['rule']}"), seen
                if job["rule"] in THROUGH_SLURM:
                    assert seen["comment"] == f"rule_{job['rule']}_wildcards_cluster_{job['wildcards'][-2:]}", seen
                    assert (seen["time_limit"], seen["memory"], seen["cpus"]) == (
                        slurm_minutes(20 * number), f"{2000 * number}M", "1"), seen
                # slurmctld scheduled it on the node (and saw the last attempt exit 0).
                assert re.search(rf"sched: Allocate JobId={slurm_id} NodeList={node} ", controller_log), slurm_id
                # Slurm wrote the job's output (--output): Snakemake ran inside the allocation
                # through the plugin's job step executor (srun).
                text = slurm_log.read_text()
                assert slurm_log.parent.parent.name == f"rule_{job['rule']}"
                assert "--executor slurm-jobstep" in text and f"rule {job['rule']}:" in text, text[-2000:]
            assert f"_job_complete: JobId={slurm_id} WEXITSTATUS 0" in controller_log, slurm_id
            assert "Finished jobid" in text, text[-2000:]
        # Nothing else of this run reached the cluster (its first job was the helper's
        # own `sbatch --wrap hostname`).
        assert {sid for sid, job in slurm_jobs.items() if job["name"] == run_id} == {
            sid for tries in attempts.values() for sid, _ in tries}, slurm_jobs
        evidence = [line for line in controller_log.splitlines()
                    if re.search(r"sched: Allocate JobId=|_job_complete: JobId=\d+ done", line)]
        evidence += [f"retried in the build: {r}" for r in retried]
        through_sbatch = sum(len(tries) for tries in attempts.values())

        # --- 2. a section that fails: retried with more time and memory, logs kept -------------------
        scene = out / "sections" / "02" / "scene.py"
        scene.write_text(scene.read_text().replace("self.show_title()",
                                                   "self.show_title()\n        self.no_such_method()"))
        proc, output, failed = build(cluster, project)
        context = f"\n--- snakemake (end) ---\n{output[-6000:]}\n{cluster.log_tails()}"
        assert proc.returncode not in (0, -9, 137), "the broken section did not fail the run" + context
        assert "topic cluster, section 02: render failed" in output, context
        attempts = [try_ for tries in submissions_in_output(output).values() for try_ in tries]
        by_id = {job["id"]: job for job in cluster.jobs()}
        # retries: 2 in the profile: three attempts, each through sbatch, each asking for
        # 20 more minutes and 2000 MB more (runtime 20 * attempt, mem_mb 2000 * attempt).
        assert [(by_id[s]["comment"], by_id[s]["state"], by_id[s]["time_limit"], by_id[s]["memory"])
                for s, _ in attempts] == [
            ("rule_render_section_wildcards_cluster_02", "FAILED", "20:00", "2000M"),
            ("rule_render_section_wildcards_cluster_02", "FAILED", "40:00", "4000M"),
            ("rule_render_section_wildcards_cluster_02", "FAILED", "1:00:00", "6000M"),
        ], context
        # Slurm's logs of failed jobs are kept (the profile deletes only successful ones).
        for slurm_id, log in attempts:
            assert log.exists(), f"the log of failed job {slurm_id} was deleted: {log}"
            assert "no_such_method" in log.read_text(), log.read_text()[-2000:]
        evidence += ["failed attempts: " + ", ".join(f"{s} ({by_id[s]['time_limit']}, {by_id[s]['memory']})"
                                                      for s, _ in attempts)]

    # --- 3. the daemons are gone ---------------------------------------------------------------
    assert cluster.stop_report.get("stopped") is True, cluster.stop_report
    deadline = time.monotonic() + 15
    while (left := {p: c for p, c in daemon_processes().items() if p not in before}) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left, f"Slurm or munge processes left running: {left}"
    assert not GLOBAL_CONF.exists() or MARKER not in GLOBAL_CONF.read_text(errors="replace")
    print(f"\nSlurm test: cluster up in {up:.1f} s, build {built:.1f} s ({through_sbatch} jobs through sbatch), "
          f"failing build {failed:.1f} s, total {time.monotonic() - started:.1f} s")
    print("\n".join(evidence))
