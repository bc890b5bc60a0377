"""Spread a large batch over the machine's cores with forked worker processes.

Lint and draft check thousands of posts against a compiled workspace (Aho-Corasick automata,
RE2 patterns, parsed voices). A forked worker inherits all of it as it is; a spawned one would
rebuild it, which costs more than the work. So there is no parallelism where fork is missing
(Windows, macOS' default): the batch runs in this process, with the same result.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: At most this many processes: past it, merging results costs more than the cores save.
MAX_PROCESSES = 4


# The task for the forked workers: inherited, never pickled (it holds the compiled workspace).
_task: Callable[[list[Any], bool], Any] | None = None
# Its one byte is set once this process stops the batch (Ctrl-C, an error): a worker that has
# not started its chunk yet does not start it. Shared memory, inherited by fork: no lock a
# killed worker could leave held, no ctypes (which some Pythons lack).
_stopping: mmap.mmap | None = None

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _start_worker(parent: int) -> None:
    """A worker's Ctrl-C is the parent's to handle: between chunks it is ignored (no traceback
    from a worker waiting for work), during one it stops the chunk once (``_run_in_worker``).
    A worker whose parent is killed leaves with it rather than wait for work forever, holding
    the parent's stdout open (`bb lint | cat` would never end)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(ImportError, OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # killed before prctl took effect
        os._exit(1)


def _interrupt_once(signum: int, frame: object) -> None:
    # The terminal's Ctrl-C and the parent's may both come: the second must not interrupt
    # the first's clean-up (a temp file removed, a write undone).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _run_in_worker(items: list[Any]) -> Any:
    assert _task is not None
    signal.signal(signal.SIGINT, _interrupt_once)
    try:
        if _stopping is not None and _stopping[0]:
            raise KeyboardInterrupt
        return _task(items, True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the
    machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def process_count(items: int, min_items: int) -> int:
    """How many processes a batch of ``items`` gets: one below ``min_items`` (starting
    workers costs more than it saves), on one core, or without fork."""
    cores = _usable_cores()
    if items < min_items or cores < 2:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(cores, MAX_PROCESSES)


def map_chunks(
    task: Callable[[list[Item], bool], Result],
    items: list[Item],
    *,
    min_items: int,
    before_fork: Callable[[], object] | None = None,
) -> list[Result]:
    """``task(chunk, in_worker)`` over consecutive chunks of ``items``, one chunk a process,
    results in order. ``in_worker`` says the result will be pickled back to this process: a
    task may pack it smaller first. ``before_fork`` runs only when workers are started: what
    it builds lazily is then built once and inherited, not once in each worker.

    This process runs the first chunk itself while the workers run the others: one fork and
    one result to send back fewer, and no core idle. An exception in a worker is raised here.
    """
    global _task, _stopping
    processes = process_count(len(items), min_items)
    if processes == 1:
        return [task(items, False)]
    size = -(-len(items) // processes)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    if before_fork is not None:
        before_fork()
    # An import half done on another thread (litellm, while cached drafts are read) would be
    # half done, its module locks held by no one, in every worker. A process that never
    # imported llm_client is importing nothing on its behalf: it is not imported here.
    llm = sys.modules.get("bloomberry_cli.llm_client")
    if llm is not None:
        llm.finish_loading()
    context = multiprocessing.get_context("fork")
    _task, _stopping = task, mmap.mmap(-1, 1)
    # Every page of this process is shared with the workers until written: a collection that
    # walks the objects made before the fork writes to all their pages, and each write then
    # costs a page copy (a worker's collections and ours: 60 ms at a thousand drafts, most of
    # it taking back a worker's results). Frozen, they are left out of collections until the
    # workers are done; objects made since are collected as usual.
    gc.freeze()
    pool = ProcessPoolExecutor(
        len(chunks) - 1, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    )
    try:
        others = pool.map(_run_in_worker, chunks[1:])
        first = task(chunks[0], False)
        results = [first, *others]
    except BaseException:
        # Ctrl-C, or a chunk failed: the workers stop now rather than finish their chunks
        # (writing drafts after the user asked to stop), then the error goes on.
        _stopping[0] = 1
        for child in multiprocessing.active_children():
            if child.pid:  # never 0: that would be this whole process group
                with contextlib.suppress(OSError):
                    os.kill(child.pid, signal.SIGINT)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        _task = None
        gc.unfreeze()  # what this run made is for the usual collections again
    pool.shutdown(wait=True)
    return results
