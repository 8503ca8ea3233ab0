"""Where the import's pure work runs: in this process, in worker processes, or on a Dask cluster.

Every choice is a :class:`concurrent.futures.Executor`, so the pipeline has
one code path whatever runs it, and ``--jobs 1``, ``--jobs N`` and
``--scheduler`` store the same database:

* :class:`InlineExecutor` runs each task at once in this process (``--jobs 1``);
* a :class:`~concurrent.futures.ProcessPoolExecutor` on this machine (``--jobs N``);
* ``distributed.Client(address).get_executor()`` on a Dask cluster
  (``--scheduler tcp://host:8786``, the optional extra ``workbench[cluster]``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor


class InlineExecutor(Executor):
    """Runs each submitted call at once, in the caller's process (a finished future)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # the future carries it, as a pool's would
            future.set_exception(exc)
        return future


def workers(executor: Executor | None) -> int:
    """How many tasks ``executor`` runs at once (1 for one it did not make)."""
    return getattr(executor, "workers", 1)


def default_jobs() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def executor_for(jobs: int | None = None, scheduler: str | None = None) -> Iterator[Executor]:
    """The executor for ``--jobs``/``--scheduler``, shut down on exit."""
    if scheduler:
        with cluster_executor(scheduler) as executor:
            yield executor
        return
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1:
        yield InlineExecutor()
        return
    # forkserver: workers start from a clean process that preloaded the analysis modules,
    # not as forks of this one (which may hold threads, a terminal, an open database).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["workbench.prepare", "workbench.linking"])
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_exit_with,
                             initargs=(os.getpid(),)) as executor:
        executor.workers = jobs
        yield executor


def _exit_with(parent: int) -> None:
    """A worker's initializer: exit when the importing process is gone (killed, not shut down).

    A killed importer never sends the pool's stop signal, and a forkserver
    worker holds the server's lifeline itself, so without this both would
    wait forever: a SIGKILLed import left its forkserver and workers behind.
    """

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid was reused by another user's process: ours is gone
                os._exit(1)

    threading.Thread(target=watch, name="workbench-parent-watch", daemon=True).start()


PARENT_CHECK_SECONDS = 1.0


class ClusterUnavailable(RuntimeError):
    """The Dask extra is not installed, or the scheduler cannot be reached."""


@contextlib.contextmanager
def cluster_executor(address: str) -> Iterator[Executor]:
    """An executor on the Dask cluster at ``address``; the client closes on exit."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterUnavailable(
            "--scheduler needs Dask: pip install 'workbench[cluster]'") from exc
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        executor = client.get_executor(pure=False)
        executor.workers = max(1, sum(client.nthreads().values()))
        yield executor
    finally:
        client.close()
