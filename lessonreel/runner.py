"""Run a stage from a Snakemake script with a log and clear errors.

Expected failures (bad input, a failed render) print one readable message,
also written to the rule's log; anything else keeps its full traceback.
"""

from __future__ import annotations

import logging
import sys
import traceback

from .errors import LessonError


def run(snakemake, main) -> None:
    log_path = snakemake.log[0] if snakemake.log else None
    handlers = [logging.FileHandler(log_path, mode="w", encoding="utf-8")] if log_path else []
    logging.basicConfig(level=logging.INFO, handlers=handlers, format="%(asctime)s %(message)s", force=True)
    # Where the content cache is and what it holds is read from the workflow's
    # config at run time, not from params: moving the cache reruns nothing.
    from . import cache

    cache.configure(getattr(snakemake, "config", None))
    where = f"rule {snakemake.rule}" + "".join(f", {k}={v}" for k, v in dict(snakemake.wildcards).items())
    try:
        main()
    except LessonError as exc:
        message = f"{where}: {exc}"
        logging.error(message)
        print(f"\nERROR in {message}\n", file=sys.stderr)
        sys.exit(1)
    except Exception:
        logging.error("%s failed:\n%s", where, traceback.format_exc())
        raise
