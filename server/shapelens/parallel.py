"""`shapelens check` over many files: in this process (`-j 1`) or on a pool of worker processes.

Outcomes come back in the files' order, so the output is the same whatever the number of jobs.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from .analysis import Options
from .report import Outcome, check_one


def default_jobs() -> int:
    """The cores this process may run on (a container's or `taskset`'s share, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: only the parent handles it (it stops the pool);
    # workers dying of it mid-task would make the pool report itself broken instead.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context() -> multiprocessing.context.BaseContext:
    # Linux: fork, as the CLI runs no threads; each worker starts with the analyser (and its
    # signature table) already loaded. Elsewhere the platform's default (spawn) re-imports it.
    # Either way a worker only reads and analyses files: user code is never imported.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else None)


def check_files(paths: list[str], options: Options, as_json: bool, jobs: int) -> Iterator[Outcome]:
    """Each file's outcome, in `paths` order; `jobs` 1 (or one file) runs in this process.

    The caller stops at the first unreadable file; the files after it may have been analysed.
    """
    work = partial(check_one, options=options, as_json=as_json)
    jobs = min(jobs, len(paths))
    if jobs <= 1:
        yield from map(work, paths)
        return
    # Small chunks keep both workers busy to the end when file sizes differ a lot; one file per
    # message costs ~0.1 ms, against several ms to analyse the smallest model.
    chunk = max(1, min(8, len(paths) // (jobs * 16)))
    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_worker_init)
    try:
        yield from pool.map(work, paths, chunksize=chunk)
    finally:
        # Early stop (unreadable file, Ctrl-C, closed pipe): drop what has not started.
        pool.shutdown(wait=True, cancel_futures=True)
