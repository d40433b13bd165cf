"""The adjustment to Snakemake's exit still applies to the pinned Snakemake."""

import threading

from lessonreel import snakemake_compat


def test_exit_promptly_applies_and_makes_daemon_timers():
    assert snakemake_compat.exit_promptly()
    from snakemake.scheduling.job_scheduler import JobScheduler

    class Fake:
        _open_jobs = threading.Semaphore(0)

    before = set(threading.enumerate())
    JobScheduler._schedule_reevalutation(Fake(), 0.05)
    timers = [t for t in threading.enumerate() if t not in before]
    assert timers and all(t.daemon for t in timers)
    assert Fake._open_jobs.acquire(timeout=2)  # the timer still fires
