"""Small adjustments to Snakemake's behaviour that the workflow relies on.

Kept here, in one place, so they are easy to find and to drop once Snakemake
itself changes.
"""

from __future__ import annotations

import threading


def exit_promptly() -> bool:
    """Let Snakemake exit as soon as its last job is done.

    Snakemake's job-rate limiter (``--max-jobs-per-timespan``, on by default)
    arms a one-second ``threading.Timer`` after every scheduling round to look
    at the queue again. The timer thread is not a daemon, so the interpreter
    waits for it before exiting: every run, even a no-op, ends with up to a
    second of idle waiting. Daemon timers fire the same way while the workflow
    runs and simply do not hold up the exit. Returns whether the adjustment
    applied (it does nothing on a Snakemake whose scheduler looks different).
    """
    try:
        from snakemake.scheduling.job_scheduler import JobScheduler
    except ImportError:
        return False
    if not hasattr(JobScheduler, "_schedule_reevalutation"):
        return False

    def schedule_reevaluation(self, delay):
        timer = threading.Timer(delay, lambda: self._open_jobs.release())
        timer.daemon = True
        timer.start()

    JobScheduler._schedule_reevalutation = schedule_reevaluation
    return True
