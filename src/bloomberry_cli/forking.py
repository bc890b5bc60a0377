"""Spread a large batch over the machine's cores with forked worker processes.

Lint and draft check thousands of posts against a compiled workspace (Aho-Corasick automata,
RE2 patterns, parsed voices). A forked worker inherits all of it as it is; a spawned one would
rebuild it, which costs more than the work. So there is no parallelism where fork is missing
(Windows, macOS' default): the batch runs in this process, with the same result.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: At most this many processes: past it, merging results costs more than the cores save.
MAX_PROCESSES = 4


# The task for the forked workers: inherited, never pickled (it holds the compiled workspace).
_task: Callable[[list[Any], bool], Any] | None = None


def _run_in_worker(items: list[Any]) -> Any:
    assert _task is not None
    return _task(items, True)


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
    task: Callable[[list[Item], bool], Result], items: list[Item], *, min_items: int
) -> list[Result]:
    """``task(chunk, in_worker)`` over consecutive chunks of ``items``, one chunk a process,
    results in order. ``in_worker`` says the result will be pickled back to this process: a
    task may pack it smaller first.

    This process runs the first chunk itself while the workers run the others: one fork and
    one result to send back fewer, and no core idle. An exception in a worker is raised here.
    """
    global _task
    processes = process_count(len(items), min_items)
    if processes == 1:
        return [task(items, False)]
    size = -(-len(items) // processes)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _task = task
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(len(chunks) - 1, mp_context=context) as pool:
            others = pool.map(_run_in_worker, chunks[1:])
            first = task(chunks[0], False)
            return [first, *others]
    finally:
        _task = None
