"""`shapelens check` over many files: in this process (`-j 1`) or on a pool of worker processes.

Outcomes come back in the files' order, so the output is the same whatever the number of jobs.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial

from .analysis import Options, analyze
from .report import Outcome, check_one

WARM_UP = "import keras\nx = keras.layers.Dense(2)(keras.Input((3,)))\n"


def default_jobs() -> int:
    """The cores this process may run on (a container's or `taskset`'s share, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _warm_up() -> None:
    # The first analysis in a process loads the signature table and the plug-ins' tables
    # (~0.1 s); done before forking, every worker starts with them instead of loading its own.
    analyze("<warm-up>", WARM_UP, Options())


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: only the parent handles it (it stops the pool);
    # workers dying of it mid-task would make the pool report itself broken instead.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # held while the pool started (_sigint_held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _warm_up()  # a no-op cost after fork; the real load where workers are spawned


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
    _warm_up()
    # What the parent holds now is never freed: frozen, the workers' collector does not walk
    # (and so copy) the pages they share with it.
    gc.freeze()
    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_worker_init)
    try:
        with _sigint_held():
            results = pool.map(work, paths, chunksize=chunk)  # starts the workers
        yield from results
    except BaseException:  # Ctrl-C, or the caller stopped early (GeneratorExit)
        _stop_now(pool)
        raise
    pool.shutdown(wait=True)


@contextmanager
def _sigint_held() -> Iterator[None]:
    """Ctrl-C waits while the workers start: one started but not yet known as a child would be
    left running (and exit waits for it). A worker inherits the held signal and ignores it."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _stop_now(pool: ProcessPoolExecutor) -> None:
    # Waiting for the pool after a Ctrl-C can hang (seen: the interrupt cut its manager thread's
    # wake-up short, and exit joins that thread and the workers). Workers only read and analyse
    # files, nothing to finish: they are ended. This process starts no other children.
    pool.shutdown(wait=False, cancel_futures=True)
    workers = multiprocessing.active_children()
    for process in workers:
        process.terminate()
    for process in workers:
        process.join(timeout=5)
